/*
 * msg_tool: a Message Service client for the cluster tests
 * (tests/cluster/msg-*.sh).  Every command prints one result line
 * "<command>: key=value ..." on stdout, so scripts can read it with
 * `sed`/`grep`; diagnostics go to stderr.  Every wait is bounded.
 *
 *   msg_tool create QUEUE [--persistent] [--retention MS] [--area BYTES]
 *	Creates QUEUE (CREATE, all four areas BYTES, default 16 MiB) and closes it.
 *   msg_tool send QUEUE COUNT [--from K] [--prio P] [--size B] [--timeout MS]
 *		[--deadline S] [--acked FILE] [--no-retry]
 *	Sends messages numbered K..K+COUNT-1 (payload "seq=<n>", padded to B
 *	bytes) synchronously, in order.  A send that fails with TRY_AGAIN,
 *	TIMEOUT or QUEUE_FULL is retried (backoff 5..100 ms) until the
 *	deadline (default 90 s); with --no-retry each is tried once.  --acked
 *	appends the number of every acknowledged message to FILE as soon as
 *	the send returns SA_AIS_OK.  A message one of whose sends returned
 *	TIMEOUT or LIBRARY (unknown whether stored) is named on stderr:
 *	"message N: in doubt (error=E)".  Exit 0 when all were sent.
 *   msg_tool recv QUEUE --count N [--persistent | --retention MS] [--area B]
 *		[--no-create] [--log FILE] [--timeout S] [--open-timeout S]
 *		[--crash-after M] [--pause-after M --pause-file F] [--drain MS]
 *	Opens QUEUE (CREATE unless --no-create; retries BUSY, TRY_AGAIN,
 *	TIMEOUT until the open timeout, default 30 s) and reads numbered
 *	messages until N distinct numbers have been seen, counting those
 *	already in the log FILE (so a restarted receiver resumes).  Each
 *	message is appended to FILE (one write per message) before the next
 *	Get.  --crash-after M: after logging its M-th message this process
 *	kills itself with SIGKILL (no close, no finalize): a crash at a point
 *	where no message is in flight.  --pause-after M: after M messages it
 *	stops reading, creates F and waits to be killed.  --drain MS: once N
 *	are seen, keep reading until the queue stays empty for MS.
 *   msg_tool tally LOG [--from K --count N] [--acked FILE]... [--forbid K-L]
 *	Judges a receiver log: the expected numbers are K..K+N-1 plus every
 *	number in the acked files; prints received, distinct, duplicates,
 *	missing (expected, never received), reordered (a number first seen
 *	after a higher one), forbidden (seen but in the forbidden range) and
 *	unexpected (seen, neither expected nor forbidden).  Exit 1 if anything
 *	is missing or forbidden.
 *   msg_tool status QUEUE [--wait-init S]
 *	Prints the queue's status (exists, creationFlags, retention, closeTime,
 *	sizes, used, messages per area); retries saMsgInitialize and TRY_AGAIN
 *	for S seconds (default 10), so it can wait for a starting safd.
 *   msg_tool unlink QUEUE
 *   msg_tool group GROUP create rr|lrr|lbq|bcast | insert QUEUE | members
 *	members prints the policy and the sorted member names.
 *
 * Exit status: 0 success, 1 the expected result was not reached, 2 an
 * unexpected error (printed), 3 a time bound expired.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <saMsg.h>

#define MAX_SEQ (1u << 24)
#define BUF_SIZE (1024 * 1024 + 64)

static const char *cmd = "msg_tool";

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "msg_tool %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wall clock, comparable with the harness's harness_now_ms. */
static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void set_name(SaNameT *n, const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > SA_MAX_NAME_LENGTH)
		die(2, "bad name '%s'", s);
	memset(n, 0, sizeof(*n));
	memcpy(n->value, s, len);
	n->length = (SaUint16T)len;
}

static long num_arg(const char *opt, const char *v)
{
	char *end;
	long x;

	if (v == NULL)
		die(2, "%s needs a value", opt);
	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || *end || x < 0)
		die(2, "bad value for %s: '%s'", opt, v);
	return x;
}

