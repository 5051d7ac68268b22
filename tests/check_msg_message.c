/*
 * Messages: send (NOT_EXIST, closed queues, bad arguments, QUEUE_FULL per
 * priority area, 1 MiB), async send with the delivered callback, get
 * (priority then FIFO order, NO_SPACE, library-allocated data, the fields it
 * fills, timeouts, cancel, finalize from another thread, a blocked get not
 * holding up the handle), the received callback and the selection object,
 * several threads sending on one handle.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <safd/ipc_msg.h>
#include <safd/util.h>

#include "check_msg_common.h"

#define MS (SA_TIME_ONE_MILLISECOND)
#define MIB (1024 * 1024)

static SaUint32T metadata(SaMsgHandleT h)
{
	SaUint32T m = 0;

	ck_assert_int_eq(saMsgMetadataSizeGet(h, &m), SA_AIS_OK);
	return m;
}

/* --- send ------------------------------------------------------------- */

START_TEST(test_send_not_exist)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaNameT n;

	msgt_name(&n, "nobody");
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "hello?"), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "hello?"), MSGT_NOT_EXIST_CODE);
	msgt_fini(h);
}
END_TEST

/* A closed queue takes messages; its next opener gets them, in order. */
START_TEST(test_send_to_closed_queue)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT h2 = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaNameT n;
	char buf[32];

	msgt_name(&n, "closed");
	q = msgt_open(h, &n, 0, SA_MSG_QUEUE_PERSISTENT, 1024, 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &n, 2, "one"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &n, 2, "two"), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueOpen(h2, &n, NULL, 0, SA_TIME_ONE_SECOND, &q), SA_AIS_OK);
	msgt_get_str(q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "one");
	msgt_get_str(q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "two");
	ck_assert_int_eq(saMsgQueueUnlink(h2, &n), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(h2);
}
END_TEST

static volatile int delivered_calls;
static struct {
	SaInvocationT inv;
	SaAisErrorT err;
} delivered[16];

static void delivered_cb(SaInvocationT inv, SaAisErrorT err)
{
	int i = __atomic_load_n(&delivered_calls, __ATOMIC_SEQ_CST);

	if (i < 16) {
		delivered[i].inv = inv;
		delivered[i].err = err;
	}
	__atomic_add_fetch(&delivered_calls, 1, __ATOMIC_SEQ_CST);
}

static SaAisErrorT delivered_error(SaInvocationT inv)
{
	int i;

	for (i = 0; i < delivered_calls && i < 16; i++)
		if (delivered[i].inv == inv)
			return delivered[i].err;
	return 0;
}

