/*
 * Message Service arguments: every saMsg function with bad handles (no safd
 * needed: the library rejects them itself), with handles that were valid
 * (finalized message handle, closed queue handle), with NULL pointers, and
 * with names of length 0 and > 256.  Bad arguments must never reach safd as
 * a request that could hang: each call returns its error at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_msg_common.h"

static const SaUint64T bad_handles[] = { 0, 1, 0xdeadbeefULL, 0xffffffffffffffffULL };
#define N_BAD ((int)(sizeof(bad_handles) / sizeof(bad_handles[0])))

/* Arguments that are valid in themselves, so that only the handle is wrong. */
struct good_args {
	SaNameT name;
	SaNameT group;
	SaMsgQueueCreationAttributesT attrs;
	SaMsgQueueStatusT status;
	SaTimeT retention;
	SaMsgQueueGroupNotificationT items[4];
	SaMsgQueueGroupNotificationBufferT buf;
	char data[16];
	char rdata[16];
	SaMsgMessageT msg;
	SaMsgMessageT reply;
	SaMsgSenderIdT sender_id;
	SaMsgQueueThresholdsT thr;
	SaUint32T meta;
	SaLimitValueT limit;
	SaSelectionObjectT so;
	SaMsgQueueHandleT q;
	SaTimeT t;
};

static void good_args_init(struct good_args *g)
{
	memset(g, 0, sizeof(*g));
	msgt_name_str(&g->name, "mt.args.queue");
	msgt_name_str(&g->group, "mt.args.group");
	msgt_attrs(&g->attrs, 0, 1024, 0);
	g->retention = SA_TIME_ONE_SECOND;
	g->buf.numberOfItems = 4;
	g->buf.notification = g->items;
	strcpy(g->data, "hello");
	g->msg.data = g->data;
	g->msg.size = sizeof(g->data);
	g->reply.data = g->rdata;
	g->reply.size = sizeof(g->rdata);
	g->sender_id = 1;
	g->thr.capacityReached[0] = 10;
}

/* Every function taking a message handle, with handle h. */
static void check_msg_handle_calls(SaMsgHandleT h, SaAisErrorT want)
{
	struct good_args g;
	/* a library that refuses the call must not free these */
	void *heap1 = malloc(16);
	void *heap2 = malloc(sizeof(SaMsgQueueGroupNotificationT));

	good_args_init(&g);
	ck_assert_int_eq(saMsgSelectionObjectGet(h, &g.so), want);
	ck_assert_int_eq(saMsgDispatch(h, SA_DISPATCH_ALL), want);
	ck_assert_int_eq(saMsgQueueOpen(h, &g.name, &g.attrs, SA_MSG_QUEUE_CREATE,
					SA_TIME_ONE_SECOND, &g.q), want);
	ck_assert_int_eq(saMsgQueueOpenAsync(h, 1, &g.name, &g.attrs, SA_MSG_QUEUE_CREATE),
			 want);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &g.name, &g.status), want);
	ck_assert_int_eq(saMsgQueueUnlink(h, &g.name), want);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g.group, SA_MSG_QUEUE_GROUP_ROUND_ROBIN),
			 want);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g.group), want);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g.group, &g.name), want);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g.group, &g.name), want);
	ck_assert_int_eq(saMsgQueueGroupTrack(h, &g.group, SA_TRACK_CURRENT, &g.buf), want);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(h, &g.group), want);
	ck_assert_int_eq(saMsgQueueGroupNotificationFree(h, heap2), want);
	ck_assert_int_eq(saMsgMessageSend(h, &g.name, &g.msg, SA_TIME_ONE_SECOND), want);
	ck_assert_int_eq(saMsgMessageSendAsync(h, 1, &g.name, &g.msg, 0), want);
	ck_assert_int_eq(saMsgMessageDataFree(h, heap1), want);
	ck_assert_int_eq(saMsgMessageSendReceive(h, &g.name, &g.msg, &g.reply, &g.t,
						 SA_TIME_ONE_SECOND), want);
	ck_assert_int_eq(saMsgMessageReply(h, &g.msg, &g.sender_id, SA_TIME_ONE_SECOND), want);
	ck_assert_int_eq(saMsgMessageReplyAsync(h, 1, &g.msg, &g.sender_id, 0), want);
	ck_assert_int_eq(saMsgMetadataSizeGet(h, &g.meta), want);
	ck_assert_int_eq(saMsgLimitGet(h, SA_MSG_MAX_MESSAGE_SIZE_ID, &g.limit), want);
	ck_assert_int_eq(saMsgFinalize(h), want);
	free(heap1);
	free(heap2);
}

