/*
 * MSG queues (SAI-AIS-MSG-B.03.01 section 3.1, 3.4): the queue objects of
 * the replicated state, their four priority areas of messages and the space
 * accounting that decides SA_AIS_ERR_QUEUE_FULL. A queue is found by name
 * (only while not unlinked) and by id (every instance, unlinked ones too,
 * until deleted). Everything here is deterministic: the same calls in the
 * same order give the same state on every node.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include "msg_int.h"

struct msg_state msg_state;

/* Names are 1..256 bytes without NUL (so that they can be map keys). */
int msg_name_check(const struct safd_name *name)
{
	if (name->length == 0 || name->length > sizeof(name->value) ||
	    memchr(name->value, '\0', name->length) != NULL)
		return -EINVAL;
	return 0;
}

/* Attributes a queue may be created with (from a client or a peer). */
int msg_queue_attrs_check(const struct safd_queue_attrs *a)
{
	uint64_t total = 0;
	int p;

	if (a->creation_flags & ~(uint32_t)SA_MSG_QUEUE_PERSISTENT)
		return -EINVAL;
	if (a->retention < 0)
		return -EINVAL;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		if (a->size[p] > SAFD_MSG_MAX_AREA_SIZE)
			return -E2BIG;
		total += a->size[p];
	}
	return total > SAFD_MSG_MAX_QUEUE_SIZE ? -E2BIG : 0;
}

/* key must hold 257 bytes. */
void msg_name_key(const struct safd_name *name, char *key)
{
	memcpy(key, name->value, name->length);
	key[name->length] = '\0';
}

static void id_key(uint64_t id, char *key)
{
	snprintf(key, MSG_KEY_MAX, "%016" PRIx64, id);
}

void msg_state_init(void)
{
	msg_state.queues = qb_skiplist_create();
	/* not qb_hashtable: it keeps showing an entry removed after an
	 * iterator stopped on it (libqb 2.0) */
	msg_state.queue_ids = qb_skiplist_create();
	msg_state.groups = qb_skiplist_create();
	qb_list_init(&msg_state.requests);
	msg_state.next_queue_id = 1;
	msg_state.next_msg_seq = 1;
}

/* The empty state's maps, freed (msg_state_init() makes them again). */
void msg_state_fini(void)
{
	qb_map_destroy(msg_state.queues);
	qb_map_destroy(msg_state.queue_ids);
	qb_map_destroy(msg_state.groups);
	memset(&msg_state, 0, sizeof(msg_state));
}

/* Ends an iteration over one of msg_state's maps that may have stopped
 * early. libqb's skiplist iterator holds a reference on the entry it stands
 * on, and qb_map_iter_free() does not drop it (libqb 2.0.6): an entry an
 * abandoned iterator stood on is never freed once removed (LeakSanitizer:
 * 48 bytes from qb_map_put per entry). An iterator that ran off the end holds
 * nothing, so this runs it there first. A loop that always runs to the end
 * may call qb_map_iter_free() directly. */
void msg_map_iter_free(qb_map_iter_t *it)
{
	void *value;

	while (qb_map_iter_next(it, &value) != NULL)
		;
	qb_map_iter_free(it);
}

/* Copies the first (at most max) values of map into values; returns how
 * many. For deleting entries: no iterator is left open on the map. */
size_t msg_map_values(qb_map_t *map, void **values, size_t max)
{
	qb_map_iter_t *it = qb_map_iter_create(map);
	size_t n = 0;
	void *value;

	while (n < max && qb_map_iter_next(it, &value) != NULL)
		values[n++] = value;
	msg_map_iter_free(it);
	return n;
}

struct msg_queue *msg_queue_find(const struct safd_name *name)
{
	char key[257];

	if (msg_name_check(name) < 0)
		return NULL;
	msg_name_key(name, key);
	return qb_map_get(msg_state.queues, key);
}

struct msg_queue *msg_queue_by_id(uint64_t id)
{
	char key[MSG_KEY_MAX];

	id_key(id, key);
	return qb_map_get(msg_state.queue_ids, key);
}

