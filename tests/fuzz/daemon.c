/*
 * The fuzz daemon (daemon.h): safd's core and services as they are, and
 * fakes for what they would ask of the outside. The fakes are the functions
 * of libqb's IPC server and main loop and of libcpg themselves, defined
 * here: a definition in the executable wins over the shared library's, so
 * services/ipc.c and services/cpg.c run unchanged, their static gatekeepers
 * (msg_process, deliver) reached through the handler tables they register.
 * libcpg is not linked at all; a libqb IPC function without a fake here
 * would reach libqb with a fake connection, so fuzz.mk refuses to link a
 * binary that still imports one.
 *
 * Stand-ins for the files not linked: services/main.c (safd_loop(),
 * safd_exit()) and services/quorum.c (quorate unless an input says
 * otherwise; majority as in votequorum's two_node mode).
 *
 * AMF starts its components with fork(); here fork() returns a made-up pid
 * above the kernel's PID_MAX_LIMIT, so nothing runs and kill() on it fails
 * with ESRCH.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <corosync/cpg.h>
#include <qb/qbipcs.h>
#include <qb/qblist.h>
#include <qb/qblog.h>
#include <qb/qbloop.h>

#include <safd/ipc_adm.h>
#include <safd/ipc_amf.h>
#include <safd/util.h>
#include "../../services/core.h"
#include "../../services/safd_config.h"
#include "daemon.h"

/* compiler-rt: names the function at an address, for the reports */
void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t len);

#define LOCAL_NODEID 1
#define NODES 4			/* node ids 1..4, as in model.xml */
#define FAKE_CPG_FD 1000000	/* never a real descriptor */
#define FAKE_PID_FIRST (1 << 23)	/* above PID_MAX_LIMIT (4194304) */
#define STORM 100000		/* messages or timer runs for one record */

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "tests/fuzz"
#endif

void (*fuzz_capture_fn)(const void *msg, size_t len);

static void fatal(const char *what)
{
	fprintf(stderr, "fuzz daemon: %s\n", what);
	abort();
}

/* ------------------------------------------------------------------------ */
/* services/main.c and services/quorum.c                                     */
/* ------------------------------------------------------------------------ */

static char fake_loop_storage;
#define FAKE_LOOP ((qb_loop_t *)&fake_loop_storage)

static bool exited;		/* safd_exit() was called: safd would stop */

struct qb_loop *safd_loop(void)
{
	return FAKE_LOOP;
}

const char *safd_state_dir(void)
{
	return "/nonexistent/safd-fuzz";
}

/* The daemon would stop (a state it cannot load, a configuration it cannot
 * hold, no memory): by design, not a crash. The input ends here. */
void safd_exit(int status)
{
	qb_log(LOG_NOTICE, "safd_exit(%d): safd would stop here", status);
	exited = true;
}

static bool quorate = true;

bool safd_is_quorate(void)
{
	return quorate;
}

bool safd_majority(size_t n_nodes)
{
	return quorate;
}

static uint32_t members[NODES];
static size_t n_members;

size_t safd_quorum_view(uint32_t *out, size_t max)
{
	size_t n = n_members < max ? n_members : max;

	memcpy(out, members, n * sizeof(*out));
	return n;
}

size_t safd_nodelist(uint32_t *out, size_t max)
{
	size_t i;

	for (i = 0; i < NODES && i < max; i++)
		out[i] = (uint32_t)i + 1;
	return i;
}

static pid_t next_fake_pid = FAKE_PID_FIRST;

pid_t fork(void)
{
	return next_fake_pid++;
}

/* ------------------------------------------------------------------------ */
/* The main loop: timers on a virtual clock, polls and signals recorded      */
/* ------------------------------------------------------------------------ */

#define REAL(fn) ((__typeof__(&fn))real_symbol(#fn))

static void *real_symbol(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL)
		fatal(name);
	return f;
}

struct fake_timer {
	struct qb_list_head list;
	qb_loop_timer_handle handle;
	uint64_t due;
	void *data;
	qb_loop_timer_dispatch_fn fn;
};

