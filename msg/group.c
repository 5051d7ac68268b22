/*
 * MSG queue groups (SAI-AIS-MSG-B.03.01 section 3.7): named sets of queue
 * names with a policy that picks which members a message sent to the group
 * goes to. Replicated state: members in insertion order, the round-robin
 * cursor, and one local-round-robin cursor per sending node, so every node
 * picks the same members. "Local" means opened by a process on the node the
 * message was sent from.
 *
 * Policies: ROUND_ROBIN - the next member in turn (QUEUE_FULL if it has no
 * room; the turn still passes). LOCAL_ROUND_ROBIN - round robin over the
 * local members, or over all when none is local. LOCAL_BEST_QUEUE - the local
 * member with the most free space in the message's priority area (ties: the
 * first after the cursor), or round robin over all when none is local.
 * BROADCAST - every member with room (QUEUE_FULL only when none has).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg_int.h"

struct msg_group *msg_group_find(const struct safd_name *name)
{
	char key[257];

	if (msg_name_check(name) < 0)
		return NULL;
	msg_name_key(name, key);
	return qb_map_get(msg_state.groups, key);
}

struct msg_group *msg_group_create(const struct safd_name *name, uint32_t policy)
{
	struct msg_group *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	g->key = malloc(name->length + 1u);
	if (g->key == NULL) {
		free(g);
		return NULL;
	}
	g->name = *name;
	msg_name_key(name, g->key);
	g->policy = policy;
	qb_list_init(&g->trackers);
	qb_map_put(msg_state.groups, g->key, g);
	msg_state.n_groups++;
	return g;
}

/* The caller has told the trackers. */
void msg_group_delete(struct msg_group *g)
{
	qb_map_rm(msg_state.groups, g->key);
	msg_state.n_groups--;
	free(g->members);
	free(g->local);
	free(g->key);
	free(g);
}

static int member_index(const struct msg_group *g, const struct safd_name *queue)
{
	uint32_t i;

	for (i = 0; i < g->n_members; i++)
		if (g->members[i].length == queue->length &&
		    memcmp(g->members[i].value, queue->value, queue->length) == 0)
			return (int)i;
	return -1;
}

int msg_group_insert(struct msg_group *g, const struct safd_name *queue)
{
	if (member_index(g, queue) >= 0)
		return -EEXIST;
	if (g->n_members == SAFD_MSG_MAX_QUEUES_PER_GROUP)
		return -ENOSPC;
	if (g->n_members == g->cap_members) {
		uint32_t cap = g->cap_members ? g->cap_members * 2 : 4;
		struct safd_name *m = realloc(g->members, cap * sizeof(*m));

		if (m == NULL)
			return -ENOMEM;
		g->members = m;
		g->cap_members = cap;
	}
	g->members[g->n_members++] = *queue;
	return 0;
}

int msg_group_remove(struct msg_group *g, const struct safd_name *queue)
{
	int i = member_index(g, queue);

	if (i < 0)
		return -ENOENT;
	memmove(&g->members[i], &g->members[i + 1],
		(g->n_members - (uint32_t)i - 1) * sizeof(*g->members));
	g->n_members--;
	return 0;
}

/* A queue was deleted or unlinked: it leaves every group (and trackers hear). */
void msg_groups_forget_queue(const struct safd_name *queue)
{
	qb_map_iter_t *it = qb_map_iter_create(msg_state.groups);
	struct msg_group *g;

	while (qb_map_iter_next(it, (void **)&g) != NULL)
		if (msg_group_remove(g, queue) == 0)
			msg_track_changed(g, queue, SA_MSG_QUEUE_GROUP_REMOVED);
	qb_map_iter_free(it);
}

static uint32_t *local_cursor(struct msg_group *g, uint32_t nodeid)
{
	uint32_t i;
	void *p;

	for (i = 0; i < g->n_local; i++)
		if (g->local[i].nodeid == nodeid)
			return &g->local[i].cursor;
	p = realloc(g->local, (g->n_local + 1) * sizeof(*g->local));
	if (p == NULL)
		return NULL;
	g->local = p;
	g->local[g->n_local].nodeid = nodeid;
	g->local[g->n_local].cursor = 0;
	return &g->local[g->n_local++].cursor;
}

size_t msg_group_select(struct msg_group *g, uint32_t sender, uint8_t prio,
			uint64_t size, struct msg_queue **out, size_t max)
{
	struct msg_queue *q, *local[SAFD_MSG_MAX_QUEUES_PER_GROUP];
	size_t n_local = 0, n = 0, i, best;
	uint32_t *cursor;

	if (g->n_members == 0)
		return 0;
	for (i = 0; i < g->n_members; i++) {
		q = msg_queue_find(&g->members[i]);
		if (q != NULL && q->open && q->owner_node == sender)
			local[n_local++] = q;
	}
	switch (g->policy) {
	case SA_MSG_QUEUE_GROUP_BROADCAST:
		for (i = 0; i < g->n_members && n < max; i++) {
			q = msg_queue_find(&g->members[i]);
			if (q != NULL && msg_queue_fits(q, prio, size))
				out[n++] = q;
		}
		return n;
	case SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN:
		if (n_local == 0)
			break;
		cursor = local_cursor(g, sender);
		if (cursor == NULL)
			break;
		out[0] = local[*cursor % n_local];
		(*cursor)++;
		return 1;
	case SA_MSG_QUEUE_GROUP_LOCAL_BEST_QUEUE:
		if (n_local == 0)
			break;
		best = g->cursor % n_local;
		for (i = 1; i < n_local; i++) {
			size_t k = (g->cursor + i) % n_local;

			if (msg_queue_free_space(local[k], prio) >
			    msg_queue_free_space(local[best], prio))
				best = k;
		}
		g->cursor++;
		out[0] = local[best];
		return 1;
	}
	/* ROUND_ROBIN, and the local policies with no local member */
	q = msg_queue_find(&g->members[g->cursor % g->n_members]);
	g->cursor++;
	if (q == NULL)
		return 0;
	out[0] = q;
	return 1;
}
