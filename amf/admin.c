/*
 * Administrative operations (SAI-AIS-AMF-B.04.01 chapter 7): what
 * `safctl amf lock|unlock|lock-in|unlock-in|shutdown|restart|repaired|
 * si-swap ENTITY` does.
 *
 * An operation is checked when safd receives it (a clear error at once),
 * then travels to every node as REQ_EXEC_AMF_ADMIN and is checked again and
 * applied in agreed order (the state may have changed in between). Applying
 * one only changes admin or operational states, or starts a termination;
 * engine.c's amf_apply() then moves the assignments (quiesce, hand over,
 * remove) and the components.
 *
 * On a node, an SG or an application, lock, unlock, lock-in, unlock-in and
 * shutdown set that entity's admin state; an SU's effective admin state is
 * the strongest over itself and its containers (amf_su_admin()). restart
 * (SU, component) terminates in order and instantiates again, keeping the
 * assignments; repaired (node, SU, component) enables what failed.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <qb/qblog.h>

#include "amf_int.h"

static SaAisErrorT why_set(char *why, size_t len, SaAisErrorT err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return err;
}

/* The dn of entity (kind, index). */
static const char *entity_dn(uint32_t kind, uint32_t i)
{
	switch (kind) {
	case SAFD_AMF_NODE: return amf.nodes[i].cfg->dn;
	case SAFD_AMF_APP: return amf.apps[i].cfg->dn;
	case SAFD_AMF_SG: return amf.sgs[i].cfg->dn;
	case SAFD_AMF_SU: return amf.sus[i].cfg->dn;
	case SAFD_AMF_COMP: return amf.comps[i].cfg->dn;
	case SAFD_AMF_SI: return amf.sis[i].cfg->dn;
	}
	return "";
}

static uint32_t kind_count(uint32_t kind)
{
	switch (kind) {
	case SAFD_AMF_NODE: return amf.n_nodes;
	case SAFD_AMF_APP: return amf.n_apps;
	case SAFD_AMF_SG: return amf.n_sgs;
	case SAFD_AMF_SU: return amf.n_sus;
	case SAFD_AMF_COMP: return amf.n_comps;
	case SAFD_AMF_SI: return amf.n_sis;
	}
	return 0;
}

/*
 * The entity named `name`: its full DN, or the start of one up to a comma
 * ("safSu=su1" for "safSu=su1,safSg=g,safApp=a") when only one matches.
 * Returns its kind and sets *index, or 0 with the reason in why.
 */
enum safd_amf_kind amf_entity_find(const struct safd_name *name, uint32_t *index, char *why,
				   size_t why_len)
{
	uint32_t kind, i, found_kind = 0, found = 0, matches = 0;
	size_t len = name->length;

	if (len == 0 || len > 256 || memchr(name->value, '\0', len) != NULL) {
		why_set(why, why_len, SA_AIS_ERR_INVALID_PARAM, "not a valid name");
		return 0;
	}
	for (kind = SAFD_AMF_NODE; kind <= SAFD_AMF_SI; kind++) {
		for (i = 0; i < kind_count(kind); i++) {
			const char *dn = entity_dn(kind, i);

			if (strncmp(dn, (const char *)name->value, len) != 0)
				continue;
			if (dn[len] == '\0') {
				*index = i;
				return kind;
			}
			if (dn[len] == ',') {
				matches++;
				found_kind = kind;
				found = i;
			}
		}
	}
	if (matches == 1) {
		*index = found;
		return found_kind;
	}
	why_set(why, why_len, 0, matches == 0 ? "no AMF entity is named %.*s" :
		"%.*s names more than one entity: give the whole DN", (int)len, name->value);
	return 0;
}

static const char *admin_name(uint32_t v)
{
	switch (v) {
	case SA_AMF_ADMIN_UNLOCKED: return "unlocked";
	case SA_AMF_ADMIN_LOCKED: return "locked";
	case SA_AMF_ADMIN_LOCKED_INSTANTIATION: return "locked for instantiation";
	case SA_AMF_ADMIN_SHUTTING_DOWN: return "shutting down";
	}
	return "?";
}

/* Where the entity keeps its admin state, or NULL (components). */
static uint32_t *admin_of(uint32_t kind, uint32_t i)
{
	switch (kind) {
	case SAFD_AMF_NODE: return &amf.nodes[i].admin;
	case SAFD_AMF_APP: return &amf.apps[i].admin;
	case SAFD_AMF_SG: return &amf.sgs[i].admin;
	case SAFD_AMF_SU: return &amf.sus[i].admin;
	case SAFD_AMF_SI: return &amf.sis[i].admin;
	}
	return NULL;
}

