/*
 * AMF decisions (SAI-AIS-AMF-B.04.01 chapters 3 and 4): presence, recovery
 * and escalation, and the assignment of SIs to SUs for the 2N and
 * No-Redundancy models. Every function here runs inside an exec handler (or
 * the membership callback), at the same point of the agreed order on every
 * node, and depends only on replicated state and the message's time, so
 * every node decides the same. What a node then does about its own
 * components is clc.c's business.
 *
 * Component presence: UNINSTANTIATED -> INSTANTIATING (launch decided; a new
 * incarnation) -> INSTANTIATED (SA-aware: registered; else: launched) ->
 * RESTARTING (restart decided; a new incarnation) -> INSTANTIATED ... An
 * instantiation that fails is retried `instantiate_retries` times, then the
 * component is INSTANTIATION_FAILED and its SU disabled. Events carry the
 * incarnation they are about; older ones are ignored.
 *
 * Escalation (per failure; see struct amf_escalation): component restart ->
 * SU restart -> SU failover -> node failover. The recovery applied is never
 * weaker than the one recommended (an error report's or the component's
 * configured recovery).
 *
 * Assignment (2N): each SI has at most one ACTIVE and one STANDBY SU. When
 * the active is lost the standby is promoted; an SU in service without an
 * assignment takes the missing role, lowest rank first. No-Redundancy: each
 * SI has one ACTIVE SU and each SU at most one SI. Assignments change only
 * in a configuration that holds a majority of the nodes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include "amf_int.h"

struct amf_state amf;

uint32_t amf_comp_index(const struct amf_comp_rt *c)
{
	return (uint32_t)(c - amf.comps);
}

bool amf_comp_is_local(const struct amf_comp_rt *c)
{
	return amf.sus[c->su].node == amf.local_node;
}

static bool dn_equal(const char *dn, const struct safd_name *n)
{
	return n->length <= 256 && strlen(dn) == n->length &&
	       memcmp(dn, n->value, n->length) == 0;
}

struct amf_comp_rt *amf_comp_by_dn(const struct safd_name *dn)
{
	uint32_t i;

	for (i = 0; i < amf.n_comps; i++)
		if (dn_equal(amf.comps[i].cfg->dn, dn))
			return &amf.comps[i];
	return NULL;
}

struct amf_csi_rt *amf_csi_by_dn(const struct safd_name *dn)
{
	uint32_t i;

	for (i = 0; i < amf.n_csis; i++)
		if (dn_equal(amf.csis[i].cfg->dn, dn))
			return &amf.csis[i];
	return NULL;
}

/* The SU's position in its SG: the index into an SI's ha[]. */
static uint32_t su_slot(uint32_t su)
{
	return su - amf.sgs[amf.sus[su].sg].first_su;
}

/* The component of SU s that takes CSI csi, or NULL. */
const struct amf_comp_rt *amf_su_comp_for(uint32_t s, uint32_t csi)
{
	const struct amf_su_rt *su = &amf.sus[s];
	uint32_t k;

	for (k = 0; k < su->cfg->n_comps; k++)
		if (amf.comps[su->first_comp + k].cfg->type == amf.csis[csi].cfg->type)
			return &amf.comps[su->first_comp + k];
	return NULL;
}

uint32_t amf_comp_csi_ha(const struct amf_comp_rt *c, uint32_t csi)
{
	const struct amf_csi_rt *cr = &amf.csis[csi];
	const struct amf_si_rt *si = &amf.sis[cr->si];

	if (si->sg != amf.sus[c->su].sg || cr->cfg->type != c->cfg->type)
		return 0;
	return si->ha[su_slot(c->su)];
}

static uint32_t node_index(const struct amf_node *n)
{
	return (uint32_t)(n - amf.model->nodes);
}

static void free_state(void)
{
	uint32_t i;

	for (i = 0; i < amf.n_comps; i++) {
		free(amf.comps[i].delivered);
		free(amf.comps[i].acked);
		free(amf.comps[i].readiness);
	}
	for (i = 0; i < amf.n_sis; i++)
		free(amf.sis[i].ha);
	free(amf.nodes);
	free(amf.apps);
	free(amf.sgs);
	free(amf.sus);
	free(amf.comps);
	free(amf.sis);
	free(amf.csis);
	memset(&amf, 0, sizeof(amf));
}

static void count_model(const struct amf_model *m)
{
	uint32_t a, g, u, s;

	for (a = 0; a < m->n_apps; a++) {
		const struct amf_app *app = &m->apps[a];

		for (g = 0; g < app->n_sgs; g++) {
			amf.n_sgs++;
			for (u = 0; u < app->sgs[g].n_sus; u++) {
				amf.n_sus++;
				amf.n_comps += app->sgs[g].sus[u].n_comps;
			}
		}
		for (s = 0; s < app->n_sis; s++) {
			amf.n_sis++;
			amf.n_csis += app->sis[s].n_csis;
		}
	}
}

static uint32_t sg_index(const struct amf_sg *sg)
{
	uint32_t i;

	for (i = 0; i < amf.n_sgs; i++)
		if (amf.sgs[i].cfg == sg)
			return i;
	return 0;
}

