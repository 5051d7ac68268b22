/*
 * AMF state transfer: the replicated run-time state (presence, registration,
 * incarnations, counters, probation windows, node membership, assignments),
 * saved by the sync source and loaded by a joining node. The model itself is
 * not sent: every node loads the same configuration file, and a fingerprint
 * of the model's names and shape refuses a state from a differently
 * configured node.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include "amf_int.h"

#define AMF_SNAP_MAGIC 0x534e4150414d4632ULL	/* "SNAPAMF2" */

struct snap_header {
	uint64_t magic;
	uint64_t fingerprint;
	uint32_t n_nodes, n_sus, n_comps, n_sis;
};

struct snap_node {
	uint32_t member, admin;
	struct amf_probation su_failover;
};

struct snap_su {
	uint32_t presence, oper, admin, restarts, failovers, pad;
	struct amf_probation comp_restart, su_restart;
};

struct snap_comp {
	uint32_t presence, oper, registered, incarnation, attempts, restarts, pid, reg_pid;
	uint64_t reg_session;
	uint32_t restart_after, pad;
};

/* Per SI, before its HA bytes. */
struct snap_si {
	uint32_t prev_active, admin, swap, handed_over;
};

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

static uint64_t fingerprint(void)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint32_t i;

	for (i = 0; i < amf.n_nodes; i++)
		h = fnv(h, amf.nodes[i].cfg->dn, strlen(amf.nodes[i].cfg->dn) + 1);
	for (i = 0; i < amf.n_comps; i++)
		h = fnv(h, amf.comps[i].cfg->dn, strlen(amf.comps[i].cfg->dn) + 1);
	for (i = 0; i < amf.n_csis; i++)
		h = fnv(h, amf.csis[i].cfg->dn, strlen(amf.csis[i].cfg->dn) + 1);
	/* and what the assignment decisions depend on */
	for (i = 0; i < amf.n_sgs; i++) {
		const struct amf_sg *g = amf.sgs[i].cfg;
		uint32_t v[] = { g->model, g->active_sus, g->standby_sus, g->in_service_sus,
				 g->max_active_sis, g->max_standby_sis };

		h = fnv(h, v, sizeof(v));
	}
	for (i = 0; i < amf.n_sus; i++)
		h = fnv(h, &amf.sus[i].cfg->rank, sizeof(amf.sus[i].cfg->rank));
	for (i = 0; i < amf.n_sis; i++) {
		const struct amf_si *si = amf.sis[i].cfg;
		uint32_t d, v[] = { si->rank, si->active_assignments, si->standby_assignments,
				    si->n_depends };

		h = fnv(h, v, sizeof(v));
		for (d = 0; d < si->n_depends; d++)
			h = fnv(h, si->depends[d]->dn, strlen(si->depends[d]->dn) + 1);
	}
	return h;
}

/* After the fixed-size records: the admin states of the applications and
 * SGs, each component's acked bytes (one per CSI), then per SI a struct
 * snap_si and one HA byte per SU of its SG. Each component's acked bytes
 * are followed by its HA readiness bytes. */
static size_t var_bytes(void)
{
	size_t n = (amf.n_apps + amf.n_sgs) * sizeof(uint32_t) +
		   2 * (size_t)amf.n_comps * amf.n_csis;
	uint32_t i;

	for (i = 0; i < amf.n_sis; i++)
		n += sizeof(struct snap_si) + amf.sgs[amf.sis[i].sg].cfg->n_sus;
	return n;
}

static size_t snap_size(void)
{
	return sizeof(struct snap_header) + amf.n_nodes * sizeof(struct snap_node) +
	       amf.n_sus * sizeof(struct snap_su) + amf.n_comps * sizeof(struct snap_comp) +
	       var_bytes();
}

static bool admin_valid(uint32_t v)
{
	return v >= SA_AMF_ADMIN_UNLOCKED && v <= SA_AMF_ADMIN_SHUTTING_DOWN;
}

int amf_sync_save(void **out, size_t *len)
{
	size_t size = snap_size();
	struct snap_header *h;
	uint8_t *p;
	uint32_t i;

	h = calloc(1, size + 1);
	if (h == NULL)
		return -ENOMEM;
	h->magic = AMF_SNAP_MAGIC;
	h->fingerprint = fingerprint();
	h->n_nodes = amf.n_nodes;
	h->n_sus = amf.n_sus;
	h->n_comps = amf.n_comps;
	h->n_sis = amf.n_sis;
	p = (uint8_t *)(h + 1);
	for (i = 0; i < amf.n_nodes; i++, p += sizeof(struct snap_node)) {
		struct snap_node n = { .member = amf.nodes[i].member, .admin = amf.nodes[i].admin,
				       .su_failover = amf.nodes[i].su_failover };

		memcpy(p, &n, sizeof(n));
	}
	for (i = 0; i < amf.n_sus; i++, p += sizeof(struct snap_su)) {
		const struct amf_su_rt *u = &amf.sus[i];
		struct snap_su s = { u->presence, u->oper, u->admin, u->restarts, u->failovers,
				     0, u->comp_restart, u->su_restart };

		memcpy(p, &s, sizeof(s));
	}
	for (i = 0; i < amf.n_comps; i++, p += sizeof(struct snap_comp)) {
		const struct amf_comp_rt *c = &amf.comps[i];
		struct snap_comp s = { c->presence, c->oper, c->registered, c->incarnation,
				       c->attempts, c->restarts, c->pid, c->reg_pid,
				       c->reg_session, c->restart_after, 0 };

		memcpy(p, &s, sizeof(s));
	}
	for (i = 0; i < amf.n_apps; i++, p += sizeof(uint32_t))
		memcpy(p, &amf.apps[i].admin, sizeof(uint32_t));
	for (i = 0; i < amf.n_sgs; i++, p += sizeof(uint32_t))
		memcpy(p, &amf.sgs[i].admin, sizeof(uint32_t));
	for (i = 0; i < amf.n_comps; i++, p += 2 * amf.n_csis) {
		memcpy(p, amf.comps[i].acked, amf.n_csis);
		memcpy(p + amf.n_csis, amf.comps[i].readiness, amf.n_csis);
	}
	for (i = 0; i < amf.n_sis; i++) {
		const struct amf_si_rt *si = &amf.sis[i];
		struct snap_si r = { si->prev_active, si->admin, si->swap, si->handed_over };
		size_t n = amf.sgs[si->sg].cfg->n_sus;

		memcpy(p, &r, sizeof(r));
		p += sizeof(r);
		memcpy(p, si->ha, n);
		p += n;
	}
	*out = h;
	*len = size;
	return 0;
}

