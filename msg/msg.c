/*
 * Message Service engine (SAI-AIS-MSG-B.03.01), daemon side: the msg
 * service's IPC handlers and the sessions of local clients.
 *
 * A handler checks what the gatekeeper cannot (names, sizes, that the
 * session owns the queue it names), then either answers from the local
 * replica (status, Get, lists, tracking) or turns the request into a CPG
 * message (struct msg_origin first) and registers a pending answer that
 * apply.c completes when the message comes back in agreed order. Requests
 * that change cluster state need a quorate partition (SAFD_H_QUORATE);
 * Get does too, since consuming a message is a change.
 *
 * Sessions: one per saMsgInitialize, found by (pid, token) from the hello of
 * each of its connections. When its last connection goes (the process
 * exited, or finalized) its queues are closed and its requests withdrawn.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>
#include <qb/qbloop.h>

#include <safd/util.h>
#include "msg_int.h"

struct msg_conn {
	struct msg_session *session;
};

static QB_LIST_DECLARE(sessions);
static uint32_t next_request;	/* low half of SendReceive sender ids */

struct safd_conn *msg_session_main(struct msg_session *s)
{
	return s->main;
}

struct msg_session *msg_session_find(pid_t pid, uint64_t token)
{
	struct msg_session *s;

	qb_list_for_each_entry(s, &sessions, list)
		if (s->pid == pid && s->token == token)
			return s;
	return NULL;
}

bool msg_session_owns(const struct msg_session *s, const struct msg_queue *q)
{
	return q->open && q->owner_node == safd_local_nodeid() &&
	       q->owner_pid == (uint32_t)s->pid && q->owner_session == s->token;
}

static void msg_conn_opened(struct safd_conn *conn)
{
	struct msg_conn *mc = safd_conn_private(conn);
	pid_t pid = safd_conn_pid(conn);
	uint64_t token = safd_conn_session(conn);
	struct msg_session *s = msg_session_find(pid, token);

	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return;		/* requests will get NO_MEMORY */
		s->pid = pid;
		s->token = token;
		s->major = safd_conn_major(conn);
		qb_list_add_tail(&s->list, &sessions);
	}
	s->n_conns++;
	if (safd_conn_is_main(conn))
		s->main = conn;
	mc->session = s;
}

static void msg_conn_closed(struct safd_conn *conn)
{
	struct msg_conn *mc = safd_conn_private(conn);
	struct msg_session *s = mc->session;

	if (s == NULL)
		return;
	mc->session = NULL;
	msg_conn_drop(conn);
	if (s->main == conn)
		s->main = NULL;
	if (--s->n_conns > 0)
		return;
	qb_log(LOG_DEBUG, "msg session of pid %d ended", (int)s->pid);
	msg_session_drop(s, SA_AIS_ERR_BAD_HANDLE, NULL);
	qb_list_del(&s->list);
	free(s);
}

static struct msg_session *session_of(struct safd_conn *conn)
{
	return ((struct msg_conn *)safd_conn_private(conn))->session;
}

/* The open queue `id` if this connection's session owns it. */
static struct msg_queue *owned_queue(struct safd_conn *conn, uint64_t id)
{
	struct msg_session *s = session_of(conn);
	struct msg_queue *q = msg_queue_by_id(id);

	return s != NULL && q != NULL && msg_session_owns(s, q) ? q : NULL;
}

/* Multicasts an exec message for a request answered when it is applied. */
static int forward(struct safd_conn *conn, int32_t req_id, enum msg_pending_kind kind,
		   uint64_t invocation, uint32_t exec_id, void *exec, size_t len)
{
	struct msg_session *s = session_of(conn);
	struct msg_pending *p = NULL;
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if (kind != 0) {
		p = msg_pending_new(kind, kind == MSG_PENDING_ANSWER ? conn : NULL, req_id, s);
		if (p == NULL)
			return -ENOMEM;
		p->invocation = invocation;
	}
	msg_origin_fill(exec, p, s);
	rc = safd_cpg_send(SAFD_SVC_MSG, exec_id, exec, len);
	if (rc < 0 && p != NULL)
		msg_pending_free(p);
	return rc;
}