/* Flattens the model into the run-time arrays (all states initial). */
int amf_state_build(const struct amf_model *m)
{
	uint32_t a, g, u, k, s, sg = 0, su = 0, comp = 0, si = 0, csi = 0;

	free_state();
	amf.model = m;
	amf.local_node = UINT32_MAX;
	if (m == NULL)
		return 0;
	count_model(m);
	amf.n_nodes = m->n_nodes;
	amf.nodes = calloc(m->n_nodes + 1, sizeof(*amf.nodes));
	amf.n_apps = m->n_apps;
	amf.apps = calloc(m->n_apps + 1, sizeof(*amf.apps));
	amf.sgs = calloc(amf.n_sgs + 1, sizeof(*amf.sgs));
	amf.sus = calloc(amf.n_sus + 1, sizeof(*amf.sus));
	amf.comps = calloc(amf.n_comps + 1, sizeof(*amf.comps));
	amf.sis = calloc(amf.n_sis + 1, sizeof(*amf.sis));
	amf.csis = calloc(amf.n_csis + 1, sizeof(*amf.csis));
	if (!amf.nodes || !amf.apps || !amf.sgs || !amf.sus || !amf.comps || !amf.sis || !amf.csis)
		goto out_nomem;
	for (a = 0; a < m->n_nodes; a++) {
		amf.nodes[a].cfg = &m->nodes[a];
		amf.nodes[a].admin = SA_AMF_ADMIN_UNLOCKED;
		if (m->nodes[a].nodeid == safd_local_nodeid())
			amf.local_node = a;
	}
	for (a = 0; a < m->n_apps; a++) {
		const struct amf_app *app = &m->apps[a];

		amf.apps[a].cfg = app;
		amf.apps[a].admin = SA_AMF_ADMIN_UNLOCKED;
		for (g = 0; g < app->n_sgs; g++, sg++) {
			amf.sgs[sg].cfg = &app->sgs[g];
			amf.sgs[sg].app = a;
			amf.sgs[sg].admin = SA_AMF_ADMIN_UNLOCKED;
			amf.sgs[sg].first_su = su;
			for (u = 0; u < app->sgs[g].n_sus; u++, su++) {
				const struct amf_su *cfg = &app->sgs[g].sus[u];

				amf.sus[su].cfg = cfg;
				amf.sus[su].sg = sg;
				amf.sus[su].node = node_index(cfg->node);
				amf.sus[su].first_comp = comp;
				amf.sus[su].presence = SA_AMF_PRESENCE_UNINSTANTIATED;
				amf.sus[su].oper = SA_AMF_OPERATIONAL_ENABLED;
				amf.sus[su].admin = SA_AMF_ADMIN_UNLOCKED;
				for (k = 0; k < cfg->n_comps; k++, comp++) {
					struct amf_comp_rt *c = &amf.comps[comp];

					c->cfg = &cfg->comps[k];
					c->su = su;
					c->presence = SA_AMF_PRESENCE_UNINSTANTIATED;
					c->oper = SA_AMF_OPERATIONAL_ENABLED;
					c->delivered = calloc(amf.n_csis + 1, 1);
					c->acked = calloc(amf.n_csis + 1, 1);
					c->readiness = calloc(amf.n_csis + 1, 1);
					if (c->delivered == NULL || c->acked == NULL ||
					    c->readiness == NULL)
						goto out_nomem;
				}
			}
		}
	}
	for (a = 0; a < m->n_apps; a++) {
		const struct amf_app *app = &m->apps[a];

		for (s = 0; s < app->n_sis; s++, si++) {
			const struct amf_si *cfg = &app->sis[s];

			amf.sis[si].cfg = cfg;
			amf.sis[si].sg = sg_index(cfg->sg);
			amf.sis[si].prev_active = UINT32_MAX;
			amf.sis[si].admin = SA_AMF_ADMIN_UNLOCKED;
			amf.sis[si].first_csi = csi;
			amf.sis[si].ha = calloc(cfg->sg->n_sus + 1, 1);
			if (amf.sis[si].ha == NULL)
				goto out_nomem;
			for (k = 0; k < cfg->n_csis; k++, csi++) {
				amf.csis[csi].cfg = &cfg->csis[k];
				amf.csis[csi].si = si;
			}
		}
	}
	return 0;

out_nomem:
	free_state();
	return -ENOMEM;
}

/* Back to the initial state (nothing instantiated, no node known). */
void amf_state_reset(void)
{
	const struct amf_model *m = amf.model;

	amf_state_build(m);
}

/* ---------------------------------------------------------------- */
/* Presence                                                           */

/* A new process, or none: what was said about the old one is stale. */
static void comp_forget(struct amf_comp_rt *c, uint32_t presence)
{
	c->presence = presence;
	c->registered = false;
	c->reg_session = 0;
	c->reg_pid = 0;
	c->pid = 0;
	c->restart_after = false;
	memset(c->acked, 0, amf.n_csis);
	memset(c->readiness, 0, amf.n_csis);	/* a new process is ready */
	c->incarnation++;
}

static void comp_instantiate(struct amf_comp_rt *c, uint32_t presence)
{
	comp_forget(c, presence);
}

static void comp_stop(struct amf_comp_rt *c)
{
	comp_forget(c, SA_AMF_PRESENCE_UNINSTANTIATED);
}

/* An orderly stop (terminate callback or command; clc.c), for an admin
 * operation; restart_after: instantiate it again once it is over. The
 * registration stays: the terminate callback goes to that process. */
void amf_comp_terminate(struct amf_comp_rt *c, bool restart_after)
{
	qb_log(LOG_NOTICE, "%s: terminating%s", c->cfg->dn, restart_after ? " to restart" : "");
	c->presence = SA_AMF_PRESENCE_TERMINATING;
	c->restart_after = restart_after;
	memset(c->acked, 0, amf.n_csis);
	c->incarnation++;
}

