/*
 * Old (B.01.01) clients, as SAFplus' csa104 example uses the Message Service
 * (reference section 5.4): a major-1 handle whose callbacks are all NULL, a
 * plain queue name, CREATE with retention 0 and an uninitialized size[3],
 * synchronous sends at priority 0 with SA_TIME_MAX that expect 0xC while the
 * queue does not exist, a receiver thread blocked in Get with SA_TIME_MAX
 * into a 1024-byte buffer, message.version written as raw bytes; the
 * takeover csa104 sees (BUSY until the old process is gone, then a fresh
 * queue); library-allocated memory released with free(); area sizes
 * clamped for major 1 and refused (TOO_BIG) for major 3.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <safd/ipc_msg.h>

#include "check_msg_common.h"

#define CSA104_QUEUE "csa104msgqueue"
#define GARBAGE 0xA5A5A5A5A5A5A5A5ULL
#define VERSION_OFFSET offsetof(SaMsgMessageT, version)

static SaMsgHandleT csa104_init(void)
{
	SaMsgCallbacksT callbacks = { NULL, NULL, NULL, NULL };
	SaVersionT v = { .releaseCode = 'B', .majorVersion = 1, .minorVersion = 1 };
	SaMsgHandleT h = 0;

	ck_assert_int_eq(saMsgInitialize(&h, &callbacks, &v), SA_AIS_OK);
	return h;
}

static void csa104_name(SaNameT *n)
{
	memset(n, 0, sizeof(*n));
	memcpy(n->value, CSA104_QUEUE, sizeof(CSA104_QUEUE));	/* with its NUL */
	n->length = (SaUint16T)strlen(CSA104_QUEUE);
}

/* The active's attributes: size[3] never set (garbage). */
static void csa104_attrs(SaMsgQueueCreationAttributesT *a)
{
	int i;

	memset(a, 0xA5, sizeof(*a));
	a->creationFlags = 0;
	for (i = 0; i < 3; i++)
		a->size[i] = 2048;
	a->retentionTime = 0;
}

static SaAisErrorT csa104_send(SaMsgHandleT h, const SaNameT *n, const char *text)
{
	SaMsgMessageT message;
	unsigned char *v;

	memset(&message, 0x5A, sizeof(message));	/* stack garbage */
	message.type = 0;
	/* message.version.releaseCode/majorVersion/minorVersion = 0: three
	 * bytes written, the fourth left as it was */
	v = (unsigned char *)&message + VERSION_OFFSET;
	v[0] = 0;
	v[1] = 0;
	v[2] = 0;
	v[3] = 0xEE;
	message.senderName = NULL;
	message.size = strlen(text) + 1;
	message.data = (void *)(uintptr_t)text;
	message.priority = 0;
	return saMsgMessageSend(h, n, &message, SA_TIME_MAX);
}

struct csa104_receiver {
	SaMsgQueueHandleT q;
	int count;
	SaAisErrorT result[3];
	char text[3][1024];
	SaUint16T sender_length[3];
	unsigned char version[3][4];
	SaMsgSenderIdT sender_id[3];
};

static void *csa104_receive(void *p)
{
	struct csa104_receiver *r = p;
	int i;

	for (i = 0; i < r->count; i++) {
		SaMsgMessageT message;
		SaNameT sender;
		SaMsgSenderIdT sid = 0xbad;
		SaTimeT sent;
		char data[1024];

		memset(&message, 0, sizeof(message));
		memset(&sender, 0x33, sizeof(sender));
		message.senderName = &sender;
		message.data = data;
		message.size = sizeof(data);
		r->result[i] = saMsgMessageGet(r->q, &message, &sent, &sid, SA_TIME_MAX);
		if (r->result[i] != SA_AIS_OK)
			return NULL;
		r->sender_length[i] = sender.length;
		memcpy(r->version[i], (unsigned char *)&message + VERSION_OFFSET, 4);
		r->sender_id[i] = sid;
		/* csa104 prints data with %s */
		snprintf(r->text[i], sizeof(r->text[i]), "%s", (char *)message.data);
	}
	return NULL;
}

