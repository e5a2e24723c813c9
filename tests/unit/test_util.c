/* Unit tests: arena, buf, text, log. */
#include <stdio.h>
#include <string.h>

#include "../../src/util/errors.h"
#include "../../src/util/arena.h"
#include "../../src/util/buf.h"
#include "../../src/util/log.h"
#include "../../src/util/text.h"
#include "check.h"

static void arena_zeroed_and_aligned(void)
{
	struct arena a;
	arena_init(&a, 0);
	for (int i = 1; i < 2000; i += 37) {
		unsigned char *p = arena_alloc(&a, (size_t)i);
		CHECK(p != NULL);
		CHECK(((uintptr_t)p % _Alignof(max_align_t)) == 0);
		for (int j = 0; j < i; j++)
			CHECK(p[j] == 0);
		memset(p, 0xAB, (size_t)i);
	}
	char *big = arena_alloc(&a, 3 * 1024 * 1024);
	CHECK(big != NULL);
	CHECK(big[3 * 1024 * 1024 - 1] == 0);
	arena_release(&a);
}

static void arena_cap_refuses(void)
{
	struct arena a;
	arena_init(&a, 1000);
	CHECK(arena_alloc(&a, 900) != NULL);
	CHECK(arena_alloc(&a, 200) == NULL);
	CHECK(arena_alloc(&a, SIZE_MAX) == NULL);
	arena_release(&a);
}

static void arena_strings(void)
{
	struct arena a;
	arena_init(&a, 0);
	CHECK_STR(arena_strndup(&a, "hello world", 5), "hello");
	CHECK_STR(arena_printf(&a, "%d-%s", 42, "x"), "42-x");
	arena_release(&a);
}

static void buf_caps_and_leaves_unchanged(void)
{
	struct buf b;
	buf_init(&b, 10);
	CHECK_EQ_INT(buf_puts(&b, "12345"), VD_OK);
	CHECK_EQ_INT(buf_puts(&b, "678901"), VD_ERR_TOOBIG);
	CHECK_EQ_INT(b.len, 5);
	CHECK_STR(b.data, "12345");
	CHECK_EQ_INT(buf_printf(&b, "%s", "abcdef"), VD_ERR_TOOBIG);
	CHECK_EQ_INT(buf_printf(&b, "%d", 12345), VD_OK);
	CHECK_STR(b.data, "1234512345");
	CHECK_EQ_INT(buf_putc(&b, 'x'), VD_ERR_TOOBIG);
	buf_release_wipe(&b);
	CHECK(b.data == NULL);
}

static void parse_i64_strict(void)
{
	int64_t v = 0;
	CHECK_EQ_INT(text_parse_i64("42", 0, 100, &v), VD_OK);
	CHECK_EQ_INT(v, 42);
	CHECK_EQ_INT(text_parse_i64("-5", -10, 10, &v), VD_OK);
	CHECK_EQ_INT(v, -5);
	const char *bad[] = { "", " 1", "+1", "1 ", "1x", "0x10", "101", "99999999999999999999", "--1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ_INT(text_parse_i64(bad[i], -100, 100, &v), VD_ERR_INVALID);
	CHECK_EQ_INT(text_parse_i64(NULL, 0, 1, &v), VD_ERR_INVALID);
}

static void utf8_validation(void)
{
	CHECK(text_valid_utf8("héllo\nwereld", strlen("héllo\nwereld")));
	CHECK(!text_valid_line("a\nb", 3));
	CHECK(text_valid_line("Zoë €", strlen("Zoë €")));
	CHECK(!text_valid_utf8("\xff", 1));
	CHECK(!text_valid_utf8("\xc0\xaf", 2));         /* overlong '/' */
	CHECK(!text_valid_utf8("\xed\xa0\x80", 3));     /* surrogate */
	CHECK(!text_valid_utf8("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
	CHECK(!text_valid_utf8("a\0b", 3));
	CHECK(!text_valid_utf8("\x1b[31m", 5));          /* terminal escape */
	CHECK(!text_valid_utf8("\xe2\x82", 2));         /* truncated */
	CHECK_EQ_INT(text_utf8_len("Zoë", 4), 3);
}

static void email_validation(void)
{
	CHECK(text_valid_email("anouk@example.org"));
	CHECK(text_valid_email("a.b+c@sub.example.nl"));
	const char *bad[] = { "", "a", "@example.org", "a@", "a@b", "a@@b.nl", "a b@c.nl",
			      "a@b.", "<a@b.nl>", "a@b.nl\n",
			      "anouk@example.org?bcc=spy%40evil.example", "a@b.nl&x=1", "a:b@c.nl",
			      "a/b@c.nl", "a@.nl" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(!text_valid_email(bad[i]));
}

static void trim_and_ieq(void)
{
	char s[] = "  \t hallo daar \r\n";
	CHECK_STR(text_trim(s), "hallo daar");
	CHECK(text_ieq("Beheer@Example.ORG", "beheer@example.org"));
	CHECK(!text_ieq("a", "ab"));
}

static void b64url_roundtrip(void)
{
	unsigned char in[32], out[32];
	for (int i = 0; i < 32; i++)
		in[i] = (unsigned char)(i * 7 + 3);
	char enc[64];
	text_b64url_encode(in, sizeof in, enc);
	CHECK_EQ_INT(strlen(enc), 43);
	CHECK(strchr(enc, '=') == NULL && strchr(enc, '+') == NULL && strchr(enc, '/') == NULL);
	CHECK_EQ_INT(text_b64url_decode(enc, out, sizeof out), VD_OK);
	CHECK(memcmp(in, out, 32) == 0);
	CHECK_EQ_INT(text_b64url_decode("short", out, sizeof out), VD_ERR_INVALID);
	enc[5] = '*';
	CHECK_EQ_INT(text_b64url_decode(enc, out, sizeof out), VD_ERR_INVALID);
}

/* The log encodes strings so that nothing can forge a line or a field. */
static void log_encodes_fields(void)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	CHECK(f != NULL);
	log_setup(f, LOG_INFO);
	log_event(LOG_DEBUG, "hidden", LF_END);
	log_event(LOG_INFO, "request", LF_METHOD, "GET", LF_ROUTE, "/x\n\"y\" level=error",
		  LF_STATUS, 404, LF_BYTES, 12LL, LF_ERROR, VD_ERR_DENIED, LF_END);
	fclose(f);
	log_setup(NULL, LOG_INFO);
	CHECK(mem != NULL);
	CHECK(strstr(mem, "hidden") == NULL);
	CHECK(strstr(mem, "route=\"/x\\x0a\\x22y\\x22 level=error\"") != NULL);
	CHECK(strstr(mem, "status=404 bytes=12 error=\"not allowed\"") != NULL);
	/* exactly one line */
	CHECK(strchr(mem, '\n') == mem + len - 1);
	free(mem);
}

int main(void)
{
	static const struct test tests[] = {
		TEST(arena_zeroed_and_aligned), TEST(arena_cap_refuses), TEST(arena_strings),
		TEST(buf_caps_and_leaves_unchanged), TEST(parse_i64_strict), TEST(utf8_validation),
		TEST(email_validation), TEST(trim_and_ieq), TEST(b64url_roundtrip),
		TEST(log_encodes_fields),
	};
	return check_run("util", tests, sizeof tests / sizeof tests[0]);
}