/* The strongest of the admin states over SU s: its own, its SG's, its
 * application's and its node's (LOCKED_INSTANTIATION > LOCKED >
 * SHUTTING_DOWN > UNLOCKED). */
uint32_t amf_su_admin(uint32_t s)
{
	const struct amf_su_rt *su = &amf.sus[s];
	const struct amf_sg_rt *sg = &amf.sgs[su->sg];
	const uint32_t v[4] = { su->admin, sg->admin, amf.apps[sg->app].admin,
				amf.nodes[su->node].admin };
	static const uint8_t strength[5] = { 0, 0, 2, 3, 1 };
	uint32_t i, best = SA_AMF_ADMIN_UNLOCKED;

	for (i = 0; i < 4; i++)
		if (v[i] <= SA_AMF_ADMIN_SHUTTING_DOWN && strength[v[i]] > strength[best])
			best = v[i];
	return best;
}

/* SaAmfReadinessStateT of SU s, for status. */
uint32_t amf_su_readiness(uint32_t s)
{
	const struct amf_su_rt *su = &amf.sus[s];
	uint32_t admin = amf_su_admin(s);

	if (su->oper != SA_AMF_OPERATIONAL_ENABLED || !amf.nodes[su->node].member)
		return SA_AMF_READINESS_OUT_OF_SERVICE;
	return admin == SA_AMF_ADMIN_UNLOCKED ? SA_AMF_READINESS_IN_SERVICE :
	       admin == SA_AMF_ADMIN_SHUTTING_DOWN ? SA_AMF_READINESS_STOPPING :
	       SA_AMF_READINESS_OUT_OF_SERVICE;
}

static bool su_can_run(const struct amf_su_rt *su)
{
	return amf.nodes[su->node].member &&
	       amf_su_admin((uint32_t)(su - amf.sus)) != SA_AMF_ADMIN_LOCKED_INSTANTIATION &&
	       su->oper == SA_AMF_OPERATIONAL_ENABLED;
}

static void su_update_presence(struct amf_su_rt *su)
{
	uint32_t i, inst = 0, failed = 0;

	for (i = 0; i < su->cfg->n_comps; i++) {
		const struct amf_comp_rt *c = &amf.comps[su->first_comp + i];

		inst += c->presence == SA_AMF_PRESENCE_INSTANTIATED;
		failed += c->presence == SA_AMF_PRESENCE_INSTANTIATION_FAILED;
	}
	if (failed > 0)
		su->presence = SA_AMF_PRESENCE_INSTANTIATION_FAILED;
	else if (inst == su->cfg->n_comps)
		su->presence = SA_AMF_PRESENCE_INSTANTIATED;
	else if (inst > 0 || amf.comps[su->first_comp].presence != SA_AMF_PRESENCE_UNINSTANTIATED)
		su->presence = SA_AMF_PRESENCE_INSTANTIATING;
	else
		su->presence = SA_AMF_PRESENCE_UNINSTANTIATED;
}

/* Every SU that can run gets its components instantiated; the components
 * of an SU locked for instantiation are terminated. */
static void instantiate_what_should_run(void)
{
	uint32_t s, i;

	for (s = 0; s < amf.n_sus; s++) {
		struct amf_su_rt *su = &amf.sus[s];
		bool locked_in = amf_su_admin(s) == SA_AMF_ADMIN_LOCKED_INSTANTIATION;

		for (i = 0; i < su->cfg->n_comps; i++) {
			struct amf_comp_rt *c = &amf.comps[su->first_comp + i];

			if (locked_in && (c->presence == SA_AMF_PRESENCE_INSTANTIATED ||
					  c->presence == SA_AMF_PRESENCE_INSTANTIATING ||
					  c->presence == SA_AMF_PRESENCE_RESTARTING))
				amf_comp_terminate(c, false);
			else if (locked_in && c->presence == SA_AMF_PRESENCE_TERMINATING)
				c->restart_after = false;
			else if (su_can_run(su) && c->presence == SA_AMF_PRESENCE_UNINSTANTIATED) {
				c->attempts = 0;
				comp_instantiate(c, SA_AMF_PRESENCE_INSTANTIATING);
			}
		}
		su_update_presence(su);
	}
}

/* ---------------------------------------------------------------- */
/* Assignment                                                         */

static bool su_in_service(uint32_t s)
{
	const struct amf_su_rt *su = &amf.sus[s];

	return su_can_run(su) && amf_su_admin(s) == SA_AMF_ADMIN_UNLOCKED &&
	       su->presence == SA_AMF_PRESENCE_INSTANTIATED;
}

/* The SU of the SG with role `ha` for SI si, or UINT32_MAX. */
static uint32_t su_with(const struct amf_si_rt *si, uint32_t ha)
{
	const struct amf_sg_rt *sg = &amf.sgs[si->sg];
	uint32_t k;

	for (k = 0; k < sg->cfg->n_sus; k++)
		if (si->ha[k] == ha)
			return sg->first_su + k;
	return UINT32_MAX;
}

/* Whether SU s has any assignment in its SG. */
static bool su_assigned(uint32_t s)
{
	uint32_t i;

	for (i = 0; i < amf.n_sis; i++)
		if (amf.sis[i].sg == amf.sus[s].sg && amf.sis[i].ha[su_slot(s)] != 0)
			return true;
	return false;
}

/* The in-service SU with the lowest rank that `ok` accepts. */
/* SU s is being instantiated for the first time (not after a failure) on
 * a node that is up, and may yet come into service. */
