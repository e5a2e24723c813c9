/*
 * text: small, strict string helpers used by every layer.
 *
 * Numbers are parsed with full-string and range checks (never atoi); UTF-8 is
 * validated before text is stored or shown, so a bad byte is a clear "invalid"
 * rather than mojibake on a page.
 */
#ifndef VD_TEXT_H
#define VD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses all of s as a decimal integer in [min, max]. 0 or VD_ERR_INVALID. */
int text_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* True if s[0..n) is valid UTF-8 without NUL bytes or C0 controls other than
 * tab, LF and CR (the only ones a person types into a form). */
bool text_valid_utf8(const char *s, size_t n);
/* Same, but also rejects tab/LF/CR: for one-line fields such as names. */
bool text_valid_line(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t text_utf8_len(const char *s, size_t n);
/* A form's text within its limit: s (NULL counts as "") is valid UTF-8, on
 * one line when one_line, of at most max_chars code points. */
bool text_fits(const char *s, size_t max_chars, bool one_line);

/* A plausible e-mail address: one @, no spaces or controls, a dot in the domain,
 * at most 254 bytes. Deliverability is not our business. */
bool text_valid_email(const char *s);

/* Removes leading/trailing ASCII white space in place; returns s. */
char *text_trim(char *s);
/* True for NULL, "" and text of only spaces, tabs and line breaks. */
bool text_blank(const char *s);

/* base64url without padding. out must hold text_b64url_len(n)+1 bytes. */
size_t text_b64url_len(size_t n);
void text_b64url_encode(const unsigned char *in, size_t n, char *out);
/* Decodes exactly outlen bytes; VD_ERR_INVALID if s is not that. */
int text_b64url_decode(const char *s, unsigned char *out, size_t outlen);

/* Lower-case hex; out must hold 2n+1 bytes. */
void text_hex_encode(const unsigned char *in, size_t n, char *out);
/* Exactly 2n lower-case hex digits into n bytes; VD_ERR_INVALID otherwise. */
int text_hex_decode(const char *s, unsigned char *out, size_t n);

/* Crockford's base32 alphabet (no I, L, O, U), for codes people write down. */
extern const char text_b32_alphabet[33];
/* The value of a typed character (0-31), forgiving about case and look-alikes
 * (O reads as 0, I and L as 1); -1 for anything else. */
int text_b32_value(char c);

/* Case-insensitive ASCII comparison. */
bool text_ieq(const char *a, const char *b);

#endif
