/* Unit tests: the web layer's parsers, escaping, markup, templates and
 * translations (everything below the HTTP server itself). */
#include <string.h>

#include "../../src/core/vd.h"
#include "../../src/util/assets.h"
#include "../../src/web/form.h"
#include "../../src/web/html.h"
#include "../../src/web/i18n.h"
#include "../../src/web/markup.h"
#include "../../src/web/template.h"
#include "check.h"

static void form_parses_and_decodes(void)
{
	struct arena a;
	arena_init(&a, 0);
	struct kv_list l;
	const char *body = "email=anouk%40example.org&password=a+b%2Bc&unit=1&unit=2&&empty=&flag";
	CHECK_EQ_INT(form_parse(&a, body, strlen(body), &l), VD_OK);
	CHECK_STR(kv_get(&l, "email"), "anouk@example.org");
	CHECK_STR(kv_get(&l, "password"), "a b+c");
	CHECK_EQ_INT(kv_count(&l, "unit"), 2);
	CHECK_STR(kv_get(&l, "empty"), "");
	CHECK_STR(kv_get(&l, "flag"), "");
	CHECK(kv_get(&l, "missing") == NULL);
	CHECK_EQ_INT(form_parse(&a, "", 0, &l), VD_OK);
	CHECK_EQ_INT(l.n, 0);
	arena_release(&a);
}