/* Send and Reply: a synchronous one is answered when applied; an async one
 * at once, its outcome (with ack) through the delivered callback. */
static int forward_send(struct safd_conn *conn, int32_t req_id, uint32_t async,
			uint32_t ack, uint64_t invocation, uint32_t exec_id, void *e,
			size_t elen)
{
	int rc;

	if (!async)
		return forward(conn, req_id, MSG_PENDING_ANSWER, 0, exec_id, e, elen);
	rc = forward(conn, req_id, ack ? MSG_PENDING_DELIVERED_EVENT : 0, invocation,
		     exec_id, e, elen);
	return rc < 0 ? rc : safd_conn_respond_error(conn, req_id, SA_AIS_OK);
}

static int h_queue_open(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_queue_open *r = msg;
	struct req_exec_msg_open e = { 0 };
	int rc;

	if (msg_name_check(&r->name) < 0 ||
	    (r->has_attrs && msg_queue_attrs_check(&r->attrs) < 0) ||
	    r->open_flags & ~(uint32_t)(SA_MSG_QUEUE_CREATE | SA_MSG_QUEUE_RECEIVE_CALLBACK |
					SA_MSG_QUEUE_EMPTY))
		return -EINVAL;
	e.name = r->name;
	e.attrs = r->attrs;
	e.open_flags = r->open_flags;
	e.has_attrs = r->has_attrs;
	if (!r->async)
		return forward(conn, REQ_LIB_MSG_QUEUE_OPEN, MSG_PENDING_ANSWER, 0,
			       REQ_EXEC_MSG_OPEN, &e, sizeof(e));
	rc = forward(conn, REQ_LIB_MSG_QUEUE_OPEN, MSG_PENDING_OPEN_EVENT, r->invocation,
		     REQ_EXEC_MSG_OPEN, &e, sizeof(e));
	return rc < 0 ? rc : safd_conn_respond_error(conn, REQ_LIB_MSG_QUEUE_OPEN, SA_AIS_OK);
}

static int h_queue_close(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_queue_id *r = msg;
	struct req_exec_msg_queue e = { .queue_id = r->queue_id };

	if (owned_queue(conn, r->queue_id) == NULL)
		return -EBADF;
	return forward(conn, REQ_LIB_MSG_QUEUE_CLOSE, MSG_PENDING_ANSWER, 0,
		       REQ_EXEC_MSG_CLOSE, &e, sizeof(e));
}

static int h_queue_status_get(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_name *r = msg;
	struct res_lib_msg_queue_status_get res = {
		.header = { .id = REQ_LIB_MSG_QUEUE_STATUS_GET, .size = sizeof(res) },
	};
	struct msg_queue *q;

	if (msg_name_check(&r->name) < 0)
		return -EINVAL;
	q = msg_queue_find(&r->name);
	if (q == NULL)
		return -ENOENT;
	res.header.error = SA_AIS_OK;
	res.creation_flags = q->creation_flags;
	res.retention = q->retention;
	res.close_time = q->open ? 0 : q->close_time;
	msg_queue_usage(q, res.usage);
	return safd_conn_respond(conn, &res, sizeof(res));
}

static int h_queue_retention_set(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_queue_retention_set *r = msg;
	struct req_exec_msg_retention e = { .queue_id = r->queue_id,
					    .retention = r->retention };
	struct msg_queue *q = owned_queue(conn, r->queue_id);

	if (q == NULL)
		return -EBADF;
	if (r->retention < 0)
		return -EINVAL;
	if ((q->creation_flags & SA_MSG_QUEUE_PERSISTENT) || q->unlinked)
		return -ENOEXEC;
	return forward(conn, REQ_LIB_MSG_QUEUE_RETENTION_SET, MSG_PENDING_ANSWER, 0,
		       REQ_EXEC_MSG_RETENTION, &e, sizeof(e));
}