static QB_LIST_DECLARE(timers);		/* by due time, then by addition */
static uint64_t vclock;			/* ns */
static qb_loop_timer_handle next_timer = 1;

static struct fake_timer *timer_find(qb_loop_timer_handle h)
{
	struct fake_timer *t;

	qb_list_for_each_entry(t, &timers, list)
		if (t->handle == h)
			return t;
	return NULL;
}

int32_t qb_loop_timer_add(qb_loop_t *l, enum qb_loop_priority p, uint64_t nsec,
			  void *data, qb_loop_timer_dispatch_fn fn,
			  qb_loop_timer_handle *out)
{
	struct fake_timer *t, *pos;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_timer_add)(l, p, nsec, data, fn, out);
	if (fn == NULL)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->handle = next_timer++;
	t->due = vclock + nsec;
	t->data = data;
	t->fn = fn;
	qb_list_for_each_entry(pos, &timers, list)
		if (pos->due > t->due)
			break;
	qb_list_add_tail(&t->list, &pos->list);	/* before pos */
	if (out != NULL)
		*out = t->handle;
	return 0;
}

int32_t qb_loop_timer_del(qb_loop_t *l, qb_loop_timer_handle h)
{
	struct fake_timer *t;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_timer_del)(l, h);
	t = timer_find(h);
	if (t == NULL)
		return -EINVAL;
	qb_list_del(&t->list);
	free(t);
	return 0;
}

int32_t qb_loop_timer_is_running(qb_loop_t *l, qb_loop_timer_handle h)
{
	if (l != FAKE_LOOP)
		return REAL(qb_loop_timer_is_running)(l, h);
	return timer_find(h) != NULL;
}

uint64_t qb_loop_timer_expire_time_remaining(qb_loop_t *l, qb_loop_timer_handle h)
{
	struct fake_timer *t;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_timer_expire_time_remaining)(l, h);
	t = timer_find(h);
	return t != NULL && t->due > vclock ? t->due - vclock : 0;
}

struct fake_poll {
	bool used;
	bool infra;	/* cpg.c's or ipc.c's own, there from the start */
	int32_t fd;
	void *data;
	qb_loop_poll_dispatch_fn fn;
};

static struct fake_poll polls[256];

static struct fake_poll *poll_find(int32_t fd)
{
	size_t i;

	for (i = 0; i < SAFD_ARRAY_SIZE(polls); i++)
		if (polls[i].used && polls[i].fd == fd)
			return &polls[i];
	return NULL;
}

int32_t qb_loop_poll_add(qb_loop_t *l, enum qb_loop_priority p, int32_t fd,
			 int32_t events, void *data, qb_loop_poll_dispatch_fn fn)
{
	size_t i;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_poll_add)(l, p, fd, events, data, fn);
	if (poll_find(fd) != NULL)
		return -EEXIST;
	for (i = 0; i < SAFD_ARRAY_SIZE(polls); i++) {
		if (!polls[i].used) {
			polls[i] = (struct fake_poll){ true, false, fd, data, fn };
			return 0;
		}
	}
	return -ENOMEM;
}

int32_t qb_loop_poll_mod(qb_loop_t *l, enum qb_loop_priority p, int32_t fd,
			 int32_t events, void *data, qb_loop_poll_dispatch_fn fn)
{
	struct fake_poll *fp;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_poll_mod)(l, p, fd, events, data, fn);
	fp = poll_find(fd);
	if (fp == NULL)
		return -EBADF;
	fp->data = data;
	fp->fn = fn;
	return 0;
}

int32_t qb_loop_poll_del(qb_loop_t *l, int32_t fd)
{
	struct fake_poll *fp;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_poll_del)(l, fd);
	fp = poll_find(fd);
	if (fp == NULL)
		return -EBADF;
	fp->used = false;
	return 0;
}

struct fake_signal {
	bool used;
	int32_t sig;
	void *data;
	qb_loop_signal_dispatch_fn fn;
};

static struct fake_signal signals[8];

