/*
 * IPC glue: one libqb IPC server per service on the daemon's main loop, and
 * the gatekeeper every client request passes before a handler sees it.
 *
 * Gatekeeper checks, in order: the request is at least a header and its
 * header size equals what arrived; the id is in the service's table and has
 * a handler; the request is at least the handler's min_size; the handler's
 * preconditions (node synced, partition quorate) hold. Any failure gets an
 * error response; nothing reaches a handler unchecked.
 *
 * Events never get lost to a full ring: one that finds no room waits in
 * the connection's backlog, in order, and a timer retries; one larger than
 * the ring is kept until the library fetches it (ipc.h, SAFD_EV_FETCH).
 * Both are bounded per connection (SAFD_IPC_HELD_MAX); beyond that an
 * event is refused, as a full ring would refuse it.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qbipcs.h>
#include <qb/qblist.h>
#include <qb/qbloop.h>
#include <qb/qblog.h>

#include <safd/service.h>
#include <safd/util.h>
#include "core.h"

struct safd_conn {
	qb_ipcs_connection_t *qb;
	const struct safd_service *svc;
	pid_t pid;
	bool closed;		/* the client went away */
	bool admin;		/* may run admin operations (--admin-allow) */
	bool said_hello;
	uint32_t hello_flags;	/* SAFD_HELLO_* */
	uint32_t major;		/* AIS major version the client asked for */
	uint64_t session;
	struct qb_list_head backlog;	/* struct held_event, oldest first */
	struct qb_list_head waiting;	/* in waiting_conns while backlog is not empty */
	size_t held;		/* bytes in the backlog and kept for a fetch */
	bool held_warned;
	uint64_t private[];	/* svc->conn_private_size bytes */
};

/* An event waiting for room in the ring (in its connection's backlog) or,
 * too large for the ring, for a fetch (in `kept` once its EV_FETCH is in
 * the ring). */
struct held_event {
	struct qb_list_head list;
	struct safd_conn *conn;
	uint64_t token;		/* kept events: what the EV_FETCH names */
	size_t len;
	uint8_t data[];
};

/* What one connection may hold back; the rings hold 128 KiB. */
#define SAFD_IPC_HELD_MAX (8 * 1024 * 1024)
#define BACKLOG_RETRY_NS (5 * 1000000ULL)

static qb_ipcs_service_t *servers[SAFD_SVC_COUNT];

/*
 * Connection limits. Each connection costs safd 384 KiB of shared memory
 * (three rings of SAFD_IPC_CONN_SIZE that libqb fills up front; 3.3 MiB
 * for one with the large buffer) and a file descriptor, so a client that
 * opens handles without end would exhaust the node; beyond the limits a
 * connection is refused with EMFILE (the library answers
 * SA_AIS_ERR_NO_RESOURCES).
 */
struct client_count {
	pid_t pid;
	uint32_t n;
};

static struct client_count *clients;	/* one per client process */
static size_t n_clients, clients_cap;
static uint32_t n_conns;
static uint32_t max_conns = SAFD_IPC_MAX_CONNECTIONS;
static uint32_t max_client_conns = SAFD_IPC_MAX_CLIENT_CONNECTIONS;

void safd_ipc_limits(uint32_t total, uint32_t per_client)
{
	max_conns = total;
	max_client_conns = per_client;
}

static struct client_count *client_find(pid_t pid)
{
	size_t i;

	for (i = 0; i < n_clients; i++)
		if (clients[i].pid == pid)
			return &clients[i];
	return NULL;
}

static int client_add(pid_t pid)
{
	struct client_count *c = client_find(pid);

	if (c == NULL) {
		if (n_clients == clients_cap) {
			size_t cap = clients_cap ? clients_cap * 2 : 64;
			struct client_count *p = realloc(clients, cap * sizeof(*p));

			if (p == NULL)
				return -ENOMEM;
			clients = p;
			clients_cap = cap;
		}
		c = &clients[n_clients++];
		c->pid = pid;
		c->n = 0;
	}
	c->n++;
	n_conns++;
	return 0;
}

