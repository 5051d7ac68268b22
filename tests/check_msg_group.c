/*
 * Queue groups: create / insert / remove / delete and their errors, sends to
 * empty and deleted groups, the four policies on one node (round robin,
 * local round robin, local best queue, broadcast), SendReceive through a
 * group, membership tracking (CURRENT into a caller's or the library's
 * buffer, CHANGES, CHANGES_ONLY, bad flags, TrackStop), and members leaving
 * their groups when the queue is unlinked or deleted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <safd/util.h>

#include "check_msg_common.h"

static SaUint32T metadata(SaMsgHandleT h)
{
	SaUint32T m = 0;

	ck_assert_int_eq(saMsgMetadataSizeGet(h, &m), SA_AIS_OK);
	return m;
}

static bool name_eq(const SaNameT *a, const SaNameT *b)
{
	return a->length == b->length && memcmp(a->value, b->value, a->length) == 0;
}

/* --- track callback recorder ------------------------------------------- */

#define MAX_ITEMS 16

static volatile int track_calls;
static SaUint32T members_log[128];	/* numberOfMembers of each callback */
static struct {
	SaNameT group;
	SaUint32T items;
	SaMsgQueueGroupNotificationT item[MAX_ITEMS];
	SaMsgQueueGroupPolicyT policy;
	SaUint32T members;
	SaAisErrorT error;
} last_track;

static void track_cb(const SaNameT *group, const SaMsgQueueGroupNotificationBufferT *buf,
		     SaUint32T members, SaAisErrorT error)
{
	SaUint32T i;

	memset(&last_track, 0, sizeof(last_track));
	if (group != NULL)
		last_track.group = *group;
	if (buf != NULL) {
		last_track.items = buf->numberOfItems;
		last_track.policy = buf->queueGroupPolicy;
		for (i = 0; i < buf->numberOfItems && i < MAX_ITEMS; i++)
			last_track.item[i] = buf->notification[i];
	}
	last_track.members = members;
	last_track.error = error;
	i = (SaUint32T)__atomic_load_n(&track_calls, __ATOMIC_SEQ_CST);
	if (i < SAFD_ARRAY_SIZE(members_log))
		members_log[i] = members;
	__atomic_add_fetch(&track_calls, 1, __ATOMIC_SEQ_CST);
}

/* The change reported for queue n in the last callback; 0 if not listed. */
static int last_change_of(const SaNameT *n)
{
	SaUint32T i;

	for (i = 0; i < last_track.items && i < MAX_ITEMS; i++)
		if (name_eq(&last_track.item[i].member.queueName, n))
			return (int)last_track.item[i].change;
	return 0;
}

/* Current members through Track CURRENT into a caller buffer. */
static SaUint32T members(SaMsgHandleT h, const SaNameT *group, SaMsgQueueGroupNotificationT *out,
			 SaUint32T cap)
{
	SaMsgQueueGroupNotificationBufferT b = { .numberOfItems = cap, .notification = out };
	SaAisErrorT e;

	e = saMsgQueueGroupTrack(h, group, SA_TRACK_CURRENT, &b);
	ck_assert_msg(e == SA_AIS_OK, "Track CURRENT returned %d", e);
	return b.numberOfItems;
}

static bool has_member(const SaMsgQueueGroupNotificationT *items, SaUint32T n, const SaNameT *q)
{
	SaUint32T i;

	for (i = 0; i < n; i++)
		if (name_eq(&items[i].member.queueName, q))
			return true;
	return false;
}

/* Drains queue q (timeout 0); returns how many messages it held and writes
 * their numbers (the payload is "%d") to seen[] marked with `who`. */
static int drain(SaMsgQueueHandleT q, int *owner, int nmsg, int who)
{
	int count = 0;
	char buf[32];

	while (msgt_get(q, buf, sizeof(buf), NULL, NULL, NULL, 0) == SA_AIS_OK) {
		int i = atoi(buf);

		ck_assert(i >= 0 && i < nmsg);
		ck_assert_msg(owner[i] == -1, "message %d delivered twice", i);
		owner[i] = who;
		count++;
	}
	return count;
}

static void send_numbered(SaMsgHandleT h, const SaNameT *group, int from, int n, size_t size)
{
	char buf[256];
	int i;

	ck_assert(size <= sizeof(buf) && size >= 8);
	for (i = from; i < from + n; i++) {
		memset(buf, 'g', sizeof(buf));
		snprintf(buf, sizeof(buf), "%d", i);
		ck_assert_int_eq(msgt_send(h, group, 0, buf, size), SA_AIS_OK);
	}
}

/* --- create / insert / remove / delete ---------------------------------- */