START_TEST(test_csa104_pattern)
{
	SaMsgHandleT standby = csa104_init();
	SaMsgHandleT active = csa104_init();
	SaMsgQueueCreationAttributesT attr;
	struct csa104_receiver r;
	SaMsgQueueHandleT q = 0, q2 = 0;
	SaNameT name;
	pthread_t t;
	SaAisErrorT e;
	int i;

	csa104_name(&name);
	/* the standby sends before any active created the queue */
	e = csa104_send(standby, &name, "csa104: too early");
	ck_assert_msg(e == 0xC, "send before the queue exists returned 0x%x, csa104 expects 0xC", e);

	csa104_attrs(&attr);
	e = saMsgQueueOpen(active, &name, &attr, SA_MSG_QUEUE_CREATE, SA_TIME_MAX, &q);
	ck_assert_msg(e == SA_AIS_OK, "csa104's open returned %d", e);

	memset(&r, 0, sizeof(r));
	r.q = q;
	r.count = 3;
	ck_assert_int_eq(pthread_create(&t, NULL, csa104_receive, &r), 0);
	for (i = 0; i < 3; i++) {
		char text[64];

		snprintf(text, sizeof(text), "csa104: hello number %d from the standby", i);
		ck_assert_int_eq(csa104_send(standby, &name, text), SA_AIS_OK);
	}
	ck_assert_msg(msgt_join(t, 10000), "csa104's receiver thread did not get 3 messages");
	for (i = 0; i < 3; i++) {
		char want[64];

		snprintf(want, sizeof(want), "csa104: hello number %d from the standby", i);
		ck_assert_int_eq(r.result[i], SA_AIS_OK);
		ck_assert_str_eq(r.text[i], want);
		ck_assert_uint_eq(r.sender_length[i], 0);
		ck_assert(r.sender_id[i] == 0);
		ck_assert_msg(r.version[i][0] == 0 && r.version[i][1] == 0 && r.version[i][2] == 0 &&
			      r.version[i][3] == 0xEE,
			      "version bytes %02x %02x %02x %02x not carried as they were",
			      r.version[i][0], r.version[i][1], r.version[i][2], r.version[i][3]);
	}
	/* a second opener (the standby promoted while the active lives) */
	ck_assert_int_eq(saMsgQueueOpen(standby, &name, &attr, SA_MSG_QUEUE_CREATE, SA_TIME_MAX,
					&q2), SA_AIS_ERR_BUSY);
	/* the active goes away: retention 0, the queue dies with it */
	ck_assert_int_eq(saMsgFinalize(active), SA_AIS_OK);
	ck_assert_int_eq(csa104_send(standby, &name, "csa104: after"), 0xC);
	ck_assert_int_eq(saMsgFinalize(standby), SA_AIS_OK);
}
END_TEST

/* csa104's QUIESCED active keeps its queue open: a new active in another
 * process gets BUSY until the old process exits; then the queue (retention
 * 0) is gone with its messages and the new active creates a fresh one. */
START_TEST(test_csa104_takeover)
{
	SaMsgQueueCreationAttributesT attr;
	SaMsgQueueHandleT q = 0;
	SaMsgHandleT h;
	SaNameT name;
	int fds[2];
	pid_t old_active;
	struct pollfd pfd;
	int64_t t0, deadline;
	SaAisErrorT e;
	char c = 0;

	csa104_name(&name);
	ck_assert_int_eq(pipe(fds), 0);
	old_active = fork();
	ck_assert(old_active >= 0);
	if (old_active == 0) {
		SaMsgHandleT oh;
		SaMsgQueueHandleT oq;
		SaMsgQueueCreationAttributesT oa;
		SaMsgCallbacksT cb = { NULL, NULL, NULL, NULL };
		SaVersionT v = { 'B', 1, 1 };

		close(fds[0]);
		csa104_attrs(&oa);
		if (saMsgInitialize(&oh, &cb, &v) != SA_AIS_OK ||
		    saMsgQueueOpen(oh, &name, &oa, SA_MSG_QUEUE_CREATE, SA_TIME_MAX, &oq) !=
		    SA_AIS_OK)
			_exit(1);
		if (write(fds[1], "o", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(fds[1]);
	pfd = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	ck_assert_msg(poll(&pfd, 1, 10000) == 1 && read(fds[0], &c, 1) == 1 && c == 'o',
		      "the old active did not open its queue");
	close(fds[0]);

	h = csa104_init();
	ck_assert_int_eq(csa104_send(h, &name, "to the old active"), SA_AIS_OK);
	csa104_attrs(&attr);
	ck_assert_int_eq(saMsgQueueOpen(h, &name, &attr, SA_MSG_QUEUE_CREATE, SA_TIME_MAX, &q),
			 SA_AIS_ERR_BUSY);
	t0 = msgt_now_ms();
	kill(old_active, SIGKILL);
	waitpid(old_active, NULL, 0);
	deadline = t0 + 10000;
	while ((e = saMsgQueueOpen(h, &name, &attr, SA_MSG_QUEUE_CREATE, SA_TIME_MAX, &q)) ==
	       SA_AIS_ERR_BUSY && msgt_now_ms() < deadline)
		msgt_sleep_ms(10);
	ck_assert_msg(e == SA_AIS_OK, "the new active's open returned %d", e);
	fprintf(stderr, "csa104 takeover: new active opened %lld ms after the old one died\n",
		(long long)(msgt_now_ms() - t0));
	/* a fresh queue: the old one died with its message */
	ck_assert_uint_eq(msgt_count(h, &name), 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgFinalize(h), SA_AIS_OK);
}
END_TEST

/* Memory the library allocates for a major-1 client is released with free(). */
START_TEST(test_major1_free)
{
	SaMsgHandleT h = csa104_init();
	SaMsgQueueGroupNotificationBufferT b;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	SaMsgMessageT m;
	SaNameT n, g;

	msgt_name(&n, "b01free");
	msgt_name(&g, "b01group");
	q = msgt_open(h, &n, 0, 0, 100000, 0);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "freed with free()"), SA_AIS_OK);
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(saMsgMessageGet(q, &m, NULL, &sid, SA_TIME_ONE_SECOND), SA_AIS_OK);
	ck_assert(m.data != NULL);
	ck_assert_str_eq((char *)m.data, "freed with free()");
	free(m.data);

	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &n), SA_AIS_OK);
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(saMsgQueueGroupTrack(h, &g, SA_TRACK_CURRENT, &b), SA_AIS_OK);
	ck_assert_uint_eq(b.numberOfItems, 1);
	ck_assert(b.notification != NULL);
	ck_assert_uint_eq(b.notification[0].member.queueName.length, n.length);
	free(b.notification);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgFinalize(h), SA_AIS_OK);
}
END_TEST