static int h_queue_unlink(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_name *r = msg;
	struct req_exec_msg_name e = { .name = r->name };

	if (msg_name_check(&r->name) < 0)
		return -EINVAL;
	if (msg_queue_find(&r->name) == NULL)
		return -ENOENT;
	return forward(conn, REQ_LIB_MSG_QUEUE_UNLINK, MSG_PENDING_ANSWER, 0,
		       REQ_EXEC_MSG_UNLINK, &e, sizeof(e));
}

static int h_group_create(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_group_create *r = msg;
	struct req_exec_msg_group e = { .group = r->name, .policy = r->policy };

	if (msg_name_check(&r->name) < 0 || r->policy < SA_MSG_QUEUE_GROUP_ROUND_ROBIN ||
	    r->policy > SA_MSG_QUEUE_GROUP_BROADCAST)
		return -EINVAL;
	return forward(conn, REQ_LIB_MSG_GROUP_CREATE, MSG_PENDING_ANSWER, 0,
		       REQ_EXEC_MSG_GROUP_CREATE, &e, sizeof(e));
}

static int h_group_delete(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_name *r = msg;
	struct req_exec_msg_group e = { .group = r->name };

	if (msg_name_check(&r->name) < 0)
		return -EINVAL;
	return forward(conn, REQ_LIB_MSG_GROUP_DELETE, MSG_PENDING_ANSWER, 0,
		       REQ_EXEC_MSG_GROUP_DELETE, &e, sizeof(e));
}

static int h_group_member(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_group_member *r = msg;
	struct req_exec_msg_group e = { .group = r->group, .queue = r->queue };
	bool insert = r->header.id == REQ_LIB_MSG_GROUP_INSERT;

	if (msg_name_check(&r->group) < 0 || msg_name_check(&r->queue) < 0)
		return -EINVAL;
	return forward(conn, r->header.id, MSG_PENDING_ANSWER, 0,
		       insert ? REQ_EXEC_MSG_GROUP_INSERT : REQ_EXEC_MSG_GROUP_REMOVE,
		       &e, sizeof(e));
}

static int h_group_track(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_group_track *r = msg;
	struct msg_session *s = session_of(conn);
	struct res_lib_msg_group_track *res;
	struct safd_group_item *items;
	struct msg_group *g;
	uint32_t i, n = 0;
	size_t size;
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if (msg_name_check(&r->name) < 0)
		return -EINVAL;
	g = msg_group_find(&r->name);
	if (g == NULL)
		return -ENOENT;
	if ((r->flags & SA_TRACK_CURRENT) && r->want_current) {
		if (r->capacity != 0 && g->n_members > r->capacity) {
			struct res_lib_msg_group_track small = {
				.header = { .id = REQ_LIB_MSG_GROUP_TRACK, .size = sizeof(small),
					    .error = SA_AIS_ERR_NO_SPACE },
				.policy = g->policy,
				.count = g->n_members,
			};

			return safd_conn_respond(conn, &small, sizeof(small));
		}
		n = g->n_members;
	} else if (r->flags & SA_TRACK_CURRENT) {
		msg_track_event(s, g, SA_TRACK_CURRENT, NULL, 0, SA_AIS_OK);
	}
	rc = msg_track_start(s, g, r->flags);
	if (rc < 0)
		return rc;
	size = sizeof(*res) + n * sizeof(*items);
	res = calloc(1, size);
	if (res == NULL)
		return -ENOMEM;
	res->header.id = REQ_LIB_MSG_GROUP_TRACK;
	res->header.size = (int32_t)size;
	res->header.error = SA_AIS_OK;
	res->policy = g->policy;
	res->count = g->n_members;
	res->returned = n;
	items = (struct safd_group_item *)(res + 1);
	for (i = 0; i < n; i++) {
		items[i].queue = g->members[i];
		items[i].change = SA_MSG_QUEUE_GROUP_NO_CHANGE;
	}
	rc = safd_conn_respond(conn, res, size);
	free(res);
	return rc;
}

static int h_group_track_stop(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_name *r = msg;
	struct msg_session *s = session_of(conn);
	struct msg_group *g;
	int rc;

	if (msg_name_check(&r->name) < 0)
		return -EINVAL;
	g = msg_group_find(&r->name);
	if (s == NULL || g == NULL)
		return -ENOENT;
	rc = msg_track_stop(s, g);
	return rc < 0 ? rc : safd_conn_respond_error(conn, REQ_LIB_MSG_GROUP_TRACK_STOP,
						     SA_AIS_OK);
}

