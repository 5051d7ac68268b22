/*
 * MSG exec handlers (SAI-AIS-MSG-B.03.01 sections 3.2 to 3.7): every change
 * to the replicated MSG state, applied by every node in agreed order, plus
 * what the node does locally as a result:
 *   - the origin node answers its client (struct msg_pending, by token);
 *   - the node where a queue is open hands new messages to blocked Gets
 *     (struct msg_waiter) or raises the received callback;
 *   - the lowest node id expires closed queues whose retention ran out.
 *
 * Queue life: absent -> OPEN (created or reopened; EMPTY purges) -> CLOSE
 * (deleted at once when unlinked or non-persistent with retention 0; else
 * kept with its messages, persistent ones until unlinked, others until
 * EXPIRE) -> deleted. UNLINK frees the name at once; an open unlinked queue
 * is deleted at its close.
 *
 * Consumption: the owner node hands a message to a Get, marks it taken and
 * multicasts CONSUME; every node deletes it when CONSUME is delivered. If the
 * owner node dies before that, the message is still on every other node and
 * goes to the next opener again (the only way a message is delivered twice).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>
#include <qb/qbloop.h>

#include <safd/util.h>
#include "msg_int.h"

struct msg_waiter {
	struct qb_list_head list;	/* in the queue's waiters */
	struct qb_list_head all;	/* in `waiters` */
	struct msg_queue *queue;
	struct safd_conn *conn;		/* referenced */
	struct msg_session *session;
	uint64_t capacity;
	bool has_timer;
	qb_loop_timer_handle timer;
};

static QB_LIST_DECLARE(pending_list);
static QB_LIST_DECLARE(waiters);
static uint64_t next_token = 1;
static bool expiry_timer_set;
static qb_loop_timer_handle expiry_timer;

/* ------------------------------------------------------------------ */
/* Pending answers                                                      */

struct msg_pending *msg_pending_new(enum msg_pending_kind kind, struct safd_conn *conn,
				    int32_t req_id, struct msg_session *s)
{
	struct msg_pending *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->token = next_token++;
	p->kind = kind;
	p->conn = conn;
	p->req_id = req_id;
	p->session = s;
	p->s_pid = s->pid;
	p->s_token = s->token;
	p->major = s->major;
	if (conn != NULL)
		safd_conn_ref(conn);
	qb_list_add_tail(&p->list, &pending_list);
	return p;
}

void msg_pending_free(struct msg_pending *p)
{
	if (p->has_timer)
		qb_loop_timer_del(safd_loop(), p->timer);
	qb_list_del(&p->list);
	if (p->conn != NULL)
		safd_conn_unref(p->conn);
	free(p);
}

void msg_origin_fill(struct msg_origin *o, const struct msg_pending *p,
		     const struct msg_session *s)
{
	o->token = p != NULL ? p->token : 0;
	o->session = s->token;
	o->pid = (uint32_t)s->pid;
	o->pad = 0;
	o->time = safd_time_ns(CLOCK_REALTIME);
}

/* The pending answer an exec message from this node refers to, if any. */
static struct msg_pending *pending_take(uint32_t nodeid, uint64_t token)
{
	struct msg_pending *p;

	if (nodeid != safd_local_nodeid() || token == 0)
		return NULL;
	qb_list_for_each_entry(p, &pending_list, list)
		if (p->token == token)
			return p;
	return NULL;
}

static struct msg_pending *pending_by_sender_id(uint64_t sender_id)
{
	struct msg_pending *p;

	qb_list_for_each_entry(p, &pending_list, list)
		if (p->kind == MSG_PENDING_REPLY && p->sender_id == sender_id)
			return p;
	return NULL;
}

/* Never hands an error above SA_AIS_ERR_NO_SECTIONS to a B.01 client. */
static SaAisErrorT for_client(uint32_t major, SaAisErrorT err)
{
	return major < 2 && err > SA_AIS_ERR_NO_SECTIONS ? SA_AIS_ERR_LIBRARY : err;
}

static void session_event(struct msg_session *s, void *ev, size_t len)
{
	struct safd_conn *main = s != NULL ? msg_session_main(s) : NULL;

	if (main != NULL)
		safd_conn_event(main, ev, len);
}