static void client_remove(pid_t pid)
{
	struct client_count *c = client_find(pid);

	if (c == NULL)
		return;
	n_conns--;
	if (--c->n == 0)
		*c = clients[--n_clients];
}
static char access_use, access_admin;	/* markers from accept to created */
static qb_loop_t *ipc_loop;

SaAisErrorT safd_errno_to_ais(int err)
{
	switch (err) {
	case 0: return SA_AIS_OK;
	case ENOENT: return SA_AIS_ERR_NOT_EXIST;
	case EEXIST: return SA_AIS_ERR_EXIST;
	case EBUSY: return SA_AIS_ERR_BUSY;
	case EINVAL: return SA_AIS_ERR_INVALID_PARAM;
	case ENOMEM: return SA_AIS_ERR_NO_MEMORY;
	case EAGAIN: return SA_AIS_ERR_TRY_AGAIN;
	case EACCES: case EPERM: return SA_AIS_ERR_ACCESS;
	case ENOSPC: return SA_AIS_ERR_NO_SPACE;
	case E2BIG: case EMSGSIZE: return SA_AIS_ERR_TOO_BIG;
	case ENOBUFS: return SA_AIS_ERR_QUEUE_FULL;
	case ETIMEDOUT: return SA_AIS_ERR_TIMEOUT;
	case EINTR: return SA_AIS_ERR_INTERRUPT;
	case EBADF: return SA_AIS_ERR_BAD_HANDLE;
	case ENOTSUP: return SA_AIS_ERR_NOT_SUPPORTED;
	case EPROTO: return SA_AIS_ERR_MESSAGE_ERROR;
	case ENOEXEC: return SA_AIS_ERR_BAD_OPERATION;
	case EALREADY: return SA_AIS_ERR_NO_OP;
	default: return SA_AIS_ERR_LIBRARY;
	}
}

size_t safd_conn_room(const struct safd_conn *conn)
{
	return (size_t)qb_ipcs_connection_get_buffer_size(conn->qb);
}

int safd_conn_respond(struct safd_conn *conn, const void *res, size_t len)
{
	ssize_t rc;

	if (len > safd_conn_room(conn)) {
		/* libsafdclient sends a request on a connection that holds
		 * the largest answer it takes, so only a foreign client gets
		 * here; it gets an error instead of no answer. */
		qb_log(LOG_WARNING, "%s: a %zu-byte answer to pid %d does not fit its "
		       "connection's %zu-byte buffer", conn->svc->name, len, (int)conn->pid,
		       safd_conn_room(conn));
		return safd_conn_respond_error(conn, ((const struct qb_ipc_response_header *)
						      res)->id, SA_AIS_ERR_NO_RESOURCES);
	}
	rc = qb_ipcs_response_send(conn->qb, res, len);
	if (rc < 0) {
		qb_log(LOG_DEBUG, "response to pid %d failed: %s", (int)conn->pid,
		       strerror((int)-rc));
		return (int)rc;
	}
	return 0;
}

int safd_conn_respond_error(struct safd_conn *conn, int32_t id, SaAisErrorT err)
{
	struct qb_ipc_response_header res = {
		.id = id, .size = sizeof(res), .error = err,
	};

	return safd_conn_respond(conn, &res, sizeof(res));
}

/* ---- events: the backlog and the kept ones (see the top) ---- */

static QB_LIST_DECLARE(kept);		/* struct held_event, announced */
static QB_LIST_DECLARE(waiting_conns);	/* struct safd_conn with a backlog */
static qb_loop_timer_handle backlog_timer;
static uint64_t next_kept_token = 1;

static void held_free(struct held_event *e)
{
	e->conn->held -= e->len;
	qb_list_del(&e->list);
	free(e);
}

