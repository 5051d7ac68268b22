/*
 * MSG state transfer: the whole replicated MSG state as one buffer, saved by
 * the sync source and loaded by a joining node (services/sync.c streams it).
 * Local marks (a message `taken` by a local Get) are not part of it.
 *
 * Layout, all fields fixed-width, records 8-byte aligned:
 *   struct snap_header
 *   n_queues x (struct snap_queue, then its messages, each struct snap_msg
 *               + payload padded to 8)
 *   n_groups x (struct snap_group, then n_members struct safd_name, then
 *               n_local struct snap_cursor)
 *   n_requests x struct snap_request
 * Loading checks every count and length against what is left of the buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include <safd/util.h>
#include "msg_int.h"

#define SNAP_MAGIC 0x534e41504d534732ULL	/* "SNAPMSG2": durable_gen added */

struct snap_header {
	uint64_t magic;
	uint64_t next_queue_id;
	uint64_t next_msg_seq;
	uint32_t n_queues;
	uint32_t n_groups;
	uint32_t n_requests;
	uint32_t pad;
	uint64_t durable_gen;
};

struct snap_queue {
	struct safd_name name;
	uint64_t id;
	uint64_t size[SAFD_MSG_PRIORITIES];
	uint64_t reached[SAFD_MSG_PRIORITIES];
	uint64_t available[SAFD_MSG_PRIORITIES];
	int64_t retention;
	int64_t close_time;
	uint64_t close_gen;
	uint64_t owner_session;
	uint32_t creation_flags;
	uint32_t open_flags;
	uint32_t owner_node;
	uint32_t owner_pid;
	uint32_t open;
	uint32_t unlinked;
	uint32_t n_msgs;
	uint32_t pad;
};

struct snap_msg {
	uint64_t seq;
	int64_t send_time;
	uint64_t sender_id;
	struct safd_msg_header hdr;
};

struct snap_group {
	struct safd_name name;
	uint32_t policy;
	uint32_t n_members;
	uint32_t cursor;
	uint32_t n_local;
};

struct snap_cursor {
	uint32_t nodeid;
	uint32_t cursor;
};

struct snap_request {
	uint64_t sender_id;
	uint64_t reply_capacity;
};

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

static int put(struct buf *b, const void *p, size_t len)
{
	size_t need = b->len + SAFD_ALIGN8(len);

	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		uint8_t *d;

		while (cap < need)
			cap *= 2;
		d = realloc(b->data, cap);
		if (d == NULL)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, len);
	memset(b->data + b->len + len, 0, SAFD_ALIGN8(len) - len);
	b->len = need;
	return 0;
}

static int save_queue(struct buf *b, const struct msg_queue *q)
{
	struct snap_queue s = {
		.name = q->name, .id = q->id, .retention = q->retention,
		.close_time = q->close_time, .close_gen = q->close_gen,
		.owner_session = q->owner_session, .creation_flags = q->creation_flags,
		.open_flags = q->open_flags, .owner_node = q->owner_node,
		.owner_pid = q->owner_pid, .open = q->open, .unlinked = q->unlinked,
	};
	struct msg_message *m;
	int p, rc;

	memcpy(s.size, q->size, sizeof(s.size));
	memcpy(s.reached, q->reached, sizeof(s.reached));
	memcpy(s.available, q->available, sizeof(s.available));
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		s.n_msgs += q->count[p];
	rc = put(b, &s, sizeof(s));
	for (p = 0; p < SAFD_MSG_PRIORITIES && rc == 0; p++) {
		qb_list_for_each_entry(m, &q->msgs[p], list) {
			struct snap_msg sm = { .seq = m->seq, .send_time = m->send_time,
					       .sender_id = m->sender_id, .hdr = m->hdr };

			rc = put(b, &sm, sizeof(sm));
			if (rc == 0)
				rc = put(b, m->data, m->hdr.size);
			if (rc < 0)
				break;
		}
	}
	return rc;
}

