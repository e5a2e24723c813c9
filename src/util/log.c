/* log: see log.h. Format: logfmt, one line per event. */
#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include <unistd.h>

static FILE *log_out;
static enum log_level log_min = LOG_INFO;

static const char *const field_names[LF_COUNT] = {
	[LF_METHOD] = "method", [LF_ROUTE] = "route",   [LF_STATUS] = "status",
	[LF_BYTES] = "bytes",   [LF_USEC] = "usec",     [LF_USER] = "user",
	[LF_RECORD] = "record", [LF_ERROR] = "error",   [LF_WHAT] = "what",
	[LF_LISTEN] = "listen", [LF_N] = "n",
};

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_setup(FILE *out, enum log_level min)
{
	log_out = out;
	log_min = min;
}

/* A line is built in a fixed buffer on the stack (no allocation on the
 * request path) and written with one write(2), so lines never interleave.
 * A line that would not fit is cut and marked. */
#define LOG_LINE_MAX 1024

struct line {
	char buf[LOG_LINE_MAX];
	size_t len;
	int cut;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (l->len + n > LOG_LINE_MAX - 8) {
		l->cut = 1;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* Quotes s, passing only printable ASCII other than quote and backslash. */
static void put_encoded(struct line *l, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	put(l, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\') {
			put(l, (const char *)p, 1);
		} else {
			char esc[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
			put(l, esc, 4);
		}
	}
	put(l, "\"", 1);
}

static void put_number(struct line *l, long long v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", v);
	put(l, num, (size_t)n);
}

/* The timestamp, formatted at most once a second per thread. */
static const char *timestamp(void)
{
	static __thread time_t last = -1;
	static __thread char ts[32];
	time_t now = time(NULL);
	if (now != last) {
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = now;
	}
	return ts;
}

void log_event(enum log_level level, const char *event, ...)
{
	if (level < log_min)
		return;
	FILE *out = log_out ? log_out : stderr;
	struct line l = { .len = 0, .cut = 0 };
	puts_(&l, "time=");
	puts_(&l, timestamp());
	puts_(&l, " level=");
	puts_(&l, level_names[level]);
	puts_(&l, " event=");
	put_encoded(&l, event);

	va_list ap;
	va_start(ap, event);
	for (;;) {
		int f = va_arg(ap, int);
		if (f <= LF_END || f >= LF_COUNT)
			break;
		put(&l, " ", 1);
		puts_(&l, field_names[f]);
		put(&l, "=", 1);
		switch ((enum log_field)f) {
		case LF_METHOD:
		case LF_ROUTE:
		case LF_WHAT:
		case LF_LISTEN:
			put_encoded(&l, va_arg(ap, const char *));
			break;
		case LF_STATUS:
			put_number(&l, va_arg(ap, int));
			break;
		case LF_ERROR:
			put_encoded(&l, vd_strerror(va_arg(ap, int)));
			break;
		case LF_BYTES:
		case LF_USEC:
		case LF_USER:
		case LF_RECORD:
		case LF_N:
			put_number(&l, va_arg(ap, long long));
			break;
		case LF_END:
		case LF_COUNT:
			break;
		}
	}
	va_end(ap);
	if (l.cut) {
		memcpy(l.buf + l.len, " cut=1", 6);
		l.len += 6;
	}
	l.buf[l.len++] = '\n';
	if (out == stderr || out == stdout) {
		ssize_t w = write(fileno(out), l.buf, l.len);
		(void)w; /* nowhere left to report a failing log */
	} else {
		fwrite(l.buf, 1, l.len, out);
		fflush(out);
	}
}