START_TEST(test_send_bad_args)
{
	SaMsgCallbacksT cb = { .saMsgMessageDeliveredCallback = delivered_cb };
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT hcb = msgt_init(&cb, 3);
	SaMsgQueueHandleT q;
	SaMsgMessageT m;
	char *big;
	SaNameT n;

	msgt_name(&n, "badsend");
	q = msgt_open(h, &n, 0, 0, 2 * MIB, 0);
	big = calloc(1, MIB + 1);
	ck_assert(big != NULL);
	memset(&m, 0, sizeof(m));
	m.data = big;
	m.size = 8;

	m.priority = 4;
	ck_assert_int_eq(saMsgMessageSend(h, &n, &m, SA_TIME_ONE_SECOND), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageSendAsync(h, 1, &n, &m, 0), SA_AIS_ERR_INVALID_PARAM);
	m.priority = 255;
	ck_assert_int_eq(saMsgMessageSend(h, &n, &m, SA_TIME_ONE_SECOND), SA_AIS_ERR_INVALID_PARAM);
	m.priority = 0;
	m.size = MIB + 1;
	ck_assert_int_eq(saMsgMessageSend(h, &n, &m, SA_TIME_ONE_SECOND), SA_AIS_ERR_TOO_BIG);
	ck_assert_int_eq(saMsgMessageSendAsync(h, 1, &n, &m, 0), SA_AIS_ERR_TOO_BIG);
	m.size = 8;
	ck_assert_int_eq(saMsgMessageSendAsync(hcb, 1, &n, &m, 2), SA_AIS_ERR_BAD_FLAGS);
	ck_assert_int_eq(saMsgMessageSendAsync(hcb, 1, &n, &m, 3), SA_AIS_ERR_BAD_FLAGS);
	ck_assert_int_eq(saMsgMessageSendAsync(hcb, 1, &n, &m, 0x80000000u), SA_AIS_ERR_BAD_FLAGS);
	/* ACK asked for, no delivered callback registered */
	ck_assert_int_eq(saMsgMessageSendAsync(h, 1, &n, &m, SA_MSG_MESSAGE_DELIVERED_ACK),
			 SA_AIS_ERR_INIT);
	/* nothing of that was stored */
	ck_assert_uint_eq(msgt_count(h, &n), 0);
	ck_assert_int_eq(saMsgDispatch(hcb, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(delivered_calls, 0);
	free(big);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hcb);
}
END_TEST

/* Room is judged per priority area: a message that fits area 0 does not
 * fit area 1; a full area does not stop the others. */
START_TEST(test_queue_full_per_area)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueHandleT q;
	SaUint32T meta = metadata(h);
	char data[200], buf[200];
	SaSizeT len;
	SaUint8T prio;
	SaNameT n;

	memset(data, 'f', sizeof(data));
	msgt_name(&n, "full");
	msgt_attrs(&a, 0, 100 + (SaSizeT)meta, 0);
	a.size[0] = 200 + (SaSizeT)meta;
	ck_assert_int_eq(saMsgQueueOpen(h, &n, &a, SA_MSG_QUEUE_CREATE, SA_TIME_ONE_SECOND, &q),
			 SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 1, data, 150), SA_AIS_ERR_QUEUE_FULL);
	ck_assert_int_eq(msgt_send(h, &n, 0, data, 150), SA_AIS_OK);
	/* area 1 exactly full */
	ck_assert_int_eq(msgt_send(h, &n, 1, data, 100), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 1, data, 1), SA_AIS_ERR_QUEUE_FULL);
	ck_assert_int_eq(msgt_send(h, &n, 2, data, 1), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 3, data, 100), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 0, data, 51), SA_AIS_ERR_QUEUE_FULL);
	ck_assert_int_eq(msgt_send(h, &n, 0, data, 50), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n), 5);

	/* getting the area-1 message makes room there again */
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), &len, &prio, NULL, 0), SA_AIS_OK);
	ck_assert_uint_eq(len, 150);
	ck_assert_int_eq(prio, 0);
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), &len, &prio, NULL, 0), SA_AIS_OK);
	ck_assert_uint_eq(len, 50);
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), &len, &prio, NULL, 0), SA_AIS_OK);
	ck_assert_uint_eq(len, 100);
	ck_assert_int_eq(prio, 1);
	ck_assert_int_eq(msgt_send(h, &n, 1, data, 100), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_send_async_delivered)
{
	SaMsgCallbacksT cb = { .saMsgMessageDeliveredCallback = delivered_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgQueueHandleT q;
	SaUint32T meta = metadata(h);
	SaMsgMessageT m;
	SaNameT n, absent;
	char data[100], buf[100];
	SaAisErrorT e;
	int want;

	memset(data, 'a', sizeof(data));
	msgt_name(&n, "asyncsend");
	msgt_name(&absent, "asyncabsent");
	q = msgt_open(h, &n, 0, 0, 100 + (SaSizeT)meta, 0);
	delivered_calls = 0;
	memset(&m, 0, sizeof(m));
	m.data = data;
	m.size = 60;
	ck_assert_int_eq(saMsgMessageSendAsync(h, 101, &n, &m, SA_MSG_MESSAGE_DELIVERED_ACK),
			 SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(h, &delivered_calls, 1, 5000), 1);
	ck_assert_int_eq(delivered_error(101), SA_AIS_OK);
	/* stored: the ACK means "in the queue" */
	ck_assert_uint_eq(msgt_count(h, &n), 1);

	ck_assert_int_eq(saMsgMessageSendAsync(h, 102, &n, &m, SA_MSG_MESSAGE_DELIVERED_ACK),
			 SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(h, &delivered_calls, 2, 5000), 2);
	ck_assert_int_eq(delivered_error(102), SA_AIS_ERR_QUEUE_FULL);
	ck_assert_uint_eq(msgt_count(h, &n), 1);

	/* no such queue: refused at once, or reported by the callback */
	want = 2;
	e = saMsgMessageSendAsync(h, 103, &absent, &m, SA_MSG_MESSAGE_DELIVERED_ACK);
	if (e == SA_AIS_OK) {
		want = 3;
		ck_assert_int_eq(msgt_dispatch_until(h, &delivered_calls, 3, 5000), 3);
		ck_assert_int_eq(delivered_error(103), SA_AIS_ERR_NOT_EXIST);
	} else {
		ck_assert_int_eq(e, SA_AIS_ERR_NOT_EXIST);
	}

	/* without ACK: stored, and no callback */
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0), SA_AIS_OK);
	m.size = 10;
	ck_assert_int_eq(saMsgMessageSendAsync(h, 104, &n, &m, 0), SA_AIS_OK);
	ck_assert_msg(msgt_wait_count(h, &n, 1, 5000), "async message without ACK not stored");
	ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(delivered_calls, want);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* Exactly 1 MiB goes through end to end, into a caller buffer and into a
 * library-allocated one; one byte more is TOO_BIG. */
