/*
 * AMF decisions (SAI-AIS-AMF-B.04.01 chapters 3 and 4): presence, recovery
 * and escalation, and the assignment of SIs to SUs in the five redundancy
 * models. Every function here runs inside an exec handler (or
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
 * Assignment: SIs in rank order, actives before standbys. Each SI wants
 * active_assignments ACTIVE and standby_assignments STANDBY SUs (model.h);
 * when it has no ACTIVE left its best standby is promoted. 2N: an SU is
 * active for all the SG's SIs or standby for all; No-Redundancy: an SU
 * holds one SI. N+M, N-Way, N-Way-Active: the SU holding the fewest SIs in
 * that state gets the next one (then the lowest rank), within the SG's
 * max-active-sis / max-standby-sis; in N+M an SU keeps one role and a
 * promoted standby gives up its other standby assignments. An SI gets an
 * ACTIVE only once the SIs it depends on have a confirmed one, and loses
 * its assignments when one of them has none, or before one of them is
 * locked or shut down. Assignments change only in a
 * configuration that holds a majority of the nodes.
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
	free(amf.si_order);
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
/* Whether SI i depends on SI j (directly). */
static bool depends_on(uint32_t i, uint32_t j)
{
	uint32_t d;

	for (d = 0; d < amf.sis[i].cfg->n_depends; d++)
		if (amf.sis[i].cfg->depends[d] == amf.sis[j].cfg)
			return true;
	return false;
}

/* si_order, sorted by rank, becomes a topological order: an SI comes after
 * the SIs it depends on (the configuration has no cycles), otherwise rank
 * order is kept. So within one round of amf_apply() a sponsor is promoted
 * before its dependents look at it. */
static void order_dependencies(void)
{
	uint32_t placed, k, i, n = amf.n_sis;

	for (placed = 0; placed < n; placed++) {
		for (k = placed; k < n; k++) {
			bool ready = true;

			for (i = placed; i < n && ready; i++)
				ready = !depends_on(amf.si_order[k], amf.si_order[i]);
			if (ready)
				break;
		}
		if (k == n)
			return;		/* a cycle: the configuration refuses those */
		for (i = amf.si_order[k]; k > placed; k--)
			amf.si_order[k] = amf.si_order[k - 1];
		amf.si_order[placed] = i;
	}
}

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
	amf.si_order = calloc(amf.n_sis + 1, sizeof(*amf.si_order));
	if (!amf.nodes || !amf.apps || !amf.sgs || !amf.sus || !amf.comps || !amf.sis ||
	    !amf.csis || !amf.si_order)
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
			/* insertion sort by rank; equal ranks keep file order */
			for (k = si; k > 0 && amf.sis[amf.si_order[k - 1]].cfg->rank > cfg->rank; k--)
				amf.si_order[k] = amf.si_order[k - 1];
			amf.si_order[k] = si;
		}
	}
	order_dependencies();
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

/* Whether SU s is instantiated or on its way (not a spare at rest). */
static bool su_started(uint32_t s)
{
	const struct amf_su_rt *su = &amf.sus[s];
	uint32_t i;

	for (i = 0; i < su->cfg->n_comps; i++) {
		uint32_t p = amf.comps[su->first_comp + i].presence;

		if (p != SA_AMF_PRESENCE_UNINSTANTIATED &&
		    p != SA_AMF_PRESENCE_INSTANTIATION_FAILED)
			return true;
	}
	return false;
}

/* Whether SU s, not started, is among the SUs its SG starts: those that
 * can run, lowest rank first, until in-service-sus of them are started;
 * the others are spares, started when one of those fails. */
static bool su_wanted(uint32_t s)
{
	const struct amf_sg_rt *g = &amf.sgs[amf.sus[s].sg];
	uint32_t k, started = 0, before = 0;

	for (k = 0; k < g->cfg->n_sus; k++) {
		uint32_t t = g->first_su + k;

		if (!su_can_run(&amf.sus[t]))
			continue;
		if (su_started(t))
			started++;
		else if (amf.sus[t].cfg->rank < amf.sus[s].cfg->rank ||
			 (amf.sus[t].cfg->rank == amf.sus[s].cfg->rank && t < s))
			before++;
	}
	return started + before < g->cfg->in_service_sus;
}