int32_t qb_loop_signal_add(qb_loop_t *l, enum qb_loop_priority p, int32_t sig,
			   void *data, qb_loop_signal_dispatch_fn fn,
			   qb_loop_signal_handle *handle)
{
	size_t i;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_signal_add)(l, p, sig, data, fn, handle);
	for (i = 0; i < SAFD_ARRAY_SIZE(signals); i++) {
		if (!signals[i].used) {
			signals[i] = (struct fake_signal){ true, sig, data, fn };
			if (handle != NULL)
				*handle = &signals[i];
			return 0;
		}
	}
	return -ENOMEM;
}

int32_t qb_loop_signal_del(qb_loop_t *l, qb_loop_signal_handle handle)
{
	struct fake_signal *s = handle;

	if (l != FAKE_LOOP)
		return REAL(qb_loop_signal_del)(l, handle);
	if (s == NULL || !s->used)
		return -EINVAL;
	s->used = false;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* libqb's IPC server                                                        */
/* ------------------------------------------------------------------------ */

struct qb_ipcs_service {
	struct qb_ipcs_service_handlers h;
	void *context;
	uint32_t buffer_size;
};

struct qb_ipcs_connection {
	struct qb_ipcs_service *svc;
	void *context;
	int refs;
	bool disconnected;
	pid_t pid;
};

static struct qb_ipcs_service ipc_services[SAFD_SVC_COUNT];
static uint8_t sink[SAFD_IPC_MAX_MSG];	/* where responses and events go */

qb_ipcs_service_t *qb_ipcs_create(const char *name, int32_t service_id,
				  enum qb_ipc_type type,
				  struct qb_ipcs_service_handlers *handlers)
{
	struct qb_ipcs_service *s;

	if (service_id <= SAFD_SVC_CORE || service_id >= SAFD_SVC_COUNT)
		fatal("qb_ipcs_create: unknown service");
	s = &ipc_services[service_id];
	s->h = *handlers;
	s->buffer_size = SAFD_IPC_MAX_MSG;
	return s;
}

void qb_ipcs_service_context_set(qb_ipcs_service_t *s, void *context)
{
	s->context = context;
}

void *qb_ipcs_service_context_get(qb_ipcs_service_t *s)
{
	return s->context;
}

void qb_ipcs_poll_handlers_set(qb_ipcs_service_t *s, struct qb_ipcs_poll_handlers *handlers)
{
}

void qb_ipcs_enforce_buffer_size(qb_ipcs_service_t *s, uint32_t max_buf_size)
{
	s->buffer_size = max_buf_size;
}

int32_t qb_ipcs_run(qb_ipcs_service_t *s)
{
	return 0;
}

void qb_ipcs_destroy(qb_ipcs_service_t *s)
{
}

void *qb_ipcs_connection_service_context_get(qb_ipcs_connection_t *c)
{
	return c->svc->context;
}

void qb_ipcs_context_set(qb_ipcs_connection_t *c, void *context)
{
	c->context = context;
}

void *qb_ipcs_context_get(qb_ipcs_connection_t *c)
{
	return c->context;
}

int32_t qb_ipcs_connection_stats_get(qb_ipcs_connection_t *c,
				     struct qb_ipcs_connection_stats *stats, int32_t clear)
{
	memset(stats, 0, sizeof(*stats));
	stats->client_pid = c->pid;
	return 0;
}

int32_t qb_ipcs_connection_get_buffer_size(qb_ipcs_connection_t *c)
{
	return (int32_t)c->svc->buffer_size;
}

void qb_ipcs_connection_ref(qb_ipcs_connection_t *c)
{
	if (c->refs <= 0)
		fatal("qb_ipcs_connection_ref on a destroyed connection");
	c->refs++;
}

/* As libqb: the last reference gone, connection_destroyed, then free. */
void qb_ipcs_connection_unref(qb_ipcs_connection_t *c)
{
	if (c->refs <= 0)
		fatal("qb_ipcs_connection_unref without a reference");
	if (--c->refs > 0)
		return;
	if (c->svc->h.connection_destroyed)
		c->svc->h.connection_destroyed(c);
	free(c);
}

/* As libqb: connection_closed once, then the connection's own reference
 * goes. */
void qb_ipcs_disconnect(qb_ipcs_connection_t *c)
{
	if (c->disconnected)
		return;
	c->disconnected = true;
	if (c->svc->h.connection_closed)
		c->svc->h.connection_closed(c);
	qb_ipcs_connection_unref(c);
}

/* What safd sends a client: a whole response header whose size is the
 * length, within the connection's buffer; every byte readable. */
static ssize_t to_client(qb_ipcs_connection_t *c, const void *data, size_t size,
			 const char *what)
{
	const struct qb_ipc_response_header *h = data;

	if (c->refs <= 0)
		fatal("sent to a destroyed connection");
	if (size < sizeof(*h)) {
		fprintf(stderr, "fuzz daemon: %s of %zu bytes\n", what, size);
		fatal("shorter than a response header");
	}
	if (h->size < 0 || (size_t)h->size != size) {
		fprintf(stderr, "fuzz daemon: %s id %d: header size %d, length %zu\n",
			what, h->id, h->size, size);
		fatal("header size differs from the length");
	}
	if (size > c->svc->buffer_size) {
		fprintf(stderr, "fuzz daemon: %s id %d of %zu bytes\n", what, h->id, size);
		fatal("larger than the IPC buffer");
	}
	memcpy(sink, data, size);
	return c->disconnected ? -ENOTCONN : (ssize_t)size;
}

ssize_t qb_ipcs_response_send(qb_ipcs_connection_t *c, const void *data, size_t size)
{
	return to_client(c, data, size, "response");
}

ssize_t qb_ipcs_event_send(qb_ipcs_connection_t *c, const void *data, size_t size)
{
	return to_client(c, data, size, "event");
}

/* ------------------------------------------------------------------------ */
/* libcpg: what node 1 sends is queued and delivered back by cpg_dispatch()   */
/* ------------------------------------------------------------------------ */

struct cpg_msg {
	struct qb_list_head list;
	uint32_t nodeid;
	uint32_t pid;
	size_t len;
	uint8_t data[];
};

static cpg_model_v1_data_t cpg_model;
static QB_LIST_DECLARE(cpg_queue);
static struct cpg_name cpg_group = { .length = 4, .value = "fuzz" };
static unsigned congested;	/* sends corosync still refuses */
static unsigned long delivered_now;	/* in this record: storm detection */

static void cpg_enqueue(uint32_t nodeid, const void *data, size_t len)
{
	struct cpg_msg *m = malloc(sizeof(*m) + len);

	if (m == NULL)
		fatal("out of memory");
	m->nodeid = nodeid;
	m->pid = 100 + nodeid;
	m->len = len;
	memcpy(m->data, data, len);
	qb_list_add_tail(&m->list, &cpg_queue);
}

cs_error_t cpg_model_initialize(cpg_handle_t *handle, cpg_model_t model,
				cpg_model_data_t *data, void *context)
{
	if (model != CPG_MODEL_V1)
		return CS_ERR_INVALID_PARAM;
	cpg_model = *(cpg_model_v1_data_t *)data;
	*handle = 1;
	return CS_OK;
}

cs_error_t cpg_local_get(cpg_handle_t handle, unsigned int *nodeid)
{
	*nodeid = LOCAL_NODEID;
	return CS_OK;
}

cs_error_t cpg_join(cpg_handle_t handle, const struct cpg_name *group)
{
	return CS_OK;
}

cs_error_t cpg_leave(cpg_handle_t handle, const struct cpg_name *group)
{
	return CS_OK;
}

cs_error_t cpg_finalize(cpg_handle_t handle)
{
	return CS_OK;
}

cs_error_t cpg_fd_get(cpg_handle_t handle, int *fd)
{
	*fd = FAKE_CPG_FD;
	return CS_OK;
}

cs_error_t cpg_mcast_joined(cpg_handle_t handle, cpg_guarantee_t guarantee,
			    const struct iovec *iov, unsigned int iov_len)
{
	size_t len = 0, off = 0;
	unsigned int i;
	uint8_t *buf;

	if (congested > 0) {
		congested--;
		return CS_ERR_TRY_AGAIN;
	}
	for (i = 0; i < iov_len; i++)
		len += iov[i].iov_len;
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		fatal("out of memory");
	for (i = 0; i < iov_len; i++) {
		memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	if (fuzz_capture_fn != NULL)
		fuzz_capture_fn(buf, len);
	cpg_enqueue(LOCAL_NODEID, buf, len);
	free(buf);
	return CS_OK;
}

/* Delivers what is queued now, in order; what it sends waits for the next
 * dispatch, as with corosync. */
cs_error_t cpg_dispatch(cpg_handle_t handle, cs_dispatch_flags_t flags)
{
	QB_LIST_DECLARE(batch);
	struct cpg_msg *m, *tmp;

	qb_list_for_each_entry_safe(m, tmp, &cpg_queue, list) {
		qb_list_del(&m->list);
		qb_list_add_tail(&m->list, &batch);
	}
	qb_list_for_each_entry_safe(m, tmp, &batch, list) {
		qb_list_del(&m->list);
		if (++delivered_now > STORM)
			fatal("CPG message storm: a message makes more messages without end");
		if (!exited)
			cpg_model.cpg_deliver_fn(handle, &cpg_group, m->nodeid, m->pid,
						 m->data, m->len);
		free(m);
	}
	return CS_OK;
}

/* Sends cpg.c's batch and runs its dispatch function (which ACKs after
 * delivering) until nothing is left. */
static void drain(void)
{
	struct fake_poll *fp = poll_find(FAKE_CPG_FD);

	if (fp == NULL)
		fatal("services/cpg.c did not add its descriptor to the loop");
	for (safd_cpg_flush(); !qb_list_empty(&cpg_queue); safd_cpg_flush())
		fp->fn(FAKE_CPG_FD, POLLIN, fp->data);
}

static void confchg(const uint32_t *m, size_t n)
{
	struct cpg_address mem[NODES], left[NODES], joined[NODES];
	size_t nm = 0, nl = 0, nj = 0, i, k;

	for (i = 0; i < n; i++)
		mem[nm++] = (struct cpg_address){ m[i], 100 + m[i], 0 };
	for (i = 0; i < n_members; i++) {
		for (k = 0; k < n && m[k] != members[i]; k++)
			;
		if (k == n)
			left[nl++] = (struct cpg_address){ members[i], 100 + members[i],
							   CPG_REASON_LEAVE };
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < n_members && members[k] != m[i]; k++)
			;
		if (k == n_members)
			joined[nj++] = (struct cpg_address){ m[i], 100 + m[i], CPG_REASON_JOIN };
	}
	memcpy(members, m, n * sizeof(*m));
	n_members = n;
	cpg_model.cpg_confchg_fn(1, &cpg_group, mem, nm, left, nl, joined, nj);
}

/* ------------------------------------------------------------------------ */
/* Clients                                                                   */
/* ------------------------------------------------------------------------ */

#define SLOTS 8
#define CLIENT_PID 5000
#define USER_UID 4242		/* in --ipc-allow, not in --admin-allow */
#define STRANGER_UID 31337	/* in neither */

static qb_ipcs_connection_t *slots[SAFD_SVC_COUNT][SLOTS];

static enum safd_service_id arg_service(uint8_t arg)
{
	static const enum safd_service_id svc[4] = {
		SAFD_SVC_ADM, SAFD_SVC_MSG, SAFD_SVC_AMF, SAFD_SVC_MSG
	};

	return svc[arg & 3];
}

static void conn_request(qb_ipcs_connection_t *c, const void *data, size_t len, bool fix);

static qb_ipcs_connection_t *conn_get(uint8_t arg)
{
	enum safd_service_id id = arg_service(arg);
	unsigned slot = (arg >> 2) & 7;
	struct qb_ipcs_service *s = &ipc_services[id];
	qb_ipcs_connection_t *c = slots[id][slot];
	uid_t uid = arg & 0x40 ? STRANGER_UID : arg & 0x20 ? USER_UID : 0;

	if (c != NULL)
		return c;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		fatal("out of memory");
	c->svc = s;
	c->refs = 1;
	c->pid = CLIENT_PID + (pid_t)(slot / 2);
	if (s->h.connection_accept(c, uid, uid) < 0) {
		free(c);	/* as libqb: refused before created */
		return NULL;
	}
	c->refs++;
	s->h.connection_created(c);
	if (c->disconnected) {	/* conn_created refused it */
		qb_ipcs_connection_unref(c);
		return NULL;
	}
	c->refs--;
	slots[id][slot] = c;
	if (!(arg & 0x80)) {
		struct req_lib_hello hello = {
			.header = { .id = SAFD_REQ_HELLO, .size = sizeof(hello) },
			.protocol = SAFD_IPC_PROTOCOL,
			.major_version = id == SAFD_SVC_AMF ? 4 : id == SAFD_SVC_MSG ? 3 : 0,
			.session = id == SAFD_SVC_ADM ? 0 : 1 + slot / 2,
			.flags = slot % 2 == 0 ? SAFD_HELLO_MAIN_CONN : 0,
		};

		conn_request(c, &hello, sizeof(hello), false);
	}
	return c;
}

/*
 * A request as libqb hands it over: the data, and the size its header
 * claims (not what arrived). libqb's buffer is the connection's size; here
 * it ends after the data or the claim (if within the connection's size),
 * whichever is longer, so a handler that reads past the request is caught.
 * Bytes claimed but not sent are zero.
 */
static void conn_request(qb_ipcs_connection_t *c, const void *data, size_t len, bool fix)
{
	struct qb_ipc_request_header h = { 0 };
	size_t claimed = len, alloc;
	uint8_t *buf;

	memcpy(&h, data, len < sizeof(h) ? len : sizeof(h));
	if (fix && len >= sizeof(h))
		h.size = (int32_t)len;
	if (len >= sizeof(h))
		claimed = (size_t)(uint32_t)h.size;
	alloc = len;
	if (claimed > alloc && claimed <= c->svc->buffer_size)
		alloc = claimed;
	buf = calloc(1, alloc ? alloc : 1);
	if (buf == NULL)
		fatal("out of memory");
	memcpy(buf, data, len);
	if (len >= sizeof(h))
		memcpy(buf, &h, sizeof(h));
	qb_ipcs_connection_ref(c);
	c->svc->h.msg_process(c, buf, len >= sizeof(h) ? (size_t)h.size : len);
	qb_ipcs_connection_unref(c);
	free(buf);
}

static void conn_close(uint8_t arg)
{
	enum safd_service_id id = arg_service(arg);
	unsigned slot = (arg >> 2) & 7;
	qb_ipcs_connection_t *c = slots[id][slot];

	if (c == NULL)
		return;
	slots[id][slot] = NULL;
	qb_ipcs_disconnect(c);
}

/* ------------------------------------------------------------------------ */
/* The cluster                                                               */
/* ------------------------------------------------------------------------ */

static enum fuzz_cluster cluster;

static void deliver_from(uint32_t nodeid, const uint8_t *data, size_t len, bool fix)
{
	uint8_t *buf = malloc(len ? len : 1);
	struct safd_exec_header h;

	if (buf == NULL)
		fatal("out of memory");
	memcpy(buf, data, len);
	if (fix && len >= sizeof(h)) {
		memcpy(&h, buf, sizeof(h));
		h.size = (uint32_t)len;
		h.version = SAFD_EXEC_VERSION;
		memcpy(buf, &h, sizeof(h));
	}
	cpg_enqueue(nodeid, buf, len);
	free(buf);
}

/* A peer's hello for the current configuration (sync.c, on_hello). */
static void peer_hello(uint32_t nodeid, uint32_t flags, const uint32_t *prev, size_t n_prev)
{
	size_t len = SAFD_ALIGN8(sizeof(struct req_exec_core_hello) +
				 (n_members + n_prev) * sizeof(uint32_t));
	struct req_exec_core_hello *h = calloc(1, len);
	uint32_t *ids = (uint32_t *)(h + 1);

	if (h == NULL)
		fatal("out of memory");
	h->header = (struct safd_exec_header){ .svc = SAFD_SVC_CORE,
		.version = SAFD_EXEC_VERSION, .id = REQ_EXEC_CORE_HELLO, .size = (uint32_t)len };
	h->round = 1;
	h->time = safd_time_ns(CLOCK_REALTIME);
	h->flags = flags;
	h->member_count = (uint32_t)n_members;
	h->prev_count = (uint32_t)n_prev;
	snprintf(h->version, sizeof(h->version), "fuzz");
	memcpy(ids, members, n_members * sizeof(*ids));
	if (n_prev > 0)
		memcpy(ids + n_members, prev, n_prev * sizeof(*ids));
	cpg_enqueue(nodeid, h, len);
	free(h);
}

/* After the services stopped and reset, nothing of theirs may wait in the
 * loop: a timer or descriptor left would fire into freed state later, in
 * another input (and in safd, after a partition merge). */
static void check_nothing_left(void)
{
	struct fake_timer *t;
	char where[256];
	size_t i;
	bool left = false;

	qb_list_for_each_entry(t, &timers, list) {
		__sanitizer_symbolize_pc((char *)t->fn + 1, "%f %L", where, sizeof(where));
		fprintf(stderr, "fuzz daemon: timer %s (data %p) armed after the reset\n",
			where, t->data);
		left = true;
	}
	for (i = 0; i < SAFD_ARRAY_SIZE(polls); i++) {
		if (!polls[i].used || polls[i].infra)
			continue;
		__sanitizer_symbolize_pc((char *)polls[i].fn + 1, "%f %L", where, sizeof(where));
		fprintf(stderr, "fuzz daemon: descriptor %d (%s) polled after the reset\n",
			polls[i].fd, where);
		left = true;
	}
	if (left)
		fatal("the services left work in the loop after fini and sync_reset");
}

/*
 * The starting state. First node 1 alone: a configuration change, its
 * hello, and then what sync.c does for a new cluster (services reset,
 * the cluster log, every node joined), done here because a node that
 * stays synced keeps its state through a configuration change.
 * fuzz_cpg then has nodes 2 and 3 join without the state; node 1 is
 * the source.
 */
static void cluster_reset(void)
{
	static const uint32_t one[] = { 1 }, three[] = { 1, 2, 3 };
	int64_t now = safd_time_ns(CLOCK_REALTIME);
	size_t i;

	exited = false;
	congested = 0;
	quorate = true;
	delivered_now = 0;
	confchg(one, 1);
	drain();
	if (!safd_is_synced())
		fatal("node 1 alone is not synced");
	/* The services stop first: sync_reset alone, on a node that runs
	 * components, is a partition merge, and left AMF's timers pointing
	 * at freed components (regress/fuzz_cpg/amf-merge-timer). */
	for (i = safd_service_count; i > 0; i--)
		if (safd_services[i - 1]->fini)
			safd_services[i - 1]->fini();
	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->sync_reset)
			safd_services[i]->sync_reset();
	check_nothing_left();
	safd_adm_event(SAFD_EVENT_FORMED, LOCAL_NODEID, now);
	safd_adm_event(SAFD_EVENT_JOINED, LOCAL_NODEID, now);
	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->membership)
			safd_services[i]->membership(NULL, 0, one, 1, now);
	drain();
	if (cluster == FUZZ_THREE) {
		confchg(three, 3);
		peer_hello(2, 0, NULL, 0);
		peer_hello(3, 0, NULL, 0);
		drain();
	}
	delivered_now = 0;
}