/* Puts one event in the ring: a kept one as its EV_FETCH. */
static ssize_t ring_send(struct held_event *e)
{
	struct ev_fetch ev = {
		.header = { .id = SAFD_EV_FETCH, .size = sizeof(ev), .error = SA_AIS_OK },
		.token = e->token,
		.size = (uint32_t)e->len,
	};

	if (e->token == 0)
		return qb_ipcs_event_send(e->conn->qb, e->data, e->len);
	return qb_ipcs_event_send(e->conn->qb, &ev, sizeof(ev));
}

/* Sends the backlog in order while the ring takes it. */
static void backlog_flush(struct safd_conn *conn)
{
	struct held_event *e;
	ssize_t rc;

	while (!qb_list_empty(&conn->backlog)) {
		e = qb_list_first_entry(&conn->backlog, struct held_event, list);
		rc = ring_send(e);
		if (rc == -EAGAIN || rc == -ETIMEDOUT)
			return;
		if (rc < 0 || e->token == 0) {
			held_free(e);	/* sent, or the client is gone */
			continue;
		}
		qb_list_del(&e->list);
		qb_list_add_tail(&e->list, &kept);
	}
	qb_list_del(&conn->waiting);
	qb_list_init(&conn->waiting);
}

static void backlog_retry(void *data);

/* One timer for every connection with a backlog. */
static void backlog_schedule(void)
{
	if (!qb_list_empty(&waiting_conns) && !qb_loop_timer_is_running(ipc_loop, backlog_timer))
		qb_loop_timer_add(ipc_loop, QB_LOOP_MED, BACKLOG_RETRY_NS, NULL,
				  backlog_retry, &backlog_timer);
}

static void backlog_retry(void *data)
{
	struct safd_conn *conn, *tmp;

	qb_list_for_each_entry_safe(conn, tmp, &waiting_conns, waiting)
		backlog_flush(conn);
	backlog_schedule();
}

/* Drops what a closed connection held. */
static void held_drop(struct safd_conn *conn)
{
	struct held_event *e, *tmp;

	qb_list_for_each_entry_safe(e, tmp, &conn->backlog, list)
		held_free(e);
	qb_list_for_each_entry_safe(e, tmp, &kept, list)
		if (e->conn == conn)
			held_free(e);
	qb_list_del(&conn->waiting);
	qb_list_init(&conn->waiting);
}

int safd_conn_event(struct safd_conn *conn, const void *ev, size_t len)
{
	bool big = len > safd_conn_room(conn);
	struct held_event *e;
	ssize_t rc;

	if (conn->closed)
		return -ENOTCONN;
	if (len > SAFD_IPC_MAX_MSG) {
		qb_log(LOG_ERR, "%s: an event of %zu bytes for pid %d is larger than "
		       "any message", conn->svc->name, len, (int)conn->pid);
		return -E2BIG;
	}
	if (!big && qb_list_empty(&conn->backlog)) {
		rc = qb_ipcs_event_send(conn->qb, ev, len);
		if (rc != -EAGAIN && rc != -ETIMEDOUT)
			return rc < 0 ? (int)rc : 0;
	}
	if (conn->held + len > SAFD_IPC_HELD_MAX) {
		if (!conn->held_warned)
			qb_log(LOG_WARNING, "%s: pid %d does not read its events: %zu bytes "
			       "wait, an event of %zu bytes is dropped", conn->svc->name,
			       (int)conn->pid, conn->held, len);
		conn->held_warned = true;
		return -EAGAIN;
	}
	e = malloc(sizeof(*e) + len);
	if (e == NULL)
		return -ENOMEM;
	e->conn = conn;
	e->token = big ? next_kept_token++ : 0;
	e->len = len;
	memcpy(e->data, ev, len);
	conn->held += len;
	conn->held_warned = false;
	qb_list_add_tail(&e->list, &conn->backlog);
	if (qb_list_empty(&conn->waiting)) {
		qb_list_add_tail(&conn->waiting, &waiting_conns);
		backlog_flush(conn);
		backlog_schedule();
	}
	return 0;
}

