/*
 * Message queues: names, open (flags, attributes, EXIST, BUSY, NOT_EXIST,
 * INIT, async), close by retention policy (0: deleted with its messages; >0:
 * kept until expiry; persistent: until unlinked), reopen, unlink, retention
 * time, status and usage, thresholds, metadata size and limits, the death of
 * an opener (takeover), and 10,000 queues open at once.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <safd/ipc_msg.h>

#include "check_msg_common.h"

#define MS (SA_TIME_ONE_MILLISECOND)

/* --- names --------------------------------------------------------------- */

/* A name of exactly len bytes (len < 32), starting with this pid. */
static void short_name(SaNameT *n, size_t len)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "%ld-csa104msgqueue-abcdefghij", (long)getpid());
	ck_assert(len < strlen(tmp));
	memset(n, 0, sizeof(*n));
	memcpy(n->value, tmp, len);
	n->length = (SaUint16T)len;
}

/* Non-DN names of 1 to 256 bytes work for open, send, get, status, close. */
START_TEST(test_name_forms)
{
	static const size_t lengths[] = { 1, 14, 255, SA_MAX_NAME_LENGTH };
	SaMsgHandleT h = msgt_init(NULL, 3);
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		SaMsgQueueHandleT q;
		SaNameT n;

		if (lengths[i] < 32)
			short_name(&n, lengths[i]);
		else
			msgt_name_len(&n, lengths[i]);
		q = msgt_open(h, &n, 0, 0, 1024, 0);
		ck_assert_int_eq(msgt_send_str(h, &n, 0, "named"), SA_AIS_OK);
		ck_assert_uint_eq(msgt_count(h, &n), 1);
		msgt_get_str(q, buf, sizeof(buf));
		ck_assert_str_eq(buf, "named");
		ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
		ck_assert_msg(saMsgQueueStatusGet(h, &n, &(SaMsgQueueStatusT){ 0 }) ==
			      SA_AIS_ERR_NOT_EXIST,
			      "queue with a %zu-byte name not deleted at close", lengths[i]);
	}
	msgt_fini(h);
}
END_TEST

/* The first 256 bytes define the name: two names differing only in the
 * last byte are two queues, and a name is not cut at a NUL-less 256. */
START_TEST(test_name_256_distinct)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q1, q2;
	SaNameT a, b;
	char buf[64];

	msgt_name_len(&a, SA_MAX_NAME_LENGTH);
	b = a;
	b.value[SA_MAX_NAME_LENGTH - 1] = 'y';
	q1 = msgt_open(h, &a, 0, 0, 1024, 0);
	q2 = msgt_open(h, &b, 0, 0, 1024, 0);
	ck_assert_int_eq(msgt_send_str(h, &b, 0, "to-b"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &a), 0);
	ck_assert_uint_eq(msgt_count(h, &b), 1);
	msgt_get_str(q2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "to-b");
	ck_assert_int_eq(saMsgQueueClose(q1), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q2), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* --- open ---------------------------------------------------------------- */

START_TEST(test_open_bad_flags_and_attrs)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueHandleT q = 0;
	SaNameT n;

	msgt_name(&n, "badopen");
	msgt_attrs(&a, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, 0, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_EMPTY, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_CREATE | 0x8,
					SA_TIME_ONE_SECOND, &q), SA_AIS_ERR_BAD_FLAGS);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_CREATE | 0x80000000u,
					SA_TIME_ONE_SECOND, &q), SA_AIS_ERR_BAD_FLAGS);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, 0x10, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_BAD_FLAGS);
	a.creationFlags = 0x2;
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_BAD_FLAGS);
	/* none of these created the queue */
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &(SaMsgQueueStatusT){ 0 }),
			 SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h);
}
END_TEST

START_TEST(test_open_not_exist)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q = 0;
	SaNameT n;

	msgt_name(&n, "absent");
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, 0, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &(SaMsgQueueStatusT){ 0 }),
			 SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h);
}
END_TEST

static void received_cb(SaMsgQueueHandleT q)
{
}

static volatile int open_cb_calls;
static SaInvocationT open_cb_inv;
static SaMsgQueueHandleT open_cb_queue;
static SaAisErrorT open_cb_error;

static void open_cb(SaInvocationT inv, SaMsgQueueHandleT q, SaAisErrorT err)
{
	open_cb_inv = inv;
	open_cb_queue = q;
	open_cb_error = err;
	__atomic_add_fetch(&open_cb_calls, 1, __ATOMIC_SEQ_CST);
}