/* The value of option argv[*i]; advances *i. */
static const char *str_arg(char **argv, int argc, int *i)
{
	if (*i + 1 >= argc || argv[*i + 1] == NULL)
		die(2, "%s needs a value", argv[*i]);
	return argv[++*i];
}

/* saMsgInitialize, retrying TRY_AGAIN (safd starting or not yet synced). */
static SaMsgHandleT init_handle(const SaMsgCallbacksT *cb, int wait_s)
{
	int64_t deadline = mono_ms() + (int64_t)wait_s * 1000;
	SaMsgHandleT h;
	SaAisErrorT e;

	for (;;) {
		SaVersionT v = { 'B', 3, 0 };

		e = saMsgInitialize(&h, cb, &v);
		if (e == SA_AIS_OK)
			return h;
		if (e != SA_AIS_ERR_TRY_AGAIN || mono_ms() >= deadline)
			die(e == SA_AIS_ERR_TRY_AGAIN ? 3 : 2, "saMsgInitialize: error=%d", e);
		sleep_ms(20);
	}
}

static void attrs_init(SaMsgQueueCreationAttributesT *a, bool persistent, long retention_ms,
		       long area)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->creationFlags = persistent ? SA_MSG_QUEUE_PERSISTENT : 0;
	for (i = 0; i < 4; i++)
		a->size[i] = (SaSizeT)area;
	a->retentionTime = (SaTimeT)retention_ms * SA_TIME_ONE_MILLISECOND;
}

/* --- a set of sequence numbers ---------------------------------------- */

static uint8_t *seen_bits;

static bool seen_test_set(uint32_t seq)
{
	bool was;

	if (seen_bits == NULL && (seen_bits = calloc(MAX_SEQ / 8, 1)) == NULL)
		die(2, "out of memory");
	was = seen_bits[seq / 8] & (1u << (seq % 8));
	seen_bits[seq / 8] |= (uint8_t)(1u << (seq % 8));
	return was;
}

static bool seen_test(uint32_t seq)
{
	return seen_bits != NULL && (seen_bits[seq / 8] & (1u << (seq % 8)));
}

/* Reads a file of numbers, one a line; calls fn for each. */
static long read_numbers(const char *path, void (*fn)(uint32_t, void *), void *arg, bool must)
{
	FILE *f = fopen(path, "r");
	unsigned long x;
	long n = 0;

	if (f == NULL) {
		if (must)
			die(2, "cannot read %s: %s", path, strerror(errno));
		return 0;
	}
	while (fscanf(f, "%lu", &x) == 1) {
		if (x >= MAX_SEQ)
			die(2, "%s: number %lu out of range", path, x);
		fn((uint32_t)x, arg);
		n++;
	}
	fclose(f);
	return n;
}

/* --- create, unlink, status, group ------------------------------------- */

static int cmd_create(int argc, char **argv)
{
	SaMsgQueueCreationAttributesT a;
	bool persistent = false;
	long retention = 0, area = 16 * 1024 * 1024;
	SaMsgQueueHandleT q;
	SaMsgHandleT h;
	SaNameT n;
	SaAisErrorT e;
	int i;

	if (argc < 1)
		die(2, "usage: create QUEUE [--persistent] [--retention MS] [--area BYTES]");
	set_name(&n, argv[0]);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--persistent"))
			persistent = true;
		else if (!strcmp(argv[i], "--retention"))
			retention = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--area"))
			area = num_arg(argv[i], argv[i + 1]), i++;
		else
			die(2, "unknown option %s", argv[i]);
	}
	attrs_init(&a, persistent, retention, area);
	h = init_handle(NULL, 10);
	e = saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_CREATE, 10 * SA_TIME_ONE_SECOND, &q);
	if (e != SA_AIS_OK)
		die(2, "saMsgQueueOpen(%s): error=%d", argv[0], e);
	e = saMsgQueueClose(q);
	if (e != SA_AIS_OK)
		die(2, "saMsgQueueClose: error=%d", e);
	saMsgFinalize(h);
	printf("create: ok queue=%s\n", argv[0]);
	return 0;
}