START_TEST(test_group_create_delete)
{
	static const int bad[] = { 0, 5, 100, -1 };
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueGroupNotificationT it[2];
	SaMsgQueueHandleT q;
	SaNameT g[4], same;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		SaNameT x;

		msgt_name(&x, "badpolicy");
		ck_assert_msg(saMsgQueueGroupCreate(h, &x, (SaMsgQueueGroupPolicyT)bad[i]) ==
			      SA_AIS_ERR_INVALID_PARAM, "policy %d accepted", bad[i]);
		ck_assert_int_eq(saMsgQueueGroupDelete(h, &x), SA_AIS_ERR_NOT_EXIST);
	}
	for (i = 0; i < 4; i++) {
		SaMsgQueueGroupNotificationBufferT b = { .numberOfItems = 2, .notification = it };

		msgt_name(&g[i], "grp");
		ck_assert_int_eq(saMsgQueueGroupCreate(h, &g[i], (SaMsgQueueGroupPolicyT)(i + 1)),
				 SA_AIS_OK);
		ck_assert_int_eq(saMsgQueueGroupTrack(h, &g[i], SA_TRACK_CURRENT, &b), SA_AIS_OK);
		ck_assert_uint_eq(b.numberOfItems, 0);
		ck_assert_int_eq(b.queueGroupPolicy, (int)(i + 1));
	}
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g[0], SA_MSG_QUEUE_GROUP_ROUND_ROBIN),
			 SA_AIS_ERR_EXIST);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g[0], SA_MSG_QUEUE_GROUP_BROADCAST),
			 SA_AIS_ERR_EXIST);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(saMsgQueueGroupDelete(h, &g[i]), SA_AIS_OK);
		ck_assert_int_eq(saMsgQueueGroupDelete(h, &g[i]), SA_AIS_ERR_NOT_EXIST);
	}
	/* a deleted group's name can be used again */
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g[0], SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g[0]), SA_AIS_OK);

	/* queues and groups are separate namespaces */
	msgt_name(&same, "samename");
	q = msgt_open(h, &same, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &same, SA_MSG_QUEUE_GROUP_ROUND_ROBIN),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &same), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueStatusGet(h, &same, &(SaMsgQueueStatusT){ 0 }), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_group_insert_remove)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueGroupNotificationT it[4];
	SaMsgQueueHandleT qa, qb;
	SaNameT g, g2, a, b, absent_q, absent_g;

	msgt_name(&g, "ins");
	msgt_name(&g2, "ins2");
	msgt_name(&a, "qa");
	msgt_name(&b, "qb");
	msgt_name(&absent_q, "noqueue");
	msgt_name(&absent_g, "nogroup");
	qa = msgt_open(h, &a, 0, 0, 1024, 0);
	qb = msgt_open(h, &b, 0, SA_MSG_QUEUE_PERSISTENT, 1024, 0);
	ck_assert_int_eq(saMsgQueueClose(qb), SA_AIS_OK);	/* closed queues can join too */
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g2, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);

	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_ERR_EXIST);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &b), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g2, &a), SA_AIS_OK);	/* in two groups */
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &absent_q), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &absent_g, &a), SA_AIS_ERR_NOT_EXIST);
	ck_assert_uint_eq(members(h, &g, it, 4), 2);
	ck_assert(has_member(it, 2, &a) && has_member(it, 2, &b));
	ck_assert_uint_eq(members(h, &g2, it, 4), 1);

	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &a), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &absent_q), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &absent_g, &b), SA_AIS_ERR_NOT_EXIST);
	ck_assert_uint_eq(members(h, &g, it, 4), 1);
	ck_assert(has_member(it, 1, &b));
	/* removing from one group leaves the other alone */
	ck_assert_uint_eq(members(h, &g2, it, 4), 1);
	ck_assert(has_member(it, 1, &a));

	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g2), SA_AIS_OK);
	/* deleting groups does not touch their queues */
	ck_assert_int_eq(saMsgQueueStatusGet(h, &b, &(SaMsgQueueStatusT){ 0 }), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h, &b), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(qa), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

START_TEST(test_group_send_errors)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q;
	SaNameT g, gb, a;

	msgt_name(&g, "empty");
	msgt_name(&gb, "emptyb");
	msgt_name(&a, "member");
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &gb, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &g, 0, "x"), SA_AIS_ERR_QUEUE_NOT_AVAILABLE);
	ck_assert_int_eq(msgt_send_str(h, &gb, 0, "x"), SA_AIS_ERR_QUEUE_NOT_AVAILABLE);
	q = msgt_open(h, &a, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &g, 0, "in"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &a), 1);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	ck_assert_int_eq(msgt_send_str(h, &g, 0, "x"), SA_AIS_ERR_NOT_EXIST);
	ck_assert_uint_eq(msgt_count(h, &a), 1);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &gb), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* --- policies ----------------------------------------------------------- */

#define RR_MEMBERS 3
#define RR_MSGS 9

