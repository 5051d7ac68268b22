/*
 * State sync: after every CPG configuration change the members agree, in the
 * agreed order, on who holds the cluster state, and that node streams it to
 * every member that lacks it before that member serves clients.
 *
 * The round, as every member runs it:
 *   1. confchg: synced members apply the services' leave/join handling; every
 *      member multicasts a HELLO naming the configuration it answers, whether
 *      it is synced, whether its partition was quorate, and the members of
 *      its last completed sync (its lineage).
 *   2. When the HELLO of every current member has been delivered (point H,
 *      the same place in the agreed order on every node) each member decides
 *      the same thing from the same HELLOs:
 *        - nobody synced: a new cluster; everyone starts from the empty
 *          state, or, when members keep journals, once they are a majority,
 *          from the journal with the highest generation (its node loads it
 *          and is the source);
 *        - else the source is the synced member ranked first by
 *          (quorate, size of its lineage, lowest node id); a member needs the
 *          state if it is not synced or is not in the source's lineage
 *          (it comes from another partition and its state is discarded).
 *      Synced members log the membership events at H, with the source's
 *      clock (one clock decides, never each node's own).
 *   3. The source saves every service's state at H and multicasts it in
 *      chunks, then SYNC_END. A member that needs it resets its services at
 *      H, buffers every service message delivered after H, loads the chunks
 *      at SYNC_END, replays the buffer, and is synced.
 * A configuration change during a round abandons the round and starts the
 * next one; a member that was receiving stays unsynced until a round
 * completes.
 *
 * States: UNSYNCED -> (round completes for it) -> SYNCED. A node never goes
 * back to UNSYNCED except when a merge puts it outside the source's lineage.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblist.h>
#include <qb/qblog.h>

#include <safd/ipc_adm.h>
#include <safd/util.h>
#include "core.h"

struct hello_info {
	bool have;
	uint32_t flags;
	uint64_t gen;			/* with SAFD_HELLO_GEN */
	uint64_t round;
	int64_t time;
	uint32_t prev_count;
	uint32_t prev[SAFD_MAX_MEMBERS];
};

struct node_info {
	uint32_t nodeid;
	bool synced;
	char version[16];
};

struct buffered {
	struct qb_list_head list;
	uint32_t nodeid;
	uint32_t pid;
	size_t len;
	uint8_t data[];
};

/* A service's state as it arrives: `total` is what the source announced,
 * memory grows with what came (a bogus total costs nothing). */
struct blob {
	uint8_t *data;
	uint64_t total;
	uint64_t filled;
	uint64_t size;		/* of data */
};

static bool synced;
static bool receiving;		/* between H and SYNC_END of a round we need */
static uint64_t my_round;
static uint32_t members[SAFD_MAX_MEMBERS];
static size_t n_members;
static uint32_t prev[SAFD_MAX_MEMBERS];	/* members at our last completed sync */
static size_t n_prev;
static struct hello_info hellos[SAFD_MAX_MEMBERS];	/* indexed like members */
static struct node_info nodes[SAFD_MAX_MEMBERS];	/* every node we heard from */
static size_t n_nodes;
static bool journals;		/* a member keeps a journal (this round) */
static size_t n_holding;	/* members holding the state, as the agreed
				 * order has it (see safd_durable_quorate) */
static uint32_t source;		/* node sending the state (this round) */
static uint64_t source_round;
static struct blob blobs[SAFD_SVC_COUNT];
static QB_LIST_DECLARE(buffer);
static int64_t receive_start;

bool safd_is_synced(void)
{
	return synced;
}

bool safd_ordered_quorate(void)
{
	return safd_majority(n_members);
}

/* n_holding changes at point H and at SYNC_END, where every node (a joiner
 * after its replay of what came between) updates it: the replay decides
 * with the count the others had when they applied those messages. */
bool safd_durable_quorate(void)
{
	return !journals || safd_majority(n_holding);
}

size_t safd_members(uint32_t *out, size_t max)
{
	size_t n = n_members < max ? n_members : max;

	memcpy(out, members, n * sizeof(*out));
	return n;
}

static int index_of(const uint32_t *list, size_t n, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == nodeid)
			return (int)i;
	return -1;
}

