/*
 * Request and reply: SendReceive delivers a request with a non-zero
 * senderId, the reply lands in the requester's buffer (or one the library
 * allocates); timeouts, late replies, bad sender ids, replies too big for the
 * requester (NO_SPACE on both sides), ReplyAsync with the delivered
 * callback, one reply per request, concurrent requesters on one handle, and
 * a requester finalized while it waits.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_msg_common.h"

#define MS (SA_TIME_ONE_MILLISECOND)

struct requester {
	SaMsgHandleT h;
	SaNameT dest;
	char request[64];
	char reply_buf[256];
	size_t reply_cap;	/* 0: data NULL, the library allocates */
	void *reply_big;	/* the buffer when reply_cap > sizeof(reply_buf) */
	SaTimeT timeout;
	SaMsgMessageT reply;
	SaTimeT reply_time;
	SaAisErrorT result;
	int entered, done;
	int64_t started_ms, returned_ms;
};

static void *requester_main(void *p)
{
	struct requester *r = p;
	SaMsgMessageT m;

	memset(&m, 0, sizeof(m));
	m.type = 0x5e9d;
	m.data = r->request;
	m.size = strlen(r->request) + 1;
	m.priority = 2;
	memset(&r->reply, 0, sizeof(r->reply));
	if (r->reply_cap) {
		r->reply.data = r->reply_cap > sizeof(r->reply_buf) ? r->reply_big :
								      r->reply_buf;
		r->reply.size = r->reply_cap;
	}
	r->started_ms = msgt_now_ms();
	__atomic_store_n(&r->entered, 1, __ATOMIC_SEQ_CST);
	r->result = saMsgMessageSendReceive(r->h, &r->dest, &m, &r->reply, &r->reply_time,
					    r->timeout);
	r->returned_ms = msgt_now_ms();
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A requester whose reply goes to `big` (reply_cap bytes) when that is
 * not NULL. */
static void requester_start_into(struct requester *r, pthread_t *t, SaMsgHandleT h,
				 const SaNameT *dest, const char *request, void *big,
				 size_t reply_cap, SaTimeT timeout)
{
	memset(r, 0, sizeof(*r));
	r->h = h;
	r->dest = *dest;
	snprintf(r->request, sizeof(r->request), "%s", request);
	r->reply_cap = reply_cap;
	r->reply_big = big;
	r->timeout = timeout;
	ck_assert_int_eq(pthread_create(t, NULL, requester_main, r), 0);
}

static void requester_start(struct requester *r, pthread_t *t, SaMsgHandleT h,
			    const SaNameT *dest, const char *request, size_t reply_cap,
			    SaTimeT timeout)
{
	requester_start_into(r, t, h, dest, request, NULL, reply_cap, timeout);
}

/* Gets the next request (5 s), checks it, returns its sender id. */
static SaMsgSenderIdT get_request(SaMsgQueueHandleT q, char *buf, size_t cap)
{
	SaMsgSenderIdT sid = 0;
	SaMsgMessageT m;
	SaAisErrorT e;

	memset(&m, 0, sizeof(m));
	memset(buf, 0, cap);
	m.data = buf;
	m.size = cap;
	e = saMsgMessageGet(q, &m, NULL, &sid, 5 * SA_TIME_ONE_SECOND);
	ck_assert_msg(e == SA_AIS_OK, "Get of the request returned %d", e);
	ck_assert_uint_eq(m.type, 0x5e9d);
	ck_assert_int_eq(m.priority, 2);
	ck_assert_msg(sid != 0, "a SendReceive request came with senderId 0");
	return sid;
}

static SaAisErrorT reply_with(SaMsgHandleT h, const SaMsgSenderIdT *sid, const void *data,
			      size_t len)
{
	SaMsgMessageT m;

	memset(&m, 0, sizeof(m));
	m.type = 0xa115;
	m.data = (void *)(uintptr_t)data;
	m.size = len;
	return saMsgMessageReply(h, &m, sid, 5 * SA_TIME_ONE_SECOND);
}

START_TEST(test_send_receive_reply)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT hr = msgt_init(NULL, 3);
	struct requester r;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	pthread_t t;
	int64_t now;
	char buf[64];
	SaNameT n;
	int round;

	msgt_name(&n, "sr");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	for (round = 0; round < 2; round++) {
		/* round 0: the requester's buffer; round 1: the library allocates */
		requester_start(&r, &t, hr, &n, round ? "question-alloc" : "question",
				round ? 0 : sizeof(r.reply_buf), 10 * SA_TIME_ONE_SECOND);
		sid = get_request(q, buf, sizeof(buf));
		ck_assert_str_eq(buf, round ? "question-alloc" : "question");
		ck_assert_int_eq(reply_with(h, &sid, "answer", 7), SA_AIS_OK);
		ck_assert_msg(msgt_join(t, 5000), "SendReceive did not return after the reply");
		now = msgt_realtime_ns();
		ck_assert_int_eq(r.result, SA_AIS_OK);
		ck_assert_uint_eq(r.reply.size, 7);
		ck_assert_uint_eq(r.reply.type, 0xa115);
		ck_assert(r.reply.data != NULL);
		ck_assert_str_eq((char *)r.reply.data, "answer");
		ck_assert_msg(r.reply_time > now - 5 * SA_TIME_ONE_SECOND && r.reply_time <= now,
			      "replySendTime %lld not an absolute time near %lld",
			      (long long)r.reply_time, (long long)now);
		if (round)
			ck_assert_int_eq(saMsgMessageDataFree(hr, r.reply.data), SA_AIS_OK);
		else
			ck_assert(r.reply.data == r.reply_buf);
	}
	/* the reply was not queued anywhere */
	ck_assert_uint_eq(msgt_count(h, &n), 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hr);
}
END_TEST