/* lock, unlock, lock-in, unlock-in, shutdown: the admin state machine. */
static SaAisErrorT check_state_op(uint32_t kind, uint32_t op, uint32_t now, const char *dn,
				  char *why, size_t len)
{
	bool si = kind == SAFD_AMF_SI;

	switch (op) {
	case SA_AMF_ADMIN_LOCK:
		if (now == SA_AMF_ADMIN_LOCKED)
			return why_set(why, len, SA_AIS_ERR_NO_OP, "%s is already locked", dn);
		if (now == SA_AMF_ADMIN_LOCKED_INSTANTIATION)
			return why_set(why, len, SA_AIS_ERR_NO_OP,
				       "%s is locked for instantiation (more than locked)", dn);
		return SA_AIS_OK;
	case SA_AMF_ADMIN_UNLOCK:
		if (now == SA_AMF_ADMIN_UNLOCKED)
			return why_set(why, len, SA_AIS_ERR_NO_OP, "%s is already unlocked", dn);
		if (now == SA_AMF_ADMIN_LOCKED_INSTANTIATION)
			return why_set(why, len, SA_AIS_ERR_BAD_OPERATION,
				       "%s is locked for instantiation: unlock-in first", dn);
		return SA_AIS_OK;
	case SA_AMF_ADMIN_SHUTDOWN:
		if (now == SA_AMF_ADMIN_SHUTTING_DOWN)
			return why_set(why, len, SA_AIS_ERR_NO_OP, "%s is already shutting down",
				       dn);
		if (now != SA_AMF_ADMIN_UNLOCKED)
			return why_set(why, len, SA_AIS_ERR_BAD_OPERATION,
				       "%s is %s: only an unlocked entity can be shut down", dn,
				       admin_name(now));
		return SA_AIS_OK;
	case SA_AMF_ADMIN_LOCK_INSTANTIATION:
	case SA_AMF_ADMIN_UNLOCK_INSTANTIATION:
		if (si)
			return why_set(why, len, SA_AIS_ERR_NOT_SUPPORTED,
				       "a service instance has no components to lock or unlock "
				       "for instantiation");
		if (op == SA_AMF_ADMIN_LOCK_INSTANTIATION) {
			if (now == SA_AMF_ADMIN_LOCKED_INSTANTIATION)
				return why_set(why, len, SA_AIS_ERR_NO_OP,
					       "%s is already locked for instantiation", dn);
			if (now != SA_AMF_ADMIN_LOCKED)
				return why_set(why, len, SA_AIS_ERR_BAD_OPERATION,
					       "%s is %s: lock it first", dn, admin_name(now));
			return SA_AIS_OK;
		}
		if (now != SA_AMF_ADMIN_LOCKED_INSTANTIATION)
			return why_set(why, len, now == SA_AMF_ADMIN_LOCKED ? SA_AIS_ERR_NO_OP :
				       SA_AIS_ERR_BAD_OPERATION,
				       "%s is %s, not locked for instantiation", dn,
				       admin_name(now));
		return SA_AIS_OK;
	}
	return SA_AIS_ERR_NOT_SUPPORTED;
}

static bool comp_running(const struct amf_comp_rt *c)
{
	return c->presence == SA_AMF_PRESENCE_INSTANTIATED;
}

static SaAisErrorT check_restart(uint32_t kind, uint32_t i, const char *dn, char *why,
				 size_t len)
{
	uint32_t k, su = kind == SAFD_AMF_SU ? i : amf.comps[i].su;

	if (amf_su_admin(su) == SA_AMF_ADMIN_LOCKED_INSTANTIATION)
		return why_set(why, len, SA_AIS_ERR_BAD_OPERATION,
			       "%s is locked for instantiation: nothing runs to restart", dn);
	if (kind == SAFD_AMF_COMP)
		return comp_running(&amf.comps[i]) ? SA_AIS_OK :
		       why_set(why, len, SA_AIS_ERR_TRY_AGAIN,
			       "%s is not instantiated now: try again once it is", dn);
	for (k = 0; k < amf.sus[su].cfg->n_comps; k++)
		if (!comp_running(&amf.comps[amf.sus[su].first_comp + k]))
			return why_set(why, len, SA_AIS_ERR_TRY_AGAIN,
				       "%s has a component that is not instantiated now: "
				       "try again once it is", dn);
	return SA_AIS_OK;
}