START_TEST(test_one_mib)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	SaMsgMessageT m;
	unsigned char *out, *in;
	SaNameT n;
	size_t i;

	msgt_name(&n, "mib");
	q = msgt_open(h, &n, 0, 0, 3 * MIB, 0);
	out = malloc(MIB + 1);
	in = malloc(MIB);
	ck_assert(out != NULL && in != NULL);
	for (i = 0; i < MIB + 1; i++)
		out[i] = (unsigned char)(i * 7 + 3 + i / 251);
	ck_assert_int_eq(msgt_send(h, &n, 0, out, MIB), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 0, out + 1, MIB), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &n, 0, out, MIB + 1), SA_AIS_ERR_TOO_BIG);

	memset(in, 0, MIB);
	memset(&m, 0, sizeof(m));
	m.data = in;
	m.size = MIB;
	ck_assert_int_eq(saMsgMessageGet(q, &m, NULL, &sid, 5 * SA_TIME_ONE_SECOND), SA_AIS_OK);
	ck_assert_uint_eq(m.size, MIB);
	ck_assert_msg(memcmp(in, out, MIB) == 0, "1 MiB message corrupted");

	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(saMsgMessageGet(q, &m, NULL, &sid, 5 * SA_TIME_ONE_SECOND), SA_AIS_OK);
	ck_assert(m.data != NULL);
	ck_assert_uint_eq(m.size, MIB);
	ck_assert_msg(memcmp(m.data, out + 1, MIB) == 0, "1 MiB message corrupted (allocated)");
	ck_assert_int_eq(saMsgMessageDataFree(h, m.data), SA_AIS_OK);
	free(out);
	free(in);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* Messages around what a connection's small buffer carries (ipc.h): a
 * Get asks for that much first, and a larger message comes back NO_SPACE
 * and stays, and the library asks again on a large connection. Each size
 * into a buffer of exactly its size, into the library's buffer, and into
 * a buffer one byte short (NO_SPACE with the size, the message stays); a
 * Get blocked before a large message arrives gets it too. */
#define SMALL_ROOM (SAFD_IPC_CONN_SIZE - sizeof(struct res_lib_msg_get))

