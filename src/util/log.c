/* log: see log.h. Format: logfmt, one line per event. */
#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "../core/vd.h"
#include "buf.h"

static FILE *log_out;
static enum log_level log_min = LOG_INFO;

static const char *const field_names[LF_COUNT] = {
	[LF_METHOD] = "method", [LF_ROUTE] = "route",   [LF_STATUS] = "status",
	[LF_BYTES] = "bytes",   [LF_USEC] = "usec",     [LF_USER] = "user",
	[LF_RECORD] = "record", [LF_ERROR] = "error",   [LF_WHAT] = "what",
	[LF_LISTEN] = "listen",
};

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_setup(FILE *out, enum log_level min)
{
	log_out = out;
	log_min = min;
}

/* Quotes s, passing only printable ASCII other than quote and backslash. */
static void put_encoded(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "\\x%02x", *p);
	}
	buf_putc(b, '"');
}

void log_event(enum log_level level, const char *event, ...)
{
	if (level < log_min)
		return;
	FILE *out = log_out ? log_out : stderr;
	struct buf b;
	buf_init(&b, 4096);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(&b, "time=%s level=%s event=", ts, level_names[level]);
	put_encoded(&b, event);

	va_list ap;
	va_start(ap, event);
	for (;;) {
		int f = va_arg(ap, int);
		if (f <= LF_END || f >= LF_COUNT)
			break;
		buf_printf(&b, " %s=", field_names[f]);
		switch ((enum log_field)f) {
		case LF_METHOD:
		case LF_ROUTE:
		case LF_WHAT:
		case LF_LISTEN:
			put_encoded(&b, va_arg(ap, const char *));
			break;
		case LF_STATUS:
			buf_printf(&b, "%d", va_arg(ap, int));
			break;
		case LF_ERROR:
			put_encoded(&b, vd_strerror(va_arg(ap, int)));
			break;
		case LF_BYTES:
		case LF_USEC:
		case LF_USER:
		case LF_RECORD:
			buf_printf(&b, "%lld", va_arg(ap, long long));
			break;
		case LF_END:
		case LF_COUNT:
			break;
		}
	}
	va_end(ap);
	buf_putc(&b, '\n');
	if (b.data) {
		fwrite(b.data, 1, b.len, out);
		fflush(out);
	}
	buf_release(&b);
}