static int cmd_unlink(int argc, char **argv)
{
	SaMsgHandleT h;
	SaNameT n;
	SaAisErrorT e;

	if (argc != 1)
		die(2, "usage: unlink QUEUE");
	set_name(&n, argv[0]);
	h = init_handle(NULL, 10);
	e = saMsgQueueUnlink(h, &n);
	saMsgFinalize(h);
	printf("unlink: error=%d\n", e);
	return e == SA_AIS_OK ? 0 : 1;
}

static int cmd_status(int argc, char **argv)
{
	SaMsgQueueStatusT st;
	int wait_s = 10, i;
	int64_t deadline;
	SaMsgHandleT h;
	SaAisErrorT e;
	SaNameT n;

	if (argc < 1)
		die(2, "usage: status QUEUE [--wait-init S]");
	set_name(&n, argv[0]);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--wait-init"))
			wait_s = (int)num_arg(argv[i], argv[i + 1]), i++;
		else
			die(2, "unknown option %s", argv[i]);
	}
	h = init_handle(NULL, wait_s);
	deadline = mono_ms() + (int64_t)wait_s * 1000;
	while ((e = saMsgQueueStatusGet(h, &n, &st)) == SA_AIS_ERR_TRY_AGAIN &&
	       mono_ms() < deadline)
		sleep_ms(20);
	saMsgFinalize(h);
	if (e == SA_AIS_ERR_NOT_EXIST) {
		printf("status: exists=0\n");
		return 0;
	}
	if (e != SA_AIS_OK) {
		printf("status: error=%d\n", e);
		return 2;
	}
	printf("status: exists=1 flags=%u retention=%lld close_time=%lld "
	       "size=%llu,%llu,%llu,%llu used=%llu,%llu,%llu,%llu msgs=%u,%u,%u,%u\n",
	       st.creationFlags, (long long)st.retentionTime, (long long)st.closeTime,
	       (unsigned long long)st.saMsgQueueUsage[0].queueSize,
	       (unsigned long long)st.saMsgQueueUsage[1].queueSize,
	       (unsigned long long)st.saMsgQueueUsage[2].queueSize,
	       (unsigned long long)st.saMsgQueueUsage[3].queueSize,
	       (unsigned long long)st.saMsgQueueUsage[0].queueUsed,
	       (unsigned long long)st.saMsgQueueUsage[1].queueUsed,
	       (unsigned long long)st.saMsgQueueUsage[2].queueUsed,
	       (unsigned long long)st.saMsgQueueUsage[3].queueUsed,
	       st.saMsgQueueUsage[0].numberOfMessages, st.saMsgQueueUsage[1].numberOfMessages,
	       st.saMsgQueueUsage[2].numberOfMessages, st.saMsgQueueUsage[3].numberOfMessages);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	const SaNameT *x = a, *y = b;
	int c = memcmp(x->value, y->value, x->length < y->length ? x->length : y->length);

	return c ? c : (int)x->length - (int)y->length;
}