/* A callback the call needs was not registered: INIT, and nothing happens. */
START_TEST(test_open_init_errors)
{
	SaMsgCallbacksT none = { 0 };
	SaMsgCallbacksT rcv = { .saMsgMessageReceivedCallback = received_cb };
	SaMsgHandleT h0 = msgt_init(NULL, 3);
	SaMsgHandleT h1 = msgt_init(&none, 1);
	SaMsgHandleT h2 = msgt_init(&rcv, 3);
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueHandleT q = 0;
	SaNameT n;

	msgt_name(&n, "init");
	msgt_attrs(&a, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueOpen(h0, &n, &a,
					SA_MSG_QUEUE_CREATE | SA_MSG_QUEUE_RECEIVE_CALLBACK,
					SA_TIME_ONE_SECOND, &q), SA_AIS_ERR_INIT);
	ck_assert_int_eq(saMsgQueueOpen(h1, &n, &a,
					SA_MSG_QUEUE_CREATE | SA_MSG_QUEUE_RECEIVE_CALLBACK,
					SA_TIME_ONE_SECOND, &q), SA_AIS_ERR_INIT);
	ck_assert_int_eq(saMsgQueueOpenAsync(h0, 7, &n, &a, SA_MSG_QUEUE_CREATE),
			 SA_AIS_ERR_INIT);
	ck_assert_int_eq(saMsgQueueOpenAsync(h2, 7, &n, &a, SA_MSG_QUEUE_CREATE),
			 SA_AIS_ERR_INIT);
	ck_assert_int_eq(saMsgQueueStatusGet(h0, &n, &(SaMsgQueueStatusT){ 0 }),
			 SA_AIS_ERR_NOT_EXIST);
	/* with the callback it works */
	ck_assert_int_eq(saMsgQueueOpen(h2, &n, &a,
					SA_MSG_QUEUE_CREATE | SA_MSG_QUEUE_RECEIVE_CALLBACK,
					SA_TIME_ONE_SECOND, &q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h0);
	msgt_fini(h1);
	msgt_fini(h2);
}
END_TEST

START_TEST(test_open_async)
{
	SaMsgCallbacksT cb = { .saMsgQueueOpenCallback = open_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgHandleT h2 = msgt_init(&cb, 3);
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueHandleT q;
	SaNameT n;
	char buf[32];

	msgt_name(&n, "async");
	msgt_attrs(&a, SA_MSG_QUEUE_PERSISTENT | 0x100, 1024, 0);
	ck_assert_int_eq(saMsgQueueOpenAsync(h, 1, &n, &a, SA_MSG_QUEUE_CREATE),
			 SA_AIS_ERR_BAD_FLAGS);
	msgt_attrs(&a, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueOpenAsync(h, 1, &n, &a, SA_MSG_QUEUE_CREATE | 0x40),
			 SA_AIS_ERR_BAD_FLAGS);
	ck_assert_int_eq(saMsgQueueOpenAsync(h, 1, &n, NULL, SA_MSG_QUEUE_CREATE),
			 SA_AIS_ERR_INVALID_PARAM);
	open_cb_calls = 0;
	ck_assert_int_eq(saMsgQueueOpenAsync(h, 0x1234567890ULL, &n, &a, SA_MSG_QUEUE_CREATE),
			 SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(h, &open_cb_calls, 1, 5000), 1);
	ck_assert_int_eq(open_cb_error, SA_AIS_OK);
	ck_assert(open_cb_inv == 0x1234567890ULL);
	ck_assert(open_cb_queue != 0);
	q = open_cb_queue;
	/* the handle from the callback is a working queue handle */
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "async"), SA_AIS_OK);
	msgt_get_str(q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "async");

	/* a second asynchronous open: the error comes through the callback */
	ck_assert_int_eq(saMsgQueueOpenAsync(h2, 42, &n, NULL, 0), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(h2, &open_cb_calls, 2, 5000), 2);
	ck_assert(open_cb_inv == 42);
	ck_assert_int_eq(open_cb_error, SA_AIS_ERR_BUSY);

	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueOpenAsync(h2, 43, &n, NULL, 0), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(h2, &open_cb_calls, 3, 5000), 3);
	ck_assert(open_cb_inv == 43);
	ck_assert_int_eq(open_cb_error, SA_AIS_ERR_NOT_EXIST);
	/* no extra callback on the first handle */
	ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(open_cb_calls, 3);
	msgt_fini(h);
	msgt_fini(h2);
}
END_TEST

/* An existing queue is opened with CREATE only with the same creationFlags
 * and size[]; retentionTime does not count. */