/* Completes a pending request with `err` (and for an open, the queue). */
static void pending_done(struct msg_pending *p, SaAisErrorT err, uint64_t queue_id)
{
	struct msg_session *s = msg_session_find(p->s_pid, p->s_token);

	err = for_client(p->major, err);
	switch (p->kind) {
	case MSG_PENDING_ANSWER:
		if (queue_id != 0) {
			struct res_lib_msg_queue_open res = {
				.header = { .id = p->req_id, .size = sizeof(res), .error = err },
				.queue_id = queue_id,
			};

			safd_conn_respond(p->conn, &res, sizeof(res));
		} else {
			safd_conn_respond_error(p->conn, p->req_id, err);
		}
		break;
	case MSG_PENDING_OPEN_EVENT: {
		struct ev_msg_queue_open ev = {
			.header = { .id = EV_MSG_QUEUE_OPEN, .size = sizeof(ev) },
			.invocation = p->invocation,
			.queue_id = queue_id,
			.error = err,
		};

		session_event(s, &ev, sizeof(ev));
		break;
	}
	case MSG_PENDING_DELIVERED_EVENT: {
		struct ev_msg_delivered ev = {
			.header = { .id = EV_MSG_DELIVERED, .size = sizeof(ev) },
			.invocation = p->invocation,
			.error = err,
		};

		session_event(s, &ev, sizeof(ev));
		break;
	}
	case MSG_PENDING_REPLY:
		safd_conn_respond_error(p->conn, p->req_id, err);
		break;
	}
	msg_pending_free(p);
}

struct deferred {
	struct msg_pending *p;
	uint64_t queue_id;
};

static void deferred_done(void *data, bool safe)
{
	struct deferred *d = data;

	pending_done(d->p, safe ? SA_AIS_OK : SA_AIS_ERR_TIMEOUT, d->queue_id);
	free(d);
}

/* Answers the origin's client: an error at once, a success once the change
 * is on every synced member (safd_when_safe()). A deferred answer leaves the
 * pending list, so that a session or connection going away meanwhile does
 * not free it; it holds its own connection reference. */
static void answer(uint32_t nodeid, const struct msg_origin *o, SaAisErrorT err,
		   uint64_t queue_id)
{
	struct msg_pending *p;
	struct deferred *d;

	if (err == SA_AIS_OK && nodeid != safd_local_nodeid())
		safd_cpg_ack_wanted();	/* the origin waits for our ACK */
	p = pending_take(nodeid, o->token);
	if (p == NULL)
		return;
	if (err != SA_AIS_OK || (d = malloc(sizeof(*d))) == NULL) {
		pending_done(p, err, queue_id);
		return;
	}
	qb_list_del(&p->list);
	qb_list_init(&p->list);
	p->session = NULL;
	d->p = p;
	d->queue_id = queue_id;
	safd_when_safe(deferred_done, d);
}

/* A client's change arriving in a configuration without a majority is
 * refused (TRY_AGAIN) by every member alike: a partition cut off from the
 * majority must not accept what a merge would throw away. */
static bool refused(uint32_t nodeid, const struct msg_origin *o)
{
	if (safd_ordered_quorate() && safd_durable_quorate())
		return false;
	answer(nodeid, o, SA_AIS_ERR_TRY_AGAIN, 0);
	return true;
}

/* ------------------------------------------------------------------ */
/* Blocked Gets                                                         */

static void waiter_free(struct msg_waiter *w)
{
	if (w->has_timer)
		qb_loop_timer_del(safd_loop(), w->timer);
	qb_list_del(&w->list);
	qb_list_del(&w->all);
	safd_conn_unref(w->conn);
	free(w);
}

static void consume_send(struct msg_queue *q, struct msg_message *m)
{
	struct req_exec_msg_queue c = { .queue_id = q->id, .arg = m->seq };

	c.o.time = safd_time_ns(CLOCK_REALTIME);
	safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_CONSUME, &c, sizeof(c));
}

/* Answers a Get with m: NO_SPACE (m stays) when it does not fit the
 * caller's buffer or the connection's (the library then asks again on a
 * connection with the large buffer), else the message, which is then
 * taken and consumed. */
static void deliver(struct safd_conn *conn, int32_t req_id, uint32_t major,
		    struct msg_queue *q, struct msg_message *m, uint64_t capacity)
{
	struct res_lib_msg_get *res;
	size_t len;

	if (m->hdr.size > capacity ||
	    sizeof(*res) + m->hdr.size > safd_conn_room(conn)) {
		struct res_lib_msg_get small = {
			.header = { .id = req_id, .size = sizeof(small),
				    .error = SA_AIS_ERR_NO_SPACE },
			.msg = m->hdr,
		};

		safd_conn_respond(conn, &small, sizeof(small));
		return;
	}
	len = sizeof(*res) + m->hdr.size;
	res = malloc(len);
	if (res == NULL) {
		safd_conn_respond_error(conn, req_id, for_client(major, SA_AIS_ERR_NO_MEMORY));
		return;
	}
	res->header.id = req_id;
	res->header.size = (int32_t)len;
	res->header.error = SA_AIS_OK;
	res->send_time = m->send_time;
	res->sender_id = m->sender_id;
	res->msg = m->hdr;
	memcpy(res + 1, m->data, m->hdr.size);
	if (safd_conn_respond(conn, res, len) == 0) {
		msg_message_take(q, m);
		consume_send(q, m);
	}
	free(res);
}