static int save_group(struct buf *b, const struct msg_group *g)
{
	struct snap_group s = { .name = g->name, .policy = g->policy,
				.n_members = g->n_members, .cursor = g->cursor,
				.n_local = g->n_local };
	uint32_t i;
	int rc;

	rc = put(b, &s, sizeof(s));
	for (i = 0; i < g->n_members && rc == 0; i++)
		rc = put(b, &g->members[i], sizeof(g->members[i]));
	for (i = 0; i < g->n_local && rc == 0; i++) {
		struct snap_cursor c = { g->local[i].nodeid, g->local[i].cursor };

		rc = put(b, &c, sizeof(c));
	}
	return rc;
}

int msg_sync_save(void **out, size_t *len)
{
	struct snap_header h = {
		.magic = SNAP_MAGIC,
		.next_queue_id = msg_state.next_queue_id,
		.next_msg_seq = msg_state.next_msg_seq,
		.durable_gen = msg_state.durable_gen,
		.n_queues = msg_state.n_queues,
		.n_groups = msg_state.n_groups,
	};
	struct buf b = { 0 };
	struct msg_request *rq;
	qb_map_iter_t *it;
	struct msg_queue *q;
	struct msg_group *g;
	int rc;

	qb_list_for_each_entry(rq, &msg_state.requests, list)
		h.n_requests++;
	rc = put(&b, &h, sizeof(h));
	it = qb_map_iter_create(msg_state.queue_ids);
	while (rc == 0 && qb_map_iter_next(it, (void **)&q) != NULL)
		rc = save_queue(&b, q);
	msg_map_iter_free(it);
	it = qb_map_iter_create(msg_state.groups);
	while (rc == 0 && qb_map_iter_next(it, (void **)&g) != NULL)
		rc = save_group(&b, g);
	msg_map_iter_free(it);
	qb_list_for_each_entry(rq, &msg_state.requests, list) {
		struct snap_request s = { rq->sender_id, rq->reply_capacity };

		if (rc == 0)
			rc = put(&b, &s, sizeof(s));
	}
	if (rc < 0) {
		free(b.data);
		return rc;
	}
	*out = b.data;
	*len = b.len;
	return 0;
}

/* Empties the replicated state. */
void msg_sync_reset(void)
{
	struct msg_request *rq, *tmp;
	void *batch[256];
	size_t i, n;

	/* In batches, with no iterator open while deleting: with libqb 2.0.6,
	 * removing the entry an iterator stands on left the skiplist broken
	 * (a later put or iteration crashed), and an iterator abandoned on an entry
	 * leaks it (msg_map_iter_free). */
	while ((n = msg_map_values(msg_state.groups, batch, SAFD_ARRAY_SIZE(batch))) > 0) {
		for (i = 0; i < n; i++) {
			msg_track_deleted(batch[i]);
			msg_group_delete(batch[i]);
		}
	}
	while ((n = msg_map_values(msg_state.queue_ids, batch, SAFD_ARRAY_SIZE(batch))) > 0) {
		for (i = 0; i < n; i++)
			msg_queue_delete(batch[i]);
	}
	qb_list_for_each_entry_safe(rq, tmp, &msg_state.requests, list) {
		qb_list_del(&rq->list);
		free(rq);
	}
	msg_state.next_queue_id = 1;
	msg_state.next_msg_seq = 1;
	msg_state.durable_gen = 0;
}

/* Returns the next `len` bytes (8-aligned) or NULL if the buffer is short. */
static const void *take(const uint8_t **p, const uint8_t *end, size_t len)
{
	const void *r = *p;

	if ((size_t)(end - *p) < len || (size_t)(end - *p) < SAFD_ALIGN8(len))
		return NULL;
	*p += SAFD_ALIGN8(len);
	return r;
}