struct msg_queue *msg_queue_create(uint64_t id, const struct safd_name *name,
				   const struct safd_queue_attrs *attrs)
{
	struct msg_queue *q = calloc(1, sizeof(*q));
	int p;

	if (q == NULL)
		return NULL;
	q->key = malloc(name->length + 1u);
	if (q->key == NULL) {
		free(q);
		return NULL;
	}
	q->id = id;
	id_key(id, q->id_key);
	q->name = *name;
	msg_name_key(name, q->key);
	q->creation_flags = attrs->creation_flags;
	q->retention = attrs->retention;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		q->size[p] = attrs->size[p];
		q->reached[p] = attrs->size[p];
		q->available[p] = attrs->size[p];
		qb_list_init(&q->msgs[p]);
	}
	qb_list_init(&q->waiters);
	qb_map_put(msg_state.queues, q->key, q);
	qb_map_put(msg_state.queue_ids, q->id_key, q);
	msg_state.n_queues++;
	return q;
}

void msg_queue_purge(struct msg_queue *q)
{
	struct msg_message *m, *tmp;
	int p;

	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		qb_list_for_each_entry_safe(m, tmp, &q->msgs[p], list) {
			qb_list_del(&m->list);
			free(m);
		}
		q->used[p] = 0;
		q->count[p] = 0;
		q->taken_bytes[p] = 0;
		q->taken_count[p] = 0;
	}
}

/* Takes the name off the queue (unlink or delete): it can be reused at
 * once, and the queue leaves every group. */
void msg_queue_unlink_name(struct msg_queue *q)
{
	if (q->unlinked)
		return;
	q->unlinked = true;
	qb_map_rm(msg_state.queues, q->key);
	msg_groups_forget_queue(&q->name);
}

/* The caller has answered or dropped the queue's waiters. */
void msg_queue_delete(struct msg_queue *q)
{
	msg_queue_unlink_name(q);
	qb_map_rm(msg_state.queue_ids, q->id_key);
	msg_queue_purge(q);
	msg_state.n_queues--;
	free(q->key);
	free(q);
}

uint64_t msg_queue_free_space(const struct msg_queue *q, uint8_t prio)
{
	return q->size[prio] - q->used[prio];
}

bool msg_queue_fits(const struct msg_queue *q, uint8_t prio, uint64_t size)
{
	return size + SAFD_MSG_METADATA_SIZE <= msg_queue_free_space(q, prio);
}

struct msg_message *msg_message_new(uint64_t seq, int64_t time, uint64_t sender_id,
				    const struct safd_msg_header *hdr, const void *data)
{
	struct msg_message *m = malloc(sizeof(*m) + hdr->size);

	if (m == NULL)
		return NULL;
	m->seq = seq;
	m->send_time = time;
	m->sender_id = sender_id;
	m->taken = false;
	m->hdr = *hdr;
	memcpy(m->data, data, hdr->size);
	return m;
}

void msg_queue_append(struct msg_queue *q, struct msg_message *m)
{
	uint8_t p = m->hdr.priority;

	qb_list_add_tail(&m->list, &q->msgs[p]);
	q->used[p] += m->hdr.size + SAFD_MSG_METADATA_SIZE;
	q->count[p]++;
}

/* The message a Get would receive: highest priority first, FIFO within. */
struct msg_message *msg_queue_first(struct msg_queue *q, bool untaken)
{
	struct msg_message *m;
	int p;

	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		qb_list_for_each_entry(m, &q->msgs[p], list)
			if (!untaken || !m->taken)
				return m;
	return NULL;
}

/* A local Get handed m out; its CONSUME is on its way. */
void msg_message_take(struct msg_queue *q, struct msg_message *m)
{
	m->taken = true;
	q->taken_bytes[m->hdr.priority] += m->hdr.size + SAFD_MSG_METADATA_SIZE;
	q->taken_count[m->hdr.priority]++;
}

bool msg_queue_consume(struct msg_queue *q, uint64_t seq)
{
	struct msg_message *m;
	int p;

	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		qb_list_for_each_entry(m, &q->msgs[p], list) {
			if (m->seq != seq)
				continue;
			qb_list_del(&m->list);
			q->used[p] -= m->hdr.size + SAFD_MSG_METADATA_SIZE;
			q->count[p]--;
			if (m->taken) {
				q->taken_bytes[p] -= m->hdr.size + SAFD_MSG_METADATA_SIZE;
				q->taken_count[p]--;
			}
			free(m);
			return true;
		}
	}
	return false;
}

/* As this node's clients see it: a message a local Get received is gone,
 * even while its CONSUME is in flight (anything this node sends next is
 * ordered after that CONSUME). */
void msg_queue_usage(const struct msg_queue *q, struct safd_queue_usage *usage)
{
	int p;

	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		usage[p].queue_size = q->size[p];
		usage[p].queue_used = q->used[p] - q->taken_bytes[p];
		usage[p].number_of_messages = q->count[p] - q->taken_count[p];
		usage[p].pad = 0;
	}
}