START_TEST(test_open_existing_attrs)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueCreationAttributesT a, b;
	SaMsgQueueHandleT q = 0;
	SaNameT n;
	int p;

	msgt_name(&n, "exist");
	msgt_attrs(&a, SA_MSG_QUEUE_PERSISTENT, 1000, 0);
	a.size[1] = 2000;
	a.size[3] = 4000;
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);

	b = a;
	b.retentionTime = 5 * SA_TIME_ONE_SECOND;
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &b, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);

	for (p = 0; p <= SA_MSG_MESSAGE_LOWEST_PRIORITY; p++) {
		b = a;
		b.size[p] += 1;
		ck_assert_msg(saMsgQueueOpen(h, &n, &b, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND,
					     &q) == SA_AIS_ERR_EXIST,
			      "size[%d] differs but the open did not return EXIST", p);
	}
	b = a;
	b.creationFlags = 0;
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &b, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_EXIST);
	/* without CREATE the attributes do not matter */
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, 0, SA_TIME_ONE_SECOND, &q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h, &n), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* One opener at a time: the same handle, another handle, another process. */
START_TEST(test_open_busy)
{
	SaMsgHandleT h, h2;
	SaMsgQueueHandleT q, q2 = 0;
	SaNameT n;
	int fds[2];
	pid_t child;
	int status;
	SaAisErrorT child_err = 0;

	msgt_name(&n, "busy");
	/* fork before this process has a handle */
	ck_assert_int_eq(pipe(fds), 0);
	child = fork();
	ck_assert(child >= 0);
	if (child == 0) {
		SaVersionT v = { 'B', 3, 0 };
		SaMsgHandleT ch;
		SaMsgQueueHandleT cq;
		char go;
		SaAisErrorT e;

		close(fds[1]);
		if (read(fds[0], &go, 1) != 1)
			_exit(100);
		if (saMsgInitialize(&ch, NULL, &v) != SA_AIS_OK)
			_exit(101);
		e = saMsgQueueOpen(ch, &n, NULL, 0, SA_TIME_ONE_SECOND, &cq);
		_exit((int)e);
	}
	close(fds[0]);

	h = msgt_init(NULL, 3);
	h2 = msgt_init(NULL, 3);
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, 0, SA_TIME_ONE_SECOND, &q2),
			 SA_AIS_ERR_BUSY);
	ck_assert_int_eq(saMsgQueueOpen(h2, &n, NULL, 0, SA_TIME_ONE_SECOND, &q2),
			 SA_AIS_ERR_BUSY);
	{
		SaMsgQueueCreationAttributesT a;

		msgt_attrs(&a, 0, 1024, 0);
		ck_assert_int_eq(saMsgQueueOpen(h2, &n, &a, SA_MSG_QUEUE_CREATE,
						SA_TIME_ONE_SECOND, &q2), SA_AIS_ERR_BUSY);
	}
	ck_assert_int_eq(write(fds[1], "g", 1), 1);
	close(fds[1]);
	{
		int64_t deadline = msgt_now_ms() + 10000;
		pid_t r;

		while ((r = waitpid(child, &status, WNOHANG)) == 0 && msgt_now_ms() < deadline)
			msgt_sleep_ms(10);
		if (r == 0) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			ck_abort_msg("the child's open did not return within 10 s");
		}
	}
	ck_assert(WIFEXITED(status));
	child_err = (SaAisErrorT)WEXITSTATUS(status);
	ck_assert_msg(child_err == SA_AIS_ERR_BUSY,
		      "open from another process returned %d, expected BUSY", child_err);

	/* the opener still has it, undisturbed */
	ck_assert_int_eq(msgt_send_str(h2, &n, 0, "still mine"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n), 1);
	ck_assert_int_eq(saMsgQueueRetentionTimeSet(q, &(SaTimeT){ 10 * SA_TIME_ONE_SECOND }),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	/* after close the other handle gets it, with the message */
	ck_assert_int_eq(saMsgQueueOpen(h2, &n, NULL, 0, SA_TIME_ONE_SECOND, &q2), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h2, &n), 1);
	ck_assert_int_eq(saMsgQueueUnlink(h2, &n), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q2), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(h2);
}
END_TEST

/* --- close, retention, persistence, unlink ------------------------------ */

START_TEST(test_close_retention_zero)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaNameT n;

	msgt_name(&n, "ret0");
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "one"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &n, 3, "two"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n), 2);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	/* deleted at once, with its messages: no polling allowed here */
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &(SaMsgQueueStatusT){ 0 }),
			 SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "late"), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, 0, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_NOT_EXIST);
	/* a new queue of that name starts empty */
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	ck_assert_uint_eq(msgt_count(h, &n), 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_close_retention_expiry)
{
	const int retention_ms = 600;
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	int64_t t0, gone, now_ns;
	SaNameT n;

	msgt_name(&n, "retexp");
	q = msgt_open(h, &n, 0, 0, 1024, retention_ms * MS);
	ck_assert_int_eq(msgt_send_str(h, &n, 1, "kept"), SA_AIS_OK);
	memset(&st, 0xff, sizeof(st));
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert_int_eq(st.closeTime, 0);
	ck_assert_int_eq(st.retentionTime, retention_ms * MS);

	t0 = msgt_now_ms();
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	now_ns = msgt_realtime_ns();
	ck_assert_msg(st.closeTime != 0, "closeTime is 0 after close");
	ck_assert_msg(st.closeTime > now_ns - 5 * SA_TIME_ONE_SECOND &&
		      st.closeTime < now_ns + 5 * SA_TIME_ONE_SECOND,
		      "closeTime %lld is not an absolute time near now (%lld)",
		      (long long)st.closeTime, (long long)now_ns);
	ck_assert_uint_eq(st.saMsgQueueUsage[1].numberOfMessages, 1);
	/* a closed queue takes messages */
	ck_assert_int_eq(msgt_send_str(h, &n, 2, "while closed"), SA_AIS_OK);

	ck_assert_msg(msgt_wait_status(h, &n, SA_AIS_ERR_NOT_EXIST, retention_ms + 10000),
		      "queue with retention %d ms still exists after %d ms", retention_ms,
		      retention_ms + 10000);
	gone = msgt_now_ms();
	fprintf(stderr, "retention %d ms: queue gone %lld ms after close\n", retention_ms,
		(long long)(gone - t0));
	ck_assert_msg(gone - t0 >= retention_ms - 20,
		      "deleted %lld ms after close, before its retention of %d ms",
		      (long long)(gone - t0), retention_ms);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "too late"), SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h);
}
END_TEST