/* SAFD_REQ_EVENT_FETCH: a kept event of the asking connection's session. */
static int event_fetch(struct safd_conn *conn, const struct req_lib_event_fetch *req)
{
	struct held_event *e;
	int rc;

	qb_list_for_each_entry(e, &kept, list) {
		if (e->token != req->token || e->conn->pid != conn->pid ||
		    e->conn->session != conn->session || conn->session == 0)
			continue;
		if (e->len > safd_conn_room(conn))	/* asked on a small connection */
			return safd_conn_respond_error(conn, SAFD_REQ_EVENT_FETCH,
						       SA_AIS_ERR_NO_RESOURCES);
		rc = safd_conn_respond(conn, e->data, e->len);
		if (rc == 0)
			held_free(e);
		return rc;
	}
	return safd_conn_respond_error(conn, SAFD_REQ_EVENT_FETCH, SA_AIS_ERR_NOT_EXIST);
}

void *safd_conn_private(struct safd_conn *conn)
{
	return conn->private;
}

pid_t safd_conn_pid(const struct safd_conn *conn)
{
	return conn->pid;
}

uint64_t safd_conn_session(const struct safd_conn *conn)
{
	return conn->session;
}

bool safd_conn_is_main(const struct safd_conn *conn)
{
	return conn->hello_flags & SAFD_HELLO_MAIN_CONN;
}

uint32_t safd_conn_major(const struct safd_conn *conn)
{
	return conn->major;
}

bool safd_conn_closed(const struct safd_conn *conn)
{
	return conn->closed;
}

void safd_conn_ref(struct safd_conn *conn)
{
	qb_ipcs_connection_ref(conn->qb);
}

void safd_conn_unref(struct safd_conn *conn)
{
	qb_ipcs_connection_unref(conn->qb);
}

static int hello(struct safd_conn *conn, const void *msg)
{
	const struct req_lib_hello *req = msg;
	struct res_lib_hello res = {
		.header = { .id = SAFD_REQ_HELLO, .size = sizeof(res) },
		.protocol = SAFD_IPC_PROTOCOL,
		.nodeid = safd_local_nodeid(),
	};

	snprintf(res.version, sizeof(res.version), "%s", PACKAGE_VERSION);
	if (!conn->said_hello && req->protocol == SAFD_IPC_PROTOCOL) {
		conn->said_hello = true;
		conn->session = req->session;
		conn->hello_flags = req->flags;
		conn->major = req->major_version;
		if (conn->svc->conn_opened)
			conn->svc->conn_opened(conn);
	}
	if (req->protocol != SAFD_IPC_PROTOCOL) {
		qb_log(LOG_WARNING, "%s: pid %d uses IPC protocol %u, safd speaks %u: "
		       "the library and safd do not match", conn->svc->name,
		       (int)conn->pid, req->protocol, SAFD_IPC_PROTOCOL);
		res.header.error = SA_AIS_ERR_LIBRARY;
	}
	else if (conn->svc->id != SAFD_SVC_ADM && !safd_is_synced())
		res.header.error = SA_AIS_ERR_TRY_AGAIN;
	else
		res.header.error = SA_AIS_OK;
	return safd_conn_respond(conn, &res, sizeof(res));
}

/* Only users and groups of --ipc-allow connect; what conn_created needs
 * to know (admin or not) waits in the connection's context. */