int amf_sync_load(const void *buf, size_t len)
{
	const struct snap_header *h = buf;
	const uint8_t *p = (const uint8_t *)(h + 1);
	uint32_t i, k;

	if (len == 0 && amf.model == NULL)
		return 0;
	if (len < sizeof(*h) || h->magic != AMF_SNAP_MAGIC || h->n_nodes != amf.n_nodes ||
	    h->n_sus != amf.n_sus || h->n_comps != amf.n_comps || h->n_sis != amf.n_sis ||
	    h->fingerprint != fingerprint() || len != snap_size()) {
		qb_log(LOG_CRIT, "the AMF state from the cluster does not match this node's "
		       "configuration: every node must load the same configuration file");
		return -EINVAL;
	}
	for (i = 0; i < amf.n_nodes; i++, p += sizeof(struct snap_node)) {
		struct snap_node n;

		memcpy(&n, p, sizeof(n));
		amf.nodes[i].member = n.member;
		amf.nodes[i].admin = admin_valid(n.admin) ? n.admin : SA_AMF_ADMIN_UNLOCKED;
		amf.nodes[i].su_failover = n.su_failover;
	}
	for (i = 0; i < amf.n_sus; i++, p += sizeof(struct snap_su)) {
		struct amf_su_rt *u = &amf.sus[i];
		struct snap_su s;

		memcpy(&s, p, sizeof(s));
		u->presence = s.presence;
		u->oper = s.oper;
		u->admin = admin_valid(s.admin) ? s.admin : SA_AMF_ADMIN_UNLOCKED;
		u->restarts = s.restarts;
		u->failovers = s.failovers;
		u->comp_restart = s.comp_restart;
		u->su_restart = s.su_restart;
	}
	for (i = 0; i < amf.n_comps; i++, p += sizeof(struct snap_comp)) {
		struct amf_comp_rt *c = &amf.comps[i];
		struct snap_comp s;

		memcpy(&s, p, sizeof(s));
		c->presence = s.presence;
		c->oper = s.oper;
		c->registered = s.registered;
		c->incarnation = s.incarnation;
		c->attempts = s.attempts;
		c->restarts = s.restarts;
		c->pid = s.pid;
		c->reg_pid = s.reg_pid;
		c->reg_session = s.reg_session;
		c->restart_after = s.restart_after != 0;
	}
	for (i = 0; i < amf.n_apps; i++, p += sizeof(uint32_t)) {
		memcpy(&amf.apps[i].admin, p, sizeof(uint32_t));
		if (!admin_valid(amf.apps[i].admin))
			amf.apps[i].admin = SA_AMF_ADMIN_UNLOCKED;
	}
	for (i = 0; i < amf.n_sgs; i++, p += sizeof(uint32_t)) {
		memcpy(&amf.sgs[i].admin, p, sizeof(uint32_t));
		if (!admin_valid(amf.sgs[i].admin))
			amf.sgs[i].admin = SA_AMF_ADMIN_UNLOCKED;
	}
	for (i = 0; i < amf.n_comps; i++, p += 2 * amf.n_csis) {
		memcpy(amf.comps[i].acked, p, amf.n_csis);
		memcpy(amf.comps[i].readiness, p + amf.n_csis, amf.n_csis);
		for (k = 0; k < amf.n_csis; k++)
			if (amf.comps[i].readiness[k] > SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT)
				amf.comps[i].readiness[k] = 0;
	}
	for (i = 0; i < amf.n_sis; i++) {
		struct amf_si_rt *si = &amf.sis[i];
		size_t n = amf.sgs[si->sg].cfg->n_sus;
		struct snap_si r;

		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		si->prev_active = r.prev_active < amf.n_sus ? r.prev_active : UINT32_MAX;
		si->admin = admin_valid(r.admin) ? r.admin : SA_AMF_ADMIN_UNLOCKED;
		si->swap = r.swap != 0;
		si->handed_over = r.handed_over != 0;
		memcpy(si->ha, p, n);
		p += n;
	}
	return 0;
}