static bool su_first_start(uint32_t s)
{
	const struct amf_su_rt *su = &amf.sus[s];
	uint32_t k;

	if (!su_can_run(su) || amf_su_admin(s) != SA_AMF_ADMIN_UNLOCKED ||
	    su->presence != SA_AMF_PRESENCE_INSTANTIATING || su->restarts != 0 ||
	    su->failovers != 0)
		return false;
	for (k = 0; k < su->cfg->n_comps; k++) {
		const struct amf_comp_rt *c = &amf.comps[su->first_comp + k];

		if (c->attempts != 0 || c->restarts != 0)
			return false;
	}
	return true;
}

uint32_t amf_comp_csi_readiness(const struct amf_comp_rt *c, uint32_t csi)
{
	return c->readiness[csi] != 0 ? c->readiness[csi] : SA_AMF_HARS_READY_FOR_ASSIGNMENT;
}

/* Whether every component of SU s that takes a CSI of SI si may hold it
 * in HA state ha (saAmfHAReadinessStateSet). */
bool amf_su_ready(uint32_t s, uint32_t si, uint32_t ha)
{
	const struct amf_si_rt *r = &amf.sis[si];
	uint32_t k, h;

	for (k = 0; k < r->cfg->n_csis; k++) {
		const struct amf_comp_rt *c = amf_su_comp_for(s, r->first_csi + k);

		h = c != NULL ? amf_comp_csi_readiness(c, r->first_csi + k) :
		    SA_AMF_HARS_READY_FOR_ASSIGNMENT;
		if (h == SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT ||
		    (ha == SA_AMF_HA_ACTIVE && h == SA_AMF_HARS_NOT_READY_FOR_ACTIVE))
			return false;
	}
	return true;
}

/* Whether a component of SU s said it would be a degraded ACTIVE for SI si. */
static bool su_degraded(uint32_t s, uint32_t si)
{
	const struct amf_si_rt *r = &amf.sis[si];
	uint32_t k;

	for (k = 0; k < r->cfg->n_csis; k++) {
		const struct amf_comp_rt *c = amf_su_comp_for(s, r->first_csi + k);

		if (c != NULL && amf_comp_csi_readiness(c, r->first_csi + k) ==
				 SA_AMF_HARS_READY_FOR_ACTIVE_DEGRADED)
			return true;
	}
	return false;
}

/* The in-service SU ready for HA state ha that `ok` accepts: one that is
 * not degraded first (for ACTIVE), then the lowest rank. */
static uint32_t best_su(uint32_t sg, bool (*ok)(uint32_t s, uint32_t si), uint32_t si,
			uint32_t ha)
{
	const struct amf_sg_rt *g = &amf.sgs[sg];
	uint32_t k, best = UINT32_MAX;

	for (k = 0; k < g->cfg->n_sus; k++) {
		uint32_t s = g->first_su + k;
		bool worse, better;

		if (!su_in_service(s) || !ok(s, si) || !amf_su_ready(s, si, ha))
			continue;
		if (best == UINT32_MAX) {
			best = s;
			continue;
		}
		worse = ha == SA_AMF_HA_ACTIVE && su_degraded(s, si) && !su_degraded(best, si);
		better = ha == SA_AMF_HA_ACTIVE && !su_degraded(s, si) && su_degraded(best, si);
		if (better || (!worse && amf.sus[s].cfg->rank < amf.sus[best].cfg->rank))
			best = s;
	}
	for (k = 0; best != UINT32_MAX && k < g->cfg->n_sus; k++) {
		uint32_t s = g->first_su + k;

		/* ranks, then the order of the file, decide, not which SU
		 * happened to start first: wait for a preferred SU's first start */
		if (s != best && su_first_start(s) && ok(s, si) &&
		    (amf.sus[s].cfg->rank < amf.sus[best].cfg->rank ||
		     (amf.sus[s].cfg->rank == amf.sus[best].cfg->rank && s < best)))
			return UINT32_MAX;
	}
	return best;
}

/* 2N: an SU is active for all the SG's SIs or for none; the same for
 * standby. An unassigned SU may take either role. */
static bool ok_2n_active(uint32_t s, uint32_t si)
{
	uint32_t i;

	for (i = 0; i < amf.n_sis; i++) {
		uint8_t ha = amf.sis[i].sg == amf.sus[s].sg ? amf.sis[i].ha[su_slot(s)] : 0;

		if (ha != 0 && ha != SA_AMF_HA_ACTIVE)
			return false;
	}
	return amf.sis[si].ha[su_slot(s)] == 0;
}

static bool ok_2n_standby(uint32_t s, uint32_t si)
{
	uint32_t i;

	for (i = 0; i < amf.n_sis; i++) {
		uint8_t ha = amf.sis[i].sg == amf.sus[s].sg ? amf.sis[i].ha[su_slot(s)] : 0;

		if (ha != 0 && ha != SA_AMF_HA_STANDBY)
			return false;
	}
	return amf.sis[si].ha[su_slot(s)] == 0;
}

static bool ok_unassigned(uint32_t s, uint32_t si)
{
	return !su_assigned(s);
}

static const char *ha_name(uint32_t ha)
{
	switch (ha) {
	case SA_AMF_HA_ACTIVE: return "ACTIVE";
	case SA_AMF_HA_STANDBY: return "STANDBY";
	case SA_AMF_HA_QUIESCED: return "QUIESCED";
	case SA_AMF_HA_QUIESCING: return "QUIESCING";
	}
	return "none";
}

/* The components of SU s that take the CSIs of SI si forget what they
 * confirmed for them: a new HA state ha is to be confirmed. Components
 * that are not SA-aware get no callbacks: they confirm at once. */