/* Major 1: an area size above the limit is clamped (csa104's garbage
 * size[3]); major 3: TOO_BIG, and the limit itself is fine. */
START_TEST(test_area_size_limits)
{
	SaMsgHandleT h1 = csa104_init();
	SaMsgHandleT h3 = msgt_init(NULL, 3);
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaNameT n1, n3;
	int i;

	msgt_name(&n1, "clamp");
	msgt_name(&n3, "toobig");
	csa104_attrs(&a);
	ck_assert_uint_eq(a.size[3], GARBAGE);
	ck_assert_int_eq(saMsgQueueOpen(h1, &n1, &a, SA_MSG_QUEUE_CREATE, SA_TIME_MAX, &q),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h1, &n1, &st), SA_AIS_OK);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(st.saMsgQueueUsage[i].queueSize, 2048);
	ck_assert_msg(st.saMsgQueueUsage[3].queueSize == SAFD_MSG_MAX_AREA_SIZE,
		      "size[3] garbage became %llu, not the limit %llu",
		      (unsigned long long)st.saMsgQueueUsage[3].queueSize,
		      (unsigned long long)SAFD_MSG_MAX_AREA_SIZE);
	/* the clamped area works */
	ck_assert_int_eq(msgt_send_str(h1, &n1, 3, "low"), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);

	ck_assert_int_eq(saMsgQueueOpen(h3, &n3, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_TOO_BIG);
	ck_assert_int_eq(saMsgQueueStatusGet(h3, &n3, &st), SA_AIS_ERR_NOT_EXIST);
	msgt_attrs(&a, 0, SAFD_MSG_MAX_AREA_SIZE, 0);
	a.size[2] = SAFD_MSG_MAX_AREA_SIZE + 1;
	ck_assert_int_eq(saMsgQueueOpen(h3, &n3, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_ERR_TOO_BIG);
	a.size[2] = SAFD_MSG_MAX_AREA_SIZE;
	ck_assert_int_eq(saMsgQueueOpen(h3, &n3, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h3, &n3, &st), SA_AIS_OK);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(st.saMsgQueueUsage[i].queueSize, SAFD_MSG_MAX_AREA_SIZE);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgFinalize(h1), SA_AIS_OK);
	msgt_fini(h3);
}
END_TEST

static Suite *msg_b01_suite(void)
{
	Suite *s = suite_create("msg_b01");
	TCase *tc;

	if (!msgt_live())
		return s;
	tc = tcase_create("b01");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_csa104_pattern);
	tcase_add_test(tc, test_csa104_takeover);
	tcase_add_test(tc, test_major1_free);
	tcase_add_test(tc, test_area_size_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return msgt_main(msg_b01_suite, "check_msg_b01");
}