/* Every SU that can run gets its components instantiated, but for the
 * spares beyond in-service-sus; the components of an SU locked for
 * instantiation are terminated. */
static void instantiate_what_should_run(void)
{
	uint32_t s, i;

	for (s = 0; s < amf.n_sus; s++) {
		struct amf_su_rt *su = &amf.sus[s];
		bool locked_in = amf_su_admin(s) == SA_AMF_ADMIN_LOCKED_INSTANTIATION;
		bool wanted = su_started(s) || su_wanted(s);

		for (i = 0; i < su->cfg->n_comps; i++) {
			struct amf_comp_rt *c = &amf.comps[su->first_comp + i];

			if (locked_in && (c->presence == SA_AMF_PRESENCE_INSTANTIATED ||
					  c->presence == SA_AMF_PRESENCE_INSTANTIATING ||
					  c->presence == SA_AMF_PRESENCE_RESTARTING))
				amf_comp_terminate(c, false);
			else if (locked_in && c->presence == SA_AMF_PRESENCE_TERMINATING)
				c->restart_after = false;
			else if (su_can_run(su) && wanted &&
				 c->presence == SA_AMF_PRESENCE_UNINSTANTIATED) {
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

/* How many SIs of its SG SU s holds in HA state ha; for ACTIVE, those
 * it is giving up (QUIESCING, QUIESCED) count too. */
static uint32_t su_load(uint32_t s, uint32_t ha)
{
	uint32_t i, n = 0;

	for (i = 0; i < amf.n_sis; i++) {
		uint8_t h = amf.sis[i].sg == amf.sus[s].sg ? amf.sis[i].ha[su_slot(s)] : 0;

		n += h == ha || (ha == SA_AMF_HA_ACTIVE && (h == SA_AMF_HA_QUIESCING ||
							    h == SA_AMF_HA_QUIESCED));
	}
	return n;
}

/* Whether SU a is preferred to SU b for SI si in HA state ha: when
 * `balance`, the one holding fewer SIs in that state; for ACTIVE, one that
 * is not degraded; then the lower rank, then the order of the file. */
static bool su_better(uint32_t a, uint32_t b, uint32_t si, uint32_t ha, bool balance)
{
	uint32_t la, lb;
	bool da, db;

	if (balance && (la = su_load(a, ha)) != (lb = su_load(b, ha)))
		return la < lb;
	da = ha == SA_AMF_HA_ACTIVE && su_degraded(a, si);
	db = ha == SA_AMF_HA_ACTIVE && su_degraded(b, si);
	if (da != db)
		return db;
	if (amf.sus[a].cfg->rank != amf.sus[b].cfg->rank)
		return amf.sus[a].cfg->rank < amf.sus[b].cfg->rank;
	return a < b;
}

/* The in-service SU ready for HA state ha that `ok` accepts, the best by
 * su_better(). */
static uint32_t best_su(uint32_t sg, bool (*ok)(uint32_t s, uint32_t si), uint32_t si,
			uint32_t ha, bool balance)
{
	const struct amf_sg_rt *g = &amf.sgs[sg];
	uint32_t k, best = UINT32_MAX;

	for (k = 0; k < g->cfg->n_sus; k++) {
		uint32_t s = g->first_su + k;

		if (!su_in_service(s) || !ok(s, si) || !amf_su_ready(s, si, ha))
			continue;
		if (best == UINT32_MAX || su_better(s, best, si, ha, balance))
			best = s;
	}
	for (k = 0; best != UINT32_MAX && k < g->cfg->n_sus; k++) {
		uint32_t s = g->first_su + k;

		/* ranks, then the order of the file, decide, not which SU
		 * happened to start first: wait for a preferred SU's first start
		 * (preferred for its load too when the SI is assigned for the
		 * first time; an SI that lost its SU goes where it can now) */
		if (s != best && su_first_start(s) && ok(s, si) &&
		    su_better(s, best, si, ha, balance && amf.sis[si].prev_active == UINT32_MAX))
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

/*
 * N+M, N-Way, N-Way-Active: SU s may take SI si in HA state ha when it does
 * not hold the SI yet and has room for it (max-active-sis,
 * max-standby-sis). In N+M an SU is active or standby, never both, and an
 * SU without assignments takes a role only while fewer SUs than the SG
 * prefers (active-sus, standby-sus) have it.
 */
static bool ok_take(uint32_t s, uint32_t si, uint32_t ha)
{
	const struct amf_sg_rt *g = &amf.sgs[amf.sus[s].sg];
	uint32_t max = ha == SA_AMF_HA_ACTIVE ? g->cfg->max_active_sis : g->cfg->max_standby_sis;
	uint32_t other = ha == SA_AMF_HA_ACTIVE ? SA_AMF_HA_STANDBY : SA_AMF_HA_ACTIVE;
	uint32_t k, n = 0;

	if (amf.sis[si].ha[su_slot(s)] != 0 || (max != 0 && su_load(s, ha) >= max))
		return false;
	if (g->cfg->model != SA_AMF_NPM_REDUNDANCY_MODEL)
		return true;
	if (su_load(s, other) != 0)
		return false;
	if (su_load(s, ha) != 0)
		return true;
	for (k = 0; k < g->cfg->n_sus; k++)
		n += su_load(g->first_su + k, ha) != 0;
	return n < (ha == SA_AMF_HA_ACTIVE ? g->cfg->active_sus : g->cfg->standby_sus);
}

static bool ok_take_active(uint32_t s, uint32_t si)
{
	return ok_take(s, si, SA_AMF_HA_ACTIVE);
}

static bool ok_take_standby(uint32_t s, uint32_t si)
{
	return ok_take(s, si, SA_AMF_HA_STANDBY);
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

/* Assignments changed so far (amf_apply() goes round until none does). */
static uint32_t amf_changes;

static void set_ha(struct amf_si_rt *si, uint32_t s, uint32_t ha)
{
	amf_changes++;
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

/* How many SUs hold SI si in HA state ha. */
static uint32_t si_count(const struct amf_si_rt *si, uint32_t ha)
{
	uint32_t k, n = 0;

	for (k = 0; k < amf.sgs[si->sg].cfg->n_sus; k++)
		n += si->ha[k] == ha;
	return n;
}

/* Whether SI j has an ACTIVE SU whose components confirmed it. */
static bool si_active_confirmed(uint32_t j)
{
	const struct amf_si_rt *si = &amf.sis[j];
	uint32_t k;

	for (k = 0; k < amf.sgs[si->sg].cfg->n_sus; k++)
		if (si->ha[k] == SA_AMF_HA_ACTIVE &&
		    su_acked(si, amf.sgs[si->sg].first_su + k, SA_AMF_HA_ACTIVE))
			return true;
	return false;
}

/*
 * Whether the SIs that SI i depends on allow it an ACTIVE: each has an
 * ACTIVE that its components confirmed (so a dependent's components hear
 * of it after the sponsor's have taken theirs); `keep`: whether they allow
 * it to keep the ACTIVE it has: each is ACTIVE, or being handed over
 * (QUIESCING, QUIESCED). Neither while one is locked or shutting down
 * itself: its dependents go first.
 */
static bool sponsors_active(uint32_t i, bool keep)
{
	const struct amf_si *cfg = amf.sis[i].cfg;
	uint32_t d, j;

	for (d = 0; d < cfg->n_depends; d++) {
		for (j = 0; j < amf.n_sis && amf.sis[j].cfg != cfg->depends[d]; j++)
			;
		if (j == amf.n_sis || amf.sis[j].admin != SA_AMF_ADMIN_UNLOCKED)
			return false;
		if (keep ? si_count(&amf.sis[j], SA_AMF_HA_ACTIVE) == 0 &&
			   su_quiescing(&amf.sis[j]) == UINT32_MAX :
			   !si_active_confirmed(j))
			return false;
	}
	return true;
}

bool amf_si_sponsors_confirmed(uint32_t i)
{
	return sponsors_active(i, false);
}

uint32_t amf_standby_to_promote(uint32_t i)
{
	const struct amf_si_rt *si = &amf.sis[i];
	const struct amf_sg_rt *g = &amf.sgs[si->sg];
	uint32_t k, best = UINT32_MAX;

	for (k = 0; k < g->cfg->n_sus; k++) {
		uint32_t s = g->first_su + k;

		if (si->ha[k] == SA_AMF_HA_STANDBY && su_in_service(s) &&
		    amf_su_ready(s, i, SA_AMF_HA_ACTIVE) &&
		    (g->cfg->max_active_sis == 0 ||
		     su_load(s, SA_AMF_HA_ACTIVE) < g->cfg->max_active_sis) &&
		    (best == UINT32_MAX || su_better(s, best, i, SA_AMF_HA_ACTIVE, false)))
			best = s;
	}
	return best;
}

uint32_t amf_standby_rank(uint32_t s, uint32_t i)
{
	const struct amf_si_rt *si = &amf.sis[i];
	const struct amf_sg_rt *g = &amf.sgs[si->sg];
	uint32_t k, rank = 1;

	for (k = 0; k < g->cfg->n_sus; k++)
		rank += si->ha[k] == SA_AMF_HA_STANDBY && g->first_su + k != s &&
			su_better(g->first_su + k, s, i, SA_AMF_HA_ACTIVE, false);
	return rank;
}

/* The STANDBY s of SI i becomes its ACTIVE. In N+M an SU is never active
 * and standby at once: s gives up its STANDBY assignments for SIs that
 * have an ACTIVE elsewhere (other SUs then take them); those that lost
 * theirs too (the same SU failed) it takes over in their turn. */
static void promote(uint32_t i, uint32_t s, bool handed_over)
{
	struct amf_si_rt *si = &amf.sis[i];
	uint32_t j;

	set_ha(si, s, SA_AMF_HA_ACTIVE);
	si->handed_over = handed_over;
	if (amf.sgs[si->sg].cfg->model != SA_AMF_NPM_REDUNDANCY_MODEL)
		return;
	for (j = 0; j < amf.n_sis; j++)
		if (amf.sis[j].sg == si->sg && amf.sis[j].ha[su_slot(s)] == SA_AMF_HA_STANDBY &&
		    si_count(&amf.sis[j], SA_AMF_HA_ACTIVE) != 0)
			set_ha(&amf.sis[j], s, 0);
}

/* Gives SI i the SUs it misses in HA state ha (ACTIVE: promoting a
 * standby first; STANDBY: only once it has an ACTIVE). */
static void assign_si(uint32_t i, uint32_t ha)
{
	struct amf_si_rt *si = &amf.sis[i];
	SaAmfRedundancyModelT model = amf.sgs[si->sg].cfg->model;
	uint32_t want = ha == SA_AMF_HA_ACTIVE ? si->cfg->active_assignments :
			si->cfg->standby_assignments;
	bool (*ok)(uint32_t s, uint32_t si) = ha == SA_AMF_HA_ACTIVE ? ok_take_active :
					      ok_take_standby;
	bool balance;
	uint32_t s;

	if (si->admin != SA_AMF_ADMIN_UNLOCKED || su_quiescing(si) != UINT32_MAX)
		return;		/* locked, or an active is still giving it up */
	if (ha == SA_AMF_HA_ACTIVE && !sponsors_active(i, false))
		return;		/* an SI it depends on has no ACTIVE */
	if (ha == SA_AMF_HA_ACTIVE && si_count(si, SA_AMF_HA_ACTIVE) == 0 &&
	    (s = amf_standby_to_promote(i)) != UINT32_MAX) {
		qb_log(LOG_NOTICE, "%s: standby %s takes over", si->cfg->dn,
		       amf.sus[s].cfg->dn);
		promote(i, s, false);
	}
	if (ha == SA_AMF_HA_STANDBY && si_count(si, SA_AMF_HA_ACTIVE) == 0)
		return;
	if (model == SA_AMF_NO_REDUNDANCY_MODEL)
		ok = ok_unassigned;
	else if (model == SA_AMF_2N_REDUNDANCY_MODEL)
		ok = ha == SA_AMF_HA_ACTIVE ? ok_2n_active : ok_2n_standby;
	balance = model != SA_AMF_NO_REDUNDANCY_MODEL && model != SA_AMF_2N_REDUNDANCY_MODEL;
	while (si_count(si, ha) < want && (s = best_su(si->sg, ok, i, ha, balance)) != UINT32_MAX)
		set_ha(si, s, ha);
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
 * shutdown makes a QUIESCING SU ACTIVE again. An SI that depends on an SI
 * without an ACTIVE (one that is not being handed over), or on one that is
 * locked or shut down, goes as if locked, and before it.
 */
static void withdraw(uint32_t i)
{
	struct amf_si_rt *si = &amf.sis[i];
	const struct amf_sg_rt *g = &amf.sgs[si->sg];
	bool orphan = !sponsors_active(i, true);
	uint32_t k, j;

	/* an SI that is locked or shut down waits until the SIs that depend
	 * on it are gone (they go first, see sponsors_active()) */
	for (j = 0; si->admin != SA_AMF_ADMIN_UNLOCKED && j < amf.n_sis; j++)
		if (depends_on(j, i) && (si_count(&amf.sis[j], SA_AMF_HA_ACTIVE) != 0 ||
					 su_quiescing(&amf.sis[j]) != UINT32_MAX))
			return;

	for (k = 0; k < g->cfg->n_sus; k++) {
		uint32_t s = g->first_su + k, ha = si->ha[k], admin = amf_su_admin(s);
		bool lock = admin == SA_AMF_ADMIN_LOCKED ||
			    admin == SA_AMF_ADMIN_LOCKED_INSTANTIATION ||
			    si->admin == SA_AMF_ADMIN_LOCKED || orphan ||
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

/* A QUIESCED SU that confirmed it hands the SI on: to the best standby,
 * if any; in an si-swap it becomes a standby itself. */
static void hand_over(uint32_t i)
{
	struct amf_si_rt *si = &amf.sis[i];
	const struct amf_sg_rt *g = &amf.sgs[si->sg];
	uint32_t k, q, s;

	for (k = 0; k < g->cfg->n_sus; k++) {
		q = g->first_su + k;
		if (si->ha[k] != SA_AMF_HA_QUIESCED || !su_acked(si, q, SA_AMF_HA_QUIESCED))
			continue;
		s = si->admin == SA_AMF_ADMIN_UNLOCKED ? amf_standby_to_promote(i) : UINT32_MAX;
		if (s != UINT32_MAX && !sponsors_active(i, false) && sponsors_active(i, true))
			continue;	/* the sponsor's new ACTIVE confirms first */
		if (s != UINT32_MAX && sponsors_active(i, false)) {
			qb_log(LOG_NOTICE, "%s: %s quiesced, %s takes over", si->cfg->dn,
			       amf.sus[q].cfg->dn, amf.sus[s].cfg->dn);
			promote(i, s, true);
		}
		set_ha(si, q, si->swap && su_in_service(q) &&
			      (g->cfg->max_standby_sis == 0 ||
			       su_load(q, SA_AMF_HA_STANDBY) < g->cfg->max_standby_sis) ?
			      SA_AMF_HA_STANDBY : 0);
		si->swap = false;
	}
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
	uint32_t i, round, changes;

	if (amf.model == NULL)
		return;
	instantiate_what_should_run();
	if (!safd_ordered_quorate())
		return;
	/* SIs by rank; actives first, then standbys, so that in N+M the SUs
	 * preferred by rank take the active role. A promotion in N+M takes
	 * standby assignments away from SIs already passed, an SI may depend
	 * on one that comes later: one more round gives them theirs. Each
	 * round but the last changes something; a chain of dependencies
	 * needs at most one round per SI. */
	for (round = 0; round <= amf.n_sis; round++) {
		changes = amf_changes;
		for (i = 0; i < amf.n_sis; i++) {
			withdraw(amf.si_order[i]);
			hand_over(amf.si_order[i]);
			assign_si(amf.si_order[i], SA_AMF_HA_ACTIVE);
		}
		for (i = 0; i < amf.n_sis; i++)
			assign_si(amf.si_order[i], SA_AMF_HA_STANDBY);
		if (changes == amf_changes)
			break;
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