START_TEST(test_get_around_small_buffer)
{
	const size_t sizes[] = { SMALL_ROOM - 1, SMALL_ROOM, SMALL_ROOM + 1, 200000 };
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	struct msgt_getter g;
	SaMsgSenderIdT sid;
	SaMsgMessageT m;
	unsigned char *out, *in;
	SaSizeT len = 0;
	pthread_t t;
	size_t i, k, size;
	SaNameT n;

	msgt_name(&n, "smallroom");
	q = msgt_open(h, &n, 0, 0, 2 * MIB, 0);
	out = malloc(200001);
	in = malloc(200000);
	ck_assert(out != NULL && in != NULL);
	for (i = 0; i < 200001; i++)
		out[i] = (unsigned char)(i * 11 + i / 257);
	for (k = 0; k < SAFD_ARRAY_SIZE(sizes); k++) {
		size = sizes[k];
		ck_assert_int_eq(msgt_send(h, &n, 0, out, size), SA_AIS_OK);
		ck_assert_int_eq(msgt_send(h, &n, 0, out + 1, size), SA_AIS_OK);
		memset(in, 0, size);
		ck_assert_int_eq(msgt_get(q, in, size, &len, NULL, NULL, 0), SA_AIS_OK);
		ck_assert_uint_eq(len, size);
		ck_assert_msg(memcmp(in, out, size) == 0, "%zu bytes corrupted", size);

		ck_assert_int_eq(msgt_get(q, in, size - 1, &len, NULL, NULL,
					  SA_TIME_ONE_SECOND), SA_AIS_ERR_NO_SPACE);
		ck_assert_uint_eq(len, size);
		ck_assert_uint_eq(msgt_count(h, &n), 1);
		memset(&m, 0, sizeof(m));
		ck_assert_int_eq(saMsgMessageGet(q, &m, NULL, &sid, 0), SA_AIS_OK);
		ck_assert_uint_eq(m.size, size);
		ck_assert_msg(memcmp(m.data, out + 1, size) == 0,
			      "%zu bytes corrupted (allocated)", size);
		ck_assert_int_eq(saMsgMessageDataFree(h, m.data), SA_AIS_OK);
	}
	/* blocked on the main connection when the large message comes */
	msgt_getter_start_alloc(&g, &t, q, 10 * SA_TIME_ONE_SECOND);
	ck_assert(msgt_getter_blocked(&g, 200));
	ck_assert_int_eq(msgt_send(h, &n, 0, out, 200000), SA_AIS_OK);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(g.result, SA_AIS_OK);
	ck_assert_uint_eq(g.msg.size, 200000);
	ck_assert_msg(memcmp(g.msg.data, out, 200000) == 0, "200000 bytes corrupted (blocked)");
	ck_assert_int_eq(saMsgMessageDataFree(h, g.msg.data), SA_AIS_OK);
	free(out);
	free(in);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* --- get --------------------------------------------------------------- */

START_TEST(test_priority_order)
{
	static const SaUint8T prios[] = { 3, 1, 0, 2, 0, 3, 1, 2, 0 };
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaNameT n;
	size_t i;
	int p, last_seq[4] = { -1, -1, -1, -1 }, last_prio = 0;

	msgt_name(&n, "prio");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	for (i = 0; i < sizeof(prios); i++) {
		char s[16];

		snprintf(s, sizeof(s), "%zu", i);
		ck_assert_int_eq(msgt_send_str(h, &n, prios[i], s), SA_AIS_OK);
	}
	for (i = 0; i < sizeof(prios); i++) {
		char buf[16];
		SaUint8T prio = 0xff;
		int seq;

		ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, &prio, NULL, 0), SA_AIS_OK);
		seq = atoi(buf);
		ck_assert_msg(prio == prios[seq], "message %d sent at priority %u came with %u",
			      seq, prios[seq], prio);
		ck_assert_msg(prio >= last_prio, "priority %u after %d", prio, last_prio);
		ck_assert_msg(seq > last_seq[prio], "message %d after %d at priority %u", seq,
			      last_seq[prio], prio);
		last_seq[prio] = seq;
		last_prio = prio;
	}
	for (p = 0; p < 4; p++)
		ck_assert(last_seq[p] >= 0);
	ck_assert_int_eq(msgt_get(q, NULL, 0, NULL, NULL, NULL, 0), SA_AIS_ERR_TIMEOUT);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_get_no_space)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	char data[100], buf[100];
	SaSizeT len = 0;
	SaNameT n;

	msgt_name(&n, "nospace");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	memset(data, 'n', sizeof(data));
	data[0] = '<';
	data[99] = '>';
	ck_assert_int_eq(msgt_send(h, &n, 2, data, 100), SA_AIS_OK);
	ck_assert_int_eq(msgt_get(q, buf, 10, &len, NULL, NULL, 0), SA_AIS_ERR_NO_SPACE);
	ck_assert_uint_eq(len, 100);
	ck_assert_int_eq(msgt_get(q, buf, 99, &len, NULL, NULL, 5 * SA_TIME_ONE_SECOND),
			 SA_AIS_ERR_NO_SPACE);
	ck_assert_uint_eq(len, 100);
	ck_assert_uint_eq(msgt_count(h, &n), 1);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(msgt_get(q, buf, 100, &len, NULL, NULL, 0), SA_AIS_OK);
	ck_assert_uint_eq(len, 100);
	ck_assert_mem_eq(buf, data, 100);
	ck_assert_uint_eq(msgt_count(h, &n), 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_get_library_allocates)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	SaMsgMessageT m;
	char *data;
	SaNameT n;

	msgt_name(&n, "alloc");
	q = msgt_open(h, &n, 0, 0, 1 * MIB, 0);
	data = malloc(100000);
	ck_assert(data != NULL);
	memset(data, 'L', 100000);
	data[99999] = 'E';
	ck_assert_int_eq(msgt_send(h, &n, 0, data, 100000), SA_AIS_OK);
	memset(&m, 0, sizeof(m));
	m.size = 3;	/* ignored: data is NULL */
	ck_assert_int_eq(saMsgMessageGet(q, &m, NULL, &sid, 0), SA_AIS_OK);
	ck_assert(m.data != NULL);
	ck_assert_uint_eq(m.size, 100000);
	ck_assert_mem_eq(m.data, data, 100000);
	ck_assert_int_eq(saMsgMessageDataFree(h, m.data), SA_AIS_OK);
	ck_assert_int_eq(saMsgMessageDataFree(h, NULL), SA_AIS_ERR_INVALID_PARAM);
	free(data);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* Get fills type, version (4 raw bytes), size, priority, senderName (length
 * 0 when none was given), an absolute sendTime, senderId 0. */