/* The payload (padded to 8 or not) must be what arrived after the fixed
 * part. */
static int check_message(const struct safd_msg_header *m, size_t fixed, size_t len,
			 uint64_t max)
{
	if (m->priority >= SAFD_MSG_PRIORITIES || len < fixed || m->size > len - fixed ||
	    len - fixed > SAFD_ALIGN8(m->size) ||
	    (m->has_sender_name && msg_name_check(&m->sender_name) < 0))
		return -EINVAL;
	return m->size > max ? -E2BIG : 0;
}

/* Builds the exec SEND for a Send or SendReceive. */
static struct req_exec_msg_send *exec_send_new(const struct safd_name *dest,
					       const struct safd_msg_header *m,
					       const void *data, size_t *len)
{
	struct req_exec_msg_send *e;

	*len = SAFD_ALIGN8(sizeof(*e) + m->size);
	e = calloc(1, *len);
	if (e == NULL)
		return NULL;
	e->destination = *dest;
	e->msg = *m;
	memcpy(e + 1, data, m->size);
	return e;
}

static int h_send(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_send *r = msg;
	struct req_exec_msg_send *e;
	size_t elen;
	int rc;

	rc = check_message(&r->msg, sizeof(*r), len, SAFD_MSG_MAX_MESSAGE_SIZE);
	if (rc < 0 || msg_name_check(&r->destination) < 0)
		return rc < 0 ? rc : -EINVAL;
	if (r->ack > 1)
		return -EINVAL;
	e = exec_send_new(&r->destination, &r->msg, r + 1, &elen);
	if (e == NULL)
		return -ENOMEM;
	rc = forward_send(conn, REQ_LIB_MSG_SEND, r->async, r->ack, r->invocation, REQ_EXEC_MSG_SEND, e, elen);
	free(e);
	return rc;
}

static int h_get(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_get *r = msg;
	struct msg_queue *q = owned_queue(conn, r->queue_id);

	if (q == NULL)
		return -EBADF;
	if (r->timeout < 0)
		return -EINVAL;
	return msg_get(conn, session_of(conn), q, r->timeout, r->capacity);
}

static int h_cancel(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_queue_id *r = msg;
	struct msg_queue *q = owned_queue(conn, r->queue_id);
	int rc;

	if (q == NULL)
		return -EBADF;
	rc = msg_cancel(session_of(conn), q);
	return rc < 0 ? rc : safd_conn_respond_error(conn, REQ_LIB_MSG_CANCEL, SA_AIS_OK);
}

static void send_receive_timeout(void *data)
{
	struct msg_pending *p = data;
	struct req_exec_msg_request_done d = { .sender_id = p->sender_id };

	p->has_timer = false;
	d.o.time = safd_time_ns(CLOCK_REALTIME);
	safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_REQUEST_DONE, &d, sizeof(d));
}

static int h_send_receive(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_send_receive *r = msg;
	struct msg_session *s = session_of(conn);
	struct req_exec_msg_send *e;
	struct msg_pending *p;
	size_t elen, room;
	int rc;

	rc = check_message(&r->msg, sizeof(*r), len, SAFD_MSG_MAX_MESSAGE_SIZE);
	if (rc < 0 || msg_name_check(&r->destination) < 0 || r->timeout < 0)
		return rc < 0 ? rc : -EINVAL;
	if (s == NULL)
		return -ENOMEM;
	e = exec_send_new(&r->destination, &r->msg, r + 1, &elen);
	if (e == NULL)
		return -ENOMEM;
	p = msg_pending_new(MSG_PENDING_REPLY, conn, REQ_LIB_MSG_SEND_RECEIVE, s);
	if (p == NULL) {
		free(e);
		return -ENOMEM;
	}
	if (++next_request == 0)
		next_request = 1;
	p->sender_id = ((uint64_t)safd_local_nodeid() << 32) | next_request;
	/* The reply comes on this connection: one that does not fit it is
	 * refused with NO_SPACE like one too big for the caller's buffer. */
	room = safd_conn_room(conn) - sizeof(struct res_lib_msg_get);
	p->reply_capacity = r->reply_capacity < room ? r->reply_capacity : room;
	e->sender_id = p->sender_id;
	e->reply_capacity = p->reply_capacity;
	msg_origin_fill(&e->o, p, s);
	rc = safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_SEND, e, elen);
	free(e);
	if (rc < 0) {
		msg_pending_free(p);
		return rc;
	}
	if (r->timeout != SA_TIME_MAX) {
		p->has_timer = true;
		qb_loop_timer_add(safd_loop(), QB_LOOP_MED, (uint64_t)r->timeout, p,
				  send_receive_timeout, &p->timer);
	}
	return 0;
}