START_TEST(test_reopen_keeps_messages)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaNameT n;
	char buf[32];

	msgt_name(&n, "reopen");
	q = msgt_open(h, &n, 0, 0, 1024, 30 * SA_TIME_ONE_SECOND);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "a"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "b"), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "c"), SA_AIS_OK);

	/* reopen (with CREATE and other retention: same queue) keeps them */
	q = msgt_open(h, &n, 0, 0, 1024, 1 * SA_TIME_ONE_SECOND);
	memset(&st, 0xff, sizeof(st));
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert_msg(st.closeTime == 0, "closeTime %lld after reopen", (long long)st.closeTime);
	ck_assert_int_eq(st.retentionTime, 30 * SA_TIME_ONE_SECOND);
	msgt_get_str(q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a");
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);

	/* the retention timer of the first close was cancelled by the reopen,
	 * and this close started a new one: still there */
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, 0, SA_TIME_ONE_SECOND, &q), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n), 2);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);

	/* SA_MSG_QUEUE_EMPTY drops them */
	ck_assert_int_eq(saMsgQueueOpen(h, &n, NULL, SA_MSG_QUEUE_EMPTY, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n), 0);
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0), SA_AIS_ERR_TIMEOUT);
	ck_assert_int_eq(saMsgQueueUnlink(h, &n), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h);
}
END_TEST

START_TEST(test_persistent_until_unlink)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaNameT n;

	msgt_name(&n, "persist");
	/* the retention time of a persistent queue plays no role */
	q = msgt_open(h, &n, 0, SA_MSG_QUEUE_PERSISTENT, 1024, 100 * MS);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "p"), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueRetentionTimeSet(q, &(SaTimeT){ 0 }), SA_AIS_ERR_BAD_OPERATION);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert(st.creationFlags == SA_MSG_QUEUE_PERSISTENT);
	ck_assert(st.closeTime != 0);
	ck_assert_msg(msgt_stays_existing(h, &n, 1000),
		      "persistent queue vanished after close");
	ck_assert_uint_eq(msgt_count(h, &n), 1);
	ck_assert_int_eq(saMsgQueueUnlink(h, &n), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "gone"), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueUnlink(h, &n), SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h);
}
END_TEST

/* Unlink frees the name at once, even while the queue is open; the old
 * instance lives on for its opener until it closes. */
START_TEST(test_unlink_open_queue)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT h2 = msgt_init(NULL, 3);
	SaMsgQueueHandleT q_old, q_new;
	SaMsgQueueStatusT st;
	SaNameT n;
	char buf[32];

	msgt_name(&n, "unlink");
	q_old = msgt_open(h, &n, 0, SA_MSG_QUEUE_PERSISTENT, 1024, 0);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "old"), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h2, &n), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h2, &n, &st), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(msgt_send_str(h2, &n, 0, "nobody"), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueRetentionTimeSet(q_old, &(SaTimeT){ SA_TIME_ONE_SECOND }),
			 SA_AIS_ERR_BAD_OPERATION);

	/* a new queue with the same name, while the old one is open */
	q_new = msgt_open(h2, &n, 0, 0, 1024, 0);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "new"), SA_AIS_OK);
	msgt_get_str(q_old, buf, sizeof(buf));
	ck_assert_str_eq(buf, "old");
	ck_assert_int_eq(msgt_get(q_old, buf, sizeof(buf), NULL, NULL, NULL, 0),
			 SA_AIS_ERR_TIMEOUT);
	msgt_get_str(q_new, buf, sizeof(buf));
	ck_assert_str_eq(buf, "new");
	ck_assert_int_eq(saMsgQueueClose(q_old), SA_AIS_OK);
	/* closing the unlinked instance does not touch the new one */
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q_new), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h);
	msgt_fini(h2);
}
END_TEST

START_TEST(test_retention_time_set)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaNameT n;

	msgt_name(&n, "retset");
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueRetentionTimeSet(q, &(SaTimeT){ 400 * MS }), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert_int_eq(st.retentionTime, 400 * MS);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "x"), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	/* not deleted at close any more */
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert(st.closeTime != 0);
	ck_assert_uint_eq(st.saMsgQueueUsage[0].numberOfMessages, 1);
	ck_assert_msg(msgt_wait_status(h, &n, SA_AIS_ERR_NOT_EXIST, 10000),
		      "queue not deleted 10 s after close with retention 400 ms");
	msgt_fini(h);
}
END_TEST