/* Every function taking a queue handle, with queue handle q. */
static void check_queue_handle_calls(SaMsgQueueHandleT q, SaAisErrorT want)
{
	struct good_args g;

	good_args_init(&g);
	ck_assert_int_eq(saMsgQueueRetentionTimeSet(q, &g.retention), want);
	/* SA_TIME_MAX: a library that sends a bad handle to safd would hang */
	ck_assert_int_eq(saMsgMessageGet(q, &g.reply, &g.t, &g.sender_id, SA_TIME_MAX), want);
	ck_assert_int_eq(saMsgMessageCancel(q), want);
	ck_assert_int_eq(saMsgQueueCapacityThresholdsSet(q, &g.thr), want);
	ck_assert_int_eq(saMsgQueueCapacityThresholdsGet(q, &g.thr), want);
	ck_assert_int_eq(saMsgQueueClose(q), want);
}

START_TEST(test_bad_msg_handles)
{
	check_msg_handle_calls(bad_handles[_i], SA_AIS_ERR_BAD_HANDLE);
}
END_TEST

START_TEST(test_bad_queue_handles)
{
	check_queue_handle_calls(bad_handles[_i], SA_AIS_ERR_BAD_HANDLE);
}
END_TEST

/* --- live -------------------------------------------------------------- */

START_TEST(test_finalized_handles)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaNameT n;

	msgt_name(&n, "fin");
	q = msgt_open(h, &n, 0, 0, 1024, 0);
	msgt_fini(h);
	check_msg_handle_calls(h, SA_AIS_ERR_BAD_HANDLE);
	/* finalize closed the queue: its handle is dead too */
	check_queue_handle_calls(q, SA_AIS_ERR_BAD_HANDLE);
}
END_TEST