static void reset_acks(const struct amf_si_rt *si, uint32_t s, uint32_t ha)
{
	uint32_t k;

	for (k = 0; k < si->cfg->n_csis; k++) {
		const struct amf_comp_rt *c = amf_su_comp_for(s, si->first_csi + k);

		if (c != NULL)
			amf.comps[amf_comp_index(c)].acked[si->first_csi + k] =
				c->cfg->sa_aware ? 0 : (uint8_t)ha;
	}
}

static void set_ha(struct amf_si_rt *si, uint32_t s, uint32_t ha)
{
	if (si->ha[su_slot(s)] == SA_AMF_HA_ACTIVE && ha != SA_AMF_HA_ACTIVE)
		si->prev_active = s;
	si->ha[su_slot(s)] = (uint8_t)ha;
	reset_acks(si, s, ha);
	if (ha == 0)
		qb_log(LOG_NOTICE, "%s: assignment to %s removed", si->cfg->dn,
		       amf.sus[s].cfg->dn);
	else
		qb_log(LOG_NOTICE, "%s: %s assigned to %s", ha_name(ha), si->cfg->dn,
		       amf.sus[s].cfg->dn);
}

/* Whether a component of SU s that takes a CSI of SI si is SA-aware (only
 * those can quiesce gradually). */
static bool su_sa_aware_for(const struct amf_si_rt *si, uint32_t s)
{
	uint32_t k;

	for (k = 0; k < si->cfg->n_csis; k++) {
		const struct amf_comp_rt *c = amf_su_comp_for(s, si->first_csi + k);

		if (c != NULL && c->cfg->sa_aware)
			return true;
	}
	return false;
}

/* Whether SU s confirmed HA state ha for every CSI of SI si. */
static bool su_acked(const struct amf_si_rt *si, uint32_t s, uint32_t ha)
{
	uint32_t k;

	for (k = 0; k < si->cfg->n_csis; k++) {
		const struct amf_comp_rt *c = amf_su_comp_for(s, si->first_csi + k);

		if (c == NULL || c->acked[si->first_csi + k] != ha)
			return false;
	}
	return true;
}

/* An SU of SI si in QUIESCED or QUIESCING: the SI waits for it. */
static uint32_t su_quiescing(const struct amf_si_rt *si)
{
	uint32_t s = su_with(si, SA_AMF_HA_QUIESCED);

	return s != UINT32_MAX ? s : su_with(si, SA_AMF_HA_QUIESCING);
}

static void assign_si(uint32_t i)
{
	struct amf_si_rt *si = &amf.sis[i];
	SaAmfRedundancyModelT model = amf.sgs[si->sg].cfg->model;
	uint32_t active = su_with(si, SA_AMF_HA_ACTIVE);
	uint32_t standby = su_with(si, SA_AMF_HA_STANDBY);
	uint32_t s;

	if (si->admin != SA_AMF_ADMIN_UNLOCKED || su_quiescing(si) != UINT32_MAX)
		return;		/* locked, or an active is still giving it up */
	if (model == SA_AMF_NO_REDUNDANCY_MODEL) {
		if (active == UINT32_MAX && (s = best_su(si->sg, ok_unassigned, i, SA_AMF_HA_ACTIVE)) != UINT32_MAX)
			set_ha(si, s, SA_AMF_HA_ACTIVE);
		return;
	}
	if (model != SA_AMF_2N_REDUNDANCY_MODEL)
		return;		/* other models: not assigned yet (see the note in amf.c) */
	if (active == UINT32_MAX && standby != UINT32_MAX && su_in_service(standby) &&
	    amf_su_ready(standby, i, SA_AMF_HA_ACTIVE)) {
		qb_log(LOG_NOTICE, "%s: standby %s takes over", si->cfg->dn,
		       amf.sus[standby].cfg->dn);
		set_ha(si, standby, SA_AMF_HA_ACTIVE);
		si->handed_over = false;
		active = standby;
		standby = UINT32_MAX;
	}
	if (active == UINT32_MAX && (s = best_su(si->sg, ok_2n_active, i, SA_AMF_HA_ACTIVE)) != UINT32_MAX) {
		set_ha(si, s, SA_AMF_HA_ACTIVE);
		active = s;
	}
	if (active != UINT32_MAX && standby == UINT32_MAX &&
	    (s = best_su(si->sg, ok_2n_standby, i, SA_AMF_HA_STANDBY)) != UINT32_MAX &&
	    s != active)
		set_ha(si, s, SA_AMF_HA_STANDBY);
}

/* Takes every assignment away from SU s (it failed over or went away). */
static void su_unassign(uint32_t s)
{
	uint32_t i;

	for (i = 0; i < amf.n_sis; i++) {
		if (amf.sis[i].sg != amf.sus[s].sg || amf.sis[i].ha[su_slot(s)] == 0)
			continue;
		set_ha(&amf.sis[i], s, 0);
		if (amf.sis[i].swap)
			amf.sis[i].swap = false;
	}
}

/*
 * Admin states take assignments away in order (chapter 3.2, the
 * switchover): an ACTIVE that must go becomes QUIESCED (lock) or QUIESCING
 * (shutdown); once its components confirmed QUIESCED the standby becomes
 * ACTIVE and the old active loses the SI (or, in an si-swap, becomes the
 * STANDBY). A STANDBY that must go is removed at once. Unlocking during a
 * shutdown makes a QUIESCING SU ACTIVE again.
 */