static int32_t conn_accept(qb_ipcs_connection_t *c, uid_t uid, gid_t gid)
{
	const struct safd_service *svc = qb_ipcs_connection_service_context_get(c);
	enum safd_access a = safd_access_check(uid, gid);
	struct qb_ipcs_connection_stats stats = { 0 };
	const struct client_count *cc;

	qb_ipcs_connection_stats_get(c, &stats, QB_FALSE);
	cc = client_find(stats.client_pid);
	if (n_conns >= max_conns || (cc != NULL && cc->n >= max_client_conns)) {
		/* once per hundred, so that a client in a loop cannot fill the log */
		static uint32_t refused;

		if (refused++ % 100 == 0)
			qb_log(LOG_WARNING, "%s: refused a connection from pid %d: %s (%u); "
			       "%u refused so far", svc->name, (int)stats.client_pid,
			       n_conns >= max_conns ? "safd has too many connections" :
			       "the process has too many connections",
			       n_conns >= max_conns ? max_conns : max_client_conns, refused);
		return -EMFILE;
	}
	/* libqb sizes the rings by what the client asks for when that is
	 * more than safd enforces: three shared-memory rings of it, filled
	 * up front. A bigger buffer than the largest message would be a way
	 * to take its memory; libsafdclient asks for SAFD_IPC_CONN_SIZE or
	 * SAFD_IPC_MAX_MSG. */
	if (qb_ipcs_connection_get_buffer_size(c) > SAFD_IPC_MAX_MSG) {
		qb_log(LOG_WARNING, "%s: refused a connection from pid %d: it asked for "
		       "%d-byte IPC buffers, safd allows %d", svc->name, (int)stats.client_pid,
		       qb_ipcs_connection_get_buffer_size(c), SAFD_IPC_MAX_MSG);
		return -EMSGSIZE;
	}
	if (a == SAFD_ACCESS_NONE) {
		qb_log(LOG_WARNING, "%s: refused a connection from uid %u gid %u pid %d: "
		       "not in --ipc-allow (%s)", svc->name, (unsigned)uid, (unsigned)gid,
		       (int)stats.client_pid, safd_access_ipc_text());
		return -EACCES;
	}
	qb_ipcs_context_set(c, a == SAFD_ACCESS_ADMIN ? &access_admin : &access_use);
	return 0;
}

static void conn_created(qb_ipcs_connection_t *c)
{
	const struct safd_service *svc = qb_ipcs_connection_service_context_get(c);
	bool admin = qb_ipcs_context_get(c) == &access_admin;
	struct qb_ipcs_connection_stats stats;
	struct safd_conn *conn;

	qb_ipcs_context_set(c, NULL);
	conn = calloc(1, sizeof(*conn) + svc->conn_private_size);
	if (conn == NULL) {
		qb_log(LOG_ERR, "%s: out of memory for a new connection", svc->name);
		qb_ipcs_disconnect(c);
		return;
	}
	conn->qb = c;
	conn->svc = svc;
	conn->admin = admin;
	qb_list_init(&conn->backlog);
	qb_list_init(&conn->waiting);
	if (qb_ipcs_connection_stats_get(c, &stats, QB_FALSE) == 0)
		conn->pid = stats.client_pid;
	if (client_add(conn->pid) < 0) {
		qb_log(LOG_ERR, "%s: out of memory for a new connection", svc->name);
		free(conn);
		qb_ipcs_disconnect(c);
		return;
	}
	qb_ipcs_context_set(c, conn);
	qb_log(LOG_DEBUG, "%s: connection from pid %d", svc->name, (int)conn->pid);
}

/*
 * Closed connections whose rings are freed a little later. libqb unmaps and
 * unlinks a connection's three rings when its last reference goes, right
 * after connection_closed: milliseconds of work in the loop, at the moment
 * a client died and its recovery (the death's CPG event, this node's ACKs
 * for the other nodes) should go first. So conn_closed() keeps a reference
 * and a LOW timer drops it once the rush is over.
 */
#define GRAVES_MAX 256
#define GRAVES_DELAY_NS (100 * 1000000ULL)

static qb_ipcs_connection_t *graves[GRAVES_MAX];
static size_t n_graves;
static qb_loop_timer_handle graves_timer;

void safd_ipc_release_closed(void)
{
	if (n_graves > 0 && qb_loop_timer_is_running(ipc_loop, graves_timer))
		qb_loop_timer_del(ipc_loop, graves_timer);
	while (n_graves > 0)
		qb_ipcs_connection_unref(graves[--n_graves]);
}

static void graves_due(void *data)
{
	safd_ipc_release_closed();
}

static void grave_add(qb_ipcs_connection_t *c)
{
	if (n_graves == GRAVES_MAX)
		return;		/* freed now, as libqb would */
	if (n_graves == 0 && qb_loop_timer_add(ipc_loop, QB_LOOP_LOW, GRAVES_DELAY_NS, NULL,
						graves_due, &graves_timer) != 0)
		return;
	qb_ipcs_connection_ref(c);
	graves[n_graves++] = c;
}