START_TEST(test_send_receive_not_exist)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	struct requester r;
	pthread_t t;
	SaNameT n;

	msgt_name(&n, "srabsent");
	requester_start(&r, &t, h, &n, "anyone?", 64, 5 * SA_TIME_ONE_SECOND);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(r.result, SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h);
}
END_TEST

/* No reply in time: TIMEOUT after the timeout; a reply after that finds no
 * waiter (NOT_EXIST). */
START_TEST(test_send_receive_timeout_late_reply)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	struct requester r;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	pthread_t t;
	char buf[64];
	SaNameT n;
	int64_t dt;

	msgt_name(&n, "srtimeout");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	requester_start(&r, &t, h, &n, "slow", 64, 300 * MS);
	ck_assert_msg(msgt_join(t, 5000), "SendReceive with timeout 300 ms still blocked after 5 s");
	dt = r.returned_ms - r.started_ms;
	fprintf(stderr, "SendReceive with timeout 300 ms: TIMEOUT after %lld ms\n", (long long)dt);
	ck_assert_int_eq(r.result, SA_AIS_ERR_TIMEOUT);
	ck_assert_msg(dt >= 299, "returned after %lld ms", (long long)dt);
	/* the request was delivered; its requester is gone */
	sid = get_request(q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "slow");
	ck_assert_int_eq(reply_with(h, &sid, "too late", 9), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_reply_bad_sender_ids)
{
	SaMsgCallbacksT cb = { 0 };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid = 0, made_up = 0x1234567890abcdefULL;
	SaMsgMessageT m;
	char buf[16];
	SaNameT n;

	msgt_name(&n, "badsid");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "plain"), SA_AIS_OK);
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, &sid, 0), SA_AIS_OK);
	ck_assert(sid == 0);
	/* replying to an ordinary message (senderId 0) */
	ck_assert_int_eq(reply_with(h, &sid, "no", 3), SA_AIS_ERR_INVALID_PARAM);
	memset(&m, 0, sizeof(m));
	m.data = (void *)"no";
	m.size = 3;
	ck_assert_int_eq(saMsgMessageReplyAsync(h, 1, &m, &sid, 0), SA_AIS_ERR_INVALID_PARAM);
	/* a sender id nobody waits on */
	ck_assert_int_eq(reply_with(h, &made_up, "no", 3), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* A reply bigger than the requester's buffer: NO_SPACE for both. */
START_TEST(test_reply_no_space)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT hr = msgt_init(NULL, 3);
	struct requester r;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	char buf[64], big[100];
	pthread_t t;
	SaNameT n;

	memset(big, 'B', sizeof(big));
	msgt_name(&n, "srnospace");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	requester_start(&r, &t, hr, &n, "small buffer", 8, 10 * SA_TIME_ONE_SECOND);
	sid = get_request(q, buf, sizeof(buf));
	ck_assert_int_eq(reply_with(h, &sid, big, sizeof(big)), SA_AIS_ERR_NO_SPACE);
	ck_assert_msg(msgt_join(t, 5000), "requester still blocked after a NO_SPACE reply");
	ck_assert_int_eq(r.result, SA_AIS_ERR_NO_SPACE);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hr);
}
END_TEST