void fuzz_daemon_init(enum fuzz_cluster c)
{
	const char *model = getenv("FUZZ_MODEL");
	bool log = getenv("FUZZ_LOG") != NULL && strcmp(getenv("FUZZ_LOG"), "1") == 0;
	size_t i;

	cluster = c;
	qb_log_init("safd-fuzz", LOG_DAEMON, LOG_DEBUG);
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, log);
	if (log) {
		qb_log_format_set(QB_LOG_STDERR, "%b");
		qb_log_filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*",
				  LOG_DEBUG);
	}
	if (safd_access_init("root,4242", "root") < 0)	/* USER_UID */
		fatal("safd_access_init");
	if (safd_config_load(model != NULL ? model : FUZZ_SRCDIR "/model.xml") < 0)
		fatal("cannot load the model");
	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->init != NULL && safd_services[i]->init() < 0)
			fatal("a service does not start");
	if (safd_ipc_start(FAKE_LOOP, "fuzz", safd_services, safd_service_count) < 0)
		fatal("safd_ipc_start");
	if (safd_cpg_start(FAKE_LOOP, "fuzz") < 0)
		fatal("safd_cpg_start");
	for (i = 0; i < SAFD_ARRAY_SIZE(polls); i++)
		polls[i].infra = polls[i].used;
	cluster_reset();
}