/* New messages in a queue open on this node: blocked Gets first, else one
 * received callback per message. */
static void wake(struct msg_queue *q, uint32_t new_messages)
{
	struct msg_session *s;
	struct msg_message *m;
	struct msg_waiter *w;

	while (!qb_list_empty(&q->waiters) && (m = msg_queue_first(q, true)) != NULL) {
		w = qb_list_first_entry(&q->waiters, struct msg_waiter, list);
		deliver(w->conn, REQ_LIB_MSG_GET, w->session->major, q, m, w->capacity);
		waiter_free(w);
		if (new_messages > 0)
			new_messages--;
	}
	if (!(q->open_flags & SA_MSG_QUEUE_RECEIVE_CALLBACK))
		return;
	s = msg_session_find((pid_t)q->owner_pid, q->owner_session);
	while (s != NULL && new_messages-- > 0) {
		struct ev_msg_received ev = {
			.header = { .id = EV_MSG_RECEIVED, .size = sizeof(ev) },
			.queue_id = q->id,
		};

		session_event(s, &ev, sizeof(ev));
	}
}

static void waiter_timeout(void *data)
{
	struct msg_waiter *w = data;

	w->has_timer = false;
	safd_conn_respond_error(w->conn, REQ_LIB_MSG_GET, SA_AIS_ERR_TIMEOUT);
	waiter_free(w);
}

int msg_get(struct safd_conn *conn, struct msg_session *s, struct msg_queue *q,
	    int64_t timeout, uint64_t capacity)
{
	struct msg_message *m = msg_queue_first(q, true);
	struct msg_waiter *w;

	if (m != NULL) {
		deliver(conn, REQ_LIB_MSG_GET, s->major, q, m, capacity);
		return 0;
	}
	if (timeout == 0)
		return -ETIMEDOUT;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return -ENOMEM;
	w->queue = q;
	w->conn = conn;
	w->session = s;
	w->capacity = capacity;
	safd_conn_ref(conn);
	qb_list_add_tail(&w->list, &q->waiters);
	qb_list_add_tail(&w->all, &waiters);
	if (timeout != SA_TIME_MAX) {
		w->has_timer = true;
		qb_loop_timer_add(safd_loop(), QB_LOOP_MED, (uint64_t)timeout, w,
				  waiter_timeout, &w->timer);
	}
	return 0;
}

int msg_cancel(struct msg_session *s, struct msg_queue *q)
{
	struct msg_waiter *w, *tmp;
	int n = 0;

	qb_list_for_each_entry_safe(w, tmp, &q->waiters, list) {
		if (w->session != s)
			continue;
		safd_conn_respond_error(w->conn, REQ_LIB_MSG_GET, SA_AIS_ERR_INTERRUPT);
		waiter_free(w);
		n++;
	}
	return n > 0 ? 0 : -ENOENT;
}

static void waiters_answer(struct msg_queue *q, SaAisErrorT err)
{
	struct msg_waiter *w, *tmp;

	qb_list_for_each_entry_safe(w, tmp, &q->waiters, list) {
		safd_conn_respond_error(w->conn, REQ_LIB_MSG_GET, err);
		waiter_free(w);
	}
}

/* A client connection went away: its blocked calls go with it. */
void msg_conn_drop(struct safd_conn *conn)
{
	struct msg_waiter *w, *wt;
	struct msg_pending *p, *pt;

	qb_list_for_each_entry_safe(w, wt, &waiters, all)
		if (w->conn == conn)
			waiter_free(w);
	qb_list_for_each_entry_safe(p, pt, &pending_list, list) {
		if (p->conn != conn)
			continue;
		if (p->kind == MSG_PENDING_REPLY) {
			struct req_exec_msg_request_done d = { .sender_id = p->sender_id };

			d.o.time = safd_time_ns(CLOCK_REALTIME);
			safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_REQUEST_DONE, &d, sizeof(d));
		}
		msg_pending_free(p);
	}
}

/* A session ends (finalize, or its process is gone): its blocked calls are
 * answered with err, its outstanding requests withdrawn, its tracking
 * stopped, and its open queues closed. If `finalize` is not NULL, that
 * request is answered once the closes are applied. */
