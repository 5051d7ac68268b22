/*
 * Helpers shared by the benchmark programs (see bench.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bench_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t bench_real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

void bench_sleep_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void bench_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

void bench_opts_init(struct bench_opts *o, const char *prog, int argc, char **argv, int first)
{
	int i;

	o->argc = argc - first;
	o->argv = argv + first;
	o->prog = prog;
	for (i = 0; i < o->argc; i++)
		if (strncmp(o->argv[i], "--", 2) != 0 &&
		    (i == 0 || strncmp(o->argv[i - 1], "--", 2) != 0))
			bench_die(2, "%s: unexpected argument '%s'", prog, o->argv[i]);
}

/* The value of --name, NULL if absent; "" for a flag without a value. */
static const char *opt_find(const struct bench_opts *o, const char *name)
{
	int i;

	for (i = 0; i < o->argc; i++) {
		if (strncmp(o->argv[i], "--", 2) != 0 || strcmp(o->argv[i] + 2, name) != 0)
			continue;
		if (i + 1 < o->argc && strncmp(o->argv[i + 1], "--", 2) != 0)
			return o->argv[i + 1];
		return "";
	}
	return NULL;
}

const char *bench_opt_str(const struct bench_opts *o, const char *name, const char *dflt)
{
	const char *v = opt_find(o, name);

	if (v != NULL && v[0] == '\0')
		bench_die(2, "%s: --%s needs a value", o->prog, name);
	return v != NULL ? v : dflt;
}

long long bench_opt_ll(const struct bench_opts *o, const char *name, long long dflt)
{
	const char *v = bench_opt_str(o, name, NULL);
	char *end;
	long long n;

	if (v == NULL)
		return dflt;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0')
		bench_die(2, "%s: --%s %s: not a whole number", o->prog, name, v);
	return n;
}

double bench_opt_double(const struct bench_opts *o, const char *name, double dflt)
{
	const char *v = bench_opt_str(o, name, NULL);
	char *end;
	double d;

	if (v == NULL)
		return dflt;
	d = strtod(v, &end);
	if (*end != '\0' || end == v)
		bench_die(2, "%s: --%s %s: not a number", o->prog, name, v);
	return d;
}

bool bench_opt_flag(const struct bench_opts *o, const char *name)
{
	return opt_find(o, name) != NULL;
}

void bench_samples_add(struct bench_samples *s, int64_t ns)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		int64_t *v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			bench_die(2, "out of memory for samples");
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ns;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t bench_samples_pct(struct bench_samples *s, double p)
{
	size_t rank;

	if (s->n == 0)
		return 0;
	qsort(s->v, s->n, sizeof(s->v[0]), cmp_i64);
	/* nearest rank: the smallest sample with at least p% at or below it */
	rank = (size_t)((p / 100.0) * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	return s->v[rank - 1];
}

double bench_samples_mean(const struct bench_samples *s)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		sum += (double)s->v[i];
	return s->n ? sum / (double)s->n : 0;
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

void bench_samples_print_us(struct bench_samples *s)
{
	printf(" p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f mean_us=%.1f samples=%zu",
	       (double)bench_samples_pct(s, 50) / 1e3, (double)bench_samples_pct(s, 99) / 1e3,
	       (double)bench_samples_pct(s, 99.9) / 1e3, (double)bench_samples_pct(s, 100) / 1e3,
	       bench_samples_mean(s) / 1e3, s->n);
}

void bench_touch(const char *path)
{
	int fd;

	if (path == NULL)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		bench_die(2, "cannot create %s: %s", path, strerror(errno));
	close(fd);
}

void bench_name(SaNameT *name, const char *s)
{
	size_t len = strlen(s);

	if (len > SA_MAX_NAME_LENGTH)
		bench_die(2, "name too long: %s", s);
	memset(name, 0, sizeof(*name));
	name->length = (SaUint16T)len;
	memcpy(name->value, s, len);
}