static int h_reply(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_reply *r = msg;
	struct req_exec_msg_reply *e;
	size_t elen;
	int rc;

	rc = check_message(&r->msg, sizeof(*r), len, SAFD_MSG_MAX_REPLY_SIZE);
	if (rc < 0 || r->sender_id == 0 || r->ack > 1)
		return rc < 0 ? rc : -EINVAL;
	elen = SAFD_ALIGN8(sizeof(*e) + r->msg.size);
	e = calloc(1, elen);
	if (e == NULL)
		return -ENOMEM;
	e->sender_id = r->sender_id;
	e->msg = r->msg;
	memcpy(e + 1, r + 1, r->msg.size);
	rc = forward_send(conn, REQ_LIB_MSG_REPLY, r->async, r->ack, r->invocation, REQ_EXEC_MSG_REPLY, e, elen);
	free(e);
	return rc;
}

static int h_thresholds_set(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_thresholds_set *r = msg;
	struct req_exec_msg_thresholds e = { .queue_id = r->queue_id };
	struct msg_queue *q = owned_queue(conn, r->queue_id);
	int p;

	if (q == NULL)
		return -EBADF;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		if (r->available[p] > r->reached[p] || r->reached[p] > q->size[p])
			return -EINVAL;
	memcpy(e.reached, r->reached, sizeof(e.reached));
	memcpy(e.available, r->available, sizeof(e.available));
	return forward(conn, REQ_LIB_MSG_THRESHOLDS_SET, MSG_PENDING_ANSWER, 0,
		       REQ_EXEC_MSG_THRESHOLDS, &e, sizeof(e));
}

static int h_thresholds_get(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_queue_id *r = msg;
	struct res_lib_msg_thresholds_get res = {
		.header = { .id = REQ_LIB_MSG_THRESHOLDS_GET, .size = sizeof(res) },
	};
	struct msg_queue *q = owned_queue(conn, r->queue_id);

	if (q == NULL)
		return -EBADF;
	res.header.error = SA_AIS_OK;
	memcpy(res.reached, q->reached, sizeof(res.reached));
	memcpy(res.available, q->available, sizeof(res.available));
	return safd_conn_respond(conn, &res, sizeof(res));
}

static int h_finalize(struct safd_conn *conn, const void *msg, size_t len)
{
	struct msg_session *s = session_of(conn);

	if (s == NULL)
		return safd_conn_respond_error(conn, REQ_LIB_MSG_FINALIZE, SA_AIS_OK);
	msg_session_drop(s, SA_AIS_ERR_BAD_HANDLE, conn);
	return 0;
}

/* safctl: queues in name order from r->first, as many as fit the
 * connection. */