void msg_session_drop(struct msg_session *s, SaAisErrorT err, struct safd_conn *finalize)
{
	struct msg_pending *done = NULL;
	uint64_t last = 0;
	struct msg_waiter *w, *wt;
	struct msg_pending *p, *pt;
	qb_map_iter_t *it;
	struct msg_queue *q;

	qb_list_for_each_entry_safe(w, wt, &waiters, all) {
		if (w->session != s)
			continue;
		safd_conn_respond_error(w->conn, REQ_LIB_MSG_GET, err);
		waiter_free(w);
	}
	qb_list_for_each_entry_safe(p, pt, &pending_list, list) {
		if (p->session != s)
			continue;
		if (p->kind == MSG_PENDING_REPLY) {
			struct req_exec_msg_request_done d = { .sender_id = p->sender_id };

			d.o.time = safd_time_ns(CLOCK_REALTIME);
			safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_REQUEST_DONE, &d, sizeof(d));
		}
		/* a call still waiting is answered; an open or send in flight is
		 * still applied, its queue closed by the CLOSEs below or when
		 * it lands (exec_open) */
		if (p->conn != NULL)
			safd_conn_respond_error(p->conn, p->req_id, err);
		msg_pending_free(p);
	}
	msg_track_stop_session(s);
	it = qb_map_iter_create(msg_state.queue_ids);
	while (qb_map_iter_next(it, (void **)&q) != NULL)
		if (msg_session_owns(s, q))
			last = q->id;
	qb_map_iter_free(it);
	if (finalize != NULL && last != 0)
		done = msg_pending_new(MSG_PENDING_ANSWER, finalize, REQ_LIB_MSG_FINALIZE, s);
	else if (finalize != NULL)
		safd_conn_respond_error(finalize, REQ_LIB_MSG_FINALIZE, SA_AIS_OK);
	it = qb_map_iter_create(msg_state.queue_ids);
	while (qb_map_iter_next(it, (void **)&q) != NULL) {
		struct req_exec_msg_queue c = { .queue_id = q->id };

		if (!msg_session_owns(s, q))
			continue;
		/* the last close answers the finalize: closes apply in order */
		msg_origin_fill(&c.o, q->id == last ? done : NULL, s);
		safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_CLOSE, &c, sizeof(c));
	}
	qb_map_iter_free(it);
}

/* State replaced by a sync (partition merge): local waiters refer to
 * state that is gone. */
void msg_local_reset(void)
{
	struct msg_waiter *w, *wt;

	qb_list_for_each_entry_safe(w, wt, &waiters, all) {
		safd_conn_respond_error(w->conn, REQ_LIB_MSG_GET, SA_AIS_ERR_BAD_HANDLE);
		waiter_free(w);
	}
	/*
	 * Pending requests stay: each one's CPG message was multicast and comes
	 * back in the replay after the new state is loaded (or later), which
	 * answers it. Answering TRY_AGAIN here would make the client send again
	 * what the cluster then stores: a duplicate.
	 */
}

/* ------------------------------------------------------------------ */
/* Queue life cycle                                                     */

static bool attrs_equal(const struct msg_queue *q, const struct safd_queue_attrs *a)
{
	int p;

	if (q->creation_flags != a->creation_flags)
		return false;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		if (q->size[p] != a->size[p])
			return false;
	return true;
}

static void exec_open(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_open *r = msg;
	struct msg_queue *q;
	SaAisErrorT err = SA_AIS_OK;

	if (refused(nodeid, &r->o))
		return;
	if (msg_name_check(&r->name) < 0 ||
	    (r->has_attrs && msg_queue_attrs_check(&r->attrs) < 0)) {
		answer(nodeid, &r->o, SA_AIS_ERR_INVALID_PARAM, 0);
		return;
	}
	q = msg_queue_find(&r->name);
	if (q == NULL) {
		if (!(r->open_flags & SA_MSG_QUEUE_CREATE) || !r->has_attrs)
			err = SA_AIS_ERR_NOT_EXIST;
		else if (msg_state.n_queues >= SAFD_MSG_MAX_QUEUES)
			err = SA_AIS_ERR_NO_RESOURCES;
		else if ((q = msg_queue_create(msg_state.next_queue_id++, &r->name,
					       &r->attrs)) == NULL)
			err = SA_AIS_ERR_NO_MEMORY;
		else
			msg_journal_queue(q);
	} else if ((r->open_flags & SA_MSG_QUEUE_CREATE) && r->has_attrs &&
		   !attrs_equal(q, &r->attrs)) {
		err = SA_AIS_ERR_EXIST;
	} else if (q->open) {
		err = SA_AIS_ERR_BUSY;
	}
	if (err != SA_AIS_OK) {
		answer(nodeid, &r->o, err, 0);
		return;
	}
	q->open = true;
	q->open_flags = r->open_flags;
	q->owner_node = nodeid;
	q->owner_pid = r->o.pid;
	q->owner_session = r->o.session;
	q->close_time = 0;
	if (r->open_flags & SA_MSG_QUEUE_EMPTY) {
		msg_queue_purge(q);
		msg_journal_purge(q);
	}
	qb_log(LOG_DEBUG, "queue %s opened by pid %u on node %u", q->key, r->o.pid, nodeid);
	answer(nodeid, &r->o, SA_AIS_OK, q->id);
	if (nodeid != safd_local_nodeid())
		return;
	if (msg_session_find((pid_t)r->o.pid, r->o.session) == NULL) {
		/* the opener went away while its open was in flight */
		struct req_exec_msg_queue c = { .queue_id = q->id };

		c.o.session = r->o.session;
		c.o.pid = r->o.pid;
		c.o.time = safd_time_ns(CLOCK_REALTIME);
		safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_CLOSE, &c, sizeof(c));
		return;
	}
	wake(q, q->count[0] + q->count[1] + q->count[2] + q->count[3]);
}

