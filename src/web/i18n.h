/*
 * i18n: the user interface's words in Dutch (the default) and English.
 *
 * Catalogs are po/nl.po and po/en.po (gettext format; msgid is a stable key
 * such as "login.title", msgstr the text), embedded and parsed at start-up.
 * A key missing in English falls back to Dutch; missing in both, the key
 * itself shows (and a unit test fails).
 */
#ifndef VD_I18N_H
#define VD_I18N_H

#include <stddef.h>

int i18n_load(char *err, size_t errlen);
void i18n_unload(void);

/* "nl" or "en" for any input (unknown falls back to "nl"). */
const char *i18n_lang(const char *requested);

const char *i18n_get(const char *lang, const char *key);
const char *i18n_get_n(const char *lang, const char *key, size_t keylen);
/* The words for one value of a closed list: the key "<prefix>.<value>",
 * e.g. i18n_choice(lang, "role", "admin") for "role.admin". */
const char *i18n_choice(const char *lang, const char *prefix, const char *value);

/* 1 if key exists in lang's own catalog. */
int i18n_has(const char *lang, const char *key);

#endif