START_TEST(test_round_robin)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q[RR_MEMBERS];
	SaNameT g, n[RR_MEMBERS];
	int owner[RR_MSGS];
	int i;

	msgt_name(&g, "rr");
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	for (i = 0; i < RR_MEMBERS; i++) {
		msgt_name(&n[i], "rrq");
		q[i] = msgt_open(h, &n[i], 0, 0, 4096, 0);
		ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &n[i]), SA_AIS_OK);
	}
	send_numbered(h, &g, 0, RR_MSGS, 8);
	for (i = 0; i < RR_MSGS; i++)
		owner[i] = -1;
	for (i = 0; i < RR_MEMBERS; i++)
		ck_assert_int_eq(drain(q[i], owner, RR_MSGS, i), RR_MSGS / RR_MEMBERS);
	for (i = 0; i < RR_MSGS; i++) {
		ck_assert_msg(owner[i] >= 0, "message %d lost", i);
		if (i >= RR_MEMBERS)
			ck_assert_msg(owner[i] == owner[i - RR_MEMBERS],
				      "message %d went to member %d, message %d to %d: not a rotation",
				      i, owner[i], i - RR_MEMBERS, owner[i - RR_MEMBERS]);
		if (i >= 1)
			ck_assert_msg(owner[i] != owner[i - 1],
				      "messages %d and %d went to the same member", i - 1, i);
	}
	for (i = 0; i < RR_MEMBERS; i++)
		ck_assert_int_eq(saMsgQueueClose(q[i]), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* Fills priority area 0 of queue n to the last byte (payload + metadata). */
static void fill_area0(SaMsgHandleT h, const SaNameT *n)
{
	SaMsgQueueStatusT st;
	SaUint32T meta = metadata(h);
	SaSizeT room;
	char *buf;

	ck_assert_int_eq(saMsgQueueStatusGet(h, n, &st), SA_AIS_OK);
	room = st.saMsgQueueUsage[0].queueSize - st.saMsgQueueUsage[0].queueUsed;
	ck_assert(room > meta + 1);
	buf = calloc(1, room);
	ck_assert(buf != NULL);
	ck_assert_int_eq(msgt_send(h, n, 0, buf, room - meta), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, n, 0, buf, 1), SA_AIS_ERR_QUEUE_FULL);
	free(buf);
}

START_TEST(test_broadcast)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT q[3];
	SaNameT g, n[3];
	char buf[32];
	int i;

	msgt_name(&g, "bcast");
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	for (i = 0; i < 3; i++) {
		msgt_name(&n[i], "bq");
		q[i] = msgt_open(h, &n[i], 0, 0, 200, 0);
		ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &n[i]), SA_AIS_OK);
	}
	ck_assert_int_eq(msgt_send_str(h, &g, 0, "to all"), SA_AIS_OK);
	for (i = 0; i < 3; i++) {
		msgt_get_str(q[i], buf, sizeof(buf));
		ck_assert_str_eq(buf, "to all");
		ck_assert_int_eq(msgt_get(q[i], buf, sizeof(buf), NULL, NULL, NULL, 0),
				 SA_AIS_ERR_TIMEOUT);
	}
	/* member 1 full: the others still get it, and the send succeeds */
	fill_area0(h, &n[1]);
	ck_assert_int_eq(msgt_send_str(h, &g, 0, "to some"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n[0]), 1);
	ck_assert_uint_eq(msgt_count(h, &n[1]), 1);
	ck_assert_uint_eq(msgt_count(h, &n[2]), 1);
	/* every member full: QUEUE_FULL */
	fill_area0(h, &n[0]);
	fill_area0(h, &n[2]);
	ck_assert_int_eq(msgt_send_str(h, &g, 0, "to none"), SA_AIS_ERR_QUEUE_FULL);
	/* other priorities have room */
	ck_assert_int_eq(msgt_send_str(h, &g, 2, "low"), SA_AIS_OK);
	ck_assert_uint_eq(msgt_count(h, &n[0]), 3);
	ck_assert_uint_eq(msgt_count(h, &n[1]), 2);
	ck_assert_uint_eq(msgt_count(h, &n[2]), 3);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(saMsgQueueClose(q[i]), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* LOCAL_ROUND_ROBIN: round robin over the members opened on this node; a
 * closed member is not local.  With no local member it is ROUND_ROBIN. */
START_TEST(test_local_round_robin)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT qa, qb, qc;
	SaNameT g, g2, a, b, c, d;
	int owner[8];
	int i;

	msgt_name(&g, "lrr");
	msgt_name(&g2, "lrr-nolocal");
	msgt_name(&a, "lrra");
	msgt_name(&b, "lrrb");
	msgt_name(&c, "lrrc");
	msgt_name(&d, "lrrd");
	qa = msgt_open(h, &a, 0, 0, 4096, 0);
	qb = msgt_open(h, &b, 0, 0, 4096, 0);
	qc = msgt_open(h, &c, 0, SA_MSG_QUEUE_PERSISTENT, 4096, 0);
	ck_assert_int_eq(saMsgQueueClose(qc), SA_AIS_OK);
	qc = msgt_open(h, &d, 0, SA_MSG_QUEUE_PERSISTENT, 4096, 0);
	ck_assert_int_eq(saMsgQueueClose(qc), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &c), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &b), SA_AIS_OK);
	send_numbered(h, &g, 0, 6, 8);
	ck_assert_uint_eq(msgt_count(h, &c), 0);
	for (i = 0; i < 6; i++)
		owner[i] = -1;
	ck_assert_int_eq(drain(qa, owner, 6, 0), 3);
	ck_assert_int_eq(drain(qb, owner, 6, 1), 3);
	for (i = 1; i < 6; i++)
		ck_assert_msg(owner[i] != owner[i - 1], "local round robin did not alternate");

	/* no local member: round robin over all */
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g2, SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g2, &c), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g2, &d), SA_AIS_OK);
	send_numbered(h, &g2, 0, 4, 8);
	ck_assert_uint_eq(msgt_count(h, &c), 2);
	ck_assert_uint_eq(msgt_count(h, &d), 2);

	ck_assert_int_eq(saMsgQueueClose(qa), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(qb), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h, &c), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h, &d), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g2), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