static struct node_info *node_get(uint32_t nodeid, bool create)
{
	size_t i;

	for (i = 0; i < n_nodes; i++)
		if (nodes[i].nodeid == nodeid)
			return &nodes[i];
	if (!create || n_nodes == SAFD_ARRAY_SIZE(nodes))
		return NULL;
	memset(&nodes[n_nodes], 0, sizeof(nodes[n_nodes]));
	nodes[n_nodes].nodeid = nodeid;
	return &nodes[n_nodes++];
}

static void node_synced_set(uint32_t nodeid, bool value)
{
	struct node_info *n = node_get(nodeid, true);

	if (n != NULL)
		n->synced = value;
}

const char *safd_sync_node_version(uint32_t nodeid)
{
	struct node_info *n = node_get(nodeid, false);

	return n != NULL ? n->version : "";
}

bool safd_sync_node_synced(uint32_t nodeid)
{
	struct node_info *n = node_get(nodeid, false);

	return n != NULL && n->synced && index_of(members, n_members, nodeid) >= 0;
}

static void buffer_clear(void)
{
	struct buffered *b, *tmp;

	qb_list_for_each_entry_safe(b, tmp, &buffer, list) {
		qb_list_del(&b->list);
		free(b);
	}
}

static void blobs_clear(void)
{
	size_t i;

	for (i = 0; i < SAFD_ARRAY_SIZE(blobs); i++) {
		free(blobs[i].data);
		memset(&blobs[i], 0, sizeof(blobs[i]));
	}
}

static void services_reset(void)
{
	size_t i;

	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->sync_reset)
			safd_services[i]->sync_reset();
}

static void send_hello(void)
{
	bool journal = safd_services_journaling(), has_gen = journal || synced;
	uint64_t gen = safd_services_journal_gen();
	size_t ids_len = (n_members + (synced ? n_prev : 0)) * sizeof(uint32_t);
	size_t len = sizeof(struct req_exec_core_hello) + ids_len + (has_gen ? sizeof(gen) : 0);
	struct req_exec_core_hello *h;
	uint32_t *ids;

	len = SAFD_ALIGN8(len);
	h = calloc(1, len);
	if (h == NULL) {
		qb_log(LOG_CRIT, "out of memory for the sync hello");
		safd_exit(EXIT_FAILURE);
		return;
	}
	h->round = my_round;
	h->time = safd_time_ns(CLOCK_REALTIME);
	h->flags = (synced ? SAFD_HELLO_SYNCED : 0) |
		   (synced && safd_is_quorate() ? SAFD_HELLO_QUORATE : 0) |
		   (journal ? SAFD_HELLO_JOURNAL : 0) | (has_gen ? SAFD_HELLO_GEN : 0);
	h->member_count = (uint32_t)n_members;
	h->prev_count = synced ? (uint32_t)n_prev : 0;
	snprintf(h->version, sizeof(h->version), "%s", PACKAGE_VERSION);
	ids = (uint32_t *)(h + 1);
	memcpy(ids, members, n_members * sizeof(uint32_t));
	memcpy(ids + n_members, prev, h->prev_count * sizeof(uint32_t));
	if (has_gen)
		memcpy((uint8_t *)ids + ids_len, &gen, sizeof(gen));
	safd_cpg_send(SAFD_SVC_CORE, REQ_EXEC_CORE_HELLO, h, len);
	free(h);
}

void safd_sync_confchg(const uint32_t *m, size_t n_m,
		       const uint32_t *left, size_t n_left,
		       const uint32_t *joined, size_t n_joined)
{
	size_t i;

	qb_log(LOG_NOTICE, "configuration change: %zu members, %zu left, %zu joined",
	       n_m, n_left, n_joined);
	for (i = 0; i < n_left; i++)
		qb_log(LOG_NOTICE, "node %u left", left[i]);
	for (i = 0; i < n_joined; i++)
		qb_log(LOG_NOTICE, "node %u joined", joined[i]);

	if (receiving) {
		qb_log(LOG_NOTICE, "state transfer from node %u abandoned", source);
		receiving = false;
		buffer_clear();
		blobs_clear();
	}
	memcpy(members, m, n_m * sizeof(*m));
	n_members = n_m;
	memset(hellos, 0, sizeof(hellos));
	my_round++;
	if (index_of(members, n_members, safd_local_nodeid()) >= 0)
		send_hello();
}