START_TEST(test_get_fields)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid;
	SaNameT n, sender, got_sender, empty;
	SaMsgMessageT m;
	SaTimeT sent;
	int64_t now;
	char buf[32];
	const unsigned char ver[4] = { 0xA1, 0xB2, 0xC3, 0xD4 };

	msgt_name(&n, "fields");
	msgt_name_str(&sender, "sender-of-fields");
	q = msgt_open(h, &n, 0, 0, 4096, 0);

	memset(&m, 0, sizeof(m));
	m.type = 0x12345678;
	memcpy((unsigned char *)&m + 4, ver, 4);
	m.size = 4;
	m.data = (void *)"abc";
	m.senderName = &sender;
	m.priority = 1;
	ck_assert_int_eq(saMsgMessageSend(h, &n, &m, SA_TIME_ONE_SECOND), SA_AIS_OK);
	m.senderName = NULL;
	m.type = 7;
	ck_assert_int_eq(saMsgMessageSend(h, &n, &m, SA_TIME_ONE_SECOND), SA_AIS_OK);
	/* an empty sender name is no sender name */
	memset(&empty, 0x77, sizeof(empty));
	empty.length = 0;
	m.senderName = &empty;
	m.type = 8;
	ck_assert_int_eq(saMsgMessageSend(h, &n, &m, SA_TIME_ONE_SECOND), SA_AIS_OK);

	memset(&m, 0, sizeof(m));
	memset(&got_sender, 0x55, sizeof(got_sender));
	m.senderName = &got_sender;
	m.data = buf;
	m.size = sizeof(buf);
	sid = 0xdead;
	sent = 0;
	ck_assert_int_eq(saMsgMessageGet(q, &m, &sent, &sid, 0), SA_AIS_OK);
	now = msgt_realtime_ns();
	ck_assert_uint_eq(m.type, 0x12345678);
	ck_assert_mem_eq((unsigned char *)&m + 4, ver, 4);
	ck_assert_uint_eq(m.size, 4);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(m.priority, 1);
	ck_assert(m.senderName == &got_sender);
	ck_assert_uint_eq(got_sender.length, sender.length);
	ck_assert_mem_eq(got_sender.value, sender.value, sender.length);
	ck_assert_msg(sid == 0, "senderId %llu for an ordinary message", (unsigned long long)sid);
	ck_assert_msg(sent > now - 5 * SA_TIME_ONE_SECOND && sent <= now + 5 * SA_TIME_ONE_SECOND,
		      "sendTime %lld is not an absolute time near now %lld", (long long)sent,
		      (long long)now);

	memset(&got_sender, 0x55, sizeof(got_sender));
	got_sender.length = 77;
	m.data = buf;
	m.size = sizeof(buf);
	sid = 0xdead;
	/* sendTime may be NULL */
	ck_assert_int_eq(saMsgMessageGet(q, &m, NULL, &sid, 0), SA_AIS_OK);
	ck_assert_uint_eq(m.type, 7);
	ck_assert_uint_eq(got_sender.length, 0);
	ck_assert(sid == 0);

	memset(&got_sender, 0x55, sizeof(got_sender));
	m.data = buf;
	m.size = sizeof(buf);
	ck_assert_int_eq(saMsgMessageGet(q, &m, NULL, &sid, 0), SA_AIS_OK);
	ck_assert_uint_eq(m.type, 8);
	ck_assert_uint_eq(got_sender.length, 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_get_timeouts)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	int64_t t0, dt;
	char buf[16];
	SaNameT n;

	msgt_name(&n, "timeout");
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	t0 = msgt_now_ms();
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0), SA_AIS_ERR_TIMEOUT);
	dt = msgt_now_ms() - t0;
	ck_assert_msg(dt < 500, "Get with timeout 0 took %lld ms", (long long)dt);

	t0 = msgt_now_ms();
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 200 * MS),
			 SA_AIS_ERR_TIMEOUT);
	dt = msgt_now_ms() - t0;
	fprintf(stderr, "Get with timeout 200 ms returned TIMEOUT after %lld ms\n", (long long)dt);
	ck_assert_msg(dt >= 199, "Get with timeout 200 ms returned after %lld ms", (long long)dt);
	ck_assert_msg(dt < 3000, "Get with timeout 200 ms returned after %lld ms", (long long)dt);

	/* a message arriving during the wait ends it at once */
	{
		struct msgt_getter g;
		pthread_t t;

		msgt_getter_start(&g, &t, q, 20 * SA_TIME_ONE_SECOND);
		ck_assert(msgt_getter_blocked(&g, 100));
		t0 = msgt_now_ms();
		ck_assert_int_eq(msgt_send_str(h, &n, 0, "wake"), SA_AIS_OK);
		ck_assert_msg(msgt_join(t, 5000), "blocked Get did not return with the message");
		ck_assert_int_eq(g.result, SA_AIS_OK);
		ck_assert_str_eq(g.buf, "wake");
		ck_assert_msg(g.returned_ms - t0 < 2000, "Get returned %lld ms after the send",
			      (long long)(g.returned_ms - t0));
	}
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_cancel)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	struct msgt_getter g1, g2;
	SaMsgQueueHandleT q;
	pthread_t t1, t2;
	int64_t deadline;
	SaAisErrorT e;
	char buf[16];
	SaNameT n;

	msgt_name(&n, "cancel");
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgMessageCancel(q), SA_AIS_ERR_NOT_EXIST);

	/* one blocked Get: Cancel says NOT_EXIST until it is blocked, then OK */
	msgt_getter_start(&g1, &t1, q, SA_TIME_MAX);
	deadline = msgt_now_ms() + 5000;
	while ((e = saMsgMessageCancel(q)) == SA_AIS_ERR_NOT_EXIST && msgt_now_ms() < deadline)
		msgt_sleep_ms(5);
	ck_assert_int_eq(e, SA_AIS_OK);
	ck_assert_msg(msgt_join(t1, 3000), "cancelled Get did not return");
	ck_assert_int_eq(g1.result, SA_AIS_ERR_INTERRUPT);
	ck_assert_int_eq(saMsgMessageCancel(q), SA_AIS_ERR_NOT_EXIST);

	/* two blocked Gets: one Cancel interrupts both */
	msgt_getter_start(&g1, &t1, q, SA_TIME_MAX);
	msgt_getter_start(&g2, &t2, q, SA_TIME_MAX);
	ck_assert(msgt_getter_blocked(&g1, 300));
	ck_assert(msgt_getter_blocked(&g2, 300));
	ck_assert_int_eq(saMsgMessageCancel(q), SA_AIS_OK);
	ck_assert_msg(msgt_join(t1, 3000), "cancelled Get 1 did not return");
	ck_assert_msg(msgt_join(t2, 3000), "cancelled Get 2 did not return");
	ck_assert_int_eq(g1.result, SA_AIS_ERR_INTERRUPT);
	ck_assert_int_eq(g2.result, SA_AIS_ERR_INTERRUPT);

	/* the queue works as before; a message sent now was not eaten */
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "after"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n), 1);
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0), SA_AIS_OK);
	ck_assert_str_eq(buf, "after");
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_finalize_wakes_get)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT h2 = msgt_init(NULL, 3);
	struct msgt_getter g;
	SaMsgQueueHandleT q;
	pthread_t t;
	int64_t t0;
	SaNameT n;

	msgt_name(&n, "finget");
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	msgt_getter_start(&g, &t, q, SA_TIME_MAX);
	ck_assert(msgt_getter_blocked(&g, 300));
	t0 = msgt_now_ms();
	msgt_fini(h);
	ck_assert_msg(msgt_join(t, 3000), "Get blocked forever did not return after finalize");
	ck_assert_int_eq(g.result, SA_AIS_ERR_BAD_HANDLE);
	fprintf(stderr, "finalize woke a blocked Get in %lld ms\n",
		(long long)(g.returned_ms - t0));
	/* and the queue was closed (retention 0: deleted) */
	ck_assert_int_eq(saMsgQueueStatusGet(h2, &n, &(SaMsgQueueStatusT){ 0 }),
			 SA_AIS_ERR_NOT_EXIST);
	msgt_fini(h2);
}
END_TEST