/* LOCAL_BEST_QUEUE: the local member with the most free space; a closed
 * (not local) member is not chosen while local ones exist. */
START_TEST(test_local_best_queue)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT qa, qb, qc;
	SaNameT g, a, b, c;
	char data[300];
	int i;

	memset(data, 'z', sizeof(data));
	msgt_name(&g, "lbq");
	msgt_name(&a, "lbqa");
	msgt_name(&b, "lbqb");
	msgt_name(&c, "lbqc");
	qa = msgt_open(h, &a, 0, 0, 1000, 0);
	qb = msgt_open(h, &b, 0, 0, 1000, 0);
	qc = msgt_open(h, &c, 0, SA_MSG_QUEUE_PERSISTENT, 100000, 0);
	ck_assert_int_eq(saMsgQueueClose(qc), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_LOCAL_BEST_QUEUE),
			 SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &b), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &c), SA_AIS_OK);

	/* a: 300 used, b: empty -> the next three 100-byte messages go to b */
	ck_assert_int_eq(msgt_send(h, &a, 0, data, 300), SA_AIS_OK);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(msgt_send(h, &g, 0, data, 100), SA_AIS_OK);
		ck_assert_msg(msgt_count(h, &b) == (uint32_t)(i + 1),
			      "message %d to the best-queue group did not go to the emptiest member",
			      i);
	}
	ck_assert_uint_eq(msgt_count(h, &a), 1);
	/* b: 300 + 100 more -> a is best now */
	ck_assert_int_eq(msgt_send(h, &b, 0, data, 100), SA_AIS_OK);
	ck_assert_int_eq(msgt_send(h, &g, 0, data, 100), SA_AIS_OK);
	ck_assert_msg(msgt_count(h, &a) == 2, "the emptier member a did not get the message");
	ck_assert_uint_eq(msgt_count(h, &c), 0);
	ck_assert_int_eq(saMsgQueueClose(qa), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(qb), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueUnlink(h, &c), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	msgt_fini(h);
}
END_TEST

struct group_requester {
	SaMsgHandleT h;
	const SaNameT *dest;
	char reply[32];
	SaAisErrorT result;
};

static void *group_request(void *p)
{
	struct group_requester *r = p;
	SaMsgMessageT m = { .data = (void *)"via group", .size = 10 };
	SaMsgMessageT rep = { .data = r->reply, .size = sizeof(r->reply) };

	r->result = saMsgMessageSendReceive(r->h, r->dest, &m, &rep, NULL,
					    10 * SA_TIME_ONE_SECOND);
	return NULL;
}

START_TEST(test_send_receive_group)
{
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgHandleT hr = msgt_init(NULL, 3);
	struct group_requester r = { .h = hr };
	SaMsgMessageT m = { .data = (void *)"x", .size = 2 };
	SaMsgMessageT rep;
	SaMsgQueueHandleT q;
	SaMsgSenderIdT sid = 0;
	SaNameT g, gb, a;
	char buf[32], rbuf[32];
	pthread_t t;

	msgt_name(&g, "srg");
	msgt_name(&gb, "srgb");
	msgt_name(&a, "srga");
	q = msgt_open(h, &a, 0, 0, 4096, 0);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &gb, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &gb, &a), SA_AIS_OK);

	memset(&rep, 0, sizeof(rep));
	rep.data = rbuf;
	rep.size = sizeof(rbuf);
	ck_assert_int_eq(saMsgMessageSendReceive(hr, &gb, &m, &rep, NULL, SA_TIME_ONE_SECOND),
			 SA_AIS_ERR_INVALID_PARAM);
	ck_assert_uint_eq(msgt_count(h, &a), 0);

	r.dest = &g;
	ck_assert_int_eq(pthread_create(&t, NULL, group_request, &r), 0);
	ck_assert_int_eq(msgt_get(q, buf, sizeof(buf), NULL, NULL, &sid, 5 * SA_TIME_ONE_SECOND),
			 SA_AIS_OK);
	ck_assert_str_eq(buf, "via group");
	ck_assert(sid != 0);
	m.data = (void *)"group answer";
	m.size = 13;
	ck_assert_int_eq(saMsgMessageReply(h, &m, &sid, 5 * SA_TIME_ONE_SECOND), SA_AIS_OK);
	ck_assert(msgt_join(t, 5000));
	ck_assert_int_eq(r.result, SA_AIS_OK);
	ck_assert_str_eq(r.reply, "group answer");
	ck_assert_int_eq(saMsgQueueClose(q), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &gb), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hr);
}
END_TEST

