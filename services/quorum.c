/*
 * Quorum and corosync's view of the nodes: libquorum tells whether this
 * partition may change cluster state (only a quorate partition does) and
 * which nodes corosync sees; cmap's nodelist names the configured nodes.
 * With no quorum provider configured every partition counts as quorate.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <corosync/cmap.h>
#include <corosync/quorum.h>
#include <qb/qblog.h>

#include <safd/util.h>
#include "core.h"

static quorum_handle_t quorum_handle;
static qb_loop_t *quorum_loop;
static bool quorate;
static size_t n_configured;	/* nodes in corosync's nodelist */
static bool two_node;		/* votequorum's two_node mode */
static uint32_t view[SAFD_MAX_MEMBERS];
static size_t n_view;

bool safd_is_quorate(void)
{
	return quorate;
}

/*
 * Whether a configuration of n nodes may change state, decided from the
 * configuration alone so that every member decides the same at the same
 * point of the agreed order: more than half of the nodes in corosync's
 * nodelist. votequorum's own view can lag the CPG configuration, and a node
 * cut off would otherwise accept changes until it noticed. Without a
 * nodelist, or in two_node mode, votequorum's view is all there is.
 */
bool safd_majority(size_t n)
{
	if (n_configured == 0 || two_node)
		return quorate;
	return n * 2 > n_configured;
}

size_t safd_quorum_view(uint32_t *out, size_t max)
{
	size_t n = n_view < max ? n_view : max;

	memcpy(out, view, n * sizeof(*out));
	return n;
}

static void quorum_notify(quorum_handle_t handle, uint32_t q, uint64_t ring_seq,
			  uint32_t entries, uint32_t *list)
{
	if ((bool)q != quorate)
		qb_log(LOG_NOTICE, "partition is %s", q ? "quorate" : "NOT quorate");
	quorate = q;
	n_view = entries < SAFD_MAX_MEMBERS ? entries : SAFD_MAX_MEMBERS;
	memcpy(view, list, n_view * sizeof(*view));
}

static int32_t quorum_dispatch_fn(int32_t fd, int32_t revents, void *data)
{
	cs_error_t err = quorum_dispatch(quorum_handle, CS_DISPATCH_ALL);

	if (err != CS_OK && err != CS_ERR_TRY_AGAIN) {
		qb_log(LOG_CRIT, "lost the connection to corosync (quorum error %d); exiting",
		       err);
		safd_exit(EXIT_FAILURE);
		return -1;
	}
	return 0;
}

static void read_quorum_config(void)
{
	uint32_t ids[SAFD_MAX_MEMBERS];
	cmap_handle_t cmap;
	uint8_t v = 0;

	n_configured = safd_nodelist(ids, SAFD_ARRAY_SIZE(ids));
	if (cmap_initialize(&cmap) == CS_OK) {
		if (cmap_get_uint8(cmap, "quorum.two_node", &v) == CS_OK)
			two_node = v != 0;
		cmap_finalize(cmap);
	}
	qb_log(LOG_INFO, "changes need %s", two_node || n_configured == 0 ?
	       "votequorum's quorum" : "a majority of the nodelist's nodes");
}

int safd_quorum_start(qb_loop_t *loop)
{
	quorum_callbacks_t callbacks = { .quorum_notify_fn = quorum_notify };
	uint32_t type;
	int q = 0, fd;

	quorum_loop = loop;
	if (quorum_initialize(&quorum_handle, &callbacks, &type) != CS_OK) {
		qb_log(LOG_CRIT, "cannot connect to corosync's quorum service: is corosync running?");
		return -ENOTCONN;
	}
	if (type == QUORUM_FREE) {
		qb_log(LOG_NOTICE, "no quorum provider configured: always quorate");
		quorate = true;
	} else if (quorum_getquorate(quorum_handle, &q) == CS_OK) {
		quorate = q;
	}
	if (quorum_trackstart(quorum_handle, CS_TRACK_CHANGES | CS_TRACK_CURRENT) != CS_OK) {
		qb_log(LOG_CRIT, "cannot track quorum");
		quorum_finalize(quorum_handle);
		return -ENOTCONN;
	}
	quorum_fd_get(quorum_handle, &fd);
	qb_loop_poll_add(loop, QB_LOOP_HIGH, fd, POLLIN, NULL, quorum_dispatch_fn);
	read_quorum_config();
	return 0;
}

void safd_quorum_stop(void)
{
	int fd;

	if (quorum_fd_get(quorum_handle, &fd) == CS_OK)
		qb_loop_poll_del(quorum_loop, fd);
	quorum_trackstop(quorum_handle);
	quorum_finalize(quorum_handle);
}

/* The node ids of corosync's nodelist (nodelist.node.N.nodeid). */
size_t safd_nodelist(uint32_t *out, size_t max)
{
	char key[CMAP_KEYNAME_MAXLEN + 1];
	cmap_handle_t cmap;
	cmap_iter_handle_t iter;
	cmap_value_types_t type;
	size_t n = 0, vlen, klen;
	uint32_t id;

	if (cmap_initialize(&cmap) != CS_OK)
		return 0;
	if (cmap_iter_init(cmap, "nodelist.node.", &iter) != CS_OK)
		goto out_finalize;
	while (n < max && cmap_iter_next(cmap, iter, key, &vlen, &type) == CS_OK) {
		klen = strlen(key);
		if (klen < 7 || strcmp(key + klen - 7, ".nodeid") != 0)
			continue;
		if (cmap_get_uint32(cmap, key, &id) == CS_OK)
			out[n++] = id;
	}
	cmap_iter_finalize(cmap, iter);
out_finalize:
	cmap_finalize(cmap);
	return n;
}