/* A Get blocked forever in one thread does not stop another thread of the
 * same handle from sending, querying, and getting from another queue. */
START_TEST(test_blocked_get_does_not_block_handle)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q1, q2;
	struct msgt_getter g;
	pthread_t t;
	int64_t t0, dt;
	char buf[32];
	SaNameT n1, n2;

	msgt_name(&n1, "blocked");
	msgt_name(&n2, "other");
	q1 = msgt_open(h, &n1, 0, 0, 1024, 0);
	q2 = msgt_open(h, &n2, 0, 0, 1024, 0);
	msgt_getter_start(&g, &t, q1, SA_TIME_MAX);
	ck_assert(msgt_getter_blocked(&g, 300));
	t0 = msgt_now_ms();
	ck_assert_int_eq(msgt_send_str(h, &n2, 0, "other"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n2), 1);
	msgt_get_str(q2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "other");
	dt = msgt_now_ms() - t0;
	ck_assert_msg(dt < 2000, "calls next to a blocked Get took %lld ms", (long long)dt);
	ck_assert(!__atomic_load_n(&g.done, __ATOMIC_SEQ_CST));
	/* a send from this thread wakes the blocked one */
	ck_assert_int_eq(msgt_send_str(h, &n1, 0, "for the blocked"), SA_AIS_OK);
	ck_assert_msg(msgt_join(t, 5000), "blocked Get did not get the message");
	ck_assert_int_eq(g.result, SA_AIS_OK);
	ck_assert_str_eq(g.buf, "for the blocked");
	ck_assert_int_eq(saMsgQueueClose(q1), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q2), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* --- received callback ----------------------------------------------- */