/* Ranks synced hellos: quorate first, then the larger lineage, then the
 * lower node id. Returns the index into members, or -1 if none is synced. */
static int pick_source(void)
{
	int best = -1;
	size_t i;

	for (i = 0; i < n_members; i++) {
		const struct hello_info *h = &hellos[i], *b;

		if (!(h->flags & SAFD_HELLO_SYNCED))
			continue;
		if (best < 0) {
			best = (int)i;
			continue;
		}
		b = &hellos[best];
		if ((h->flags & SAFD_HELLO_QUORATE) != (b->flags & SAFD_HELLO_QUORATE)) {
			if (h->flags & SAFD_HELLO_QUORATE)
				best = (int)i;
		} else if (h->prev_count != b->prev_count) {
			if (h->prev_count > b->prev_count)
				best = (int)i;
		} else if (members[i] < members[best]) {
			best = (int)i;
		}
	}
	return best;
}

static bool needs_state(size_t i, const struct hello_info *src)
{
	return !(hellos[i].flags & SAFD_HELLO_SYNCED) ||
	       index_of(src->prev, src->prev_count, members[i]) < 0;
}

/*
 * What changed since the source's last completed round: nodes in its
 * lineage that are gone or came back without the state (their safd
 * restarted: their old clients are gone) left; nodes outside its lineage or
 * without the state joined. Every node computes the same lists from the same
 * hellos.
 */
static void membership_delta(const struct hello_info *src, uint32_t *left, size_t *n_left,
			     uint32_t *joined, size_t *n_joined)
{
	size_t i;
	int k;

	*n_left = *n_joined = 0;
	for (i = 0; i < src->prev_count; i++) {
		k = index_of(members, n_members, src->prev[i]);
		if (k < 0 || !(hellos[k].flags & SAFD_HELLO_SYNCED))
			left[(*n_left)++] = src->prev[i];
	}
	for (i = 0; i < n_members; i++)
		if (needs_state(i, src))
			joined[(*n_joined)++] = members[i];
}

/* Applies a round's membership change to every service and the cluster log. */
static void apply_membership(const struct hello_info *src, int64_t time)
{
	uint32_t left[SAFD_MAX_MEMBERS], joined[SAFD_MAX_MEMBERS];
	size_t n_left, n_joined, i;

	membership_delta(src, left, &n_left, joined, &n_joined);
	if (n_left == 0 && n_joined == 0)
		return;
	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->membership)
			safd_services[i]->membership(left, n_left, joined, n_joined, time);
	for (i = 0; i < n_left; i++)
		safd_adm_event(SAFD_EVENT_LEFT, left[i], time);
	for (i = 0; i < n_joined; i++)
		safd_adm_event(SAFD_EVENT_JOINED, joined[i], time);
}

static void send_state(void)
{
	struct req_exec_core_sync_data *d;
	struct req_exec_core_sync_end end = { .round = my_round };
	size_t i;

	d = malloc(sizeof(*d) + SAFD_SYNC_CHUNK);
	if (d == NULL) {
		qb_log(LOG_CRIT, "out of memory for the state transfer");
		safd_exit(EXIT_FAILURE);
		return;
	}
	for (i = 0; i < safd_service_count; i++) {
		const struct safd_service *svc = safd_services[i];
		void *state = NULL;
		size_t len = 0, off = 0;

		if (svc->sync_save == NULL)
			continue;
		if (svc->sync_save(&state, &len) < 0) {
			qb_log(LOG_CRIT, "%s: cannot save state for the transfer", svc->name);
			safd_exit(EXIT_FAILURE);
			break;
		}
		while (off < len) {
			size_t n = len - off < SAFD_SYNC_CHUNK ? len - off : SAFD_SYNC_CHUNK;

			memset(d, 0, sizeof(*d));
			d->round = my_round;
			d->svc = svc->id;
			d->len = (uint32_t)n;
			d->offset = off;
			d->total = len;
			memcpy(d + 1, (uint8_t *)state + off, n);
			safd_cpg_send(SAFD_SVC_CORE, REQ_EXEC_CORE_SYNC_DATA, d,
				      SAFD_ALIGN8(sizeof(*d) + n));
			off += n;
			end.chunks++;
		}
		free(state);
	}
	free(d);
	safd_cpg_send(SAFD_SVC_CORE, REQ_EXEC_CORE_SYNC_END, &end, sizeof(end));
}