/* --- tracking ----------------------------------------------------------- */

START_TEST(test_track_current)
{
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgHandleT hnocb = msgt_init(NULL, 3);
	SaMsgQueueGroupNotificationBufferT b;
	SaMsgQueueGroupNotificationT it[4];
	SaMsgQueueHandleT q[3];
	SaNameT g, n[3];
	SaAisErrorT e;
	SaUint32T i;

	msgt_name(&g, "trackcur");
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN),
			 SA_AIS_OK);
	for (i = 0; i < 3; i++) {
		msgt_name(&n[i], "tq");
		q[i] = msgt_open(h, &n[i], 0, 0, 1024, 0);
		ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &n[i]), SA_AIS_OK);
	}

	/* a caller buffer that fits; no callback needed for that */
	memset(it, 0, sizeof(it));
	b = (SaMsgQueueGroupNotificationBufferT){ .numberOfItems = 4, .notification = it };
	ck_assert_int_eq(saMsgQueueGroupTrack(hnocb, &g, SA_TRACK_CURRENT, &b), SA_AIS_OK);
	ck_assert_uint_eq(b.numberOfItems, 3);
	ck_assert(b.notification == it);
	ck_assert_int_eq(b.queueGroupPolicy, SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN);
	for (i = 0; i < 3; i++) {
		ck_assert(has_member(it, 3, &n[i]));
		ck_assert_int_eq(it[i].change, SA_MSG_QUEUE_GROUP_NO_CHANGE);
	}
	/* too small: NO_SPACE and the count needed */
	b = (SaMsgQueueGroupNotificationBufferT){ .numberOfItems = 2, .notification = it };
	ck_assert_int_eq(saMsgQueueGroupTrack(h, &g, SA_TRACK_CURRENT, &b), SA_AIS_ERR_NO_SPACE);
	ck_assert_uint_eq(b.numberOfItems, 3);
	/* a non-NULL array with room for nothing */
	b = (SaMsgQueueGroupNotificationBufferT){ .numberOfItems = 0, .notification = it };
	e = saMsgQueueGroupTrack(h, &g, SA_TRACK_CURRENT, &b);
	ck_assert_msg(e == SA_AIS_ERR_INVALID_PARAM || (e == SA_AIS_ERR_NO_SPACE &&
							 b.numberOfItems == 3),
		      "Track CURRENT into a 0-item array returned %d (%u items)", e,
		      b.numberOfItems);
	/* the library allocates */
	b = (SaMsgQueueGroupNotificationBufferT){ .numberOfItems = 0, .notification = NULL };
	ck_assert_int_eq(saMsgQueueGroupTrack(h, &g, SA_TRACK_CURRENT, &b), SA_AIS_OK);
	ck_assert_uint_eq(b.numberOfItems, 3);
	ck_assert(b.notification != NULL);
	for (i = 0; i < 3; i++)
		ck_assert(has_member(b.notification, 3, &n[i]));
	ck_assert_int_eq(saMsgQueueGroupNotificationFree(h, b.notification), SA_AIS_OK);

	/* no buffer: one callback, and only with a callback registered */
	ck_assert_int_eq(saMsgQueueGroupTrack(hnocb, &g, SA_TRACK_CURRENT, NULL), SA_AIS_ERR_INIT);
	track_calls = 0;
	ck_assert_int_eq(saMsgQueueGroupTrack(h, &g, SA_TRACK_CURRENT, NULL), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(h, &track_calls, 1, 5000), 1);
	ck_assert_int_eq(last_track.error, SA_AIS_OK);
	ck_assert(name_eq(&last_track.group, &g));
	ck_assert_uint_eq(last_track.items, 3);
	ck_assert_uint_eq(last_track.members, 3);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(last_change_of(&n[i]), SA_MSG_QUEUE_GROUP_NO_CHANGE);
	/* CURRENT alone does not start tracking */
	ck_assert_int_eq(saMsgQueueGroupTrackStop(h, &g), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &n[0]), SA_AIS_OK);
	ck_assert(!msgt_readable(h, 300));
	ck_assert_int_eq(track_calls, 1);

	for (i = 0; i < 3; i++)
		ck_assert_int_eq(saMsgQueueClose(q[i]), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hnocb);
}
END_TEST