START_TEST(test_status_usage)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaUint32T meta = 0;
	char data[300];
	SaNameT n;
	int p;

	ck_assert_int_eq(saMsgMetadataSizeGet(h, &meta), SA_AIS_OK);
	msgt_name(&n, "status");
	msgt_attrs(&a, 0, 0, 7 * SA_TIME_ONE_SECOND);
	a.size[0] = 1000;
	a.size[1] = 2000;
	a.size[2] = 3000;
	a.size[3] = 4000;
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_OK);
	memset(data, 'u', sizeof(data));
	ck_assert_int_eq(msgt_send(h, &n, 1, data, 100), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 1, data, 200), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 3, data, 300), SA_AIS_OK);
	memset(&st, 0xff, sizeof(st));
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert_int_eq(st.creationFlags, 0);
	ck_assert_int_eq(st.retentionTime, 7 * SA_TIME_ONE_SECOND);
	ck_assert_int_eq(st.closeTime, 0);
	for (p = 0; p <= SA_MSG_MESSAGE_LOWEST_PRIORITY; p++)
		ck_assert_msg(st.saMsgQueueUsage[p].queueSize == a.size[p],
			      "queueSize[%d] = %llu, created with %llu", p,
			      (unsigned long long)st.saMsgQueueUsage[p].queueSize,
			      (unsigned long long)a.size[p]);
	ck_assert_uint_eq(st.saMsgQueueUsage[0].numberOfMessages, 0);
	ck_assert_uint_eq(st.saMsgQueueUsage[0].queueUsed, 0);
	ck_assert_uint_eq(st.saMsgQueueUsage[1].numberOfMessages, 2);
	ck_assert_msg(st.saMsgQueueUsage[1].queueUsed == 300 ||
		      st.saMsgQueueUsage[1].queueUsed == 300 + 2 * (SaSizeT)meta,
		      "queueUsed[1] = %llu for 300 payload bytes (metadata %u)",
		      (unsigned long long)st.saMsgQueueUsage[1].queueUsed, meta);
	ck_assert_uint_eq(st.saMsgQueueUsage[2].numberOfMessages, 0);
	ck_assert_uint_eq(st.saMsgQueueUsage[3].numberOfMessages, 1);
	ck_assert(st.saMsgQueueUsage[3].queueUsed >= 300);
	/* Get gives the space back */
	ck_assert_int_eq(msgt_get(q, data, sizeof(data), NULL, NULL, NULL, 0), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
	ck_assert_uint_eq(st.saMsgQueueUsage[1].numberOfMessages, 1);
	ck_assert(st.saMsgQueueUsage[1].queueUsed < 300);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h, &n), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* Read your own consumption: once Get has returned a message, StatusGet on
 * the same node no longer counts it (neither its bytes). */