static SaAisErrorT check_repaired(uint32_t kind, uint32_t i, const char *dn, char *why,
				  size_t len)
{
	uint32_t s, k;

	for (s = 0; s < amf.n_sus; s++) {
		if ((kind == SAFD_AMF_SU && s != i) || (kind == SAFD_AMF_NODE && amf.sus[s].node != i) ||
		    (kind == SAFD_AMF_COMP && s != amf.comps[i].su))
			continue;
		if (kind != SAFD_AMF_COMP && amf.sus[s].oper == SA_AMF_OPERATIONAL_DISABLED)
			return SA_AIS_OK;
		for (k = 0; k < amf.sus[s].cfg->n_comps; k++) {
			uint32_t c = amf.sus[s].first_comp + k;

			if ((kind != SAFD_AMF_COMP || c == i) &&
			    amf.comps[c].oper == SA_AMF_OPERATIONAL_DISABLED)
				return SA_AIS_OK;
		}
	}
	return why_set(why, len, SA_AIS_ERR_NO_OP, "%s is not disabled: nothing to repair", dn);
}

static SaAisErrorT check_swap(uint32_t i, const char *dn, char *why, size_t len)
{
	const struct amf_si_rt *si = &amf.sis[i];
	const struct amf_sg_rt *g = &amf.sgs[si->sg];
	uint32_t k, active = 0, standby = 0;

	if (g->cfg->model != SA_AMF_2N_REDUNDANCY_MODEL &&
	    g->cfg->model != SA_AMF_N_WAY_REDUNDANCY_MODEL)
		return why_set(why, len, SA_AIS_ERR_NOT_SUPPORTED,
			       "%s is protected by a %s service group: si-swap needs 2N or "
			       "N-Way", dn, amf_redundancy_model_name(g->cfg->model));
	if (si->admin != SA_AMF_ADMIN_UNLOCKED)
		return why_set(why, len, SA_AIS_ERR_BAD_OPERATION, "%s is %s", dn,
			       admin_name(si->admin));
	for (k = 0; k < g->cfg->n_sus; k++) {
		if (si->ha[k] == SA_AMF_HA_QUIESCED || si->ha[k] == SA_AMF_HA_QUIESCING)
			return why_set(why, len, SA_AIS_ERR_TRY_AGAIN,
				       "%s is being handed over already", dn);
		active += si->ha[k] == SA_AMF_HA_ACTIVE;
		standby += si->ha[k] == SA_AMF_HA_STANDBY;
	}
	if (active == 0 || standby == 0)
		return why_set(why, len, SA_AIS_ERR_BAD_OPERATION,
			       "%s has no %s to swap with", dn, active == 0 ? "active" : "standby");
	if (!amf_si_sponsors_confirmed(i))
		return why_set(why, len, SA_AIS_ERR_TRY_AGAIN,
			       "an SI that %s depends on has no confirmed ACTIVE now: try "
			       "again once it has", dn);
	if (amf_standby_to_promote(i) == UINT32_MAX)
		return why_set(why, len, SA_AIS_ERR_BAD_OPERATION,
			       "the standby of %s is not ready to be active (its HA "
			       "readiness, or it is not in service)", dn);
	return SA_AIS_OK;
}

SaAisErrorT amf_admin_check(uint32_t kind, uint32_t i, uint32_t op, char *why, size_t len)
{
	const char *dn;
	uint32_t *admin;

	if (kind < SAFD_AMF_NODE || kind > SAFD_AMF_SI || kind == SAFD_AMF_CSI ||
	    i >= kind_count(kind))
		return why_set(why, len, SA_AIS_ERR_NOT_EXIST, "no such entity");
	dn = entity_dn(kind, i);
	admin = admin_of(kind, i);
	switch (op) {
	case SA_AMF_ADMIN_LOCK:
	case SA_AMF_ADMIN_UNLOCK:
	case SA_AMF_ADMIN_SHUTDOWN:
	case SA_AMF_ADMIN_LOCK_INSTANTIATION:
	case SA_AMF_ADMIN_UNLOCK_INSTANTIATION:
		if (admin == NULL)
			return why_set(why, len, SA_AIS_ERR_NOT_SUPPORTED,
				       "a component has no admin state: operate on its "
				       "service unit");
		return check_state_op(kind, op, *admin, dn, why, len);
	case SA_AMF_ADMIN_RESTART:
		if (kind != SAFD_AMF_SU && kind != SAFD_AMF_COMP)
			return why_set(why, len, SA_AIS_ERR_NOT_SUPPORTED,
				       "restart applies to a service unit or a component");
		return check_restart(kind, i, dn, why, len);
	case SA_AMF_ADMIN_REPAIRED:
		if (kind != SAFD_AMF_SU && kind != SAFD_AMF_COMP && kind != SAFD_AMF_NODE)
			return why_set(why, len, SA_AIS_ERR_NOT_SUPPORTED,
				       "repaired applies to a node, a service unit or a component");
		return check_repaired(kind, i, dn, why, len);
	case SA_AMF_ADMIN_SI_SWAP:
		if (kind != SAFD_AMF_SI)
			return why_set(why, len, SA_AIS_ERR_NOT_SUPPORTED,
				       "si-swap applies to a service instance");
		return check_swap(i, dn, why, len);
	}
	return why_set(why, len, SA_AIS_ERR_NOT_SUPPORTED,
		       "operation %u is not one safd performs", op);
}