static void become_synced(const char *how)
{
	size_t i;

	synced = true;
	memcpy(prev, members, n_members * sizeof(*prev));
	n_prev = n_members;
	for (i = 0; i < n_members; i++)
		node_synced_set(members[i], true);
	/* From now on the others wait for our ACKs, also for what we
	 * delivered before the state's point H and so never applied: ACK it
	 * at the end of this dispatch, or an origin may wait for nothing. */
	safd_cpg_ack_wanted();
	qb_log(LOG_NOTICE, "node synced (%s); serving clients", how);
}

/* This node needs the state from `source`: everything it had is dropped. */
static void start_receiving(const char *how)
{
	if (synced)
		qb_log(LOG_WARNING, "partition merge: discarding local state for node %u's",
		       source);
	synced = false;
	receiving = true;
	receive_start = safd_time_ns(CLOCK_MONOTONIC);
	services_reset();
	buffer_clear();
	blobs_clear();
	qb_log(LOG_NOTICE, "receiving the cluster state from node %u%s", source, how);
}

/* The member that does not hold the state whose journal holds the highest
 * generation (then the lowest node id), or -1 when no journal holds any. */
static int pick_journal(void)
{
	int best = -1;
	size_t i;

	for (i = 0; i < n_members; i++)
		if (!(hellos[i].flags & SAFD_HELLO_SYNCED) &&
		    (hellos[i].flags & SAFD_HELLO_JOURNAL) && hellos[i].gen > 0 &&
		    (best < 0 || hellos[i].gen > hellos[best].gen ||
		     (hellos[i].gen == hellos[best].gen && members[i] < members[best])))
			best = (int)i;
	return best;
}

/* Members keeping a journal: a majority of the nodes among them holds
 * every change the cluster acknowledged (safd_durable_quorate()). */
static size_t count_journals(void)
{
	size_t i, n = 0;

	for (i = 0; i < n_members; i++)
		n += (hellos[i].flags & SAFD_HELLO_JOURNAL) != 0;
	return n;
}

/* A new cluster, from the empty state or from member src_i's journal
 * (src_i < 0: none). The lowest node id's clock dates it. */
static void form(int src_i)
{
	uint32_t me = safd_local_nodeid();
	size_t i, low = 0;
	int64_t time;

	for (i = 1; i < n_members; i++)
		if (members[i] < members[low])
			low = i;
	time = hellos[low].time;
	n_holding = src_i >= 0 ? 1 : n_members;
	if (src_i >= 0) {
		source = members[src_i];
		source_round = hellos[src_i].round;
		for (i = 0; i < n_members; i++)
			node_synced_set(members[i], (int)i == src_i);
		if (me != source) {
			start_receiving(" (restored from its journal)");
			return;
		}
	}
	services_reset();
	if (src_i < 0 && journals) {
		qb_log(LOG_NOTICE, "a new cluster: no journal of the members holds a "
		       "generation (their journals are emptied)");
		safd_services_journal_reset();
	}
	if (src_i >= 0 && safd_services_journal_load() < 0) {
		qb_log(LOG_CRIT, "cannot restore the cluster state from the journal; exiting");
		safd_exit(EXIT_FAILURE);
		return;
	}
	safd_adm_event(SAFD_EVENT_FORMED, members[low], time);
	for (i = 0; i < n_members; i++)
		safd_adm_event(SAFD_EVENT_JOINED, members[i], time);
	become_synced(src_i >= 0 ? "restored from the journal" : "new cluster");
	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->membership)
			safd_services[i]->membership(NULL, 0, members, n_members, time);
	if (src_i < 0)
		return;
	for (i = 0; i < n_members; i++)		/* the others wait for the state */
		node_synced_set(members[i], members[i] == me);
	if (n_members > 1)
		send_state();
}