START_TEST(test_track_changes)
{
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb };
	SaMsgHandleT ht = msgt_init(&cb, 3);
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueGroupNotificationBufferT b;
	SaMsgQueueGroupNotificationT it[4];
	SaMsgQueueHandleT qa, qb, qc;
	SaNameT g, a, b_, c;

	msgt_name(&g, "trackch");
	msgt_name(&a, "tca");
	msgt_name(&b_, "tcb");
	msgt_name(&c, "tcc");
	qa = msgt_open(h, &a, 0, 0, 1024, 0);
	qb = msgt_open(h, &b_, 0, 0, 1024, 0);
	qc = msgt_open(h, &c, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_OK);

	/* CURRENT | CHANGES: the buffer now, callbacks later */
	track_calls = 0;
	b = (SaMsgQueueGroupNotificationBufferT){ .numberOfItems = 4, .notification = it };
	ck_assert_int_eq(saMsgQueueGroupTrack(ht, &g, SA_TRACK_CURRENT | SA_TRACK_CHANGES, &b),
			 SA_AIS_OK);
	ck_assert_uint_eq(b.numberOfItems, 1);
	ck_assert(has_member(it, 1, &a));

	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &b_), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, 1, 5000), 1);
	ck_assert_int_eq(last_track.error, SA_AIS_OK);
	ck_assert(name_eq(&last_track.group, &g));
	ck_assert_uint_eq(last_track.members, 2);
	ck_assert_uint_eq(last_track.items, 2);
	ck_assert_int_eq(last_track.policy, SA_MSG_QUEUE_GROUP_ROUND_ROBIN);
	ck_assert_int_eq(last_change_of(&a), SA_MSG_QUEUE_GROUP_NO_CHANGE);
	ck_assert_int_eq(last_change_of(&b_), SA_MSG_QUEUE_GROUP_ADDED);

	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, 2, 5000), 2);
	ck_assert_uint_eq(last_track.members, 1);
	ck_assert(last_track.items >= 1);
	ck_assert_int_eq(last_change_of(&b_), SA_MSG_QUEUE_GROUP_NO_CHANGE);
	ck_assert_msg(last_change_of(&a) == SA_MSG_QUEUE_GROUP_REMOVED,
		      "the removed member is not reported as REMOVED");

	/* stopped: no more callbacks */
	ck_assert_int_eq(saMsgQueueGroupTrackStop(ht, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(ht, &g), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &c), SA_AIS_OK);
	ck_assert(!msgt_readable(ht, 300));
	ck_assert_int_eq(saMsgDispatch(ht, SA_DISPATCH_ALL), SA_AIS_OK);
	ck_assert_int_eq(track_calls, 2);

	ck_assert_int_eq(saMsgQueueClose(qa), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(qb), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(qc), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	msgt_fini(ht);
	msgt_fini(h);
}
END_TEST

START_TEST(test_track_changes_only)
{
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb };
	SaMsgHandleT ht = msgt_init(&cb, 3);
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueHandleT qa, qb;
	SaNameT g, a, b;

	msgt_name(&g, "trackco");
	msgt_name(&a, "tcoa");
	msgt_name(&b, "tcob");
	qa = msgt_open(h, &a, 0, 0, 1024, 0);
	qb = msgt_open(h, &b, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &a), SA_AIS_OK);
	track_calls = 0;
	ck_assert_int_eq(saMsgQueueGroupTrack(ht, &g, SA_TRACK_CHANGES_ONLY, NULL), SA_AIS_OK);
	/* no callback just for starting */
	ck_assert(!msgt_readable(ht, 200));

	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &b), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, 1, 5000), 1);
	ck_assert_uint_eq(last_track.items, 1);
	ck_assert_uint_eq(last_track.members, 2);
	ck_assert_int_eq(last_change_of(&b), SA_MSG_QUEUE_GROUP_ADDED);
	ck_assert_int_eq(last_change_of(&a), 0);
	ck_assert_int_eq(last_track.policy, SA_MSG_QUEUE_GROUP_BROADCAST);

	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &a), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, 2, 5000), 2);
	ck_assert_uint_eq(last_track.items, 1);
	ck_assert_uint_eq(last_track.members, 1);
	ck_assert_int_eq(last_change_of(&a), SA_MSG_QUEUE_GROUP_REMOVED);
	ck_assert_int_eq(last_change_of(&b), 0);

	ck_assert_int_eq(saMsgQueueGroupTrackStop(ht, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(qa), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueClose(qb), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	msgt_fini(ht);
	msgt_fini(h);
}
END_TEST

START_TEST(test_track_errors)
{
	static const SaUint8T bad_flags[] = {
		0, SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY,
		SA_TRACK_CURRENT | SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY, 0x80, 0x40 | SA_TRACK_CHANGES,
	};
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb };
	SaMsgHandleT h = msgt_init(&cb, 3);
	SaMsgHandleT hnocb = msgt_init(NULL, 3);
	SaNameT g, absent;
	size_t i;

	msgt_name(&g, "trackerr");
	msgt_name(&absent, "trackabsent");
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	for (i = 0; i < sizeof(bad_flags); i++)
		ck_assert_msg(saMsgQueueGroupTrack(h, &g, bad_flags[i], NULL) == SA_AIS_ERR_BAD_FLAGS,
			      "track flags 0x%x not refused with BAD_FLAGS", bad_flags[i]);
	ck_assert_int_eq(saMsgQueueGroupTrack(h, &absent, SA_TRACK_CHANGES, NULL),
			 SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupTrack(hnocb, &g, SA_TRACK_CHANGES, NULL), SA_AIS_ERR_INIT);
	ck_assert_int_eq(saMsgQueueGroupTrack(hnocb, &g, SA_TRACK_CHANGES_ONLY, NULL),
			 SA_AIS_ERR_INIT);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(h, &g), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(h, &absent), SA_AIS_ERR_NOT_EXIST);
	/* none of the refused calls started tracking */
	ck_assert_int_eq(saMsgQueueGroupTrackStop(hnocb, &g), SA_AIS_ERR_NOT_EXIST);
	/* tracking is per handle */
	ck_assert_int_eq(saMsgQueueGroupTrack(h, &g, SA_TRACK_CHANGES, NULL), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(hnocb, &g), SA_AIS_ERR_NOT_EXIST);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(h, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	msgt_fini(h);
	msgt_fini(hnocb);
}
END_TEST