START_TEST(test_closed_queue_handle)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaNameT n;

	msgt_name(&n, "closed");
	q = msgt_open(h, &n, 0, SA_MSG_QUEUE_PERSISTENT, 1024, 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	check_queue_handle_calls(q, SA_AIS_ERR_BAD_HANDLE);
	/* the message handle is still fine */
	ck_assert_int_eq(saMsgQueueUnlink(h, &n), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

static void track_cb(const SaNameT *g, const SaMsgQueueGroupNotificationBufferT *b,
		     SaUint32T members, SaAisErrorT e)
{
}

static void delivered_cb(SaInvocationT inv, SaAisErrorT e)
{
}

START_TEST(test_null_pointers)
{
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb,
			       .saMsgMessageDeliveredCallback = delivered_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgQueueHandleT q;
	struct good_args g;
	SaNameT n, grp;

	good_args_init(&g);
	msgt_name(&n, "null");
	msgt_name(&grp, "nullgrp");
	q = msgt_open(h, &n, 0, 0, 4096, 0);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &grp, SA_MSG_QUEUE_GROUP_ROUND_ROBIN),
			 SA_AIS_OK);

	/* queues */
	ck_assert_int_eq(saMsgQueueOpen(h, NULL, &g.attrs, SA_MSG_QUEUE_CREATE,
					SA_TIME_ONE_SECOND, &g.q), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueOpen(h, &g.name, &g.attrs, SA_MSG_QUEUE_CREATE,
					SA_TIME_ONE_SECOND, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueOpenAsync(h, 1, NULL, &g.attrs, SA_MSG_QUEUE_CREATE),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueStatusGet(h, NULL, &g.status), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &n, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueRetentionTimeSet(q, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueUnlink(h, NULL), SA_AIS_ERR_INVALID_PARAM);

	/* groups */
	ck_assert_int_eq(saMsgQueueGroupCreate(h, NULL, SA_MSG_QUEUE_GROUP_ROUND_ROBIN),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, NULL, &n), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &grp, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, NULL, &n), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &grp, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupTrack(h, NULL, SA_TRACK_CHANGES, NULL),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(h, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueGroupNotificationFree(h, NULL), SA_AIS_ERR_INVALID_PARAM);

	/* messages */
	ck_assert_int_eq(saMsgMessageSend(h, NULL, &g.msg, SA_TIME_ONE_SECOND),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageSend(h, &n, NULL, SA_TIME_ONE_SECOND),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageSendAsync(h, 1, NULL, &g.msg, 0), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageSendAsync(h, 1, &n, NULL, 0), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageGet(q, NULL, &g.t, &g.sender_id, 0),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageGet(q, &g.reply, &g.t, NULL, 0), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageDataFree(h, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageSendReceive(h, NULL, &g.msg, &g.reply, &g.t,
						 SA_TIME_ONE_SECOND), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageSendReceive(h, &n, NULL, &g.reply, &g.t,
						 SA_TIME_ONE_SECOND), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageSendReceive(h, &n, &g.msg, NULL, &g.t,
						 SA_TIME_ONE_SECOND), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageReply(h, NULL, &g.sender_id, SA_TIME_ONE_SECOND),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageReply(h, &g.msg, NULL, SA_TIME_ONE_SECOND),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageReplyAsync(h, 1, NULL, &g.sender_id, 0),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMessageReplyAsync(h, 1, &g.msg, NULL, 0),
			 SA_AIS_ERR_INVALID_PARAM);

	/* B.03 additions */
	ck_assert_int_eq(saMsgQueueCapacityThresholdsSet(q, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgQueueCapacityThresholdsGet(q, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgMetadataSizeGet(h, NULL), SA_AIS_ERR_INVALID_PARAM);
	ck_assert_int_eq(saMsgLimitGet(h, SA_MSG_MAX_MESSAGE_SIZE_ID, NULL),
			 SA_AIS_ERR_INVALID_PARAM);

	/* nothing was sent by mistake: the queue is still empty */
	ck_assert_uint_eq(msgt_count(h, &n), 0);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &grp), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* Names of length 0, 257 and 65535 are refused by every call taking a name. */
START_TEST(test_bad_name_lengths)
{
	static const SaUint16T lengths[] = { 0, SA_MAX_NAME_LENGTH + 1, 0xffff };
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueStatusT st;
	SaMsgQueueHandleT q;
	SaNameT good, grp;
	size_t i;

	msgt_attrs(&a, 0, 1024, 0);
	msgt_name(&good, "good");
	msgt_name(&grp, "goodgrp");
	q = msgt_open(h, &good, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &grp, SA_MSG_QUEUE_GROUP_ROUND_ROBIN),
			 SA_AIS_OK);
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		SaMsgQueueHandleT q2 = 0;
		SaNameT bad;
		SaMsgMessageT m = { .size = 2, .data = (void *)"x" };

		memset(&bad, 'b', sizeof(bad));
		bad.length = lengths[i];
		ck_assert_int_eq(saMsgQueueOpen(h, &bad, &a, SA_MSG_QUEUE_CREATE,
						SA_TIME_ONE_SECOND, &q2), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueOpenAsync(h, 1, &bad, &a, SA_MSG_QUEUE_CREATE),
				 SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueStatusGet(h, &bad, &st), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueUnlink(h, &bad), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueGroupCreate(h, &bad, SA_MSG_QUEUE_GROUP_ROUND_ROBIN),
				 SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueGroupDelete(h, &bad), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueGroupInsert(h, &grp, &bad), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueGroupInsert(h, &bad, &good), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueGroupRemove(h, &bad, &good), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueGroupTrack(h, &bad, SA_TRACK_CHANGES, NULL),
				 SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgQueueGroupTrackStop(h, &bad), SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgMessageSend(h, &bad, &m, SA_TIME_ONE_SECOND),
				 SA_AIS_ERR_INVALID_PARAM);
		ck_assert_int_eq(saMsgMessageSendAsync(h, 1, &bad, &m, 0),
				 SA_AIS_ERR_INVALID_PARAM);
		/* a sender name is a name too (length 0 means none: see
		 * check_msg_message's test_get_fields) */
		if (lengths[i] > SA_MAX_NAME_LENGTH) {
			m.senderName = &bad;
			ck_assert_int_eq(saMsgMessageSend(h, &good, &m, SA_TIME_ONE_SECOND),
					 SA_AIS_ERR_INVALID_PARAM);
		}
	}
	ck_assert_uint_eq(msgt_count(h, &good), 0);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &grp), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

static Suite *msg_args_suite(void)
{
	Suite *s = suite_create("msg_args");
	TCase *tc = tcase_create("bad_handles");
	TCase *lv;

	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_bad_msg_handles, 0, N_BAD);
	tcase_add_loop_test(tc, test_bad_queue_handles, 0, N_BAD);
	suite_add_tcase(s, tc);
	if (!msgt_live())
		return s;
	lv = tcase_create("live");
	tcase_set_timeout(lv, 20);
	tcase_add_test(lv, test_finalized_handles);
	tcase_add_test(lv, test_closed_queue_handle);
	tcase_add_test(lv, test_null_pointers);
	tcase_add_test(lv, test_bad_name_lengths);
	suite_add_tcase(s, lv);
	return s;
}

int main(void)
{
	return msgt_main(msg_args_suite, "check_msg_args");
}