/* Point H: every member's hello is in. */
static void decide(void)
{
	uint32_t me = safd_local_nodeid();
	int me_i = index_of(members, n_members, me);
	int src_i = pick_source(), jr = pick_journal();
	const struct hello_info *src;
	int64_t time;
	bool anyone = false;
	size_t i;

	journals = count_journals() > 0;
	/* With journals, the state is restored or started only by members
	 * keeping a majority of the journals: they hold a node with every
	 * change the cluster acknowledged. A journal ahead of the state of
	 * the members that hold one (they were a minority while the others
	 * went on, then those went down) wins over it. */
	if (src_i < 0 || (jr >= 0 && hellos[jr].gen > hellos[src_i].gen)) {
		if (journals && !safd_majority(count_journals())) {
			qb_log(LOG_NOTICE, "%s and %zu of the members keep journals, not a "
			       "majority of the nodes: waiting for more before the journals decide",
			       src_i < 0 ? "no node holds the cluster state" :
			       "a journal is ahead of the cluster state", count_journals());
			return;
		}
		if (src_i >= 0)
			qb_log(LOG_WARNING, "node %u's journal (generation %llu) is ahead of the "
			       "state of node %u (generation %llu): restoring it", members[jr],
			       (unsigned long long)hellos[jr].gen, members[src_i],
			       (unsigned long long)hellos[src_i].gen);
		form(jr);
		return;
	}
	src = &hellos[src_i];
	time = src->time;
	n_holding = 0;
	for (i = 0; i < n_members; i++) {
		bool need = needs_state(i, src);

		node_synced_set(members[i], !need);
		anyone |= need;
		n_holding += !need;
	}
	if (me_i < 0)
		return;
	source = members[src_i];
	source_round = src->round;
	if (!needs_state((size_t)me_i, src)) {
		apply_membership(src, time);
		memcpy(prev, members, n_members * sizeof(*prev));
		n_prev = n_members;
		if (anyone && me == members[src_i])
			send_state();
		return;
	}
	start_receiving("");
}

static void on_hello(const struct req_exec_core_hello *h, size_t len, uint32_t nodeid)
{
	const uint32_t *ids = (const uint32_t *)(h + 1);
	struct hello_info *info;
	struct node_info *node;
	int i;
	size_t k;

	if (h->member_count > SAFD_MAX_MEMBERS || h->prev_count > SAFD_MAX_MEMBERS ||
	    len < sizeof(*h) + ((size_t)h->member_count + h->prev_count) * sizeof(uint32_t)) {
		qb_log(LOG_WARNING, "dropped malformed hello from node %u", nodeid);
		return;
	}
	i = index_of(members, n_members, nodeid);
	if (i < 0 || h->member_count != n_members ||
	    memcmp(ids, members, n_members * sizeof(*ids)) != 0)
		return;		/* answers an earlier configuration */
	info = &hellos[i];
	safd_cpg_ack_open(nodeid);
	info->have = true;
	info->flags = h->flags;
	info->round = h->round;
	info->time = h->time;
	info->prev_count = h->prev_count;
	memcpy(info->prev, ids + h->member_count, h->prev_count * sizeof(*ids));
	info->gen = 0;
	if ((h->flags & SAFD_HELLO_GEN) &&
	    len >= sizeof(*h) + ((size_t)h->member_count + h->prev_count) * sizeof(uint32_t) +
		   sizeof(info->gen))
		memcpy(&info->gen, ids + h->member_count + h->prev_count, sizeof(info->gen));
	node = node_get(nodeid, true);
	if (node != NULL)
		snprintf(node->version, sizeof(node->version), "%.*s",
			 (int)sizeof(h->version), h->version);

	for (k = 0; k < n_members; k++)
		if (!hellos[k].have)
			return;
	decide();
}