/* A group whose member list outgrows a connection's small buffer (ipc.h):
 * a CURRENT answer into the library's buffer comes on a large connection,
 * and CHANGES events (every member listed) are kept by safd and fetched,
 * in order with small events. A tracker that reads nothing costs safd at
 * most 8 MiB: later events are dropped, and it gets events again once it
 * reads. */
#define BIG_GROUP 520	/* items of 264 bytes: ~137 KB */
#define SLEEPER_OPS 80	/* ~11 MB of events */

START_TEST(test_track_large_events)
{
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb };
	SaMsgHandleT ht = msgt_init(&cb, 3);
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueGroupNotificationBufferT b = { 0 };
	SaMsgQueueHandleT *q = calloc(BIG_GROUP, sizeof(*q));
	SaNameT *names = calloc(BIG_GROUP, sizeof(*names));
	SaNameT g, gs;
	int i, got;

	ck_assert(q != NULL && names != NULL);
	msgt_name(&g, "trackbig");
	msgt_name(&gs, "tracksmall");
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &gs, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	for (i = 0; i < BIG_GROUP; i++) {
		msgt_name(&names[i], "bigmember");
		q[i] = msgt_open(h, &names[i], 0, 0, 64, 0);
		ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &names[i]), SA_AIS_OK);
	}

	ck_assert_int_eq(saMsgQueueGroupTrack(ht, &g, SA_TRACK_CURRENT, &b), SA_AIS_OK);
	ck_assert_uint_eq(b.numberOfItems, BIG_GROUP);
	ck_assert(has_member(b.notification, b.numberOfItems, &names[0]));
	ck_assert(has_member(b.notification, b.numberOfItems, &names[BIG_GROUP - 1]));
	ck_assert_int_eq(saMsgQueueGroupNotificationFree(ht, b.notification), SA_AIS_OK);

	track_calls = 0;
	ck_assert_int_eq(saMsgQueueGroupTrack(ht, &g, SA_TRACK_CHANGES, NULL), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupTrack(ht, &gs, SA_TRACK_CHANGES, NULL), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &names[0]), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &gs, &names[0]), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupRemove(h, &g, &names[1]), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, 3, 5000), 3);
	ck_assert_uint_eq(members_log[0], BIG_GROUP - 1);
	ck_assert_uint_eq(members_log[1], 1);
	ck_assert_uint_eq(members_log[2], BIG_GROUP - 2);
	ck_assert_uint_eq(last_track.items, BIG_GROUP - 1);	/* with the removed one */
	ck_assert_int_eq(last_track.error, SA_AIS_OK);

	/* asleep: ~11 MB of events, then it reads what safd kept */
	track_calls = 0;
	for (i = 0; i < SLEEPER_OPS; i++) {
		SaAisErrorT e = i % 2 == 0 ? saMsgQueueGroupInsert(h, &g, &names[1]) :
					     saMsgQueueGroupRemove(h, &g, &names[1]);

		ck_assert_int_eq(e, SA_AIS_OK);
	}
	got = msgt_dispatch_until(ht, &track_calls, SLEEPER_OPS, 2000);
	ck_assert_msg(got >= 40 && got < SLEEPER_OPS,
		      "%d of %d events while asleep: safd should have kept ~60", got,
		      SLEEPER_OPS);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g, &names[1]), SA_AIS_OK);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, got + 1, 5000), got + 1);
	ck_assert_uint_eq(last_track.members, BIG_GROUP - 1);

	ck_assert_int_eq(saMsgQueueGroupTrackStop(ht, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(ht, &gs), SA_AIS_OK);
	for (i = 0; i < BIG_GROUP; i++)
		ck_assert_int_eq(saMsgQueueClose(q[i]), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &gs), SA_AIS_OK);
	free(q);
	free(names);
	msgt_fini(ht);
	msgt_fini(h);
}
END_TEST

