/*
 * CPG glue: safd's one process group. Every change to cluster state travels
 * as a CPG message in AGREED order; every node applies them in that order.
 *
 * Outbound: safd_cpg_send() stamps the exec header and adds the message to
 * the batch of this loop turn; the batch is multicast once the turn's
 * handlers have run, or at the end of a CPG dispatch (its ACK) or other
 * urgent news (safd_cpg_flush()); one message alone goes as it is, several
 * as one REQ_EXEC_CORE_BATCH. A CPG message costs a round trip to corosync, a
 * totem slot and a dispatch on every node, so the Sends, CONSUMEs and ACKs
 * that one turn produces travel together. When corosync pushes back
 * (CS_ERR_TRY_AGAIN) what was to go waits in a FIFO that a loop timer
 * drains, so order is kept and the loop never spins.
 * Inbound: the exec gatekeeper opens batches and checks each message's
 * header against what CPG delivered and the service's handler table; bad
 * messages are logged and dropped.
 *
 * Safe answers: CPG delivers in agreed order, but a node that delivered a
 * message and then dies may have been the only one to get it. So every
 * node counts the service messages it delivered in the current
 * configuration and, after a dispatch that applied a change a client of
 * another node waits for (safd_cpg_ack_wanted()), multicasts that count
 * (ACK). A message is safe once every other synced member has
 * acknowledged its number (this node's own delivery counts at once);
 * safd_when_safe() holds a client's answer until then. A member counts as
 * synced from the SYNC_END of the state it loads, on every node (sync.c):
 * were the joiners skipped, the node that fed them would wait for nobody.
 * And it ACKs in that dispatch (become_synced()): what it delivered before
 * the state's point H came in the state, was never applied there, and so
 * never asked for an ACK that an origin may now be waiting for.
 * At a configuration change virtual synchrony gives every survivor the
 * same messages, so everything waiting is safe. ACKs a node sent before
 * it saw the change are not counted: a node's ACKs count from its HELLO
 * of the new round (CPG keeps each sender's messages in order).
 * With a journal (msg/journal.c) what a dispatch applied is committed at
 * its end, before the node ACKs it and before any answer waiting for it
 * goes out: releases during a dispatch wait for its end, others commit
 * first.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>
#include <qb/qblist.h>
#include <qb/qblog.h>
#include <qb/qbloop.h>

#include <safd/util.h>
#include "core.h"

struct pending {
	struct qb_list_head list;
	size_t len;
	uint8_t data[];
};

static cpg_handle_t cpg_handle;
static struct cpg_name group_name;
static uint32_t local_nodeid;
static qb_loop_t *cpg_loop;
static QB_LIST_DECLARE(pending_list);
static qb_loop_timer_handle flush_timer;
static bool flush_scheduled;

/* The batch of this loop turn: a REQ_EXEC_CORE_BATCH header, then the
 * messages at multiples of 8. */
static uint8_t batch[SAFD_BATCH_MAX] __attribute__((aligned(8)));
static size_t batch_len = sizeof(struct safd_exec_header);
static size_t batch_count;
static size_t batch_first_len;
static int batch_fd = -1;	/* an eventfd, readable while a batch waits */
static bool batch_armed;

struct safe_waiter {
	struct qb_list_head list;
	uint64_t seq;
	void (*fn)(void *data, bool safe);
	void *data;
};

struct node_ack {
	uint32_t nodeid;
	bool valid;		/* its HELLO of this configuration arrived */
	uint64_t delivered;
};

static uint64_t delivered;	/* service messages delivered, this configuration */
static uint64_t ack_sent;
static bool ack_wanted;		/* this dispatch applied a change a client waits for */
static struct node_ack acks[SAFD_MAX_MEMBERS];
static size_t n_acks;
static bool in_dispatch;	/* inside cpg_dispatch() */
static bool release_due;	/* safe answers to release at its end */
static QB_LIST_DECLARE(safe_waiters);

uint32_t safd_local_nodeid(void)
{
	return local_nodeid;
}

static cs_error_t mcast(const void *data, size_t len)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };

	return cpg_mcast_joined(cpg_handle, CPG_TYPE_AGREED, &iov, 1);
}