/* The client went away: the service drops what it holds for it (waiters,
 * references); the struct lives until the last reference is gone. */
static int32_t conn_closed(qb_ipcs_connection_t *c)
{
	struct safd_conn *conn = qb_ipcs_context_get(c);

	if (conn == NULL || conn->closed)
		return 0;
	conn->closed = true;
	held_drop(conn);
	grave_add(c);
	qb_log(LOG_DEBUG, "%s: connection from pid %d closed", conn->svc->name,
	       (int)conn->pid);
	if (conn->svc->conn_closed)
		conn->svc->conn_closed(conn);
	return 0;
}

static void conn_destroyed(qb_ipcs_connection_t *c)
{
	struct safd_conn *conn = qb_ipcs_context_get(c);

	if (conn == NULL)
		return;
	client_remove(conn->pid);
	held_drop(conn);
	if (!conn->closed) {
		conn->closed = true;
		if (conn->svc->conn_closed)
			conn->svc->conn_closed(conn);
	}
	qb_ipcs_context_set(c, NULL);
	free(conn);
}

/* The gatekeeper. */
static int32_t msg_process(qb_ipcs_connection_t *c, void *data, size_t size)
{
	struct safd_conn *conn = qb_ipcs_context_get(c);
	const struct qb_ipc_request_header *h = data;
	const struct safd_lib_handler *handler;
	const struct safd_service *svc;
	int rc;

	if (conn == NULL)
		return -1;
	svc = conn->svc;
	/* libqb passes the size the header claims, not the size that arrived;
	 * a claim beyond the connection's buffer would make a handler read
	 * outside the shared-memory ring, so it is refused here. */
	if (size < sizeof(*h) || h->size < 0 || (size_t)h->size != size ||
	    size > (size_t)qb_ipcs_connection_get_buffer_size(c)) {
		qb_log(LOG_WARNING, "%s: pid %d sent a malformed request (%zu bytes)",
		       svc->name, (int)conn->pid, size);
		return safd_conn_respond_error(conn, size >= sizeof(*h) ? h->id : -1,
					       SA_AIS_ERR_MESSAGE_ERROR);
	}
	if (h->id == SAFD_REQ_HELLO) {
		if (size < sizeof(struct req_lib_hello))
			return safd_conn_respond_error(conn, h->id, SA_AIS_ERR_MESSAGE_ERROR);
		return hello(conn, data);
	}
	if (!conn->said_hello) {
		qb_log(LOG_WARNING, "%s: pid %d sent request %d before hello",
		       svc->name, (int)conn->pid, h->id);
		return safd_conn_respond_error(conn, h->id, SA_AIS_ERR_MESSAGE_ERROR);
	}
	if (h->id == SAFD_REQ_EVENT_FETCH) {
		if (size < sizeof(struct req_lib_event_fetch))
			return safd_conn_respond_error(conn, h->id, SA_AIS_ERR_MESSAGE_ERROR);
		return event_fetch(conn, data);
	}
	if (h->id < 0 || (uint32_t)h->id >= svc->lib_count ||
	    svc->lib[h->id].fn == NULL) {
		qb_log(LOG_WARNING, "%s: pid %d sent unknown request %d",
		       svc->name, (int)conn->pid, h->id);
		return safd_conn_respond_error(conn, h->id, SA_AIS_ERR_MESSAGE_ERROR);
	}
	handler = &svc->lib[h->id];
	if (size < handler->min_size) {
		qb_log(LOG_WARNING, "%s: pid %d sent request %d of %zu bytes (minimum %u)",
		       svc->name, (int)conn->pid, h->id, size, handler->min_size);
		return safd_conn_respond_error(conn, h->id, SA_AIS_ERR_MESSAGE_ERROR);
	}
	if ((handler->flags & SAFD_H_ADMIN) && !conn->admin) {
		qb_log(LOG_WARNING, "%s: refused request %d of pid %d: admin operations need "
		       "--admin-allow (%s)", svc->name, h->id, (int)conn->pid,
		       safd_access_admin_text());
		return safd_conn_respond_error(conn, h->id, SA_AIS_ERR_ACCESS);
	}
	if (((handler->flags & SAFD_H_SYNCED) && !safd_is_synced()) ||
	    ((handler->flags & SAFD_H_QUORATE) && !safd_is_quorate()))
		return safd_conn_respond_error(conn, h->id, SA_AIS_ERR_TRY_AGAIN);

	rc = handler->fn(conn, data, size);
	if (rc < 0)
		return safd_conn_respond_error(conn, h->id, safd_errno_to_ais(-rc));
	return 0;
}