static int cmd_group(int argc, char **argv)
{
	static const char *const policies[] = { "", "rr", "lrr", "lbq", "bcast" };
	SaMsgHandleT h;
	SaNameT g, q;
	SaAisErrorT e;
	int p;

	if (argc < 2)
		die(2, "usage: group GROUP create POLICY | insert QUEUE | members");
	set_name(&g, argv[0]);
	h = init_handle(NULL, 10);
	if (!strcmp(argv[1], "create") && argc == 3) {
		for (p = 1; p <= 4; p++)
			if (!strcmp(argv[2], policies[p]))
				break;
		if (p > 4)
			die(2, "unknown policy %s", argv[2]);
		e = saMsgQueueGroupCreate(h, &g, (SaMsgQueueGroupPolicyT)p);
		printf("group: create error=%d\n", e);
	} else if (!strcmp(argv[1], "insert") && argc == 3) {
		set_name(&q, argv[2]);
		e = saMsgQueueGroupInsert(h, &g, &q);
		printf("group: insert error=%d\n", e);
	} else if (!strcmp(argv[1], "members") && argc == 2) {
		SaMsgQueueGroupNotificationBufferT b = { 0, NULL, 0 };
		SaNameT *names;
		SaUint32T i;

		e = saMsgQueueGroupTrack(h, &g, SA_TRACK_CURRENT, &b);
		if (e != SA_AIS_OK) {
			printf("group: members error=%d\n", e);
		} else {
			names = calloc(b.numberOfItems + 1, sizeof(*names));
			if (names == NULL)
				die(2, "out of memory");
			for (i = 0; i < b.numberOfItems; i++)
				names[i] = b.notification[i].member.queueName;
			qsort(names, b.numberOfItems, sizeof(*names), cmp_names);
			printf("group: policy=%d count=%u members=", b.queueGroupPolicy,
			       b.numberOfItems);
			for (i = 0; i < b.numberOfItems; i++)
				printf("%s%.*s", i ? "," : "", names[i].length,
				       (const char *)names[i].value);
			printf("\n");
			free(names);
			saMsgQueueGroupNotificationFree(h, b.notification);
		}
	} else {
		die(2, "usage: group GROUP create POLICY | insert QUEUE | members");
	}
	saMsgFinalize(h);
	return e == SA_AIS_OK ? 0 : 1;
}

/* --- send ------------------------------------------------------------- */

static int cmd_send(int argc, char **argv)
{
	long count, from = 1, prio = 0, size = 32, timeout_ms = 10000, deadline_s = 90;
	bool retry = true;
	const char *acked = NULL;
	long sent = 0, failed = 0, try_again = 0, timeouts = 0, full = 0;
	int64_t t0, deadline, max_stall = 0;
	SaAisErrorT last_error = 0;
	int acked_fd = -1, i;
	SaMsgHandleT h;
	SaNameT n;
	char *buf;
	long seq;

	if (argc < 2)
		die(2, "usage: send QUEUE COUNT [options]");
	set_name(&n, argv[0]);
	count = num_arg("COUNT", argv[1]);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--from"))
			from = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--prio"))
			prio = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--size"))
			size = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--timeout"))
			timeout_ms = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--deadline"))
			deadline_s = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--acked"))
			acked = str_arg(argv, argc, &i);
		else if (!strcmp(argv[i], "--no-retry"))
			retry = false;
		else
			die(2, "unknown option %s", argv[i]);
	}
	if (size < 16 || size > 1024 * 1024 || prio > 3 || from + count > (long)MAX_SEQ)
		die(2, "bad --size, --prio or range");
	buf = malloc((size_t)size);
	if (buf == NULL)
		die(2, "out of memory");
	if (acked != NULL) {
		acked_fd = open(acked, O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (acked_fd < 0)
			die(2, "cannot open %s: %s", acked, strerror(errno));
	}
	h = init_handle(NULL, 10);
	t0 = mono_ms();
	deadline = t0 + deadline_s * 1000;
	for (seq = from; seq < from + count; seq++) {
		SaMsgMessageT m;
		int backoff = 5;
		int64_t start = mono_ms();
		SaAisErrorT e;

		memset(buf, '.', (size_t)size);
		snprintf(buf, (size_t)size, "seq=%ld", seq);
		memset(&m, 0, sizeof(m));
		m.data = buf;
		m.size = (SaSizeT)size;
		m.priority = (SaUint8T)prio;
		bool in_doubt = false;

		for (;;) {
			e = saMsgMessageSend(h, &n, &m, timeout_ms * SA_TIME_ONE_MILLISECOND);
			if (e == SA_AIS_OK)
				break;
			last_error = e;
			if ((e == SA_AIS_ERR_TIMEOUT || e == SA_AIS_ERR_LIBRARY) && !in_doubt) {
				/* it may have been stored: a retry may duplicate it */
				fprintf(stderr, "msg_tool send: message %ld: in doubt (error=%d)\n",
					seq, e);
				in_doubt = true;
			}
			if (e == SA_AIS_ERR_TRY_AGAIN)
				try_again++;
			else if (e == SA_AIS_ERR_TIMEOUT)
				timeouts++;
			else if (e == SA_AIS_ERR_QUEUE_FULL)
				full++;
			else
				break;	/* not retried */
			if (!retry || mono_ms() >= deadline)
				break;
			sleep_ms(backoff);
			if (backoff < 100)
				backoff *= 2;
		}
		if (mono_ms() - start > max_stall)
			max_stall = mono_ms() - start;
		if (e == SA_AIS_OK) {
			sent++;
			if (acked_fd >= 0) {
				char line[24];
				int len = snprintf(line, sizeof(line), "%ld\n", seq);

				if (write(acked_fd, line, (size_t)len) != len)
					die(2, "write %s: %s", acked, strerror(errno));
			}
			continue;
		}
		failed++;
		if (retry) {
			fprintf(stderr, "msg_tool send: message %ld: error=%d, giving up\n", seq, e);
			break;
		}
	}
	printf("send: sent=%ld failed=%ld try_again=%ld timeouts=%ld full=%ld last_error=%d "
	       "ms=%lld max_stall_ms=%lld\n", sent, failed, try_again, timeouts, full,
	       last_error, (long long)(mono_ms() - t0), (long long)max_stall);
	saMsgFinalize(h);
	free(buf);
	if (acked_fd >= 0)
		close(acked_fd);
	return sent == count ? 0 : (mono_ms() >= deadline ? 3 : 1);
}