static int load_queue(const uint8_t **p, const uint8_t *end)
{
	const struct snap_queue *s = take(p, end, sizeof(*s));
	struct safd_queue_attrs attrs = { 0 };
	struct msg_queue *q;
	uint32_t i;

	if (s == NULL || msg_name_check(&s->name) < 0 || msg_queue_by_id(s->id) != NULL)
		return -EINVAL;
	attrs.creation_flags = s->creation_flags;
	attrs.retention = s->retention;
	memcpy(attrs.size, s->size, sizeof(attrs.size));
	if (msg_queue_attrs_check(&attrs) < 0 ||
	    (!s->unlinked && msg_queue_find(&s->name) != NULL))
		return -EINVAL;
	q = msg_queue_create(s->id, &s->name, &attrs);
	if (q == NULL)
		return -ENOMEM;
	memcpy(q->reached, s->reached, sizeof(q->reached));
	memcpy(q->available, s->available, sizeof(q->available));
	q->close_time = s->close_time;
	q->close_gen = s->close_gen;
	q->open = s->open;
	q->open_flags = s->open_flags;
	q->owner_node = s->owner_node;
	q->owner_pid = s->owner_pid;
	q->owner_session = s->owner_session;
	if (s->unlinked)
		msg_queue_unlink_name(q);
	for (i = 0; i < s->n_msgs; i++) {
		const struct snap_msg *sm = take(p, end, sizeof(*sm));
		const void *data;
		struct msg_message *m;

		if (sm == NULL || sm->hdr.priority >= SAFD_MSG_PRIORITIES ||
		    sm->hdr.size > SAFD_MSG_MAX_MESSAGE_SIZE ||
		    (data = take(p, end, sm->hdr.size)) == NULL)
			return -EINVAL;
		m = msg_message_new(sm->seq, sm->send_time, sm->sender_id, &sm->hdr, data);
		if (m == NULL)
			return -ENOMEM;
		msg_queue_append(q, m);
	}
	return 0;
}

static int load_group(const uint8_t **p, const uint8_t *end)
{
	const struct snap_group *s = take(p, end, sizeof(*s));
	struct msg_group *g;
	uint32_t i;

	if (s == NULL || msg_name_check(&s->name) < 0 || msg_group_find(&s->name) != NULL ||
	    s->n_members > SAFD_MSG_MAX_QUEUES_PER_GROUP || s->n_local > SAFD_MAX_MEMBERS)
		return -EINVAL;
	g = msg_group_create(&s->name, s->policy);
	if (g == NULL)
		return -ENOMEM;
	g->cursor = s->cursor;
	for (i = 0; i < s->n_members; i++) {
		const struct safd_name *n = take(p, end, sizeof(*n));

		if (n == NULL || msg_name_check(n) < 0 || msg_group_insert(g, n) < 0)
			return -EINVAL;
	}
	if (s->n_local > 0) {
		g->local = calloc(s->n_local, sizeof(*g->local));
		if (g->local == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < s->n_local; i++) {
		const struct snap_cursor *c = take(p, end, sizeof(*c));

		if (c == NULL)
			return -EINVAL;
		g->local[i].nodeid = c->nodeid;
		g->local[i].cursor = c->cursor;
		g->n_local++;
	}
	return 0;
}

int msg_sync_load(const void *buf, size_t len)
{
	const uint8_t *p = buf, *end = p + len;
	const struct snap_header *h = take(&p, end, sizeof(*h));
	uint32_t i;
	int rc = 0;

	if (h == NULL || h->magic != SNAP_MAGIC || h->n_queues > SAFD_MSG_MAX_QUEUES ||
	    h->n_groups > SAFD_MSG_MAX_GROUPS)
		return -EINVAL;
	msg_sync_reset();
	for (i = 0; i < h->n_queues && rc == 0; i++)
		rc = load_queue(&p, end);
	for (i = 0; i < h->n_groups && rc == 0; i++)
		rc = load_group(&p, end);
	for (i = 0; i < h->n_requests && rc == 0; i++) {
		const struct snap_request *s = take(&p, end, sizeof(*s));
		struct msg_request *rq;

		if (s == NULL || (rq = calloc(1, sizeof(*rq))) == NULL) {
			rc = s == NULL ? -EINVAL : -ENOMEM;
			break;
		}
		rq->sender_id = s->sender_id;
		rq->reply_capacity = s->reply_capacity;
		qb_list_add_tail(&rq->list, &msg_state.requests);
	}
	if (rc == 0 && p != end)
		rc = -EINVAL;
	if (rc < 0) {
		qb_log(LOG_ERR, "MSG state from the sync source is malformed");
		msg_sync_reset();
		return rc;
	}
	msg_state.next_queue_id = h->next_queue_id;
	msg_state.next_msg_seq = h->next_msg_seq;
	msg_state.durable_gen = h->durable_gen;
	msg_journal_rewrite();
	return 0;
}