START_TEST(test_status_after_get)
{
	enum { N = 50 };
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaUint32T meta = 0;
	char buf[32];
	SaNameT n;
	int i;

	ck_assert_int_eq(saMsgMetadataSizeGet(h, &meta), SA_AIS_OK);
	msgt_name(&n, "ryw");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(msgt_send_str(h, &n, 1, "0123456789"), SA_AIS_OK);
	for (i = N - 1; i >= 0; i--) {
		ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0), SA_AIS_OK);
		ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
		ck_assert_msg(st.saMsgQueueUsage[1].numberOfMessages == (SaUint32T)i,
			      "after a Get returned, StatusGet counts %u messages, expected %d",
			      st.saMsgQueueUsage[1].numberOfMessages, i);
		ck_assert_msg(st.saMsgQueueUsage[1].queueUsed == (SaSizeT)i * 11 ||
			      st.saMsgQueueUsage[1].queueUsed == (SaSizeT)i * (11 + meta),
			      "after a Get returned, queueUsed is %llu for %d messages of 11 bytes",
			      (unsigned long long)st.saMsgQueueUsage[1].queueUsed, i);
	}
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_thresholds)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueThresholdsT t, got;
	SaMsgQueueHandleT q;
	SaNameT n;
	int p;

	msgt_name(&n, "thr");
	q = msgt_open(h, &n, 0, 0, 10000, 0);
	for (p = 0; p <= SA_MSG_MESSAGE_LOWEST_PRIORITY; p++) {
		t.capacityReached[p] = 1000 * (SaSizeT)(p + 1);
		t.capacityAvailable[p] = 500 * (SaSizeT)(p + 1);
	}
	ck_assert_int_eq(saMsgQueueCapacityThresholdsSet(q, &t), SA_AIS_OK);
	memset(&got, 0, sizeof(got));
	ck_assert_int_eq(saMsgQueueCapacityThresholdsGet(q, &got), SA_AIS_OK);
	ck_assert_mem_eq(&got, &t, sizeof(t));

	/* available above reached, in any one area */
	for (p = 0; p <= SA_MSG_MESSAGE_LOWEST_PRIORITY; p++) {
		SaMsgQueueThresholdsT bad = t;

		bad.capacityAvailable[p] = bad.capacityReached[p] + 1;
		ck_assert_msg(saMsgQueueCapacityThresholdsSet(q, &bad) == SA_AIS_ERR_INVALID_PARAM,
			      "available > reached in area %d accepted", p);
	}
	/* the refused sets changed nothing */
	ck_assert_int_eq(saMsgQueueCapacityThresholdsGet(q, &got), SA_AIS_OK);
	ck_assert_mem_eq(&got, &t, sizeof(t));
	/* equal is fine */
	t.capacityAvailable[2] = t.capacityReached[2];
	ck_assert_int_eq(saMsgQueueCapacityThresholdsSet(q, &t), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueCapacityThresholdsGet(q, &got), SA_AIS_OK);
	ck_assert_mem_eq(&got, &t, sizeof(t));
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_metadata_and_limits)
{
	static const struct {
		SaMsgLimitIdT id;
		SaUint64T want;
	} limits[] = {
		{ SA_MSG_MAX_PRIORITY_AREA_SIZE_ID, SAFD_MSG_MAX_AREA_SIZE },
		{ SA_MSG_MAX_QUEUE_SIZE_ID, SAFD_MSG_MAX_QUEUE_SIZE },
		{ SA_MSG_MAX_NUM_QUEUES_ID, SAFD_MSG_MAX_QUEUES },
		{ SA_MSG_MAX_NUM_QUEUE_GROUPS_ID, SAFD_MSG_MAX_GROUPS },
		{ SA_MSG_MAX_NUM_QUEUES_PER_GROUP_ID, SAFD_MSG_MAX_QUEUES_PER_GROUP },
		{ SA_MSG_MAX_MESSAGE_SIZE_ID, SAFD_MSG_MAX_MESSAGE_SIZE },
		{ SA_MSG_MAX_REPLY_SIZE_ID, SAFD_MSG_MAX_REPLY_SIZE },
	};
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaLimitValueT v;
	SaUint32T meta = 0xdeadbeef;
	size_t i;

	ck_assert_int_eq(saMsgMetadataSizeGet(h, &meta), SA_AIS_OK);
	ck_assert_uint_eq(meta, SAFD_MSG_METADATA_SIZE);
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		v.uint64Value = 0;
		ck_assert_int_eq(saMsgLimitGet(h, limits[i].id, &v), SA_AIS_OK);
		ck_assert_msg(v.uint64Value == limits[i].want,
			      "limit %d is %llu, expected %llu", limits[i].id,
			      (unsigned long long)v.uint64Value,
			      (unsigned long long)limits[i].want);
	}
	/* the ones the brief names, independently of the header */
	ck_assert_int_eq(saMsgLimitGet(h, SA_MSG_MAX_MESSAGE_SIZE_ID, &v), SA_AIS_OK);
	ck_assert_uint_eq(v.uint64Value, 1024 * 1024);
	ck_assert_int_eq(saMsgLimitGet(h, SA_MSG_MAX_NUM_QUEUES_ID, &v), SA_AIS_OK);
	ck_assert(v.uint64Value >= 10000);
	ck_assert_int_eq(saMsgLimitGet(h, (SaMsgLimitIdT)0, &v), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgLimitGet(h, (SaMsgLimitIdT)8, &v), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgLimitGet(h, (SaMsgLimitIdT)-1, &v), SA_AIS_ERR_INVALID_PARAM);
	msgt_fini(h);
}
END_TEST

/* Finalize closes the handle's queues, each by its own policy. */
START_TEST(test_finalize_closes_queues)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT h2 = msgt_init(NULL, 3);
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaNameT n0, np, nr;

	msgt_name(&n0, "fin0");
	msgt_name(&np, "finp");
	msgt_name(&nr, "finr");
	msgt_open(h, &n0, 0, 0, 1024, 0);
	msgt_open(h, &np, 0, SA_MSG_QUEUE_PERSISTENT, 1024, 0);
	msgt_open(h, &nr, 0, 0, 1024, 30 * SA_TIME_ONE_SECOND);
	ck_assert_int_eq(msgt_send_str(h2, &np, 0, "p"), SA_AIS_OK);
	msgt_fini(h);
	ck_assert_int_eq(saMsgQueueStatusGet(h2, &n0, &st), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueStatusGet(h2, &np, &st), SA_AIS_OK);
	ck_assert(st.closeTime != 0);
	ck_assert_int_eq(saMsgQueueStatusGet(h2, &nr, &st), SA_AIS_OK);
	ck_assert(st.closeTime != 0);
	/* and nobody holds them any more */
	ck_assert_int_eq(saMsgQueueOpen(h2, &np, NULL, 0, SA_TIME_ONE_SECOND, &q), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h2, &np), 1);
	ck_assert_int_eq(saMsgQueueUnlink(h2, &np), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h2, &nr), SA_AIS_OK);
	msgt_fini(h2);
}
END_TEST

