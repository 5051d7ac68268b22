/*
 * MSG queue group tracking (SAI-AIS-MSG-B.03.01 section 3.7, "Tracking"):
 * local clients that asked for CHANGES or CHANGES_ONLY on a group get an
 * EV_MSG_GROUP_TRACK event on their session's main connection whenever a
 * member is added or removed. Trackers are local state hung on the
 * replicated group; every node tells its own clients, in agreed order.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include "msg_int.h"

struct msg_tracker {
	struct qb_list_head list;
	struct msg_session *session;
	uint32_t flags;
};

static struct msg_tracker *tracker_find(struct msg_group *g, struct msg_session *s)
{
	struct msg_tracker *t;

	qb_list_for_each_entry(t, &g->trackers, list)
		if (t->session == s)
			return t;
	return NULL;
}

/* Sends one track event: CHANGES lists every member (the changed one marked
 * ADDED, NO_CHANGE for the rest, a REMOVED one appended); CHANGES_ONLY only
 * the changed one; CURRENT every member with NO_CHANGE. */
int msg_track_event(struct msg_session *s, struct msg_group *g, uint32_t flags,
		    const struct safd_name *changed, uint32_t change, SaAisErrorT error)
{
	struct safd_conn *conn = msg_session_main(s);
	struct ev_msg_group_track *ev;
	struct safd_group_item *items;
	size_t n = 0, i, len;
	int rc;

	if (conn == NULL)
		return -ENOTCONN;
	len = sizeof(*ev) + (g->n_members + 1) * sizeof(*items);
	ev = calloc(1, len);
	if (ev == NULL)
		return -ENOMEM;
	items = (struct safd_group_item *)(ev + 1);
	if (error == SA_AIS_OK && !(flags & SA_TRACK_CHANGES_ONLY)) {
		for (i = 0; i < g->n_members; i++) {
			items[n].queue = g->members[i];
			items[n].change = SA_MSG_QUEUE_GROUP_NO_CHANGE;
			if (changed != NULL && change == SA_MSG_QUEUE_GROUP_ADDED &&
			    g->members[i].length == changed->length &&
			    memcmp(g->members[i].value, changed->value, changed->length) == 0)
				items[n].change = SA_MSG_QUEUE_GROUP_ADDED;
			n++;
		}
		if (changed != NULL && change == SA_MSG_QUEUE_GROUP_REMOVED) {
			items[n].queue = *changed;
			items[n++].change = change;
		}
	} else if (error == SA_AIS_OK && changed != NULL) {
		items[n].queue = *changed;
		items[n++].change = change;
	}
	ev->header.id = EV_MSG_GROUP_TRACK;
	ev->header.size = (int32_t)(sizeof(*ev) + n * sizeof(*items));
	ev->header.error = SA_AIS_OK;
	ev->group = g->name;
	ev->policy = g->policy;
	ev->members = g->n_members;
	ev->items = (uint32_t)n;
	ev->error = error;
	rc = safd_conn_event(conn, ev, (size_t)ev->header.size);
	free(ev);
	return rc;
}

void msg_track_changed(struct msg_group *g, const struct safd_name *queue,
		       uint32_t change)
{
	struct msg_tracker *t;

	qb_list_for_each_entry(t, &g->trackers, list)
		msg_track_event(t->session, g, t->flags, queue, change, SA_AIS_OK);
}

void msg_track_deleted(struct msg_group *g)
{
	struct msg_tracker *t, *tmp;

	qb_list_for_each_entry_safe(t, tmp, &g->trackers, list) {
		msg_track_event(t->session, g, t->flags, NULL, 0, SA_AIS_ERR_NOT_EXIST);
		qb_list_del(&t->list);
		free(t);
	}
}

int msg_track_start(struct msg_session *s, struct msg_group *g, uint32_t flags)
{
	struct msg_tracker *t = tracker_find(g, s);

	flags &= SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY;
	if (flags == 0)
		return 0;
	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return -ENOMEM;
		t->session = s;
		qb_list_add_tail(&t->list, &g->trackers);
	}
	t->flags = flags;
	return 0;
}

int msg_track_stop(struct msg_session *s, struct msg_group *g)
{
	struct msg_tracker *t = tracker_find(g, s);

	if (t == NULL)
		return -ENOENT;
	qb_list_del(&t->list);
	free(t);
	return 0;
}

void msg_track_stop_session(struct msg_session *s)
{
	qb_map_iter_t *it = qb_map_iter_create(msg_state.groups);
	struct msg_group *g;

	while (qb_map_iter_next(it, (void **)&g) != NULL)
		msg_track_stop(s, g);
	qb_map_iter_free(it);
}