static volatile int received_calls;
static SaMsgQueueHandleT received_queue;
static int received_wrong_queue;
static int received_get_ok;
static char received_text[8][16];

static void received_cb(SaMsgQueueHandleT q)
{
	int i = __atomic_load_n(&received_calls, __ATOMIC_SEQ_CST);
	char buf[16];

	if (q != received_queue)
		received_wrong_queue++;
	/* the application may get the message inside the callback */
	if (i < 3 && msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0) == SA_AIS_OK) {
		received_get_ok++;
		memcpy(received_text[i], buf, sizeof(buf));
	}
	__atomic_add_fetch(&received_calls, 1, __ATOMIC_SEQ_CST);
}

START_TEST(test_received_callback)
{
	SaMsgCallbacksT cb = { .saMsgMessageReceivedCallback = received_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgHandleT hs = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	char buf[16];
	SaNameT n;
	int i;

	msgt_name(&n, "rcvcb");
	received_calls = 0;
	q = msgt_open(h, &n, SA_MSG_QUEUE_RECEIVE_CALLBACK, 0, 4096, 0);
	received_queue = q;
	ck_assert_msg(!msgt_readable(h, 0), "selection object readable with nothing pending");
	ck_assert_int_eq(msgt_send_str(hs, &n, 3, "m0"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(hs, &n, 0, "m1"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(hs, &n, 2, "m2"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(hs, &n, 1, "m3"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(hs, &n, 0, "m4"), SA_AIS_OK);
	ck_assert_msg(msgt_readable(h, 5000), "selection object not readable after 5 sends");
	/* no callback outside dispatch */
	ck_assert_int_eq(received_calls, 0);
	ck_assert_int_eq(msgt_dispatch_until(h, &received_calls, 5, 5000), 5);
	ck_assert_int_eq(received_wrong_queue, 0);
	ck_assert_int_eq(received_get_ok, 3);
	/* nothing more pending: one callback per message */
	ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(received_calls, 5);
	ck_assert_uint_eq(msgt_count(h, &n), 2);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0), SA_AIS_OK);
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0), SA_AIS_ERR_TIMEOUT);

	/* SA_DISPATCH_ONE runs one callback */
	ck_assert_int_eq(msgt_send_str(hs, &n, 0, "o1"), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(hs, &n, 0, "o2"), SA_AIS_OK);
	ck_assert_msg(msgt_wait_count(h, &n, 2, 5000), "the two messages were not stored");
	ck_assert(msgt_readable(h, 5000));
	{
		int64_t deadline = msgt_now_ms() + 5000;

		while (received_calls < 6 && msgt_now_ms() < deadline)
			if (msgt_readable(h, 100))
				ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ONE), SA_AIS_OK);
		ck_assert_int_eq(received_calls, 6);
	}
	ck_assert_int_eq(msgt_dispatch_until(h, &received_calls, 7, 5000), 7);
	ck_assert_int_eq(received_wrong_queue, 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hs);
}
END_TEST

/* More callbacks than the event ring holds (~4,000 at 128 KiB) while the
 * application does not dispatch: safd keeps the rest in order, and every
 * message gets its callback. */
static volatile int counted_calls;

static void counted_cb(SaMsgQueueHandleT q)
{
	__atomic_add_fetch(&counted_calls, 1, __ATOMIC_SEQ_CST);
}

START_TEST(test_received_callbacks_beyond_ring)
{
	enum { N = 6000 };
	SaMsgCallbacksT cb = { .saMsgMessageReceivedCallback = counted_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgHandleT hs = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaMsgMessageT m;
	SaNameT n;
	char c = 'r';
	int i;

	msgt_name(&n, "manycb");
	counted_calls = 0;
	q = msgt_open(h, &n, SA_MSG_QUEUE_RECEIVE_CALLBACK, 0, 64 * 1024, 0);
	memset(&m, 0, sizeof(m));
	m.data = &c;
	m.size = 1;
	for (i = 0; i < N; i++)
		ck_assert_int_eq(saMsgMessageSendAsync(hs, 0, &n, &m, 0), SA_AIS_OK);
	ck_assert_msg(msgt_wait_count(h, &n, N, 30000), "%d messages not stored", N);
	ck_assert_int_eq(counted_calls, 0);
	ck_assert_int_eq(msgt_dispatch_until(h, &counted_calls, N, 10000), N);
	ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(counted_calls, N);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hs);
}
END_TEST