static void queue_close(struct msg_queue *q, int64_t time)
{
	waiters_answer(q, SA_AIS_ERR_BAD_HANDLE);
	q->open = false;
	q->open_flags = 0;
	q->owner_node = 0;
	q->owner_pid = 0;
	q->owner_session = 0;
	if (q->unlinked ||
	    (!(q->creation_flags & SA_MSG_QUEUE_PERSISTENT) && q->retention == 0)) {
		qb_log(LOG_DEBUG, "queue %s deleted at close", q->key);
		msg_journal_queue_gone(q);
		msg_queue_delete(q);
		return;
	}
	q->close_time = time;
	q->close_gen++;
}

static void exec_close(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_queue *r = msg;
	struct msg_queue *q = msg_queue_by_id(r->queue_id);

	if (q == NULL || !q->open || q->owner_node != nodeid ||
	    q->owner_session != r->o.session) {
		answer(nodeid, &r->o, SA_AIS_ERR_BAD_HANDLE, 0);
		return;
	}
	queue_close(q, r->o.time);
	answer(nodeid, &r->o, SA_AIS_OK, 0);
	msg_expiry_schedule();
}

static void exec_unlink(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_name *r = msg;
	struct msg_queue *q = msg_queue_find(&r->name);

	if (refused(nodeid, &r->o))
		return;
	if (q == NULL) {
		answer(nodeid, &r->o, SA_AIS_ERR_NOT_EXIST, 0);
		return;
	}
	msg_journal_queue_gone(q);
	if (q->open)
		msg_queue_unlink_name(q);
	else
		msg_queue_delete(q);
	answer(nodeid, &r->o, SA_AIS_OK, 0);
}

static void exec_retention(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_retention *r = msg;
	struct msg_queue *q = msg_queue_by_id(r->queue_id);

	if (refused(nodeid, &r->o))
		return;
	if (q == NULL || !q->open || q->owner_session != r->o.session) {
		answer(nodeid, &r->o, SA_AIS_ERR_BAD_HANDLE, 0);
	} else if ((q->creation_flags & SA_MSG_QUEUE_PERSISTENT) || q->unlinked ||
		   r->retention < 0) {
		answer(nodeid, &r->o, SA_AIS_ERR_BAD_OPERATION, 0);
	} else {
		q->retention = r->retention;
		answer(nodeid, &r->o, SA_AIS_OK, 0);
	}
}

static void exec_thresholds(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_thresholds *r = msg;
	struct msg_queue *q = msg_queue_by_id(r->queue_id);
	int p;

	if (refused(nodeid, &r->o))
		return;
	if (q == NULL || !q->open || q->owner_session != r->o.session) {
		answer(nodeid, &r->o, SA_AIS_ERR_BAD_HANDLE, 0);
		return;
	}
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		if (r->available[p] > r->reached[p] || r->reached[p] > q->size[p]) {
			answer(nodeid, &r->o, SA_AIS_ERR_INVALID_PARAM, 0);
			return;
		}
	}
	memcpy(q->reached, r->reached, sizeof(q->reached));
	memcpy(q->available, r->available, sizeof(q->available));
	msg_journal_queue(q);
	answer(nodeid, &r->o, SA_AIS_OK, 0);
}

static void exec_consume(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_queue *r = msg;
	struct msg_queue *q = msg_queue_by_id(r->queue_id);

	if (q != NULL && msg_queue_consume(q, r->arg))
		msg_journal_consumed(q, r->arg);
}

static void exec_expire(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_queue *r = msg;
	struct msg_queue *q = msg_queue_by_id(r->queue_id);

	if (q == NULL || q->open || q->close_gen != r->arg ||
	    (q->creation_flags & SA_MSG_QUEUE_PERSISTENT))
		return;
	qb_log(LOG_INFO, "queue %s expired after its retention time", q->key);
	msg_queue_delete(q);
	msg_expiry_schedule();
}

/* ------------------------------------------------------------------ */
/* Messages                                                             */

static struct msg_request *request_find(uint64_t sender_id)
{
	struct msg_request *rq;

	qb_list_for_each_entry(rq, &msg_state.requests, list)
		if (rq->sender_id == sender_id)
			return rq;
	return NULL;
}