/* Replies larger than a connection's small buffer (128 KiB): the requester
 * waits on a connection sized for its buffer, into the library's buffer
 * and into its own; one byte more than its own buffer is NO_SPACE. */
START_TEST(test_reply_large)
{
	static const size_t size = 300000;
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT hr = msgt_init(NULL, 3);
	unsigned char *big = malloc(size + 1), *mine = malloc(size);
	struct requester r;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	char buf[64];
	pthread_t t;
	SaNameT n;
	size_t i;

	ck_assert(big != NULL && mine != NULL);
	for (i = 0; i <= size; i++)
		big[i] = (unsigned char)(i * 13 + i / 509);
	msgt_name(&n, "srlarge");
	q = msgt_open(h, &n, 0, 0, 4096, 0);

	requester_start(&r, &t, hr, &n, "library buffer", 0, 10 * SA_TIME_ONE_SECOND);
	sid = get_request(q, buf, sizeof(buf));
	ck_assert_int_eq(reply_with(h, &sid, big, size), SA_AIS_OK);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(r.result, SA_AIS_OK);
	ck_assert_uint_eq(r.reply.size, size);
	ck_assert_msg(memcmp(r.reply.data, big, size) == 0, "large reply corrupted");
	ck_assert_int_eq(saMsgMessageDataFree(hr, r.reply.data), SA_AIS_OK);

	requester_start_into(&r, &t, hr, &n, "own buffer", mine, size,
			     10 * SA_TIME_ONE_SECOND);
	sid = get_request(q, buf, sizeof(buf));
	ck_assert_int_eq(reply_with(h, &sid, big + 1, size), SA_AIS_OK);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(r.result, SA_AIS_OK);
	ck_assert_uint_eq(r.reply.size, size);
	ck_assert_msg(memcmp(mine, big + 1, size) == 0, "large reply corrupted (own buffer)");

	requester_start_into(&r, &t, hr, &n, "one byte short", mine, size,
			     10 * SA_TIME_ONE_SECOND);
	sid = get_request(q, buf, sizeof(buf));
	ck_assert_int_eq(reply_with(h, &sid, big, size + 1), SA_AIS_ERR_NO_SPACE);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(r.result, SA_AIS_ERR_NO_SPACE);

	free(big);
	free(mine);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hr);
}
END_TEST