/* --- recv ------------------------------------------------------------- */

static void mark_seen(uint32_t seq, void *arg)
{
	long *distinct = arg;

	if (!seen_test_set(seq))
		(*distinct)++;
}

static int cmd_recv(int argc, char **argv)
{
	long count = -1, retention = 0, area = 16 * 1024 * 1024, timeout_s = 60, open_s = 30;
	long crash_after = 0, pause_after = 0, drain_ms = 0;
	bool persistent = false, create = true;
	const char *log = NULL, *pause_file = NULL;
	long received = 0, dups = 0, distinct = 0, before = 0, busy = 0;
	int64_t t_end, opened_ms = 0, first_ms = 0, last_ms = 0;
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueHandleT q;
	SaMsgHandleT h;
	SaAisErrorT e;
	int log_fd = -1, i;
	SaNameT n;
	char *buf;

	if (argc < 1)
		die(2, "usage: recv QUEUE --count N [options]");
	set_name(&n, argv[0]);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count"))
			count = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--persistent"))
			persistent = true;
		else if (!strcmp(argv[i], "--retention"))
			retention = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--area"))
			area = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--no-create"))
			create = false;
		else if (!strcmp(argv[i], "--log"))
			log = str_arg(argv, argc, &i);
		else if (!strcmp(argv[i], "--timeout"))
			timeout_s = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--open-timeout"))
			open_s = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--crash-after"))
			crash_after = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--pause-after"))
			pause_after = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--pause-file"))
			pause_file = str_arg(argv, argc, &i);
		else if (!strcmp(argv[i], "--drain"))
			drain_ms = num_arg(argv[i], argv[i + 1]), i++;
		else
			die(2, "unknown option %s", argv[i]);
	}
	if (count < 0 || (pause_after && pause_file == NULL))
		die(2, "usage: recv QUEUE --count N [options] (--pause-after needs --pause-file)");
	buf = malloc(BUF_SIZE);
	if (buf == NULL)
		die(2, "out of memory");
	if (log != NULL) {
		before = read_numbers(log, mark_seen, &distinct, false);
		log_fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (log_fd < 0)
			die(2, "cannot open %s: %s", log, strerror(errno));
	}
	t_end = mono_ms() + timeout_s * 1000;
	h = init_handle(NULL, (int)open_s);

	attrs_init(&a, persistent, retention, area);
	{
		int64_t open_end = mono_ms() + open_s * 1000;

		for (;;) {
			e = saMsgQueueOpen(h, &n, create ? &a : NULL,
					   create ? SA_MSG_QUEUE_CREATE : 0,
					   5 * SA_TIME_ONE_SECOND, &q);
			if (e == SA_AIS_OK)
				break;
			if (e != SA_AIS_ERR_BUSY && e != SA_AIS_ERR_TRY_AGAIN &&
			    e != SA_AIS_ERR_TIMEOUT)
				die(2, "saMsgQueueOpen(%s): error=%d", argv[0], e);
			busy++;
			if (mono_ms() >= open_end)
				die(3, "saMsgQueueOpen(%s): still error=%d after %ld s", argv[0], e,
				    open_s);
			sleep_ms(10);
		}
	}
	opened_ms = wall_ms();
	printf("recv: opened opened_ms=%lld retries=%ld already=%ld logged_before=%ld\n",
	       (long long)opened_ms, busy, distinct, before);
	fflush(stdout);

	for (;;) {
		SaMsgMessageT m;
		SaMsgSenderIdT sid;
		unsigned long seq;
		int64_t now = mono_ms();
		bool draining = distinct >= count;

		if (draining && drain_ms == 0)
			break;
		if (now >= t_end)
			break;
		memset(&m, 0, sizeof(m));
		m.data = buf;
		m.size = BUF_SIZE - 1;
		e = saMsgMessageGet(q, &m, NULL, &sid,
				    (draining ? drain_ms : 1000) * SA_TIME_ONE_MILLISECOND);
		if (e == SA_AIS_ERR_TIMEOUT) {
			if (draining)
				break;
			continue;
		}
		if (e == SA_AIS_ERR_TRY_AGAIN) {
			sleep_ms(10);
			continue;
		}
		if (e != SA_AIS_OK)
			die(2, "saMsgMessageGet: error=%d after %ld messages", e, received);
		buf[m.size < BUF_SIZE ? m.size : BUF_SIZE - 1] = '\0';
		if (sscanf(buf, "seq=%lu", &seq) != 1 || seq >= MAX_SEQ)
			die(2, "message without a number: '%.40s'", buf);
		if (log_fd >= 0) {
			char line[24];
			int len = snprintf(line, sizeof(line), "%lu\n", seq);

			if (write(log_fd, line, (size_t)len) != len)
				die(2, "write %s: %s", log, strerror(errno));
		}
		received++;
		last_ms = wall_ms();
		if (first_ms == 0)
			first_ms = last_ms;
		if (seen_test_set((uint32_t)seq))
			dups++;
		else
			distinct++;
		if (crash_after && received == crash_after) {
			printf("recv: crashing after=%ld crash_ms=%lld\n", received,
			       (long long)wall_ms());
			fflush(stdout);
			kill(getpid(), SIGKILL);
		}
		if (pause_after && received == pause_after) {
			int fd = open(pause_file, O_WRONLY | O_CREAT, 0644);

			if (fd >= 0)
				close(fd);
			printf("recv: paused after=%ld pause_ms=%lld\n", received,
			       (long long)wall_ms());
			fflush(stdout);
			/* wait to be killed, bounded by the timeout */
			while (mono_ms() < t_end)
				sleep_ms(100);
			die(3, "paused receiver was not killed within the timeout");
		}
	}
	printf("recv: received=%ld duplicates=%ld distinct=%ld count=%ld missing=%ld "
	       "logged_before=%ld opened_ms=%lld first_ms=%lld last_ms=%lld\n", received, dups,
	       distinct, count, distinct >= count ? 0 : count - distinct, before,
	       (long long)opened_ms, (long long)first_ms, (long long)last_ms);
	saMsgQueueClose(q);
	saMsgFinalize(h);
	free(buf);
	if (log_fd >= 0)
		close(log_fd);
	return distinct >= count ? 0 : 3;
}