static void withdraw(uint32_t i)
{
	struct amf_si_rt *si = &amf.sis[i];
	const struct amf_sg_rt *g = &amf.sgs[si->sg];
	uint32_t k;

	for (k = 0; k < g->cfg->n_sus; k++) {
		uint32_t s = g->first_su + k, ha = si->ha[k], admin = amf_su_admin(s);
		bool lock = admin == SA_AMF_ADMIN_LOCKED ||
			    admin == SA_AMF_ADMIN_LOCKED_INSTANTIATION ||
			    si->admin == SA_AMF_ADMIN_LOCKED ||
			    (ha != 0 && !amf_su_ready(s, i, ha == SA_AMF_HA_QUIESCING ?
						  SA_AMF_HA_ACTIVE : ha));
		bool shut = admin == SA_AMF_ADMIN_SHUTTING_DOWN ||
			    si->admin == SA_AMF_ADMIN_SHUTTING_DOWN;

		if (ha == SA_AMF_HA_STANDBY && (lock || shut))
			set_ha(si, s, 0);
		else if (ha == SA_AMF_HA_ACTIVE && lock)
			set_ha(si, s, SA_AMF_HA_QUIESCED);
		else if (ha == SA_AMF_HA_ACTIVE && shut)
			set_ha(si, s, su_sa_aware_for(si, s) ? SA_AMF_HA_QUIESCING :
				      SA_AMF_HA_QUIESCED);
		else if (ha == SA_AMF_HA_QUIESCING && lock)
			set_ha(si, s, SA_AMF_HA_QUIESCED);
		else if (ha == SA_AMF_HA_QUIESCING && !shut)
			set_ha(si, s, SA_AMF_HA_ACTIVE);
	}
}

/* A QUIESCED SU that confirmed it hands the SI on. */
static void hand_over(uint32_t i)
{
	struct amf_si_rt *si = &amf.sis[i];
	uint32_t q = su_with(si, SA_AMF_HA_QUIESCED);
	uint32_t standby = su_with(si, SA_AMF_HA_STANDBY);

	if (q == UINT32_MAX || !su_acked(si, q, SA_AMF_HA_QUIESCED))
		return;
	if (si->admin == SA_AMF_ADMIN_UNLOCKED && standby != UINT32_MAX &&
	    su_in_service(standby) && amf_su_ready(standby, i, SA_AMF_HA_ACTIVE)) {
		qb_log(LOG_NOTICE, "%s: %s quiesced, %s takes over", si->cfg->dn,
		       amf.sus[q].cfg->dn, amf.sus[standby].cfg->dn);
		set_ha(si, standby, SA_AMF_HA_ACTIVE);
		si->handed_over = true;
	}
	if (si->swap && su_in_service(q)) {
		set_ha(si, q, SA_AMF_HA_STANDBY);
	} else {
		set_ha(si, q, 0);
	}
	si->swap = false;
}

static bool si_has_assignment(const struct amf_si_rt *si)
{
	uint32_t k;

	for (k = 0; k < amf.sgs[si->sg].cfg->n_sus; k++)
		if (si->ha[k] != 0)
			return true;
	return false;
}

/* A shutdown is over when nothing it covers holds an assignment. */
static void shutdowns_done(void)
{
	uint32_t i, s, g;
	bool busy;

	for (i = 0; i < amf.n_sis; i++)
		if (amf.sis[i].admin == SA_AMF_ADMIN_SHUTTING_DOWN &&
		    !si_has_assignment(&amf.sis[i]))
			amf.sis[i].admin = SA_AMF_ADMIN_LOCKED;
	for (s = 0; s < amf.n_sus; s++)
		if (amf.sus[s].admin == SA_AMF_ADMIN_SHUTTING_DOWN && !su_assigned(s))
			amf.sus[s].admin = SA_AMF_ADMIN_LOCKED;
	for (g = 0; g < amf.n_sgs; g++) {
		for (s = 0, busy = false; s < amf.sgs[g].cfg->n_sus; s++)
			busy |= su_assigned(amf.sgs[g].first_su + s);
		if (amf.sgs[g].admin == SA_AMF_ADMIN_SHUTTING_DOWN && !busy)
			amf.sgs[g].admin = SA_AMF_ADMIN_LOCKED;
	}
	for (i = 0; i < amf.n_nodes; i++) {
		for (s = 0, busy = false; s < amf.n_sus; s++)
			busy |= amf.sus[s].node == i && su_assigned(s);
		if (amf.nodes[i].admin == SA_AMF_ADMIN_SHUTTING_DOWN && !busy)
			amf.nodes[i].admin = SA_AMF_ADMIN_LOCKED;
	}
	for (i = 0; i < amf.n_apps; i++) {
		for (g = 0, busy = false; g < amf.n_sgs; g++)
			for (s = 0; amf.sgs[g].app == i && s < amf.sgs[g].cfg->n_sus; s++)
				busy |= su_assigned(amf.sgs[g].first_su + s);
		if (amf.apps[i].admin == SA_AMF_ADMIN_SHUTTING_DOWN && !busy)
			amf.apps[i].admin = SA_AMF_ADMIN_LOCKED;
	}
}

void amf_apply(void)
{
	uint32_t i;

	if (amf.model == NULL)
		return;
	instantiate_what_should_run();
	if (!safd_ordered_quorate())
		return;
	for (i = 0; i < amf.n_sis; i++) {
		withdraw(i);
		hand_over(i);
		assign_si(i);
	}
	shutdowns_done();
}

/* si-swap: the active gives the SI up (QUIESCED), the standby takes it,
 * then the old active becomes the standby (hand_over()). */