/* Without RECEIVE_CALLBACK no callback comes, even if one is registered. */
START_TEST(test_no_callback_without_flag)
{
	SaMsgCallbacksT cb = { .saMsgMessageReceivedCallback = received_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgQueueHandleT q;
	SaNameT n;

	msgt_name(&n, "nocb");
	received_calls = 0;
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	received_queue = q;
	ck_assert_int_eq(msgt_send_str(h, &n, 0, "quiet"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n), 1);
	ck_assert_msg(!msgt_readable(h, 300), "selection object readable without RECEIVE_CALLBACK");
	ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(received_calls, 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* --- threads ------------------------------------------------------------ */

#define SENDERS 4
#define PER_SENDER 250

struct sender {
	SaMsgHandleT h;
	const SaNameT *dest;
	int id;
	int failures;
	SaAisErrorT last;
};

static void *sender_main(void *p)
{
	struct sender *s = p;
	int i;

	for (i = 0; i < PER_SENDER; i++) {
		char buf[32];
		SaAisErrorT e;

		snprintf(buf, sizeof(buf), "%d %d", s->id, i);
		e = msgt_send_str(s->h, s->dest, 1, buf);
		if (e != SA_AIS_OK) {
			s->failures++;
			s->last = e;
		}
	}
	return NULL;
}

/* Threads sending on one handle while this thread gets: nothing lost, nothing
 * doubled, each sender's messages in its order. */
START_TEST(test_threads_send_one_handle)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	struct sender s[SENDERS];
	pthread_t t[SENDERS];
	int next[SENDERS] = { 0 };
	SaMsgQueueHandleT q;
	SaNameT n;
	int i, got = 0;

	msgt_name(&n, "threads");
	q = msgt_open(h, &n, 0, 0, 1 * MIB, 0);
	for (i = 0; i < SENDERS; i++) {
		s[i] = (struct sender){ .h = h, .dest = &n, .id = i };
		ck_assert_int_eq(pthread_create(&t[i], NULL, sender_main, &s[i]), 0);
	}
	while (got < SENDERS * PER_SENDER) {
		char buf[32];
		int id, seq;

		ck_assert_msg(msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL,
				       10 * SA_TIME_ONE_SECOND) == SA_AIS_OK,
			      "only %d of %d messages arrived", got, SENDERS * PER_SENDER);
		ck_assert_int_eq(sscanf(buf, "%d %d", &id, &seq), 2);
		ck_assert(id >= 0 && id < SENDERS);
		ck_assert_msg(seq == next[id], "sender %d: got %d, expected %d", id, seq, next[id]);
		next[id]++;
		got++;
	}
	for (i = 0; i < SENDERS; i++) {
		ck_assert(msgt_join(t[i], 10000));
		ck_assert_msg(s[i].failures == 0, "sender %d: %d sends failed, last %d", i,
			      s[i].failures, s[i].last);
	}
	ck_assert_int_eq(msgt_get(q, NULL, 0, NULL, NULL, NULL, 0), SA_AIS_ERR_TIMEOUT);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

static Suite *msg_message_suite(void)
{
	Suite *s = suite_create("msg_message");
	TCase *tc;

	if (!msgt_live())
		return s;
	tc = tcase_create("messages");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_send_not_exist);
	tcase_add_test(tc, test_send_to_closed_queue);
	tcase_add_test(tc, test_send_bad_args);
	tcase_add_test(tc, test_queue_full_per_area);
	tcase_add_test(tc, test_send_async_delivered);
	tcase_add_test(tc, test_one_mib);
	tcase_add_test(tc, test_get_around_small_buffer);
	tcase_add_test(tc, test_priority_order);
	tcase_add_test(tc, test_get_no_space);
	tcase_add_test(tc, test_get_library_allocates);
	tcase_add_test(tc, test_get_fields);
	tcase_add_test(tc, test_get_timeouts);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_finalize_wakes_get);
	tcase_add_test(tc, test_blocked_get_does_not_block_handle);
	tcase_add_test(tc, test_received_callback);
	tcase_add_test(tc, test_received_callbacks_beyond_ring);
	tcase_add_test(tc, test_no_callback_without_flag);
	tcase_add_test(tc, test_threads_send_one_handle);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return msgt_main(msg_message_suite, "check_msg_message");
}