/* The opener dies (SIGKILL): the queue is closed for it; a queue with
 * retention keeps its messages for the next opener, one with retention 0 is
 * deleted. */
static pid_t spawn_opener(const SaNameT *n, SaTimeT retention, int *ready_fd)
{
	int fds[2];
	pid_t child;

	ck_assert_int_eq(pipe(fds), 0);
	child = fork();
	ck_assert(child >= 0);
	if (child == 0) {
		SaVersionT v = { 'B', 3, 0 };
		SaMsgQueueCreationAttributesT a;
		SaMsgHandleT ch;
		SaMsgQueueHandleT cq;

		close(fds[0]);
		msgt_attrs(&a, 0, 4096, retention);
		if (saMsgInitialize(&ch, NULL, &v) != SA_AIS_OK ||
		    saMsgQueueOpen(ch, n, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &cq) !=
		    SA_AIS_OK)
			_exit(1);
		if (write(fds[1], "o", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(fds[1]);
	*ready_fd = fds[0];
	return child;
}

static void wait_ready(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c = 0;

	ck_assert_msg(poll(&pfd, 1, 10000) == 1, "the opener process did not open within 10 s");
	ck_assert_msg(read(fd, &c, 1) == 1 && c == 'o', "the opener process failed");
	close(fd);
}

START_TEST(test_opener_death)
{
	SaMsgHandleT h;
	SaMsgQueueHandleT q = 0;
	SaNameT nr, n0;
	pid_t c1, c2;
	int fd1, fd2;
	int64_t t0, deadline;
	SaAisErrorT err;
	char buf[32];

	msgt_name(&nr, "deathret");
	msgt_name(&n0, "death0");
	c1 = spawn_opener(&nr, 30 * SA_TIME_ONE_SECOND, &fd1);
	c2 = spawn_opener(&n0, 0, &fd2);
	wait_ready(fd1);
	wait_ready(fd2);
	h = msgt_init(NULL, 3);
	ck_assert_int_eq(msgt_send_str(h, &nr, 0, "first"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &nr, 0, "second"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &n0, 0, "lost with its queue"), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueOpen(h, &nr, NULL, 0, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_BUSY);

	t0 = msgt_now_ms();
	kill(c1, SIGKILL);
	kill(c2, SIGKILL);
	waitpid(c1, NULL, 0);
	waitpid(c2, NULL, 0);
	deadline = t0 + 10000;
	while ((err = saMsgQueueOpen(h, &nr, NULL, 0, SA_TIME_ONE_SECOND, &q)) ==
	       SA_AIS_ERR_BUSY && msgt_now_ms() < deadline)
		msgt_sleep_ms(10);
	ck_assert_msg(err == SA_AIS_OK, "takeover open returned %d", err);
	fprintf(stderr, "takeover after SIGKILL of the opener: %lld ms\n",
		(long long)(msgt_now_ms() - t0));
	msgt_get_str(q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "first");
	msgt_get_str(q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "second");
	ck_assert_msg(msgt_wait_status(h, &n0, SA_AIS_ERR_NOT_EXIST, 10000),
		      "retention-0 queue of a killed opener still exists after 10 s");
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h, &nr), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* --- scale: 10,000 queues open at once ---------------------------------- */

#define SCALE_QUEUES 10000
#define SCALE_THREADS 4

struct scale {
	SaMsgHandleT h;
	int first, count;
	SaMsgQueueHandleT *q;
	int failures;
	SaAisErrorT last_error;
};

static void scale_name(SaNameT *n, int i)
{
	memset(n, 0, sizeof(*n));
	n->length = (SaUint16T)snprintf((char *)n->value, sizeof(n->value),
					"mt.%ld.scale.queue-%05d", (long)getpid(), i);
}

static void *scale_open(void *p)
{
	struct scale *s = p;
	SaMsgQueueCreationAttributesT a;
	int i;

	msgt_attrs(&a, 0, 4096, 0);
	for (i = s->first; i < s->first + s->count; i++) {
		SaNameT n;
		SaAisErrorT e;

		scale_name(&n, i);
		e = saMsgQueueOpen(s->h, &n, &a, SA_MSG_QUEUE_CREATE, 10 * SA_TIME_ONE_SECOND,
				   &s->q[i]);
		if (e != SA_AIS_OK) {
			s->failures++;
			s->last_error = e;
		}
	}
	return NULL;
}

static void *scale_close(void *p)
{
	struct scale *s = p;
	int i;

	for (i = s->first; i < s->first + s->count; i++) {
		SaAisErrorT e = saMsgQueueClose(s->q[i]);

		if (e != SA_AIS_OK) {
			s->failures++;
			s->last_error = e;
		}
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	SaUint64T x = *(const SaUint64T *)a, y = *(const SaUint64T *)b;

	return x < y ? -1 : x > y;
}

static void scale_run(struct scale *s, void *(*fn)(void *), const char *what)
{
	pthread_t t[SCALE_THREADS];
	int i, failures = 0;
	SaAisErrorT last = 0;

	for (i = 0; i < SCALE_THREADS; i++) {
		s[i].failures = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, fn, &s[i]), 0);
	}
	for (i = 0; i < SCALE_THREADS; i++) {
		ck_assert_msg(msgt_join(t[i], 90000), "%s: a thread is still running after 90 s",
			      what);
		failures += s[i].failures;
		if (s[i].failures)
			last = s[i].last_error;
	}
	ck_assert_msg(failures == 0, "%s: %d failed, last error %d", what, failures, last);
}

START_TEST(test_10000_queues)
{
	struct scale s[SCALE_THREADS];
	SaMsgQueueHandleT *q, *sorted;
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueStatusT st;
	int64_t t0, t_open, t_close;
	char buf[32];
	int i;

	q = calloc(SCALE_QUEUES, sizeof(*q));
	sorted = calloc(SCALE_QUEUES, sizeof(*sorted));
	ck_assert(q != NULL && sorted != NULL);
	for (i = 0; i < SCALE_THREADS; i++)
		s[i] = (struct scale){ .h = h, .first = i * (SCALE_QUEUES / SCALE_THREADS),
				       .count = SCALE_QUEUES / SCALE_THREADS, .q = q };
	t0 = msgt_now_ms();
	scale_run(s, scale_open, "open");
	t_open = msgt_now_ms() - t0;
	fprintf(stderr, "%d queues opened in %lld ms (%d threads, one handle)\n", SCALE_QUEUES,
		(long long)t_open, SCALE_THREADS);
	ck_assert_msg(t_open < 60000, "opening %d queues took %lld ms (bound 60 s)",
		      SCALE_QUEUES, (long long)t_open);

	memcpy(sorted, q, SCALE_QUEUES * sizeof(*q));
	qsort(sorted, SCALE_QUEUES, sizeof(*sorted), cmp_u64);
	for (i = 1; i < SCALE_QUEUES; i++)
		ck_assert_msg(sorted[i] != sorted[i - 1], "two queues got handle %llu",
			      (unsigned long long)sorted[i]);
	/* all of them are there and open at once; each works */
	for (i = 0; i < SCALE_QUEUES; i += 97) {
		SaNameT n;

		scale_name(&n, i);
		ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_OK);
		ck_assert_int_eq(st.closeTime, 0);
		snprintf(buf, sizeof(buf), "q%d", i);
		ck_assert_int_eq(msgt_send_str(h, &n, 0, buf), SA_AIS_OK);
		{
			char got[32];

			msgt_get_str(q[i], got, sizeof(got));
			ck_assert_str_eq(got, buf);
		}
	}

	t0 = msgt_now_ms();
	scale_run(s, scale_close, "close");
	t_close = msgt_now_ms() - t0;
	fprintf(stderr, "%d queues closed (deleted) in %lld ms\n", SCALE_QUEUES,
		(long long)t_close);
	for (i = 0; i < SCALE_QUEUES; i += 997) {
		SaNameT n;

		scale_name(&n, i);
		ck_assert_int_eq(saMsgQueueStatusGet(h, &n, &st), SA_AIS_ERR_NOT_EXIST);
	}
	free(q);
	free(sorted);
	msgt_fini(h);
}
END_TEST

static Suite *msg_queue_suite(void)
{
	Suite *s = suite_create("msg_queue");
	TCase *tc, *scale;

	if (!msgt_live())
		return s;
	tc = tcase_create("queues");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_name_forms);
	tcase_add_test(tc, test_name_256_distinct);
	tcase_add_test(tc, test_open_bad_flags_and_attrs);
	tcase_add_test(tc, test_open_not_exist);
	tcase_add_test(tc, test_open_init_errors);
	tcase_add_test(tc, test_open_async);
	tcase_add_test(tc, test_open_existing_attrs);
	tcase_add_test(tc, test_open_busy);
	tcase_add_test(tc, test_close_retention_zero);
	tcase_add_test(tc, test_close_retention_expiry);
	tcase_add_test(tc, test_reopen_keeps_messages);
	tcase_add_test(tc, test_persistent_until_unlink);
	tcase_add_test(tc, test_unlink_open_queue);
	tcase_add_test(tc, test_retention_time_set);
	tcase_add_test(tc, test_status_usage);
	tcase_add_test(tc, test_status_after_get);
	tcase_add_test(tc, test_thresholds);
	tcase_add_test(tc, test_metadata_and_limits);
	tcase_add_test(tc, test_finalize_closes_queues);
	tcase_add_test(tc, test_opener_death);
	suite_add_tcase(s, tc);

	scale = tcase_create("scale");
	tcase_set_timeout(scale, 150);
	tcase_add_test(scale, test_10000_queues);
	suite_add_tcase(s, scale);
	return s;
}

int main(void)
{
	return msgt_main(msg_queue_suite, "check_msg_queue");
}