void amf_si_swap(uint32_t i)
{
	struct amf_si_rt *si = &amf.sis[i];

	si->swap = true;
	set_ha(si, su_with(si, SA_AMF_HA_ACTIVE), SA_AMF_HA_QUIESCED);
}

void amf_comp_readiness(struct amf_comp_rt *c, uint32_t csi, uint32_t state)
{
	uint32_t k;

	for (k = 0; k < amf.n_csis; k++)
		if (csi == k || (csi == UINT32_MAX && amf.csis[k].cfg->type == c->cfg->type))
			c->readiness[k] = state == SA_AMF_HARS_READY_FOR_ASSIGNMENT ? 0 :
					  (uint8_t)state;
	qb_log(LOG_NOTICE, "%s: HA readiness %u for %s", c->cfg->dn, state,
	       csi == UINT32_MAX ? "all its CSIs" : amf.csis[csi].cfg->dn);
}

void amf_comp_acked(struct amf_comp_rt *c, uint32_t csi, uint32_t ha)
{
	uint32_t k;

	for (k = 0; k < amf.n_csis; k++) {
		uint32_t now = amf_comp_csi_ha(c, k);

		if ((csi != UINT32_MAX && k != csi) || now == 0)
			continue;
		/* QUIESCING completes as QUIESCED */
		if (now == SA_AMF_HA_QUIESCING && ha == SA_AMF_HA_QUIESCED) {
			struct amf_si_rt *si = &amf.sis[amf.csis[k].si];

			si->ha[su_slot(c->su)] = SA_AMF_HA_QUIESCED;
			now = ha;
		}
		if (now == ha)
			c->acked[k] = (uint8_t)ha;
	}
}

/* ---------------------------------------------------------------- */
/* Recovery and escalation                                            */

enum level { COMP_RESTART, SU_RESTART, SU_FAILOVER, NODE_FAILOVER };

/* Counts a failure at one level; true when it is the max-th within the
 * probation window (the counter starts over). */
static bool probation_full(struct amf_probation *p, const struct amf_escalation *e,
			   int64_t t)
{
	if (p->count == 0 || t - p->first > e->probation) {
		p->count = 0;
		p->first = t;
	}
	if (++p->count >= e->max) {
		p->count = 0;
		return true;
	}
	return false;
}

static void su_restart(uint32_t s)
{
	struct amf_su_rt *su = &amf.sus[s];
	uint32_t i;

	su->restarts++;
	qb_log(LOG_NOTICE, "%s: restarting the service unit (restart %u)", su->cfg->dn,
	       su->restarts);
	for (i = 0; i < su->cfg->n_comps; i++) {
		struct amf_comp_rt *c = &amf.comps[su->first_comp + i];

		c->restarts++;
		c->attempts = 0;
		comp_instantiate(c, SA_AMF_PRESENCE_RESTARTING);
	}
}

static void su_failover(uint32_t s)
{
	struct amf_su_rt *su = &amf.sus[s];
	uint32_t i;

	su->failovers++;
	qb_log(LOG_NOTICE, "%s: failing over its service instances", su->cfg->dn);
	su_unassign(s);
	if (!su->cfg->sg->auto_repair) {
		/* stays down until an operator repairs it */
		qb_log(LOG_NOTICE, "%s: disabled (auto-repair is off)", su->cfg->dn);
		su->oper = SA_AMF_OPERATIONAL_DISABLED;
	}
	for (i = 0; i < su->cfg->n_comps; i++) {
		struct amf_comp_rt *c = &amf.comps[su->first_comp + i];

		c->attempts = 0;
		if (amf.nodes[su->node].member && su->oper == SA_AMF_OPERATIONAL_ENABLED)
			comp_instantiate(c, SA_AMF_PRESENCE_INSTANTIATING);
		else
			comp_stop(c);
	}
}

static void node_failover(uint32_t n)
{
	uint32_t s;

	qb_log(LOG_NOTICE, "%s: failing over every service unit of the node",
	       amf.nodes[n].cfg->dn);
	for (s = 0; s < amf.n_sus; s++)
		if (amf.sus[s].node == n)
			su_failover(s);
}

static enum level recovery_level(struct amf_comp_rt *c, SaAmfRecommendedRecoveryT rec,
				 int64_t t)
{
	struct amf_su_rt *su = &amf.sus[c->su];
	const struct amf_sg *sg = su->cfg->sg;
	SaAmfRecommendedRecoveryT r = c->cfg->recovery;
	enum level lvl;

	if (rec != SA_AMF_NO_RECOMMENDATION && rec > r)
		r = rec;		/* never weaker than recommended */
	switch (r) {
	case SA_AMF_COMPONENT_RESTART:
	case SA_AMF_NO_RECOMMENDATION:
		lvl = c->cfg->restartable ? COMP_RESTART : SU_FAILOVER;
		break;
	case SA_AMF_COMPONENT_FAILOVER:
		lvl = SU_FAILOVER;
		break;
	default:
		lvl = NODE_FAILOVER;
		break;
	}
	if (lvl == COMP_RESTART && probation_full(&su->comp_restart, &sg->comp_restart, t))
		lvl = SU_RESTART;
	if (lvl == SU_RESTART && probation_full(&su->su_restart, &sg->su_restart, t))
		lvl = SU_FAILOVER;
	if (lvl == SU_FAILOVER &&
	    probation_full(&amf.nodes[su->node].su_failover, &sg->su_failover, t))
		lvl = NODE_FAILOVER;
	return lvl;
}