static void on_sync_data(const struct req_exec_core_sync_data *d, size_t len,
			 uint32_t nodeid)
{
	struct blob *b;

	if (!receiving || nodeid != source || d->round != source_round)
		return;
	if (d->svc >= SAFD_SVC_COUNT || len < sizeof(*d) + d->len ||
	    d->offset + d->len > d->total || d->total > (1ULL << 40)) {
		qb_log(LOG_WARNING, "dropped malformed state chunk from node %u", nodeid);
		return;
	}
	b = &blobs[d->svc];
	if ((b->data != NULL && d->total != b->total) || d->offset != b->filled) {
		qb_log(LOG_WARNING, "state chunk out of order from node %u", nodeid);
		return;
	}
	if (b->data == NULL || b->filled + d->len > b->size) {
		uint64_t size = b->size ? b->size : SAFD_SYNC_CHUNK;
		uint8_t *data;

		while (size < b->filled + d->len)
			size *= 2;
		if (size > d->total)
			size = d->total;
		data = realloc(b->data, size ? size : 1);
		if (data == NULL) {
			qb_log(LOG_CRIT, "out of memory receiving %llu bytes of state",
			       (unsigned long long)d->total);
			safd_exit(EXIT_FAILURE);
			return;
		}
		b->data = data;
		b->size = size;
		b->total = d->total;
	}
	memcpy(b->data + d->offset, d + 1, d->len);
	b->filled += d->len;
}

static void on_sync_end(const struct req_exec_core_sync_end *e, uint32_t nodeid)
{
	struct buffered *bm, *tmp;
	uint64_t bytes = 0;
	size_t i;

	if (nodeid != source || e->round != source_round)
		return;
	if (!receiving) {
		/* Every member that needed the state loads it here, in the
		 * same place of the agreed order (or exits): from now on its
		 * ACKs count for safe answers on this node too. Without this
		 * a node that was synced at the join never waited for the
		 * joiners' ACKs in this configuration. */
		for (i = 0; i < n_members; i++)
			node_synced_set(members[i], true);
		n_holding = n_members;
		return;
	}
	for (i = 0; i < safd_service_count; i++) {
		const struct safd_service *svc = safd_services[i];
		struct blob *b = &blobs[svc->id];

		if (b->data == NULL || svc->sync_load == NULL)
			continue;
		if (b->filled != b->total || svc->sync_load(b->data, b->total) < 0) {
			qb_log(LOG_CRIT, "%s: cannot load the state from node %u",
			       svc->name, nodeid);
			safd_exit(EXIT_FAILURE);
			return;
		}
		bytes += b->total;
	}
	blobs_clear();
	receiving = false;
	become_synced("state received");
	qb_log(LOG_NOTICE, "loaded %llu bytes of state from node %u in %lld us",
	       (unsigned long long)bytes, nodeid,
	       (long long)(safd_time_ns(CLOCK_MONOTONIC) - receive_start) / 1000);
	/* Replay what was delivered after H, in order. */
	qb_list_for_each_entry_safe(bm, tmp, &buffer, list) {
		const struct safd_exec_header *h = (const void *)bm->data;
		const struct safd_service *svc = safd_service_get(h->svc);

		qb_list_del(&bm->list);
		svc->exec[h->id].fn(bm->data, bm->len, bm->nodeid, bm->pid);
		free(bm);
	}
	n_holding = n_members;
}

void safd_sync_deliver(const void *msg, size_t len, uint32_t nodeid)
{
	const struct safd_exec_header *h = msg;

	switch (h->id) {
	case REQ_EXEC_CORE_HELLO:
		if (len >= sizeof(struct req_exec_core_hello))
			on_hello(msg, len, nodeid);
		return;
	case REQ_EXEC_CORE_SYNC_DATA:
		if (len >= sizeof(struct req_exec_core_sync_data))
			on_sync_data(msg, len, nodeid);
		return;
	case REQ_EXEC_CORE_SYNC_END:
		if (len >= sizeof(struct req_exec_core_sync_end))
			on_sync_end(msg, nodeid);
		return;
	}
	qb_log(LOG_WARNING, "dropped unknown core message %u from node %u", h->id, nodeid);
}

bool safd_sync_gate(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	struct buffered *b;

	if (synced)
		return true;
	if (!receiving)
		return false;	/* before H: the state we will receive has it */
	b = malloc(sizeof(*b) + len);
	if (b == NULL) {
		qb_log(LOG_CRIT, "out of memory buffering messages during sync");
		safd_exit(EXIT_FAILURE);
		return false;
	}
	b->nodeid = nodeid;
	b->pid = pid;
	b->len = len;
	memcpy(b->data, msg, len);
	qb_list_add_tail(&b->list, &buffer);
	return false;
}
