/*
 * safd's log targets (services/log.c) with a target that takes nothing: a
 * FIFO whose reader does not read. Logging must not block the caller,
 * lines must come out in order once the reader reads, and a line that did
 * not fit in the queue must be counted in a "log lines dropped" line, so
 * that written + dropped = logged. Also: lines before the writer thread
 * starts are written at once, and safd_log_stop() returns even when the
 * target stays stuck.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <qb/qblog.h>

#include "../services/core.h"

#define LINES 100000	/* ~10 MB: more than the queue (4 MiB) and the pipe */

static char dir[] = "/tmp/check_log.XXXXXX";
static char fifo[sizeof(dir) + 16];
static int reader = -1;

/* A FIFO with a reader that does not read yet (non-blocking, so that the
 * writer's open does not wait and the test's reads have deadlines). */
static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/log", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	reader = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(reader, 0);
	qb_log_init("check_log", LOG_USER, LOG_INFO);
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
	ck_assert_int_eq(safd_log_open(fifo, false, false, LOG_INFO), 0);
}

static void teardown(void)
{
	close(reader);
	unlink(fifo);
	rmdir(dir);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what the FIFO holds into buf (up to cap) until `done` finds what it
 * waits for in it or 10 s pass; returns the bytes read. */
static size_t drain(char *buf, size_t cap, int (*done)(const char *, size_t))
{
	double deadline = now_s() + 10;
	size_t len = 0;
	ssize_t n;

	while (len < cap - 1 && now_s() < deadline) {
		n = read(reader, buf + len, cap - 1 - len);
		if (n > 0) {
			len += (size_t)n;
			buf[len] = '\0';
			if (done(buf, len))
				break;
		} else {
			usleep(1000);	/* the writer writes as we read */
		}
	}
	buf[len] = '\0';
	return len;
}

static int has_dropped_line(const char *buf, size_t len)
{
	return strstr(buf, "log lines dropped") != NULL;
}

static int has_two_lines(const char *buf, size_t len)
{
	return strstr(buf, "second") != NULL;
}

START_TEST(test_before_start)
{
	char buf[4096];

	qb_log(LOG_ERR, "first");
	qb_log(LOG_INFO, "second");
	qb_log(LOG_DEBUG, "below the level");
	drain(buf, sizeof(buf), has_two_lines);
	ck_assert_msg(strstr(buf, "first\n") != NULL, "no first line in \"%s\"", buf);
	ck_assert_msg(strstr(buf, "second\n") != NULL, "no second line in \"%s\"", buf);
	ck_assert_ptr_null(strstr(buf, "below the level"));
	ck_assert_ptr_nonnull(strstr(buf, "error [check_log] first"));
}
END_TEST

START_TEST(test_stalled_target)
{
	size_t cap = 16u << 20, len, written = 0;
	char *buf = malloc(cap), *p, *nl;
	unsigned long dropped = 0, next = 0, k;
	int i;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(safd_log_start(), 0);
	/* Nobody reads: without the writer thread this blocks at ~64 KiB. */
	for (i = 0; i < LINES; i++)
		qb_log(LOG_INFO, "line %d ........................................"
		       "....................", i);
	len = drain(buf, cap, has_dropped_line);
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		if (sscanf(p, "%*s %*s %*s %*s %*s line %lu", &k) == 1) {
			ck_assert_msg(k == next, "line %lu after line %lu", k, next);
			next++;
			written++;
		} else if (strstr(p, "log lines dropped") != NULL) {
			ck_assert_int_eq(sscanf(strstr(p, "safd: "), "safd: %lu", &k), 1);
			dropped += k;
		}
	}
	ck_assert_msg(dropped > 0, "nothing dropped: %zu lines written of %d (%zu bytes read)",
		      written, LINES, len);
	ck_assert_msg(written + dropped == LINES, "written %zu + dropped %lu != %d", written,
		      dropped, LINES);
	safd_log_stop();
	free(buf);
}
END_TEST

START_TEST(test_stop_while_stuck)
{
	double t0;
	int i;

	ck_assert_int_eq(safd_log_start(), 0);
	for (i = 0; i < 5000; i++)
		qb_log(LOG_INFO, "line %d ........................................", i);
	t0 = now_s();
	safd_log_stop();	/* gives up after 2 s; the test's timeout is 10 s */
	ck_assert_msg(now_s() - t0 < 8, "safd_log_stop took %.1f s", now_s() - t0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("targets");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_before_start);
	tcase_add_test(tc, test_stalled_target);
	tcase_add_test(tc, test_stop_while_stuck);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