static void flush_pending(void *data);

/* Retries the FIFO in 1 ms: corosync's queue drains at network speed. */
static void schedule_flush(void)
{
	flush_scheduled = true;
	qb_loop_timer_add(cpg_loop, QB_LOOP_HIGH, 1000000, NULL, flush_pending,
			  &flush_timer);
}

static void flush_pending(void *data)
{
	struct pending *p, *tmp;
	cs_error_t err;

	flush_scheduled = false;
	qb_list_for_each_entry_safe(p, tmp, &pending_list, list) {
		err = mcast(p->data, p->len);
		if (err == CS_ERR_TRY_AGAIN)
			break;
		if (err != CS_OK)
			qb_log(LOG_ERR, "CPG send failed: %d", err);
		qb_list_del(&p->list);
		free(p);
	}
	if (!qb_list_empty(&pending_list))
		schedule_flush();
}

/* Multicasts now, or queues behind what corosync refused before. */
static int transmit(const void *data, size_t len)
{
	struct pending *p;
	cs_error_t err;

	if (qb_list_empty(&pending_list)) {
		err = mcast(data, len);
		if (err == CS_OK)
			return 0;
		if (err != CS_ERR_TRY_AGAIN) {
			qb_log(LOG_ERR, "CPG send failed: %d", err);
			return -EIO;
		}
	}
	p = malloc(sizeof(*p) + len);
	if (p == NULL)
		return -ENOMEM;
	p->len = len;
	memcpy(p->data, data, len);
	qb_list_add_tail(&p->list, &pending_list);
	if (!flush_scheduled)
		schedule_flush();
	return 0;
}

static void batch_send(void)
{
	struct safd_exec_header *h = (struct safd_exec_header *)batch;
	int rc;

	if (batch_count == 0)
		return;
	if (batch_count == 1) {
		rc = transmit(batch + sizeof(*h), batch_first_len);
	} else {
		*h = (struct safd_exec_header){ .svc = SAFD_SVC_CORE,
			.version = SAFD_EXEC_VERSION, .id = REQ_EXEC_CORE_BATCH,
			.size = (uint32_t)batch_len };
		rc = transmit(batch, batch_len);
	}
	batch_len = sizeof(*h);
	batch_count = 0;
	/* Going on without these messages would leave clients' requests
	 * unanswered and this node's state behind the others'. */
	if (rc == -ENOMEM) {
		qb_log(LOG_CRIT, "out of memory queueing CPG messages; exiting");
		safd_exit(EXIT_FAILURE);
	}
	/* -EIO: corosync is gone; the dispatch sees it and safd exits. */
}

void safd_cpg_flush(void)
{
	batch_armed = false;
	batch_send();
}

/* The batch goes out at the start of the loop turn after the one that
 * filled it. An eventfd rather than a qb_loop job: libqb counts a job as
 * done work of the turn, and a turn that ran one can then block in
 * epoll_wait with a lower level's request still queued. */
static int32_t batch_ready(int32_t fd, int32_t revents, void *data)
{
	uint64_t n;

	if (read(batch_fd, &n, sizeof(n)) < 0) {
		/* EAGAIN: read already; nothing else can fail */
	}
	safd_cpg_flush();
	return 0;
}

int safd_cpg_send(enum safd_service_id svc, uint32_t id, void *msg, size_t len)
{
	struct safd_exec_header *h = msg;
	size_t off;

	h->svc = (uint16_t)svc;
	h->version = SAFD_EXEC_VERSION;
	h->id = id;
	h->size = (uint32_t)len;
	h->reserved = 0;
	if (len > SAFD_BATCH_MAX - sizeof(*h)) {
		batch_send();	/* keeps the order */
		return transmit(msg, len);
	}
	if (SAFD_ALIGN8(batch_len) + len > SAFD_BATCH_MAX)
		batch_send();
	off = SAFD_ALIGN8(batch_len);
	memset(batch + batch_len, 0, off - batch_len);
	memcpy(batch + off, msg, len);
	if (batch_count++ == 0)
		batch_first_len = len;
	batch_len = off + len;
	if (!batch_armed) {
		uint64_t one = 1;

		if (write(batch_fd, &one, sizeof(one)) == sizeof(one))
			batch_armed = true;
		else
			batch_send();	/* cannot happen: send it now */
	}
	return 0;
}

