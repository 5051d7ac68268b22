/*
 * Helpers shared by the benchmark programs of tests/bench (see
 * BENCHMARKS.md at the top of the tree and tests/bench/run.sh, which drives
 * them inside private clusters).
 *
 * Conventions of every bench_* program:
 *  - options are "--name value" pairs after a subcommand; bench_opt_*()
 *    read them and exit 2 on a malformed one;
 *  - the result is ONE line on stdout, "<what>: key=value ...", which
 *    run.sh parses; diagnostics go to stderr;
 *  - times that two processes compare (possibly in different namespaces of
 *    one kernel: there is no time namespace) are CLOCK_REALTIME in ns;
 *    durations measured inside one process are CLOCK_MONOTONIC;
 *  - every wait is bounded; exit 0 on success, 1 when the measurement
 *    could not be made (a count not reached), 2 on a usage or API error,
 *    3 when a time bound expired.
 */
#ifndef SAFD_BENCH_H
#define SAFD_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <saAis.h>

/* Message types that benchmark payloads carry (SaMsgMessageT.type, or the
 * first word of a raw payload). */
#define BENCH_TYPE_DATA 1u
#define BENCH_TYPE_END 2u	/* the last message: its payload says how many came before */

int64_t bench_mono_ns(void);
int64_t bench_real_ns(void);
void bench_sleep_us(long us);

/* Options: argv[first..argc) as "--name value" pairs, "--flag" alone for
 * booleans. */
struct bench_opts {
	int argc;
	char **argv;
	const char *prog;
};

void bench_opts_init(struct bench_opts *o, const char *prog, int argc, char **argv, int first);
const char *bench_opt_str(const struct bench_opts *o, const char *name, const char *dflt);
long long bench_opt_ll(const struct bench_opts *o, const char *name, long long dflt);
double bench_opt_double(const struct bench_opts *o, const char *name, double dflt);
bool bench_opt_flag(const struct bench_opts *o, const char *name);

void bench_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* Latency samples (ns), kept in a growing array. */
struct bench_samples {
	int64_t *v;
	size_t n, cap;
};

void bench_samples_add(struct bench_samples *s, int64_t ns);
/* Sorts the samples; the p-th percentile (0 < p <= 100, nearest rank) in
 * ns, 0 without samples. */
int64_t bench_samples_pct(struct bench_samples *s, double p);
double bench_samples_mean(const struct bench_samples *s);
void bench_samples_free(struct bench_samples *s);
/* Prints " p50_us=... p99_us=... p999_us=... max_us=... mean_us=... samples=N". */
void bench_samples_print_us(struct bench_samples *s);

/* Creates (or truncates) `path`: a readiness mark another process polls. */
void bench_touch(const char *path);

/* What the benchmark component (bench_comp) answers to the probe of
 * bench_amf: the realtime (ns) at which it, the new active, had returned
 * from its CSI set callback, had the queue open, and took the probe. */
struct bench_amf_reply {
	int64_t csi_ns;
	int64_t open_ns;
	int64_t recv_ns;
	int64_t start_ns;	/* when the process started */
	int64_t reg_ns;		/* when saAmfComponentRegister returned */
	uint32_t pid;
	uint32_t node;
	uint64_t trial;		/* echoed from the probe */
	uint32_t open_tries;	/* saMsgQueueOpen calls (BUSY: the old opener not closed yet) */
	uint32_t reserved;
};

/* SaNameT from a C string (exits 2 if longer than SA_MAX_NAME_LENGTH). */
void bench_name(SaNameT *name, const char *s);

#endif