/* Stores a copy of the message in each target; they all fit. */
static SaAisErrorT store(struct msg_queue **targets, size_t n, const struct msg_origin *o,
			 uint64_t sender_id, const struct safd_msg_header *hdr,
			 const void *data)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct msg_message *m = msg_message_new(msg_state.next_msg_seq++, o->time,
							sender_id, hdr, data);

		if (m == NULL)
			return SA_AIS_ERR_NO_MEMORY;
		msg_queue_append(targets[i], m);
		msg_journal_message(targets[i], m);
	}
	for (i = 0; i < n; i++)
		if (targets[i]->open && targets[i]->owner_node == safd_local_nodeid())
			wake(targets[i], 1);
	return SA_AIS_OK;
}

static void exec_send(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_send *r = msg;
	struct msg_queue *targets[SAFD_MSG_MAX_QUEUES_PER_GROUP];
	struct msg_group *g = NULL;
	struct msg_request *rq;
	SaAisErrorT err = SA_AIS_OK;
	size_t n = 0;

	if (refused(nodeid, &r->o))
		return;
	if (r->msg.size > SAFD_MSG_MAX_MESSAGE_SIZE || len < sizeof(*r) + r->msg.size ||
	    r->msg.priority >= SAFD_MSG_PRIORITIES || msg_name_check(&r->destination) < 0) {
		answer(nodeid, &r->o, SA_AIS_ERR_INVALID_PARAM, 0);
		return;
	}
	targets[0] = msg_queue_find(&r->destination);
	if (targets[0] != NULL) {
		n = 1;
		if (!msg_queue_fits(targets[0], r->msg.priority, r->msg.size))
			err = SA_AIS_ERR_QUEUE_FULL;
	} else if ((g = msg_group_find(&r->destination)) == NULL) {
		err = SA_AIS_ERR_NOT_EXIST;
	} else if (g->n_members == 0) {
		err = SA_AIS_ERR_QUEUE_NOT_AVAILABLE;
	} else if (r->sender_id != 0 && g->policy == SA_MSG_QUEUE_GROUP_BROADCAST) {
		err = SA_AIS_ERR_INVALID_PARAM;
	} else {
		n = msg_group_select(g, nodeid, r->msg.priority, r->msg.size, targets,
				     SAFD_ARRAY_SIZE(targets));
		if (n == 0 || (g->policy != SA_MSG_QUEUE_GROUP_BROADCAST &&
			       !msg_queue_fits(targets[0], r->msg.priority, r->msg.size)))
			err = SA_AIS_ERR_QUEUE_FULL;
	}
	if (err == SA_AIS_OK)
		err = store(targets, n, &r->o, r->sender_id, &r->msg, r + 1);
	if (err == SA_AIS_OK && r->sender_id != 0) {
		rq = calloc(1, sizeof(*rq));
		if (rq != NULL) {
			rq->sender_id = r->sender_id;
			rq->reply_capacity = r->reply_capacity;
			qb_list_add_tail(&rq->list, &msg_state.requests);
		}
		return;		/* the requester waits for the reply */
	}
	answer(nodeid, &r->o, err, 0);
}

/* Answers the SendReceive waiting on this node with the reply. */
static void reply_deliver(struct msg_pending *p, const struct req_exec_msg_reply *r,
			  SaAisErrorT err)
{
	struct res_lib_msg_get *res;
	size_t len = sizeof(*res) + (err == SA_AIS_OK ? r->msg.size : 0);

	res = calloc(1, len);
	if (res == NULL) {
		pending_done(p, SA_AIS_ERR_NO_MEMORY, 0);
		return;
	}
	res->header.id = p->req_id;
	res->header.size = (int32_t)len;
	res->header.error = err;
	res->send_time = r->o.time;
	res->msg = r->msg;
	if (err == SA_AIS_OK)
		memcpy(res + 1, r + 1, r->msg.size);
	safd_conn_respond(p->conn, res, len);
	free(res);
	msg_pending_free(p);
}

static void exec_reply(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_reply *r = msg;
	struct msg_request *rq;
	struct msg_pending *p;
	SaAisErrorT err;

	if (refused(nodeid, &r->o))
		return;
	if (r->msg.size > SAFD_MSG_MAX_REPLY_SIZE || len < sizeof(*r) + r->msg.size) {
		answer(nodeid, &r->o, SA_AIS_ERR_INVALID_PARAM, 0);
		return;
	}
	rq = request_find(r->sender_id);
	if (rq == NULL) {
		answer(nodeid, &r->o, SA_AIS_ERR_NOT_EXIST, 0);
		return;
	}
	err = r->msg.size > rq->reply_capacity ? SA_AIS_ERR_NO_SPACE : SA_AIS_OK;
	qb_list_del(&rq->list);
	free(rq);
	if ((uint32_t)(r->sender_id >> 32) == safd_local_nodeid() &&
	    (p = pending_by_sender_id(r->sender_id)) != NULL)
		reply_deliver(p, r, err);
	answer(nodeid, &r->o, err, 0);
}