/* The highest message number every synced member has acknowledged. */
static uint64_t safe_seq(void)
{
	uint64_t low = delivered;
	size_t i;

	for (i = 0; i < n_acks; i++) {
		if (acks[i].nodeid == local_nodeid ||
		    !safd_sync_node_synced(acks[i].nodeid))
			continue;
		if (!acks[i].valid)
			return 0;
		if (acks[i].delivered < low)
			low = acks[i].delivered;
	}
	return low;
}

/* all: a configuration change ends every wait, as safe when the new
 * configuration holds a majority, else as unknown. */
static void release_safe(bool all, bool majority)
{
	uint64_t safe;
	struct safe_waiter *w, *tmp;

	/* With a journal an answer goes out only once what it answers is on
	 * this node's disk: within a dispatch the release waits for its end
	 * (one commit for the whole dispatch); otherwise commit first. */
	if (safd_services_journaling()) {
		if (in_dispatch && !all) {
			release_due = true;
			return;
		}
		safd_services_commit();
	}
	safe = all ? UINT64_MAX : safe_seq();
	qb_list_for_each_entry_safe(w, tmp, &safe_waiters, list) {
		if (w->seq > safe)
			break;		/* in order of seq */
		qb_list_del(&w->list);
		w->fn(w->data, !all || majority);
		free(w);
	}
}

void safd_when_safe(void (*fn)(void *data, bool safe), void *data)
{
	struct safe_waiter *w = malloc(sizeof(*w));

	if (w == NULL) {
		fn(data, true);	/* out of memory: answer rather than hang */
		return;
	}
	w->seq = delivered;
	w->fn = fn;
	w->data = data;
	qb_list_add_tail(&w->list, &safe_waiters);
	release_safe(false, true);
}

/* A member's HELLO of the current configuration: its ACKs count from now. */
void safd_cpg_ack_open(uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n_acks; i++)
		if (acks[i].nodeid == nodeid)
			acks[i].valid = true;
	release_safe(false, true);
}

static void on_ack(const struct req_exec_core_ack *a, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n_acks; i++)
		if (acks[i].nodeid == nodeid && acks[i].valid && a->delivered > acks[i].delivered)
			acks[i].delivered = a->delivered;
	release_safe(false, true);
}

void safd_cpg_ack_wanted(void)
{
	ack_wanted = true;
}

static void send_ack(void)
{
	struct req_exec_core_ack a = { .delivered = delivered };

	if (!ack_wanted || !safd_is_synced())
		return;	/* nobody waits for what this dispatch delivered */
	ack_wanted = false;
	if (delivered == ack_sent || n_acks < 2)
		return;	/* nothing new, or nobody else to tell */
	ack_sent = delivered;
	safd_cpg_send(SAFD_SVC_CORE, REQ_EXEC_CORE_ACK, &a, sizeof(a));
}

/* The exec gatekeeper, for one message. */
static void deliver_one(void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct safd_exec_header *h = msg;
	const struct safd_exec_handler *handler;
	const struct safd_service *svc;

	if (len < sizeof(*h) || h->size != len || h->version == 0 ||
	    h->version > SAFD_EXEC_VERSION) {
		qb_log(LOG_WARNING, "dropped malformed CPG message (%zu bytes) from node %u",
		       len, nodeid);
		return;
	}
	if (h->svc == SAFD_SVC_CORE) {
		if (h->id == REQ_EXEC_CORE_ACK && len >= sizeof(struct req_exec_core_ack))
			on_ack(msg, nodeid);
		else
			safd_sync_deliver(msg, len, nodeid);
		return;
	}
	svc = h->svc < SAFD_SVC_COUNT ? safd_service_get(h->svc) : NULL;
	if (svc == NULL || h->id >= svc->exec_count || svc->exec[h->id].fn == NULL) {
		qb_log(LOG_WARNING, "dropped CPG message %u/%u from node %u: unknown id",
		       h->svc, h->id, nodeid);
		return;
	}
	handler = &svc->exec[h->id];
	if (len < handler->min_size) {
		qb_log(LOG_WARNING, "dropped CPG message %u/%u from node %u: %zu bytes, minimum %u",
		       h->svc, h->id, nodeid, len, handler->min_size);
		return;
	}
	delivered++;	/* every member counts the same messages */
	if (!safd_sync_gate(msg, len, nodeid, pid))
		return;
	handler->fn(msg, len, nodeid, pid);
}

