/*
 * The adm service: what safctl asks the daemon. It owns one piece of
 * replicated state, the cluster log: membership events (formed, joined,
 * left) appended by every synced node at the same point of the agreed order
 * (see sync.c), streamed to joiners with the rest of the state. The newest
 * SAFD_ADM_EVENTS_MAX events are kept.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include <safd/ipc_adm.h>
#include <safd/util.h>
#include "core.h"

#define SAFD_ADM_EVENTS_MAX 256

static struct safd_adm_event events[SAFD_ADM_EVENTS_MAX];	/* ring */
static size_t n_events;
static uint64_t next_seq = 1;

static const char *event_name(uint32_t kind)
{
	switch (kind) {
	case SAFD_EVENT_FORMED: return "formed";
	case SAFD_EVENT_JOINED: return "joined";
	case SAFD_EVENT_LEFT: return "left";
	}
	return "unknown";
}

static void event_put(uint64_t seq, uint32_t kind, uint32_t nodeid, int64_t time)
{
	struct safd_adm_event *e = &events[(seq - 1) % SAFD_ADM_EVENTS_MAX];

	e->seq = seq;
	e->time = time;
	e->kind = kind;
	e->nodeid = nodeid;
	if (n_events < SAFD_ADM_EVENTS_MAX)
		n_events++;
	next_seq = seq + 1;
}

void safd_adm_event(uint32_t kind, uint32_t nodeid, int64_t time)
{
	qb_log(LOG_INFO, "cluster log %llu: node %u %s", (unsigned long long)next_seq,
	       nodeid, event_name(kind));
	event_put(next_seq, kind, nodeid, time);
}

/* Copies the events oldest first. */
static void events_copy(struct safd_adm_event *out)
{
	uint64_t seq = next_seq - n_events;
	size_t i;

	for (i = 0; i < n_events; i++, seq++)
		out[i] = events[(seq - 1) % SAFD_ADM_EVENTS_MAX];
}

static void add_node(struct safd_adm_node *list, size_t *n, uint32_t nodeid,
		     uint32_t flag)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (list[i].nodeid == nodeid) {
			list[i].flags |= flag;
			return;
		}
	}
	if (*n == SAFD_MAX_MEMBERS * 3)
		return;
	memset(&list[*n], 0, sizeof(list[*n]));
	list[*n].nodeid = nodeid;
	list[*n].flags = flag;
	(*n)++;
}

static int cmp_node(const void *a, const void *b)
{
	const struct safd_adm_node *x = a, *y = b;

	return x->nodeid < y->nodeid ? -1 : x->nodeid > y->nodeid;
}

static int adm_status(struct safd_conn *conn, const void *msg, size_t len)
{
	uint32_t ids[SAFD_MAX_MEMBERS];
	struct safd_adm_node *nodes;
	struct res_lib_adm_status *res;
	size_t n_nodes = 0, n, i, size;

	nodes = calloc(SAFD_MAX_MEMBERS * 3, sizeof(*nodes));
	if (nodes == NULL)
		return -ENOMEM;
	n = safd_nodelist(ids, SAFD_ARRAY_SIZE(ids));
	for (i = 0; i < n; i++)
		add_node(nodes, &n_nodes, ids[i], SAFD_ADM_NODE_CONFIGURED);
	n = safd_quorum_view(ids, SAFD_ARRAY_SIZE(ids));
	for (i = 0; i < n; i++)
		add_node(nodes, &n_nodes, ids[i], SAFD_ADM_NODE_COROSYNC);
	n = safd_members(ids, SAFD_ARRAY_SIZE(ids));
	for (i = 0; i < n; i++)
		add_node(nodes, &n_nodes, ids[i], SAFD_ADM_NODE_MEMBER);
	for (i = 0; i < n_nodes; i++) {
		if (safd_sync_node_synced(nodes[i].nodeid))
			nodes[i].flags |= SAFD_ADM_NODE_SYNCED;
		snprintf(nodes[i].version, sizeof(nodes[i].version), "%s",
			 safd_sync_node_version(nodes[i].nodeid));
	}
	qsort(nodes, n_nodes, sizeof(*nodes), cmp_node);

	size = sizeof(*res) + n_nodes * sizeof(*nodes) + n_events * sizeof(events[0]);
	res = calloc(1, size);
	if (res == NULL) {
		free(nodes);
		return -ENOMEM;
	}
	res->header.id = REQ_LIB_ADM_STATUS;
	res->header.size = (int32_t)size;
	res->header.error = SA_AIS_OK;
	res->local_nodeid = safd_local_nodeid();
	res->quorate = safd_is_quorate();
	res->synced = safd_is_synced();
	res->journal = safd_msg_journal_state(&res->journal_gen);
	res->node_count = (uint32_t)n_nodes;
	res->event_count = (uint32_t)n_events;
	snprintf(res->version, sizeof(res->version), "%s", PACKAGE_VERSION);
	memcpy(res + 1, nodes, n_nodes * sizeof(*nodes));
	events_copy((struct safd_adm_event *)((struct safd_adm_node *)(res + 1) + n_nodes));
	safd_conn_respond(conn, res, size);	/* a vanished client is no error */
	free(res);
	free(nodes);
	return 0;
}

/* State sync: the cluster log as an array of events, oldest first. */
static int adm_sync_save(void **buf, size_t *len)
{
	struct safd_adm_event *out = malloc(n_events * sizeof(*out) + 1);

	if (out == NULL)
		return -ENOMEM;
	events_copy(out);
	*buf = out;
	*len = n_events * sizeof(*out);
	return 0;
}

static void adm_sync_reset(void)
{
	n_events = 0;
	next_seq = 1;
}

static int adm_sync_load(const void *buf, size_t len)
{
	const struct safd_adm_event *in = buf;
	size_t i, n = len / sizeof(*in);

	if (len % sizeof(*in) != 0 || n > SAFD_ADM_EVENTS_MAX)
		return -EINVAL;
	adm_sync_reset();
	for (i = 0; i < n; i++) {
		if (i > 0 && in[i].seq != in[i - 1].seq + 1)
			return -EINVAL;
		event_put(in[i].seq, in[i].kind, in[i].nodeid, in[i].time);
	}
	return 0;
}

static const struct safd_lib_handler adm_lib[] = {
	[REQ_LIB_ADM_STATUS] = {
		.fn = adm_status,
		.min_size = sizeof(struct req_lib_adm_status),
	},
};

const struct safd_service safd_adm_service = {
	.name = "adm",
	.id = SAFD_SVC_ADM,
	.lib = adm_lib,
	.lib_count = SAFD_ARRAY_SIZE(adm_lib),
	.sync_save = adm_sync_save,
	.sync_reset = adm_sync_reset,
	.sync_load = adm_sync_load,
};