static void recover(struct amf_comp_rt *c, SaAmfRecommendedRecoveryT rec, int64_t t)
{
	switch (recovery_level(c, rec, t)) {
	case COMP_RESTART:
		c->restarts++;
		c->attempts = 0;
		qb_log(LOG_NOTICE, "%s: restarting the component (restart %u)", c->cfg->dn,
		       c->restarts);
		comp_instantiate(c, SA_AMF_PRESENCE_RESTARTING);
		break;
	case SU_RESTART:
		qb_log(LOG_NOTICE, "%s: escalating to a restart of its service unit", c->cfg->dn);
		su_restart(c->su);
		break;
	case SU_FAILOVER:
		qb_log(LOG_NOTICE, "%s: escalating to a failover of its service unit", c->cfg->dn);
		su_failover(c->su);
		break;
	case NODE_FAILOVER:
		qb_log(LOG_NOTICE, "%s: escalating to a failover of its node", c->cfg->dn);
		node_failover(amf.sus[c->su].node);
		break;
	}
	su_update_presence(&amf.sus[c->su]);
}

static void instantiation_failed(struct amf_comp_rt *c)
{
	struct amf_su_rt *su = &amf.sus[c->su];

	if (++c->attempts <= c->cfg->instantiate_retries) {
		qb_log(LOG_WARNING, "%s: instantiation failed; retry %u of %u", c->cfg->dn,
		       c->attempts, c->cfg->instantiate_retries);
		comp_instantiate(c, SA_AMF_PRESENCE_INSTANTIATING);
		return;
	}
	qb_log(LOG_ERR, "%s: instantiation failed %u times; the service unit is disabled",
	       c->cfg->dn, c->attempts);
	c->presence = SA_AMF_PRESENCE_INSTANTIATION_FAILED;
	c->oper = SA_AMF_OPERATIONAL_DISABLED;
	c->pid = 0;
	c->incarnation++;
	su->oper = SA_AMF_OPERATIONAL_DISABLED;
	su_unassign(c->su);
	su_update_presence(su);
}

void amf_comp_event(struct amf_comp_rt *c, uint32_t event, uint32_t pid, int64_t t,
		    SaAmfRecommendedRecoveryT recommended)
{
	if (c->presence == SA_AMF_PRESENCE_TERMINATING &&
	    (event == AMF_EV_TERMINATED || event == AMF_EV_DIED)) {
		if (c->restart_after) {
			c->restarts++;
			c->attempts = 0;
			comp_instantiate(c, SA_AMF_PRESENCE_RESTARTING);
		} else {
			comp_stop(c);
		}
		event = 0;
	}
	switch (event) {
	case AMF_EV_HA_ACKED:
		break;		/* handled by the caller (needs csi and ha) */
	case AMF_EV_LAUNCHED:
		c->pid = pid;
		if (!c->cfg->sa_aware && (c->presence == SA_AMF_PRESENCE_INSTANTIATING ||
					  c->presence == SA_AMF_PRESENCE_RESTARTING))
			c->presence = SA_AMF_PRESENCE_INSTANTIATED;
		break;
	case AMF_EV_INSTANTIATE_FAILED:
		if (c->presence == SA_AMF_PRESENCE_INSTANTIATING ||
		    c->presence == SA_AMF_PRESENCE_RESTARTING)
			instantiation_failed(c);
		break;
	case AMF_EV_DIED:
		if ((c->presence == SA_AMF_PRESENCE_INSTANTIATING ||
		     c->presence == SA_AMF_PRESENCE_RESTARTING) && !c->registered) {
			instantiation_failed(c);
			break;
		}
		/* a running component failed */
		/* fall through */
	case AMF_EV_CALLBACK_FAILED:
	case AMF_EV_UNREGISTERED:
	case AMF_EV_ERROR_REPORT:
		if (c->presence != SA_AMF_PRESENCE_INSTANTIATED &&
		    c->presence != SA_AMF_PRESENCE_INSTANTIATING &&
		    c->presence != SA_AMF_PRESENCE_RESTARTING)
			break;
		qb_log(LOG_NOTICE, "%s: failed (%s)", c->cfg->dn,
		       event == AMF_EV_DIED ? "its process ended" :
		       event == AMF_EV_CALLBACK_FAILED ? "a callback failed or timed out" :
		       event == AMF_EV_ERROR_REPORT ? "error report" : "it unregistered");
		recover(c, recommended, t);
		break;
	}
	su_update_presence(&amf.sus[c->su]);
	amf_apply();
}

void amf_node_membership(const uint32_t *left, size_t n_left, const uint32_t *joined,
			 size_t n_joined, int64_t time)
{
	uint32_t n, s, i;
	size_t k;

	for (n = 0; n < amf.n_nodes; n++) {
		for (k = 0; k < n_left; k++) {
			if (amf.nodes[n].cfg->nodeid != left[k] || !amf.nodes[n].member)
				continue;
			qb_log(LOG_NOTICE, "%s left: its service units fail over",
			       amf.nodes[n].cfg->dn);
			amf.nodes[n].member = false;
			for (s = 0; s < amf.n_sus; s++) {
				if (amf.sus[s].node != n)
					continue;
				su_unassign(s);
				for (i = 0; i < amf.sus[s].cfg->n_comps; i++)
					comp_stop(&amf.comps[amf.sus[s].first_comp + i]);
				su_update_presence(&amf.sus[s]);
			}
		}
		for (k = 0; k < n_joined; k++)
			if (amf.nodes[n].cfg->nodeid == joined[k])
				amf.nodes[n].member = true;
	}
	amf_apply();
}