/* What CPG delivered: one message, or a batch of them. Every member sees
 * the same bytes, so a batch broken half-way is cut at the same place
 * everywhere. */
static void deliver(cpg_handle_t handle, const struct cpg_name *group,
		    uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	const struct safd_exec_header *h = msg;
	struct safd_exec_header *m;
	size_t off;

	if (len < sizeof(*h) || h->svc != SAFD_SVC_CORE || h->id != REQ_EXEC_CORE_BATCH) {
		deliver_one(msg, len, nodeid, pid);
		return;
	}
	if (h->size != len || h->version == 0 || h->version > SAFD_EXEC_VERSION) {
		qb_log(LOG_WARNING, "dropped malformed CPG batch (%zu bytes) from node %u",
		       len, nodeid);
		return;
	}
	for (off = sizeof(*h); off < len; off = SAFD_ALIGN8(off + m->size)) {
		m = (struct safd_exec_header *)((uint8_t *)msg + off);
		if (len - off < sizeof(*m) || m->size < sizeof(*m) || m->size > len - off) {
			qb_log(LOG_WARNING, "dropped the rest of a CPG batch from node %u: "
			       "message at byte %zu is malformed", nodeid, off);
			return;
		}
		deliver_one(m, m->size, nodeid, pid);
	}
}

/* Adds a's node ids to out[*n] unless already there or in `skip`. */
static void add_nodeids(const struct cpg_address *a, size_t n, uint32_t *out,
			size_t *n_out, const uint32_t *skip, size_t n_skip)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		bool dup = false;

		for (k = 0; k < *n_out && !dup; k++)
			dup = out[k] == a[i].nodeid;
		for (k = 0; k < n_skip && !dup; k++)
			dup = skip[k] == a[i].nodeid;
		if (!dup)
			out[(*n_out)++] = a[i].nodeid;
	}
}

/*
 * CPG reports processes; safd's membership is of nodes. Another process in
 * the group on a node that already has a member (a second safd started by
 * mistake, a test client) must not make that node look as if it joined or
 * left: a node leaves when its last process does, and joins with its first.
 */
static uint32_t prev_nodes[SAFD_MAX_MEMBERS];
static size_t n_prev_nodes;

static void confchg(cpg_handle_t handle, const struct cpg_name *group,
		    const struct cpg_address *members, size_t n_members,
		    const struct cpg_address *left, size_t n_left,
		    const struct cpg_address *joined, size_t n_joined)
{
	uint32_t m[SAFD_MAX_MEMBERS], l[SAFD_MAX_MEMBERS], j[SAFD_MAX_MEMBERS];
	size_t nm = 0, nl = 0, nj = 0;

	if (n_members > SAFD_MAX_MEMBERS || n_left > SAFD_MAX_MEMBERS ||
	    n_joined > SAFD_MAX_MEMBERS) {
		qb_log(LOG_CRIT, "CPG configuration too large");
		safd_exit(EXIT_FAILURE);
		return;
	}
	add_nodeids(members, n_members, m, &nm, NULL, 0);
	add_nodeids(left, n_left, l, &nl, m, nm);
	add_nodeids(joined, n_joined, j, &nj, prev_nodes, n_prev_nodes);
	memcpy(prev_nodes, m, nm * sizeof(*m));
	n_prev_nodes = nm;
	/*
	 * Virtual synchrony: every survivor has what was delivered before. In
	 * a majority that is safe. A node cut off into a minority may have
	 * been the only one to deliver it, and its state is thrown away at the
	 * merge: the outcome is unknown.
	 */
	release_safe(true, safd_majority(nm));
	delivered = 0;
	ack_sent = 0;
	memset(acks, 0, sizeof(acks));
	for (n_acks = 0; n_acks < nm; n_acks++)
		acks[n_acks].nodeid = m[n_acks];
	safd_sync_confchg(m, nm, l, nl, j, nj);
}