static void exec_request_done(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_request_done *r = msg;
	struct msg_request *rq = request_find(r->sender_id);
	struct msg_pending *p;

	if (rq == NULL)
		return;		/* answered already */
	qb_list_del(&rq->list);
	free(rq);
	if (nodeid == safd_local_nodeid() &&
	    (p = pending_by_sender_id(r->sender_id)) != NULL)
		pending_done(p, SA_AIS_ERR_TIMEOUT, 0);
}

/* ------------------------------------------------------------------ */
/* Groups                                                               */

static void exec_group_create(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_group *r = msg;
	SaAisErrorT err = SA_AIS_OK;

	if (refused(nodeid, &r->o))
		return;
	if (msg_name_check(&r->group) < 0 || r->policy < SA_MSG_QUEUE_GROUP_ROUND_ROBIN ||
	    r->policy > SA_MSG_QUEUE_GROUP_BROADCAST)
		err = SA_AIS_ERR_INVALID_PARAM;
	else if (msg_group_find(&r->group) != NULL)
		err = SA_AIS_ERR_EXIST;
	else if (msg_state.n_groups >= SAFD_MSG_MAX_GROUPS)
		err = SA_AIS_ERR_NO_RESOURCES;
	else if (msg_group_create(&r->group, r->policy) == NULL)
		err = SA_AIS_ERR_NO_MEMORY;
	answer(nodeid, &r->o, err, 0);
}

static void exec_group_delete(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_group *r = msg;
	struct msg_group *g = msg_group_find(&r->group);

	if (refused(nodeid, &r->o))
		return;
	if (g == NULL) {
		answer(nodeid, &r->o, SA_AIS_ERR_NOT_EXIST, 0);
		return;
	}
	msg_track_deleted(g);
	msg_group_delete(g);
	answer(nodeid, &r->o, SA_AIS_OK, 0);
}

static void exec_group_member(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_msg_group *r = msg;
	const struct safd_exec_header *h = msg;
	struct msg_group *g = msg_group_find(&r->group);
	bool insert = h->id == REQ_EXEC_MSG_GROUP_INSERT;
	SaAisErrorT err;
	int rc;

	if (refused(nodeid, &r->o))
		return;
	if (g == NULL || (insert && msg_queue_find(&r->queue) == NULL) ||
	    msg_name_check(&r->queue) < 0) {
		answer(nodeid, &r->o, SA_AIS_ERR_NOT_EXIST, 0);
		return;
	}
	rc = insert ? msg_group_insert(g, &r->queue) : msg_group_remove(g, &r->queue);
	err = rc == -ENOSPC ? SA_AIS_ERR_NO_RESOURCES : safd_errno_to_ais(-rc);
	if (rc == 0)
		msg_track_changed(g, &r->queue, insert ? SA_MSG_QUEUE_GROUP_ADDED :
							 SA_MSG_QUEUE_GROUP_REMOVED);
	answer(nodeid, &r->o, err, 0);
}

/* ------------------------------------------------------------------ */
/* Nodes leaving, retention expiry                                      */

void msg_membership(const uint32_t *left, size_t n_left, const uint32_t *joined,
		    size_t n_joined, int64_t time)
{
	struct msg_queue *q, *close[1024];
	struct msg_request *rq, *tmp;
	qb_map_iter_t *it;
	size_t i, n;

	/* Queues opened from a node that left are closed, messages kept. Done
	 * in batches: closing may delete, which the iterator must not see. */
	do {
		n = 0;
		it = qb_map_iter_create(msg_state.queue_ids);
		while (n < SAFD_ARRAY_SIZE(close) && qb_map_iter_next(it, (void **)&q) != NULL)
			for (i = 0; i < n_left; i++)
				if (q->open && q->owner_node == left[i])
					close[n++] = q;
		msg_map_iter_free(it);
		for (i = 0; i < n; i++) {
			qb_log(LOG_NOTICE, "queue %s closed: node %u left", close[i]->key,
			       close[i]->owner_node);
			queue_close(close[i], time);
		}
	} while (n == SAFD_ARRAY_SIZE(close));
	qb_list_for_each_entry_safe(rq, tmp, &msg_state.requests, list) {
		for (i = 0; i < n_left; i++) {
			if ((uint32_t)(rq->sender_id >> 32) == left[i]) {
				qb_list_del(&rq->list);
				free(rq);
				break;
			}
		}
	}
	msg_expiry_schedule();
}