/* A queue that is unlinked or deleted (closed with retention 0) leaves every
 * group it was in; a tracker sees it go. */
START_TEST(test_member_deleted_leaves_groups)
{
	SaMsgCallbacksT cb = { .saMsgQueueGroupTrackCallback = track_cb };
	SaMsgHandleT ht = msgt_init(&cb, 3);
	SaMsgHandleT h = msgt_init(NULL, 3);
	SaMsgQueueGroupNotificationT it[4];
	SaMsgQueueHandleT qp, qz;
	SaNameT g1, g2, p, z;

	msgt_name(&g1, "leave1");
	msgt_name(&g2, "leave2");
	msgt_name(&p, "leavep");
	msgt_name(&z, "leavez");
	qp = msgt_open(h, &p, 0, SA_MSG_QUEUE_PERSISTENT, 1024, 0);
	ck_assert_int_eq(saMsgQueueClose(qp), SA_AIS_OK);
	qz = msgt_open(h, &z, 0, 0, 1024, 0);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g1, SA_MSG_QUEUE_GROUP_ROUND_ROBIN), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupCreate(h, &g2, SA_MSG_QUEUE_GROUP_BROADCAST), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g1, &p), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g2, &p), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupInsert(h, &g1, &z), SA_AIS_OK);
	ck_assert_uint_eq(members(h, &g1, it, 4), 2);
	ck_assert_uint_eq(members(h, &g2, it, 4), 1);
	track_calls = 0;
	ck_assert_int_eq(saMsgQueueGroupTrack(ht, &g1, SA_TRACK_CHANGES_ONLY, NULL), SA_AIS_OK);

	ck_assert_int_eq(saMsgQueueUnlink(h, &p), SA_AIS_OK);
	ck_assert_uint_eq(members(h, &g1, it, 4), 1);
	ck_assert(has_member(it, 1, &z));
	ck_assert_uint_eq(members(h, &g2, it, 4), 0);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, 1, 5000), 1);
	ck_assert_int_eq(last_change_of(&p), SA_MSG_QUEUE_GROUP_REMOVED);
	ck_assert_uint_eq(last_track.members, 1);
	ck_assert_int_eq(msgt_send_str(h, &g2, 0, "x"), SA_AIS_ERR_QUEUE_NOT_AVAILABLE);

	ck_assert_int_eq(saMsgQueueClose(qz), SA_AIS_OK);	/* retention 0: deleted */
	ck_assert_uint_eq(members(h, &g1, it, 4), 0);
	ck_assert_int_eq(msgt_dispatch_until(ht, &track_calls, 2, 5000), 2);
	ck_assert_int_eq(last_change_of(&z), SA_MSG_QUEUE_GROUP_REMOVED);
	ck_assert_uint_eq(last_track.members, 0);
	ck_assert_int_eq(msgt_send_str(h, &g1, 0, "x"), SA_AIS_ERR_QUEUE_NOT_AVAILABLE);

	/* a new queue with the old name is not a member */
	qz = msgt_open(h, &z, 0, 0, 1024, 0);
	ck_assert_uint_eq(members(h, &g1, it, 4), 0);
	ck_assert_int_eq(saMsgQueueClose(qz), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupTrackStop(ht, &g1), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g1), SA_AIS_OK);
	ck_assert_int_eq(saMsgQueueGroupDelete(h, &g2), SA_AIS_OK);
	msgt_fini(ht);
	msgt_fini(h);
}
END_TEST

static Suite *msg_group_suite(void)
{
	Suite *s = suite_create("msg_group");
	TCase *tc;

	if (!msgt_live())
		return s;
	tc = tcase_create("groups");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_group_create_delete);
	tcase_add_test(tc, test_group_insert_remove);
	tcase_add_test(tc, test_group_send_errors);
	tcase_add_test(tc, test_round_robin);
	tcase_add_test(tc, test_broadcast);
	tcase_add_test(tc, test_local_round_robin);
	tcase_add_test(tc, test_local_best_queue);
	tcase_add_test(tc, test_send_receive_group);
	tcase_add_test(tc, test_track_current);
	tcase_add_test(tc, test_track_changes);
	tcase_add_test(tc, test_track_changes_only);
	tcase_add_test(tc, test_track_errors);
	tcase_add_test(tc, test_track_large_events);
	tcase_add_test(tc, test_member_deleted_leaves_groups);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return msgt_main(msg_group_suite, "check_msg_group");
}