/* Only one reply per request. */
START_TEST(test_reply_twice)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	struct requester r;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	char buf[64];
	pthread_t t;
	SaNameT n;

	msgt_name(&n, "twice");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	requester_start(&r, &t, h, &n, "once", 64, 10 * SA_TIME_ONE_SECOND);
	sid = get_request(q, buf, sizeof(buf));
	ck_assert_int_eq(reply_with(h, &sid, "first", 6), SA_AIS_OK);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(r.result, SA_AIS_OK);
	ck_assert_str_eq(r.reply_buf, "first");
	ck_assert_int_eq(reply_with(h, &sid, "second", 7), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

static volatile int delivered_calls;
static SaInvocationT delivered_inv;
static SaAisErrorT delivered_err;

static void delivered_cb(SaInvocationT inv, SaAisErrorT err)
{
	delivered_inv = inv;
	delivered_err = err;
	__atomic_add_fetch(&delivered_calls, 1, __ATOMIC_SEQ_CST);
}

START_TEST(test_reply_async)
{
	SaMsgCallbacksT cb = { .saMsgMessageDeliveredCallback = delivered_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgHandleT hnocb = msgt_init(NULL, 3);
	SaMsgHandleT hr = msgt_init(NULL, 3);
	struct requester r;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	SaMsgMessageT m;
	SaAisErrorT e;
	char buf[64];
	pthread_t t;
	SaNameT n;

	msgt_name(&n, "replyasync");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	delivered_calls = 0;
	requester_start(&r, &t, hr, &n, "async please", 64, 10 * SA_TIME_ONE_SECOND);
	sid = get_request(q, buf, sizeof(buf));
	memset(&m, 0, sizeof(m));
	m.data = (void *)"async answer";
	m.size = 13;
	ck_assert_int_eq(saMsgMessageReplyAsync(hnocb, 5, &m, &sid, SA_MSG_MESSAGE_DELIVERED_ACK),
			 SA_AIS_ERR_INIT);
	ck_assert_int_eq(saMsgMessageReplyAsync(h, 5, &m, &sid, 2), SA_AIS_ERR_BAD_FLAGS);
	ck_assert_int_eq(saMsgMessageReplyAsync(h, 0x77, &m, &sid, SA_MSG_MESSAGE_DELIVERED_ACK),
			 SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(h, &delivered_calls, 1, 5000), 1);
	ck_assert(delivered_inv == 0x77);
	ck_assert_int_eq(delivered_err, SA_AIS_OK);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(r.result, SA_AIS_OK);
	ck_assert_str_eq(r.reply_buf, "async answer");

	/* to a request already answered: refused at once, or NOT_EXIST in the
	 * callback */
	e = saMsgMessageReplyAsync(h, 0x78, &m, &sid, SA_MSG_MESSAGE_DELIVERED_ACK);
	if (e == SA_AIS_OK) {
		ck_assert_int_eq(msgt_dispatch_until(h, &delivered_calls, 2, 5000), 2);
		ck_assert(delivered_inv == 0x78);
		ck_assert_int_eq(delivered_err, SA_AIS_ERR_NOT_EXIST);
	} else {
		ck_assert_int_eq(e, SA_AIS_ERR_NOT_EXIST);
	}
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hnocb);
	msgt_fini(hr);
}
END_TEST

/* Requesters in several threads of one handle each get their own reply,
 * answered in reverse order. */
START_TEST(test_concurrent_requesters)
{
	enum { N = 4 };
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT hr = msgt_init(NULL, 3);
	struct requester r[N];
	SaMsgSenderIdT sid[N];
	char text[N][64];
	SaMsgQueueHandleT q;
	pthread_t t[N];
	SaNameT n;
	int i, j;

	msgt_name(&n, "concurrent");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	for (i = 0; i < N; i++) {
		char req[16];

		snprintf(req, sizeof(req), "req-%d", i);
		requester_start(&r[i], &t[i], hr, &n, req, 64, 10 * SA_TIME_ONE_SECOND);
	}
	for (i = 0; i < N; i++) {
		sid[i] = get_request(q, text[i], sizeof(text[i]));
		for (j = 0; j < i; j++)
			ck_assert_msg(sid[j] != sid[i], "two requests share senderId %llu",
				      (unsigned long long)sid[i]);
	}
	for (i = N - 1; i >= 0; i--) {
		char ans[64];

		snprintf(ans, sizeof(ans), "ans-%s", text[i]);
		ck_assert_int_eq(reply_with(h, &sid[i], ans, strlen(ans) + 1), SA_AIS_OK);
	}
	for (i = 0; i < N; i++) {
		char want[64];

		ck_assert(msgt_join(t[i], 5000));
		ck_assert_int_eq(r[i].result, SA_AIS_OK);
		snprintf(want, sizeof(want), "ans-req-%d", i);
		ck_assert_str_eq(r[i].reply_buf, want);
	}
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hr);
}
END_TEST

/* The requester's handle is finalized while it waits: its SendReceive
 * returns BAD_HANDLE, and the replier finds nobody (NOT_EXIST). */
START_TEST(test_requester_finalized)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT hr = msgt_init(NULL, 3);
	struct requester r;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	char buf[64];
	pthread_t t;
	SaNameT n;

	msgt_name(&n, "srfin");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	requester_start(&r, &t, hr, &n, "going away", 64, SA_TIME_MAX);
	sid = get_request(q, buf, sizeof(buf));
	msgt_fini(hr);
	ck_assert_msg(msgt_join(t, 3000), "SendReceive still blocked after finalize");
	ck_assert_int_eq(r.result, SA_AIS_ERR_BAD_HANDLE);
	ck_assert_int_eq(reply_with(h, &sid, "nobody", 7), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

static Suite *msg_reply_suite(void)
{
	Suite *s = suite_create("msg_reply");
	TCase *tc;

	if (!msgt_live())
		return s;
	tc = tcase_create("reply");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_send_receive_reply);
	tcase_add_test(tc, test_send_receive_not_exist);
	tcase_add_test(tc, test_send_receive_timeout_late_reply);
	tcase_add_test(tc, test_reply_bad_sender_ids);
	tcase_add_test(tc, test_reply_no_space);
	tcase_add_test(tc, test_reply_large);
	tcase_add_test(tc, test_reply_twice);
	tcase_add_test(tc, test_reply_async);
	tcase_add_test(tc, test_concurrent_requesters);
	tcase_add_test(tc, test_requester_finalized);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return msgt_main(msg_reply_suite, "check_msg_reply");
}