/* The virtual clock moves ms milliseconds; each due timer runs, then the
 * messages it sent are delivered. */
static void advance(uint64_t ms)
{
	uint64_t target = vclock + ms * 1000000;
	unsigned long runs = 0;

	while (!qb_list_empty(&timers) && !exited) {
		struct fake_timer *t = qb_list_first_entry(&timers, struct fake_timer, list);
		qb_loop_timer_dispatch_fn fn = t->fn;
		void *data = t->data;

		if (t->due > target)
			break;
		if (++runs > STORM)
			fatal("timer storm: a timer re-arms itself without end");
		if (t->due > vclock)
			vclock = t->due;
		qb_list_del(&t->list);
		free(t);
		fn(data);
		drain();
	}
	vclock = target;
}

static bool is_peer(uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n_members; i++)
		if (members[i] == nodeid)
			return nodeid != LOCAL_NODEID;
	return false;
}

void fuzz_daemon_play(const uint8_t *data, size_t size, unsigned n_ops)
{
	uint32_t m[NODES] = { LOCAL_NODEID };
	size_t n;
	int k;

	while (size >= 4 && !exited) {
		uint8_t op = data[0] % n_ops, arg = data[1];
		size_t len = (size_t)data[2] | (size_t)data[3] << 8;
		qb_ipcs_connection_t *c;

		data += 4;
		size -= 4;
		delivered_now = 0;
		switch (op) {
		case FUZZ_OP_REQ:
		case FUZZ_OP_REQ_RAW:
			if (len > size)
				len = size;
			c = conn_get(arg);
			if (c != NULL)
				conn_request(c, data, len, op == FUZZ_OP_REQ);
			data += len;
			size -= len;
			break;
		case FUZZ_OP_EXEC:
		case FUZZ_OP_EXEC_RAW:
			if (len > size)
				len = size;
			if (is_peer(arg % NODES + 1u))
				deliver_from(arg % NODES + 1u, data, len, op == FUZZ_OP_EXEC);
			data += len;
			size -= len;
			break;
		case FUZZ_OP_CLOSE:
			conn_close(arg);
			break;
		case FUZZ_OP_TIME:
			advance(len);
			break;
		case FUZZ_OP_QUORUM:
			quorate = arg & 1;
			break;
		case FUZZ_OP_CONGEST:
			congested = arg;
			break;
		case FUZZ_OP_CONFCHG:
			for (n = 1, k = 0; k < NODES - 1; k++)
				if (arg & (1 << k))
					m[n++] = (uint32_t)k + 2;
			confchg(m, n);
			break;
		}
		if (!exited)
			drain();
	}
}

/* Every client goes, what corosync holds goes out, and the cluster is back
 * in its starting state. */
void fuzz_daemon_reset(void)
{
	size_t i;
	int k;

	for (k = 0; k < SAFD_SVC_COUNT; k++)
		for (i = 0; i < SLOTS; i++)
			if (slots[k][i] != NULL)
				conn_close((uint8_t)((i << 2) | (k == SAFD_SVC_ADM ? 0 :
							   k == SAFD_SVC_MSG ? 1 : 2)));
	safd_ipc_release_closed();	/* their rings, freed 100 ms later in safd */
	exited = false;
	congested = 0;
	delivered_now = 0;
	advance(1);
	cluster_reset();
}

void fuzz_daemon_run(const uint8_t *data, size_t size, unsigned n_ops)
{
	fuzz_daemon_play(data, size, n_ops);
	fuzz_daemon_reset();
}
