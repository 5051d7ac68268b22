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

#define AMF_SNAP_MAGIC 0x534e4150414d4631ULL	/* "SNAPAMF1" */

struct snap_header {
	uint64_t magic;
	uint64_t fingerprint;
	uint32_t n_nodes, n_sus, n_comps, n_sis;
};

struct snap_node {
	uint32_t member, pad;
	struct amf_probation su_failover;
};

struct snap_su {
	uint32_t presence, oper, admin, restarts, failovers, pad;
	struct amf_probation comp_restart, su_restart;
};

struct snap_comp {
	uint32_t presence, oper, registered, incarnation, attempts, restarts, pid, reg_pid;
	uint64_t reg_session;
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
	return h;
}

/* Per SI: its prev_active, then one HA byte per SU of its SG. */
static size_t si_bytes(void)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < amf.n_sis; i++)
		n += sizeof(uint32_t) + amf.sgs[amf.sis[i].sg].cfg->n_sus;
	return n;
}

int amf_sync_save(void **out, size_t *len)
{
	size_t size = sizeof(struct snap_header) + amf.n_nodes * sizeof(struct snap_node) +
		      amf.n_sus * sizeof(struct snap_su) +
		      amf.n_comps * sizeof(struct snap_comp) + si_bytes();
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
		struct snap_node n = { .member = amf.nodes[i].member,
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
				       c->reg_session };

		memcpy(p, &s, sizeof(s));
	}
	for (i = 0; i < amf.n_sis; i++) {
		size_t n = amf.sgs[amf.sis[i].sg].cfg->n_sus;

		memcpy(p, &amf.sis[i].prev_active, sizeof(uint32_t));
		p += sizeof(uint32_t);
		memcpy(p, amf.sis[i].ha, n);
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
	uint32_t i;

	if (len == 0 && amf.model == NULL)
		return 0;
	if (len < sizeof(*h) || h->magic != AMF_SNAP_MAGIC || h->n_nodes != amf.n_nodes ||
	    h->n_sus != amf.n_sus || h->n_comps != amf.n_comps || h->n_sis != amf.n_sis ||
	    h->fingerprint != fingerprint() ||
	    len != sizeof(*h) + amf.n_nodes * sizeof(struct snap_node) +
		   amf.n_sus * sizeof(struct snap_su) +
		   amf.n_comps * sizeof(struct snap_comp) + si_bytes()) {
		qb_log(LOG_CRIT, "the AMF state from the cluster does not match this node's "
		       "configuration: every node must load the same configuration file");
		return -EINVAL;
	}
	for (i = 0; i < amf.n_nodes; i++, p += sizeof(struct snap_node)) {
		struct snap_node n;

		memcpy(&n, p, sizeof(n));
		amf.nodes[i].member = n.member;
		amf.nodes[i].su_failover = n.su_failover;
	}
	for (i = 0; i < amf.n_sus; i++, p += sizeof(struct snap_su)) {
		struct amf_su_rt *u = &amf.sus[i];
		struct snap_su s;

		memcpy(&s, p, sizeof(s));
		u->presence = s.presence;
		u->oper = s.oper;
		u->admin = s.admin;
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
	}
	for (i = 0; i < amf.n_sis; i++) {
		size_t n = amf.sgs[amf.sis[i].sg].cfg->n_sus;
		uint32_t prev;

		memcpy(&prev, p, sizeof(prev));
		amf.sis[i].prev_active = prev < amf.n_sus ? prev : UINT32_MAX;
		p += sizeof(uint32_t);
		memcpy(amf.sis[i].ha, p, n);
		p += n;
	}
	return 0;
}