/* The lowest node id among the members sends EXPIRE for queues whose
 * retention ran out by its clock; every node keeps the timer so that the
 * next lowest takes over when it leaves. */
static bool expiry_leader(void)
{
	uint32_t m[SAFD_MAX_MEMBERS];
	size_t n = safd_members(m, SAFD_ARRAY_SIZE(m)), i;
	uint32_t low = UINT32_MAX;

	for (i = 0; i < n; i++)
		if (m[i] < low)
			low = m[i];
	return low == safd_local_nodeid();
}

/* When a closed non-persistent queue expires (INT64_MAX: never). */
static int64_t expires_at(const struct msg_queue *q)
{
	if (q->open || (q->creation_flags & SA_MSG_QUEUE_PERSISTENT))
		return INT64_MAX;
	/* the close time is a peer's clock: any value, even negative */
	if (q->close_time > 0 && q->retention > INT64_MAX - q->close_time)
		return INT64_MAX;
	return q->close_time + q->retention;
}

static void expiry_fire(void *data)
{
	int64_t now = safd_time_ns(CLOCK_REALTIME);
	qb_map_iter_t *it;
	struct msg_queue *q;

	expiry_timer_set = false;
	if (safd_is_synced() && expiry_leader()) {
		it = qb_map_iter_create(msg_state.queue_ids);
		while (qb_map_iter_next(it, (void **)&q) != NULL) {
			struct req_exec_msg_queue e = { .queue_id = q->id, .arg = q->close_gen };

			if (expires_at(q) > now)
				continue;
			e.o.time = now;
			safd_cpg_send(SAFD_SVC_MSG, REQ_EXEC_MSG_EXPIRE, &e, sizeof(e));
		}
		qb_map_iter_free(it);
	}
	msg_expiry_schedule();
}

void msg_expiry_schedule(void)
{
	int64_t now = safd_time_ns(CLOCK_REALTIME), next = INT64_MAX;
	uint64_t delay;
	qb_map_iter_t *it;
	struct msg_queue *q;

	if (safd_loop() == NULL)
		return;
	it = qb_map_iter_create(msg_state.queue_ids);
	while (qb_map_iter_next(it, (void **)&q) != NULL) {
		int64_t at = expires_at(q);

		if (at < next)
			next = at;
	}
	qb_map_iter_free(it);
	if (expiry_timer_set) {
		qb_loop_timer_del(safd_loop(), expiry_timer);
		expiry_timer_set = false;
	}
	if (next == INT64_MAX)
		return;
	/* not before 10 ms from now: an EXPIRE in flight needs time to land
	 * (unsigned: a peer's close time may lie decades in the past) */
	delay = next > now ? (uint64_t)next - (uint64_t)now : 0;
	if (delay < 10000000)
		delay = 10000000;
	expiry_timer_set = true;
	qb_loop_timer_add(safd_loop(), QB_LOOP_LOW, delay, NULL, expiry_fire, &expiry_timer);
}

const struct safd_exec_handler msg_exec[REQ_EXEC_MSG_COUNT] = {
	[REQ_EXEC_MSG_OPEN] = { exec_open, sizeof(struct req_exec_msg_open) },
	[REQ_EXEC_MSG_CLOSE] = { exec_close, sizeof(struct req_exec_msg_queue) },
	[REQ_EXEC_MSG_UNLINK] = { exec_unlink, sizeof(struct req_exec_msg_name) },
	[REQ_EXEC_MSG_RETENTION] = { exec_retention, sizeof(struct req_exec_msg_retention) },
	[REQ_EXEC_MSG_SEND] = { exec_send, sizeof(struct req_exec_msg_send) },
	[REQ_EXEC_MSG_CONSUME] = { exec_consume, sizeof(struct req_exec_msg_queue) },
	[REQ_EXEC_MSG_GROUP_CREATE] = { exec_group_create, sizeof(struct req_exec_msg_group) },
	[REQ_EXEC_MSG_GROUP_DELETE] = { exec_group_delete, sizeof(struct req_exec_msg_group) },
	[REQ_EXEC_MSG_GROUP_INSERT] = { exec_group_member, sizeof(struct req_exec_msg_group) },
	[REQ_EXEC_MSG_GROUP_REMOVE] = { exec_group_member, sizeof(struct req_exec_msg_group) },
	[REQ_EXEC_MSG_EXPIRE] = { exec_expire, sizeof(struct req_exec_msg_queue) },
	[REQ_EXEC_MSG_REPLY] = { exec_reply, sizeof(struct req_exec_msg_reply) },
	[REQ_EXEC_MSG_REQUEST_DONE] = { exec_request_done,
					sizeof(struct req_exec_msg_request_done) },
	[REQ_EXEC_MSG_THRESHOLDS] = { exec_thresholds, sizeof(struct req_exec_msg_thresholds) },
};