static int h_queue_list(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_list *r = msg;
	size_t room = safd_conn_room(conn);
	size_t max = (room - sizeof(struct res_lib_msg_queue_list)) /
		     sizeof(struct safd_queue_info);
	struct res_lib_msg_queue_list *res;
	struct safd_queue_info *info;
	qb_map_iter_t *it;
	struct msg_queue *q;
	uint32_t index = 0, n = 0;
	int rc;

	if (r->name.length != 0 && msg_name_check(&r->name) < 0)
		return -EINVAL;
	res = calloc(1, room);
	if (res == NULL)
		return -ENOMEM;
	info = (struct safd_queue_info *)(res + 1);
	it = qb_map_iter_create(msg_state.queues);
	while (qb_map_iter_next(it, (void **)&q) != NULL) {
		if (r->name.length != 0 && (q->name.length != r->name.length ||
		    memcmp(q->name.value, r->name.value, r->name.length) != 0))
			continue;
		if (index++ < r->first)
			continue;
		if (n == max) {
			res->more = 1;
			break;
		}
		info[n].name = q->name;
		info[n].queue_id = q->id;
		info[n].creation_flags = q->creation_flags;
		info[n].state = (q->open ? SAFD_QUEUE_OPEN : 0) |
				(q->open_flags & SA_MSG_QUEUE_RECEIVE_CALLBACK ?
				 SAFD_QUEUE_RECEIVE_CB : 0);
		info[n].retention = q->retention;
		info[n].close_time = q->open ? 0 : q->close_time;
		info[n].owner_nodeid = q->owner_node;
		info[n].owner_pid = q->owner_pid;
		msg_queue_usage(q, info[n].usage);
		n++;
	}
	msg_map_iter_free(it);
	if (r->name.length != 0 && n == 0 && r->first == 0) {
		free(res);
		return -ENOENT;
	}
	res->header.id = REQ_LIB_MSG_QUEUE_LIST;
	res->header.size = (int32_t)(sizeof(*res) + n * sizeof(*info));
	res->header.error = SA_AIS_OK;
	res->count = n;
	rc = safd_conn_respond(conn, res, (size_t)res->header.size);
	free(res);
	return rc;
}

/* safctl: groups and their members, as many as fit the connection. */
static int h_group_list(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_msg_list *r = msg;
	struct res_lib_msg_group_list *res;
	struct safd_group_info *gi;
	qb_map_iter_t *it;
	struct msg_group *g;
	size_t used = sizeof(*res), need, room = safd_conn_room(conn);
	uint32_t index = 0, n = 0;
	int rc;

	if (r->name.length != 0 && msg_name_check(&r->name) < 0)
		return -EINVAL;
	res = calloc(1, room);
	if (res == NULL)
		return -ENOMEM;
	it = qb_map_iter_create(msg_state.groups);
	while (qb_map_iter_next(it, (void **)&g) != NULL) {
		if (r->name.length != 0 && (g->name.length != r->name.length ||
		    memcmp(g->name.value, r->name.value, r->name.length) != 0))
			continue;
		if (index++ < r->first)
			continue;
		need = sizeof(*gi) + g->n_members * sizeof(struct safd_name);
		if (used + need > room) {
			res->more = 1;
			break;
		}
		gi = (struct safd_group_info *)((uint8_t *)res + used);
		gi->name = g->name;
		gi->policy = g->policy;
		gi->member_count = g->n_members;
		if (g->n_members > 0)
			memcpy(gi + 1, g->members, g->n_members * sizeof(struct safd_name));
		used += need;
		n++;
	}
	msg_map_iter_free(it);
	if (r->name.length != 0 && n == 0 && r->first == 0) {
		free(res);
		return -ENOENT;
	}
	res->header.id = REQ_LIB_MSG_GROUP_LIST;
	res->header.size = (int32_t)used;
	res->header.error = SA_AIS_OK;
	res->count = n;
	rc = safd_conn_respond(conn, res, used);
	free(res);
	return rc;
}

#define CHANGE (SAFD_H_SYNCED | SAFD_H_QUORATE)