/* libqb IPC on the daemon's qb_loop (the pattern from libqb's examples). */
static int32_t job_add(enum qb_loop_priority p, void *data, qb_loop_job_dispatch_fn fn)
{
	return qb_loop_job_add(ipc_loop, p, data, fn);
}

static int32_t dispatch_add(enum qb_loop_priority p, int32_t fd, int32_t events,
			    void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_add(ipc_loop, p, fd, events, data, fn);
}

static int32_t dispatch_mod(enum qb_loop_priority p, int32_t fd, int32_t events,
			    void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_mod(ipc_loop, p, fd, events, data, fn);
}

static int32_t dispatch_del(int32_t fd)
{
	return qb_loop_poll_del(ipc_loop, fd);
}

static struct qb_ipcs_poll_handlers poll_handlers = {
	.job_add = job_add,
	.dispatch_add = dispatch_add,
	.dispatch_mod = dispatch_mod,
	.dispatch_del = dispatch_del,
};

static struct qb_ipcs_service_handlers service_handlers = {
	.connection_accept = conn_accept,
	.connection_created = conn_created,
	.msg_process = msg_process,
	.connection_closed = conn_closed,
	.connection_destroyed = conn_destroyed,
};

int safd_ipc_start(qb_loop_t *loop, const char *prefix,
		   const struct safd_service *const *svcs, size_t n)
{
	char name[SAFD_IPC_NAME_MAX];
	size_t i;
	int rc;

	ipc_loop = loop;
	for (i = 0; i < n; i++) {
		const struct safd_service *svc = svcs[i];
		qb_ipcs_service_t *s;

		assert(svc->lib_count <= SAFD_REQ_EVENT_FETCH);	/* ipc.h */
		safd_ipc_name(name, sizeof(name), prefix, svc->name);
		s = qb_ipcs_create(name, svc->id, QB_IPC_SHM, &service_handlers);
		if (s == NULL) {
			qb_log(LOG_ERR, "cannot create IPC service %s", name);
			return -ENOMEM;
		}
		qb_ipcs_service_context_set(s, (void *)svc);
		qb_ipcs_poll_handlers_set(s, &poll_handlers);
		qb_ipcs_enforce_buffer_size(s, SAFD_IPC_CONN_SIZE);
		rc = qb_ipcs_run(s);
		if (rc != 0) {
			/* qb_ipcs_run() has released s already */
			qb_log(LOG_CRIT, "cannot start IPC service %s: %s%s", name,
			       strerror(-rc), rc == -EADDRINUSE ?
			       " (is another safd running on this node?)" : "");
			return rc;
		}
		servers[svc->id] = s;
		qb_log(LOG_INFO, "IPC service %s ready", name);
	}
	return 0;
}

void safd_ipc_stop(void)
{
	size_t i;

	safd_ipc_release_closed();	/* before libqb disconnects what is left */
	if (qb_loop_timer_is_running(ipc_loop, backlog_timer))
		qb_loop_timer_del(ipc_loop, backlog_timer);
	for (i = 0; i < SAFD_ARRAY_SIZE(servers); i++) {
		if (servers[i] != NULL) {
			qb_ipcs_destroy(servers[i]);
			servers[i] = NULL;
		}
	}
}