static void restart(uint32_t kind, uint32_t i)
{
	uint32_t su = kind == SAFD_AMF_SU ? i : amf.comps[i].su, k;

	for (k = 0; k < amf.sus[su].cfg->n_comps; k++) {
		struct amf_comp_rt *c = &amf.comps[amf.sus[su].first_comp + k];

		if (kind != SAFD_AMF_COMP || c == &amf.comps[i])
			amf_comp_terminate(c, true);
	}
	if (kind == SAFD_AMF_SU)
		amf.sus[su].restarts++;
}

static void repair_su(uint32_t s, uint32_t only_comp)
{
	struct amf_su_rt *su = &amf.sus[s];
	uint32_t k;

	for (k = 0; k < su->cfg->n_comps; k++) {
		struct amf_comp_rt *c = &amf.comps[su->first_comp + k];

		if (only_comp != UINT32_MAX && su->first_comp + k != only_comp)
			continue;
		c->oper = SA_AMF_OPERATIONAL_ENABLED;
		c->attempts = 0;
		if (c->presence == SA_AMF_PRESENCE_INSTANTIATION_FAILED ||
		    c->presence == SA_AMF_PRESENCE_TERMINATION_FAILED)
			c->presence = SA_AMF_PRESENCE_UNINSTANTIATED;
	}
	su->oper = SA_AMF_OPERATIONAL_ENABLED;
	for (k = 0; k < su->cfg->n_comps; k++)
		if (amf.comps[su->first_comp + k].oper == SA_AMF_OPERATIONAL_DISABLED)
			su->oper = SA_AMF_OPERATIONAL_DISABLED;
	memset(&su->comp_restart, 0, sizeof(su->comp_restart));
	memset(&su->su_restart, 0, sizeof(su->su_restart));
}

static void repaired(uint32_t kind, uint32_t i)
{
	uint32_t s;

	if (kind == SAFD_AMF_COMP) {
		repair_su(amf.comps[i].su, i);
		return;
	}
	for (s = 0; s < amf.n_sus; s++)
		if ((kind == SAFD_AMF_SU && s == i) || (kind == SAFD_AMF_NODE && amf.sus[s].node == i))
			repair_su(s, UINT32_MAX);
	if (kind == SAFD_AMF_NODE)
		memset(&amf.nodes[i].su_failover, 0, sizeof(amf.nodes[i].su_failover));
}

static const uint32_t target_state[] = {
	[SA_AMF_ADMIN_LOCK] = SA_AMF_ADMIN_LOCKED,
	[SA_AMF_ADMIN_UNLOCK] = SA_AMF_ADMIN_UNLOCKED,
	[SA_AMF_ADMIN_SHUTDOWN] = SA_AMF_ADMIN_SHUTTING_DOWN,
	[SA_AMF_ADMIN_LOCK_INSTANTIATION] = SA_AMF_ADMIN_LOCKED_INSTANTIATION,
	[SA_AMF_ADMIN_UNLOCK_INSTANTIATION] = SA_AMF_ADMIN_LOCKED,
};

/* In agreed order on every node: check again, then apply. */
SaAisErrorT amf_admin_apply(uint32_t kind, uint32_t i, uint32_t op, char *why, size_t len)
{
	SaAisErrorT err = amf_admin_check(kind, i, op, why, len);

	if (err != SA_AIS_OK)
		return err;
	qb_log(LOG_NOTICE, "%s: admin operation %u", entity_dn(kind, i), op);
	switch (op) {
	case SA_AMF_ADMIN_RESTART:
		restart(kind, i);
		break;
	case SA_AMF_ADMIN_REPAIRED:
		repaired(kind, i);
		break;
	case SA_AMF_ADMIN_SI_SWAP:
		amf_si_swap(i);
		break;
	default:
		*admin_of(kind, i) = target_state[op];
		break;
	}
	amf_apply();
	return SA_AIS_OK;
}