static const struct safd_lib_handler msg_lib[] = {
	[REQ_LIB_MSG_QUEUE_OPEN] = { h_queue_open, sizeof(struct req_lib_msg_queue_open), CHANGE },
	/* closing is allowed without quorum: a merge keeps the majority's
	 * state, where the queue was closed when this node left */
	[REQ_LIB_MSG_QUEUE_CLOSE] = { h_queue_close, sizeof(struct req_lib_msg_queue_id),
				      SAFD_H_SYNCED },
	[REQ_LIB_MSG_QUEUE_STATUS_GET] = { h_queue_status_get, sizeof(struct req_lib_msg_name),
					   SAFD_H_SYNCED },
	[REQ_LIB_MSG_QUEUE_RETENTION_SET] = { h_queue_retention_set,
					      sizeof(struct req_lib_msg_queue_retention_set),
					      CHANGE },
	[REQ_LIB_MSG_QUEUE_UNLINK] = { h_queue_unlink, sizeof(struct req_lib_msg_name), CHANGE },
	[REQ_LIB_MSG_GROUP_CREATE] = { h_group_create, sizeof(struct req_lib_msg_group_create),
				       CHANGE },
	[REQ_LIB_MSG_GROUP_DELETE] = { h_group_delete, sizeof(struct req_lib_msg_name), CHANGE },
	[REQ_LIB_MSG_GROUP_INSERT] = { h_group_member, sizeof(struct req_lib_msg_group_member),
				       CHANGE },
	[REQ_LIB_MSG_GROUP_REMOVE] = { h_group_member, sizeof(struct req_lib_msg_group_member),
				       CHANGE },
	[REQ_LIB_MSG_GROUP_TRACK] = { h_group_track, sizeof(struct req_lib_msg_group_track),
				      SAFD_H_SYNCED },
	[REQ_LIB_MSG_GROUP_TRACK_STOP] = { h_group_track_stop, sizeof(struct req_lib_msg_name),
					   SAFD_H_SYNCED },
	[REQ_LIB_MSG_SEND] = { h_send, sizeof(struct req_lib_msg_send), CHANGE },
	[REQ_LIB_MSG_GET] = { h_get, sizeof(struct req_lib_msg_get), CHANGE },
	[REQ_LIB_MSG_CANCEL] = { h_cancel, sizeof(struct req_lib_msg_queue_id), SAFD_H_SYNCED },
	[REQ_LIB_MSG_SEND_RECEIVE] = { h_send_receive, sizeof(struct req_lib_msg_send_receive),
				       CHANGE },
	[REQ_LIB_MSG_REPLY] = { h_reply, sizeof(struct req_lib_msg_reply), CHANGE },
	[REQ_LIB_MSG_THRESHOLDS_SET] = { h_thresholds_set,
					 sizeof(struct req_lib_msg_thresholds_set), CHANGE },
	[REQ_LIB_MSG_THRESHOLDS_GET] = { h_thresholds_get, sizeof(struct req_lib_msg_queue_id),
					 SAFD_H_SYNCED },
	[REQ_LIB_MSG_FINALIZE] = { h_finalize, sizeof(struct req_lib_msg_finalize), 0 },
	[REQ_LIB_MSG_QUEUE_LIST] = { h_queue_list, sizeof(struct req_lib_msg_list), 0 },
	[REQ_LIB_MSG_GROUP_LIST] = { h_group_list, sizeof(struct req_lib_msg_list), 0 },
};

static int msg_init(void)
{
	msg_state_init();
	return 0;
}

static void msg_reset(void)
{
	msg_local_reset();
	msg_sync_reset();
	msg_expiry_schedule();
}

static int msg_load(const void *buf, size_t len)
{
	int rc = msg_sync_load(buf, len);

	msg_expiry_schedule();
	return rc;
}

static int msg_restore(void)
{
	int rc = msg_journal_load();

	msg_expiry_schedule();
	return rc;
}

const struct safd_service safd_msg_service = {
	.name = "msg",
	.id = SAFD_SVC_MSG,
	.lib = msg_lib,
	.lib_count = SAFD_ARRAY_SIZE(msg_lib),
	.exec = msg_exec,
	.exec_count = REQ_EXEC_MSG_COUNT,
	.conn_private_size = sizeof(struct msg_conn),
	.init = msg_init,
	.conn_opened = msg_conn_opened,
	.conn_closed = msg_conn_closed,
	.membership = msg_membership,
	.sync_save = msg_sync_save,
	.sync_reset = msg_reset,
	.sync_load = msg_load,
	.journaling = msg_journal_enabled,
	.commit = msg_journal_commit,
	.journal_gen = msg_journal_gen,
	.journal_load = msg_restore,
	.journal_reset = msg_journal_rewrite,
};