static void form_rejects_malformed(void)
{
	struct arena a;
	arena_init(&a, 0);
	struct kv_list l;
	const char *bad[] = { "a=%zz", "a=%4", "a=%", "a=%ff", "=x", "a=%00", "%00=1", "a=%c3%28",
			      "a=%1b" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ_INT(form_parse(&a, bad[i], strlen(bad[i]), &l), VD_ERR_INVALID);
	/* a name longer than FORM_MAX_NAME */
	char longname[100];
	memset(longname, 'n', 80);
	memcpy(longname + 80, "=1", 3);
	CHECK_EQ_INT(form_parse(&a, longname, strlen(longname), &l), VD_ERR_INVALID);
	/* too many fields */
	struct buf b;
	buf_init(&b, 100000);
	for (int i = 0; i <= FORM_MAX_FIELDS; i++)
		buf_puts(&b, "x=1&");
	CHECK_EQ_INT(form_parse(&a, b.data, b.len, &l), VD_ERR_TOOBIG);
	buf_release(&b);
	/* multi-line text is fine in a value */
	CHECK_EQ_INT(form_parse(&a, "t=regel+1%0D%0Aregel+2", 22, &l), VD_OK);
	CHECK_STR(kv_get(&l, "t"), "regel 1\r\nregel 2");
	arena_release(&a);
}

static void uri_splits_strictly(void)
{
	struct arena a;
	arena_init(&a, 0);
	const char *path;
	struct kv_list q;
	CHECK_EQ_INT(uri_parse(&a, "/vertrouwenspersonen?eenheid=3", &path, &q), VD_OK);
	CHECK_STR(path, "/vertrouwenspersonen");
	CHECK_STR(kv_get(&q, "eenheid"), "3");
	CHECK_EQ_INT(uri_parse(&a, "/a+b%20c", &path, &q), VD_OK);
	CHECK_STR(path, "/a+b c"); /* '+' is a plus in a path */
	CHECK_EQ_INT(q.n, 0);
	CHECK_EQ_INT(uri_parse(&a, "/%ff", &path, &q), VD_ERR_INVALID);
	CHECK_EQ_INT(uri_parse(&a, "/%00", &path, &q), VD_ERR_INVALID);
	CHECK_EQ_INT(uri_parse(&a, "/a%0a", &path, &q), VD_ERR_INVALID);
	CHECK_EQ_INT(uri_parse(&a, "relative", &path, &q), VD_ERR_INVALID);
	CHECK_EQ_INT(uri_parse(&a, "", &path, &q), VD_ERR_INVALID);
	CHECK_EQ_INT(uri_parse(&a, "/?a=%zz", &path, &q), VD_ERR_INVALID);
	CHECK_EQ_INT(uri_parse(&a, "/?a&b&c&d&e&f&g&h&i&j&k&l&m&n&o&p&q&r&s&t&u", &path, &q), VD_ERR_INVALID);
	char longpath[URI_MAX_PATH + 3];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	CHECK_EQ_INT(uri_parse(&a, longpath, &path, &q), VD_ERR_TOOBIG);
	arena_release(&a);
}

static void cookies_tolerant_but_bounded(void)
{
	struct arena a;
	arena_init(&a, 0);
	struct kv_list l;
	const char *h = "theme=dark; vd_session=abc-_123;  junk ; =nothing; vd_lang=\"en\"; bad=\x01x";
	CHECK_EQ_INT(cookie_parse(&a, h, strlen(h), &l), VD_OK);
	CHECK_STR(kv_get(&l, "vd_session"), "abc-_123");
	CHECK_STR(kv_get(&l, "vd_lang"), "en");
	CHECK_STR(kv_get(&l, "theme"), "dark");
	CHECK(kv_get(&l, "bad") == NULL);
	struct buf b;
	buf_init(&b, 100000);
	for (int i = 0; i <= COOKIE_MAX_PAIRS; i++)
		buf_printf(&b, "c%d=v; ", i);
	CHECK_EQ_INT(cookie_parse(&a, b.data, b.len, &l), VD_ERR_TOOBIG);
	buf_release(&b);
	arena_release(&a);
}

static void html_escape_all_specials(void)
{
	struct buf b;
	buf_init(&b, 1000);
	const char *in = "<a href=\"x\" onclick='y'>&amp;</a>";
	CHECK_EQ_INT(html_escape(&b, in, strlen(in)), VD_OK);
	CHECK_STR(b.data, "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
	buf_release(&b);
}

static void markup_is_escaped_and_structured(void)
{
	struct buf b;
	buf_init(&b, 10000);
	const char *doc = "# Kop <b>\n\nEerste regel\ntweede regel\n\n- een\n- <script>twee</script>\n## Sub\r\nslot";
	CHECK_EQ_INT(markup_render(doc, strlen(doc), &b), VD_OK);
	CHECK(strstr(b.data, "<h2>Kop &lt;b&gt;</h2>") != NULL);
	CHECK(strstr(b.data, "<p>Eerste regel tweede regel</p>") != NULL);
	CHECK(strstr(b.data, "<ul>\n<li>een</li>\n<li>&lt;script&gt;twee&lt;/script&gt;</li>\n</ul>") != NULL);
	CHECK(strstr(b.data, "<h3>Sub</h3>") != NULL);
	CHECK(strstr(b.data, "<p>slot</p>") != NULL);
	CHECK(strstr(b.data, "<script") == NULL);
	buf_release(&b);
}

static void template_escapes_by_default(void)
{
	char err[200];
	const char *src = "<p>{{name}}|{{raw html}}|{{#if on}}yes{{else}}no{{/if}}|"
			  "{{#unless off}}un{{/unless}}|{{#each items}}[{{v}}/{{name}}]{{/each}}</p>";
	struct tpl *t = tpl_compile("t", src, strlen(src), err, sizeof err);
	CHECK(t != NULL);
	struct arena a;
	arena_init(&a, 0);
	struct tvars *v = tv_new(&a, NULL);
	tv_set(v, "name", "<i>\"x\"</i>");
	tv_set(v, "html", "<b>ok</b>");
	tv_set_bool(v, "on", true);
	tv_set(tv_add(v, "items"), "v", "1");
	tv_set_int(tv_add(v, "items"), "v", 2);
	struct buf b;
	buf_init(&b, 10000);
	CHECK_EQ_INT(tpl_render(t, v, "nl", &b), VD_OK);
	CHECK_STR(b.data, "<p>&lt;i&gt;&quot;x&quot;&lt;/i&gt;|<b>ok</b>|yes|un|"
			  "[1/&lt;i&gt;&quot;x&quot;&lt;/i&gt;][2/&lt;i&gt;&quot;x&quot;&lt;/i&gt;]</p>");
	buf_reset(&b);
	tv_set_bool(v, "on", false);
	tv_set(v, "off", "1");
	CHECK_EQ_INT(tpl_render(t, v, "nl", &b), VD_OK);
	CHECK(strstr(b.data, "|no|") != NULL && strstr(b.data, "|un|") == NULL);
	buf_release(&b);
	arena_release(&a);
	tpl_free(t);
}

static void template_syntax_errors_are_caught(void)
{
	char err[200];
	const char *bad[] = { "{{#if a}}x", "{{/if}}", "{{#each a}}{{/if}}", "{{#if a}}{{else}}{{else}}{{/if}}",
			      "{{name", "{{bad name!}}", "{{}}", "{{#each}}{{/each}}", "{{#if a}}{{/each}}",
			      "{{#if a}}x{{else}}y{{/unless}}", "{{#unless a}}x{{else}}y{{/if}}",
			      "{{#each a}}x{{else}}y{{/each}}" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tpl *t = tpl_compile("bad", bad[i], strlen(bad[i]), err, sizeof err);
		CHECK(t == NULL);
		CHECK(strstr(err, "bad") != NULL); /* names the template */
	}
}

static void all_templates_compile(void)
{
	char err[256] = "";
	CHECK_EQ_INT(tpl_load_all(err, sizeof err), VD_OK);
	CHECK(tpl_get("layout", "nl") != NULL);
	CHECK(tpl_get("pages/home", "en") != NULL);
	CHECK(tpl_get("pages/home", "nl") != NULL);
	CHECK(tpl_get("error", "en") != NULL);
	tpl_unload_all();
}

/* Every {{t key}} in every template exists in both catalogs. */
static void every_template_key_is_translated(void)
{
	char err[256] = "";
	CHECK_EQ_INT(i18n_load(err, sizeof err), VD_OK);
	int checked = 0;
	for (size_t i = 0; i < vd_asset_count; i++) {
		if (strncmp(vd_assets[i].name, "templates/", 10) != 0)
			continue;
		const char *p = (const char *)vd_assets[i].data;
		while ((p = strstr(p, "{{t "))) {
			p += 4;
			const char *end = strstr(p, "}}");
			CHECK(end != NULL && end - p < 64);
			char key[64];
			memcpy(key, p, (size_t)(end - p));
			key[end - p] = '\0';
			if (!i18n_has("nl", key) || !i18n_has("en", key)) {
				fprintf(stderr, "untranslated: %s in %s\n", key, vd_assets[i].name);
				CHECK(!"a template key is missing from po/nl.po or po/en.po");
			}
			checked++;
		}
	}
	CHECK(checked > 50);
	/* keys the C code builds at run time */
	const char *runtime[] = { "error.400.title", "error.403.title", "error.404.title", "error.405.title",
				  "error.413.title", "error.429.title", "error.500.title", "error.400.text",
				  "error.403.text", "error.404.text", "error.405.text", "error.413.text",
				  "error.500.text", "error.414.title", "error.414.text",
				  "error.415.title", "error.415.text", "error.503.title", "error.503.text",
				  "error.csrf", "error.cookies", "role.admin",
				  "role.counsellor", "role.committee", "role.integrity",
				  "role.candidate_committee", "role.candidate", "role.reader",
				  "unitkind.national", "unitkind.province", "unitkind.group",
				  "unitkind.youth", "unitkind.other", "doc.code_of_conduct",
				  "doc.complaints_regulation", "doc.whistleblower_regulation", "lang.nl", "lang.en" };
	for (size_t i = 0; i < sizeof runtime / sizeof runtime[0]; i++)
		CHECK(i18n_has("nl", runtime[i]) && i18n_has("en", runtime[i]));
	CHECK(strcmp(i18n_get("en", "nav.directory"), i18n_get("nl", "nav.directory")) != 0);
	CHECK_STR(i18n_get("fr", "no.such.key"), "no.such.key");
	CHECK_STR(i18n_choice("en", "role", "admin"), i18n_get("en", "role.admin"));
	CHECK(strcmp(i18n_choice("nl", "behaviour", "bullying"), "behaviour.bullying") != 0);
	i18n_unload();
}

int main(void)
{
	static const struct test tests[] = {
		TEST(form_parses_and_decodes), TEST(form_rejects_malformed), TEST(uri_splits_strictly),
		TEST(cookies_tolerant_but_bounded), TEST(html_escape_all_specials),
		TEST(markup_is_escaped_and_structured), TEST(template_escapes_by_default),
		TEST(template_syntax_errors_are_caught), TEST(all_templates_compile),
		TEST(every_template_key_is_translated),
	};
	return check_run("web", tests, sizeof tests / sizeof tests[0]);
}