/* --- tally ------------------------------------------------------------ */

static uint8_t *expected_bits;
static long expected_n;

static void mark_expected(uint32_t seq, void *arg)
{
	if (!(expected_bits[seq / 8] & (1u << (seq % 8)))) {
		expected_bits[seq / 8] |= (uint8_t)(1u << (seq % 8));
		expected_n++;
	}
}

struct log_scan {
	long received, distinct, dups, reordered;
	long forbidden, unexpected;
	uint32_t max_first;
	unsigned long forbid_lo, forbid_hi;
};

static void scan_log(uint32_t seq, void *arg)
{
	struct log_scan *s = arg;

	s->received++;
	if (seen_test_set(seq)) {
		s->dups++;
		return;
	}
	s->distinct++;
	if (s->distinct > 1 && seq < s->max_first)
		s->reordered++;
	if (seq > s->max_first)
		s->max_first = seq;
	if (s->forbid_hi && seq >= s->forbid_lo && seq <= s->forbid_hi)
		s->forbidden++;
	else if (!(expected_bits[seq / 8] & (1u << (seq % 8))))
		s->unexpected++;
}

static int cmd_tally(int argc, char **argv)
{
	struct log_scan s = { 0 };
	long from = 1, count = 0, missing = 0, shown = 0;
	char missing_list[256] = "";
	uint32_t seq;
	int i;

	if (argc < 1)
		die(2, "usage: tally LOG [--from K --count N] [--acked FILE]... [--forbid K-L]");
	expected_bits = calloc(MAX_SEQ / 8, 1);
	if (expected_bits == NULL)
		die(2, "out of memory");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--from"))
			from = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--count"))
			count = num_arg(argv[i], argv[i + 1]), i++;
		else if (!strcmp(argv[i], "--acked"))
			read_numbers(str_arg(argv, argc, &i), mark_expected, NULL, true);
		else if (!strcmp(argv[i], "--forbid")) {
			if (sscanf(str_arg(argv, argc, &i), "%lu-%lu", &s.forbid_lo,
				   &s.forbid_hi) != 2)
				die(2, "bad --forbid %s", argv[i]);
		} else
			die(2, "unknown option %s", argv[i]);
	}
	if (from + count > (long)MAX_SEQ)
		die(2, "range too large");
	for (seq = (uint32_t)from; seq < (uint32_t)(from + count); seq++)
		mark_expected(seq, NULL);
	read_numbers(argv[0], scan_log, &s, false);
	for (seq = 0; seq < MAX_SEQ; seq++) {
		if ((expected_bits[seq / 8] & (1u << (seq % 8))) && !seen_test(seq)) {
			missing++;
			if (shown < 10) {
				size_t l = strlen(missing_list);

				snprintf(missing_list + l, sizeof(missing_list) - l, "%s%u",
					 shown ? "," : "", seq);
				shown++;
			}
		}
	}
	printf("tally: expected=%ld received=%ld distinct=%ld duplicates=%ld missing=%ld "
	       "reordered=%ld forbidden=%ld unexpected=%ld first_missing=%s\n", expected_n,
	       s.received, s.distinct, s.dups, missing, s.reordered, s.forbidden, s.unexpected,
	       missing ? missing_list : "-");
	free(expected_bits);
	free(seen_bits);
	return missing == 0 && s.forbidden == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "create", cmd_create }, { "send", cmd_send }, { "recv", cmd_recv },
		{ "tally", cmd_tally }, { "status", cmd_status }, { "unlink", cmd_unlink },
		{ "group", cmd_group },
	};
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: msg_tool create|send|recv|tally|status|unlink|group ...\n"
			"(see the comment at the top of tests/msg_tool.c)\n");
		return 2;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) == 0) {
			cmd = cmds[i].name;
			return cmds[i].fn(argc - 2, argv + 2);
		}
	}
	fprintf(stderr, "msg_tool: unknown command '%s'\n", argv[1]);
	return 2;
}
