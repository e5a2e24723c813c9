/* text: see text.h. */
#include "text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "errors.h"

int text_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return VD_ERR_INVALID;
	/* strtoll accepts leading space and '+'; a form value must not. */
	if (!(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		return VD_ERR_INVALID;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (errno || !end || *end != '\0' || end == s)
		return VD_ERR_INVALID;
	if (v < min || v > max)
		return VD_ERR_INVALID;
	*out = (int64_t)v;
	return VD_OK;
}

/* Returns the length of the UTF-8 sequence at s (1-4), or 0 if it is invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0; /* overlong or out of range */
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0; /* surrogates are not characters */
	return len;
}

static bool utf8_check(const char *s, size_t n, bool allow_ws)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		if (c < 0x20 || c == 0x7F) {
			if (!(allow_ws && (c == '\t' || c == '\n' || c == '\r')))
				return false;
		}
		size_t l = utf8_seq(p + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

bool text_valid_utf8(const char *s, size_t n)
{
	return utf8_check(s, n, true);
}

bool text_valid_line(const char *s, size_t n)
{
	return utf8_check(s, n, false);
}

size_t text_utf8_len(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

bool text_fits(const char *s, size_t max_chars, bool one_line)
{
	size_t n = s ? strlen(s) : 0;
	if (!n)
		return true;
	return (one_line ? text_valid_line(s, n) : text_valid_utf8(s, n)) && text_utf8_len(s, n) <= max_chars;
}

/* Local part [A-Za-z0-9._+-], domain [A-Za-z0-9.-] with a dot: deliberately
 * narrower than RFC 5322, so that an address shown as a mailto: link cannot
 * carry "?bcc=..." or other parameters. */
bool text_valid_email(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 254)
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || at - s > 64)
		return false;
	for (const char *p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '+' || *p == '-'))
			return false;
	for (const char *p = at + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '-'))
			return false;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0' && at[1] != '.' && s[n - 1] != '.';
}

char *text_trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	size_t i = 0;
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}

size_t text_b64url_len(size_t n)
{
	return sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1;
}

void text_b64url_encode(const unsigned char *in, size_t n, char *out)
{
	sodium_bin2base64(out, text_b64url_len(n) + 1, in, n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int text_b64url_decode(const char *s, unsigned char *out, size_t outlen)
{
	size_t got = 0;
	const char *end = NULL;
	size_t slen = strlen(s);
	if (slen != text_b64url_len(outlen))
		return VD_ERR_INVALID;
	if (sodium_base642bin(out, outlen, s, slen, NULL, &got, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return VD_ERR_INVALID;
	if (got != outlen || (end && *end != '\0'))
		return VD_ERR_INVALID;
	return VD_OK;
}

void text_hex_encode(const unsigned char *in, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, in, n);
}

int text_hex_decode(const char *s, unsigned char *out, size_t n)
{
	size_t got = 0;
	if (!s || strlen(s) != 2 * n || strspn(s, "0123456789abcdef") != 2 * n ||
	    sodium_hex2bin(out, n, s, 2 * n, NULL, &got, NULL) != 0 || got != n)
		return VD_ERR_INVALID;
	return VD_OK;
}

bool text_blank(const char *s)
{
	return !s || strspn(s, " \t\r\n") == strlen(s);
}

const char text_b32_alphabet[33] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int text_b32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	if (c == 'I' || c == 'L')
		c = '1';
	const char *p = c ? strchr(text_b32_alphabet, c) : NULL;
	return p ? (int)(p - text_b32_alphabet) : -1;
}

bool text_ieq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char ca = *a, cb = *b;
		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (char)(cb - 'A' + 'a');
		if (ca != cb)
			return false;
		if (!ca)
			return true;
	}
}