static int32_t cpg_dispatch_fn(int32_t fd, int32_t revents, void *data)
{
	cs_error_t err;

	in_dispatch = true;
	err = cpg_dispatch(cpg_handle, CS_DISPATCH_ALL);
	in_dispatch = false;
	safd_services_commit();	/* what this dispatch applied, on disk */
	if (release_due) {
		release_due = false;
		release_safe(false, true);
	}
	send_ack();	/* one ACK for everything this dispatch delivered */
	safd_cpg_flush();	/* now: others wait for it, and the rest of this
				 * loop turn may be slow (IPC set-up, tear-down) */
	if (err != CS_OK && err != CS_ERR_TRY_AGAIN) {
		qb_log(LOG_CRIT, "lost the connection to corosync (CPG error %d); exiting", err);
		safd_exit(EXIT_FAILURE);
		return -1;
	}
	return 0;
}

static cpg_model_v1_data_t model = {
	.model = CPG_MODEL_V1,
	.cpg_deliver_fn = deliver,
	.cpg_confchg_fn = confchg,
	.flags = 0,
};

int safd_cpg_start(qb_loop_t *loop, const char *group)
{
	cs_error_t err;
	int fd, tries;

	cpg_loop = loop;
	batch_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (batch_fd < 0 ||
	    qb_loop_poll_add(loop, QB_LOOP_HIGH, batch_fd, POLLIN, NULL, batch_ready) < 0) {
		qb_log(LOG_CRIT, "cannot set up the CPG batch: %s", strerror(errno));
		return -ENOMEM;
	}
	err = cpg_model_initialize(&cpg_handle, CPG_MODEL_V1,
				   (cpg_model_data_t *)&model, NULL);
	if (err != CS_OK) {
		qb_log(LOG_CRIT, "cannot connect to corosync (CPG error %d): is corosync running?",
		       err);
		return -ENOTCONN;
	}
	if (cpg_local_get(cpg_handle, &local_nodeid) != CS_OK) {
		qb_log(LOG_CRIT, "cannot get the local node id from corosync");
		goto out_finalize;
	}
	if (strlen(group) >= sizeof(group_name.value)) {
		qb_log(LOG_CRIT, "CPG group name too long: %s", group);
		goto out_finalize;
	}
	group_name.length = (uint32_t)strlen(group);
	memcpy(group_name.value, group, group_name.length);
	for (tries = 0; tries < 500; tries++) {	/* at most ~5 s */
		struct timespec ten_ms = { 0, 10000000 };

		err = cpg_join(cpg_handle, &group_name);
		if (err != CS_ERR_TRY_AGAIN)
			break;
		nanosleep(&ten_ms, NULL);
	}
	if (err != CS_OK) {
		qb_log(LOG_CRIT, "cannot join CPG group %s: error %d", group, err);
		goto out_finalize;
	}
	cpg_fd_get(cpg_handle, &fd);
	qb_loop_poll_add(loop, QB_LOOP_HIGH, fd, POLLIN, NULL, cpg_dispatch_fn);
	qb_log(LOG_NOTICE, "joined CPG group %s as node %u", group, local_nodeid);
	return 0;

out_finalize:
	cpg_finalize(cpg_handle);
	return -ENOTCONN;
}

void safd_cpg_stop(void)
{
	struct pending *p, *tmp;
	int fd;

	safd_cpg_flush();	/* what this turn said, e.g. a last CLOSE */
	if (batch_fd >= 0) {
		qb_loop_poll_del(cpg_loop, batch_fd);
		close(batch_fd);
		batch_fd = -1;
	}
	if (cpg_fd_get(cpg_handle, &fd) == CS_OK)
		qb_loop_poll_del(cpg_loop, fd);
	cpg_leave(cpg_handle, &group_name);
	cpg_finalize(cpg_handle);
	qb_list_for_each_entry_safe(p, tmp, &pending_list, list) {
		qb_list_del(&p->list);
		free(p);
	}
	if (flush_scheduled)
		qb_loop_timer_del(cpg_loop, flush_timer);
}
