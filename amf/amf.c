/*
 * Availability Management Framework engine (SAI-AIS-AMF-B.04.01), daemon
 * side: the amf service's IPC handlers, the sessions of local clients, and
 * the exec handlers that feed engine.c's decisions and clc.c's actions.
 *
 * A component's registration and everything a node sees happen to its
 * components (launched, died, did not register, a callback failed, an error
 * report) travel as CPG messages; every node applies them with engine.c in
 * agreed order, then clc.c acts on the components of its own node.
 *
 * Implemented: the configured model's life cycle, assignment in all five
 * redundancy models with SI ranks and dependencies, recovery and the
 * escalation ladder, node failover, error reports, admin operations with
 * switchover (admin.c), the terminate callback, health checks and passive
 * monitoring (health.c), protection group tracking (pg.c), safctl amf
 * status. Not yet: proxied and contained components.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include <safd/util.h>
#include "amf_int.h"

struct amf_session {
	struct qb_list_head list;
	pid_t pid;
	uint64_t token;
	struct safd_conn *main;
	uint32_t n_conns;
};

struct amf_conn {
	struct amf_session *session;
};

/* A registration waiting for its REGISTER to come back in order. */
struct amf_pending {
	struct qb_list_head list;
	uint64_t token;
	struct safd_conn *conn;
};

static QB_LIST_DECLARE(sessions);
static QB_LIST_DECLARE(pendings);
static uint64_t next_token = 1;

struct amf_session *amf_session_find(pid_t pid, uint64_t token)
{
	struct amf_session *s;

	qb_list_for_each_entry(s, &sessions, list)
		if (s->pid == pid && s->token == token)
			return s;
	return NULL;
}

struct safd_conn *amf_session_main(struct amf_session *s)
{
	return s->main;
}

pid_t amf_session_pid(const struct amf_session *s)
{
	return s->pid;
}

uint64_t amf_session_token(const struct amf_session *s)
{
	return s->token;
}

struct amf_session *amf_conn_session(struct safd_conn *conn)
{
	return ((struct amf_conn *)safd_conn_private(conn))->session;
}

static struct amf_session *session_of(struct safd_conn *conn)
{
	return amf_conn_session(conn);
}

static void amf_conn_opened(struct safd_conn *conn)
{
	struct amf_conn *ac = safd_conn_private(conn);
	pid_t pid = safd_conn_pid(conn);
	uint64_t token = safd_conn_session(conn);
	struct amf_session *s = amf_session_find(pid, token);

	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return;
		s->pid = pid;
		s->token = token;
		qb_list_add_tail(&s->list, &sessions);
	}
	s->n_conns++;
	if (safd_conn_is_main(conn))
		s->main = conn;
	ac->session = s;
}

static struct amf_pending *pending_new(struct safd_conn *conn)
{
	struct amf_pending *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->token = next_token++;
	p->conn = conn;
	safd_conn_ref(conn);
	qb_list_add_tail(&p->list, &pendings);
	return p;
}

static void admin_respond(struct safd_conn *conn, SaAisErrorT err, const char *why)
{
	struct res_lib_amf_admin res = {
		.header = { .id = REQ_LIB_AMF_ADMIN, .size = sizeof(res), .error = err },
	};

	snprintf(res.reason, sizeof(res.reason), "%s", why != NULL ? why : "");
	safd_conn_respond(conn, &res, sizeof(res));
}

/* Answers the pending request `token` of this node, if it is still there
 * (why: the reason an ADMIN request failed). */
static void pending_answer_why(uint32_t nodeid, uint64_t token, int32_t req_id,
			       SaAisErrorT err, const char *why)
{
	struct amf_pending *p;

	if (nodeid != safd_local_nodeid() || token == 0)
		return;
	qb_list_for_each_entry(p, &pendings, list) {
		if (p->token != token)
			continue;
		if (req_id == REQ_LIB_AMF_ADMIN)
			admin_respond(p->conn, err, why);
		else
			safd_conn_respond_error(p->conn, req_id, err);
		qb_list_del(&p->list);
		safd_conn_unref(p->conn);
		free(p);
		return;
	}
}

static void pending_answer(uint32_t nodeid, uint64_t token, int32_t req_id, SaAisErrorT err)
{
	pending_answer_why(nodeid, token, req_id, err, NULL);
}

static void pending_drop_conn(struct safd_conn *conn)
{
	struct amf_pending *p, *tmp;

	qb_list_for_each_entry_safe(p, tmp, &pendings, list) {
		if (p->conn != conn)
			continue;
		qb_list_del(&p->list);
		safd_conn_unref(p->conn);
		free(p);
	}
}

static void amf_conn_closed(struct safd_conn *conn)
{
	struct amf_conn *ac = safd_conn_private(conn);
	struct amf_session *s = ac->session;

	pending_drop_conn(conn);
	if (s == NULL)
		return;
	ac->session = NULL;
	if (s->main == conn)
		s->main = NULL;
	if (--s->n_conns > 0)
		return;
	amf_clc_session_gone(s);
	amf_health_session_gone(s);
	amf_pg_session_gone(s);
	qb_list_del(&s->list);
	free(s);
}

static int name_check(const struct safd_name *n)
{
	return n->length == 0 || n->length > sizeof(n->value) ? -EINVAL : 0;
}

/* ---------------------------------------------------------------- */
/* IPC handlers                                                       */

static int h_register(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_register *r = msg;
	struct amf_session *s = session_of(conn);
	struct req_exec_amf_register e = { 0 };
	struct amf_comp_rt *c;
	struct amf_pending *p;
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if (name_check(&r->comp) < 0)
		return -EINVAL;
	if (r->proxy.length != 0)
		return -ENOENT;		/* no proxy component is registered */
	c = amf_comp_by_dn(&r->comp);
	if (c == NULL || !amf_comp_is_local(c))
		return -EINVAL;
	if (c->registered)
		return -EEXIST;
	if (c->presence != SA_AMF_PRESENCE_INSTANTIATING &&
	    c->presence != SA_AMF_PRESENCE_RESTARTING)
		return -EAGAIN;		/* AMF is not starting it now */
	p = pending_new(conn);
	if (p == NULL)
		return -ENOMEM;
	e.comp = amf_comp_index(c);
	e.incarnation = c->incarnation;
	e.o.token = p->token;
	e.o.session = s->token;
	e.o.pid = (uint32_t)s->pid;
	e.o.time = safd_time_ns(CLOCK_REALTIME);
	rc = safd_cpg_send(SAFD_SVC_AMF, REQ_EXEC_AMF_REGISTER, &e, sizeof(e));
	if (rc < 0) {
		pending_drop_conn(conn);
		return rc;
	}
	return 0;
}

static int h_unregister(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_register *r = msg;
	struct amf_session *s = session_of(conn);
	struct amf_pending *p;
	struct amf_comp_rt *c;

	if (name_check(&r->comp) < 0)
		return -EINVAL;
	c = amf_comp_by_dn(&r->comp);
	if (c == NULL || s == NULL)
		return -EINVAL;
	if (!c->registered || c->reg_session != s->token || c->reg_pid != (uint32_t)s->pid)
		return -ENOENT;
	/* answered when the unregistration is applied (exec_comp_event) */
	p = pending_new(conn);
	if (p == NULL)
		return -ENOMEM;
	amf_send_comp_event_token(c, AMF_EV_UNREGISTERED, 0, p->token);
	return 0;
}

static int h_response(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_response *r = msg;
	struct amf_session *s = session_of(conn);

	if (s != NULL && amf_health_response(s, r->invocation, (SaAisErrorT)r->error))
		return safd_conn_respond_error(conn, REQ_LIB_AMF_RESPONSE, SA_AIS_OK);
	if (s == NULL || !amf_clc_invocation_known(s, r->invocation))
		return -EINVAL;
	amf_clc_response(s, r->invocation, (SaAisErrorT)r->error, r->quiescing_complete != 0);
	return safd_conn_respond_error(conn, REQ_LIB_AMF_RESPONSE, SA_AIS_OK);
}

static int h_ha_state_get(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_ha_state_get *r = msg;
	struct res_lib_amf_ha_state_get res = {
		.header = { .id = REQ_LIB_AMF_HA_STATE_GET, .size = sizeof(res),
			    .error = SA_AIS_OK },
	};
	struct amf_comp_rt *c;
	struct amf_csi_rt *csi;

	if (name_check(&r->comp) < 0 || name_check(&r->csi) < 0)
		return -EINVAL;
	c = amf_comp_by_dn(&r->comp);
	csi = amf_csi_by_dn(&r->csi);
	if (c == NULL || csi == NULL)
		return -ENOENT;
	res.ha_state = amf_comp_csi_ha(c, (uint32_t)(csi - amf.csis));
	if (res.ha_state == 0)
		return -ENOENT;
	return safd_conn_respond(conn, &res, sizeof(res));
}

static int h_error_report(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_error_report *r = msg;
	struct amf_comp_rt *c;

	if (name_check(&r->comp) < 0 || r->recovery < SA_AMF_NO_RECOMMENDATION ||
	    r->recovery > SA_AMF_CONTAINER_RESTART)
		return -EINVAL;
	c = amf_comp_by_dn(&r->comp);
	if (c == NULL)
		return -ENOENT;
	if (amf_send_error_report(c, (SaAmfRecommendedRecoveryT)r->recovery,
				  r->detection_time) < 0)
		return -EAGAIN;
	return safd_conn_respond_error(conn, REQ_LIB_AMF_ERROR_REPORT, SA_AIS_OK);
}

/* Nothing to clear: a recovered component is enabled again by its restart. */
static int h_error_clear(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_error_clear *r = msg;

	if (name_check(&r->comp) < 0)
		return -EINVAL;
	if (amf_comp_by_dn(&r->comp) == NULL)
		return -ENOENT;
	return safd_conn_respond_error(conn, REQ_LIB_AMF_ERROR_CLEAR, SA_AIS_OK);
}

static int h_finalize(struct safd_conn *conn, const void *msg, size_t len)
{
	struct amf_session *s = session_of(conn);

	if (s != NULL) {
		amf_clc_session_gone(s);
		amf_health_session_gone(s);
		amf_pg_session_gone(s);
	}
	return safd_conn_respond_error(conn, REQ_LIB_AMF_FINALIZE, SA_AIS_OK);
}

/* safctl amf lock|unlock|...: checked here for a quick answer, then
 * applied in agreed order (exec_admin), which answers. */
static int h_admin(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_admin *r = msg;
	struct req_exec_amf_admin e = { 0 };
	struct amf_pending *p;
	char why[256] = "";
	uint32_t kind, index = 0;
	SaAisErrorT err;

	if (amf.model == NULL) {
		admin_respond(conn, SA_AIS_ERR_NOT_EXIST, "safd runs without an AMF "
			      "configuration (safd -c FILE)");
		return 0;
	}
	kind = amf_entity_find(&r->dn, &index, why, sizeof(why));
	if (kind == 0) {
		admin_respond(conn, SA_AIS_ERR_NOT_EXIST, why);
		return 0;
	}
	err = amf_admin_check(kind, index, r->op, why, sizeof(why));
	if (err != SA_AIS_OK) {
		admin_respond(conn, err, why);
		return 0;
	}
	p = pending_new(conn);
	if (p == NULL)
		return -ENOMEM;
	e.kind = kind;
	e.index = index;
	e.op = r->op;
	e.o.token = p->token;
	e.o.time = safd_time_ns(CLOCK_REALTIME);
	if (safd_cpg_send(SAFD_SVC_AMF, REQ_EXEC_AMF_ADMIN, &e, sizeof(e)) < 0) {
		pending_drop_conn(conn);
		return -EAGAIN;
	}
	return 0;
}

/* saAmfHAReadinessStateSet: only the component's registered process says
 * what it can take; applied in agreed order (exec_ha_readiness). */
static int h_ha_readiness(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_ha_readiness *r = msg;
	struct amf_session *s = session_of(conn);
	struct req_exec_amf_ha_readiness e = { 0 };
	struct amf_comp_rt *c;
	struct amf_csi_rt *csi = NULL;
	struct amf_pending *p;

	if (name_check(&r->comp) < 0 || r->csi.length > sizeof(r->csi.value) ||
	    r->state < SA_AMF_HARS_READY_FOR_ASSIGNMENT ||
	    r->state > SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT || s == NULL)
		return -EINVAL;
	c = amf_comp_by_dn(&r->comp);
	if (c == NULL)
		return -ENOENT;
	if (r->csi.length != 0) {
		csi = amf_csi_by_dn(&r->csi);
		if (csi == NULL || csi->cfg->type != c->cfg->type)
			return -ENOENT;		/* not a CSI this component takes */
	}
	if (!c->registered || c->reg_session != s->token || c->reg_pid != (uint32_t)s->pid)
		return -ENOEXEC;		/* BAD_OPERATION: not its process */
	p = pending_new(conn);
	if (p == NULL)
		return -ENOMEM;
	e.comp = amf_comp_index(c);
	e.incarnation = c->incarnation;
	e.csi = csi != NULL ? (uint32_t)(csi - amf.csis) : UINT32_MAX;
	e.state = r->state;
	e.o.token = p->token;
	e.o.time = safd_time_ns(CLOCK_REALTIME);
	if (safd_cpg_send(SAFD_SVC_AMF, REQ_EXEC_AMF_HA_READINESS, &e, sizeof(e)) < 0) {
		pending_drop_conn(conn);
		return -EAGAIN;
	}
	return 0;
}

/* saAmfCorrelationIdsGet: safd sends no notifications, so the ids are
 * always unused; the invocation must be a callback waiting for its answer. */
static int h_correlation_ids(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_correlation_ids *r = msg;
	struct amf_session *s = session_of(conn);

	if (s == NULL || !amf_clc_invocation_known(s, r->invocation))
		return -EINVAL;
	return safd_conn_respond_error(conn, REQ_LIB_AMF_CORRELATION_IDS, SA_AIS_OK);
}

static void row(struct safd_amf_entity *e, const char *dn, uint32_t kind, uint32_t parent)
{
	size_t len = strlen(dn);

	memset(e, 0, sizeof(*e));
	e->dn.length = (uint16_t)(len < 256 ? len : 256);
	memcpy(e->dn.value, dn, e->dn.length);
	e->kind = kind;
	e->parent = parent;
}

/* safctl amf status: nodes, then each SG with its SUs and components, then
 * each SI with its CSIs and one row per SU holding it. */
static int h_status(struct safd_conn *conn, const void *msg, size_t len)
{
	struct res_lib_amf_status *res;
	struct safd_amf_entity *e;
	uint32_t n = 0, max, i, k, sg, su, si, app_row = UINT32_MAX;
	size_t size;
	int rc;

	max = amf.n_nodes + amf.n_apps + amf.n_sgs + amf.n_sus + amf.n_comps + amf.n_sis +
	      amf.n_csis * (1 + amf.n_sus) + 1;
	size = sizeof(*res) + max * sizeof(*e);
	if (size > SAFD_IPC_MAX_MSG)
		return -E2BIG;
	res = calloc(1, size);
	if (res == NULL)
		return -ENOMEM;
	e = (struct safd_amf_entity *)(res + 1);
	for (i = 0; i < amf.n_nodes; i++, n++) {
		row(&e[n], amf.nodes[i].cfg->dn, SAFD_AMF_NODE, UINT32_MAX);
		e[n].nodeid = amf.nodes[i].cfg->nodeid;
		e[n].member = amf.nodes[i].member;
		e[n].admin = amf.nodes[i].admin;
	}
	for (sg = 0; sg < amf.n_sgs; sg++) {
		uint32_t sg_row;

		if (sg == 0 || amf.sgs[sg].app != amf.sgs[sg - 1].app) {
			app_row = n;
			row(&e[n], amf.apps[amf.sgs[sg].app].cfg->dn, SAFD_AMF_APP, UINT32_MAX);
			e[n++].admin = amf.apps[amf.sgs[sg].app].admin;
		}
		sg_row = n;
		row(&e[n], amf.sgs[sg].cfg->dn, SAFD_AMF_SG, app_row);
		e[n++].admin = amf.sgs[sg].admin;
		for (su = amf.sgs[sg].first_su; su < amf.sgs[sg].first_su + amf.sgs[sg].cfg->n_sus;
		     su++) {
			const struct amf_su_rt *u = &amf.sus[su];
			uint32_t su_row = n;

			row(&e[n], u->cfg->dn, SAFD_AMF_SU, sg_row);
			e[n].admin = amf_su_admin(su);
			e[n].oper = u->oper;
			e[n].presence = u->presence;
			e[n].readiness = amf_su_readiness(su);
			e[n].restarts = u->restarts;
			e[n].nodeid = amf.nodes[u->node].cfg->nodeid;
			n++;
			for (k = 0; k < u->cfg->n_comps; k++, n++) {
				const struct amf_comp_rt *c = &amf.comps[u->first_comp + k];

				row(&e[n], c->cfg->dn, SAFD_AMF_COMP, su_row);
				e[n].oper = c->oper;
				e[n].presence = c->presence;
				e[n].readiness = c->presence == SA_AMF_PRESENCE_INSTANTIATED ?
						 e[su_row].readiness :
						 SA_AMF_READINESS_OUT_OF_SERVICE;
				e[n].restarts = c->restarts;
				e[n].nodeid = e[su_row].nodeid;
				e[n].pid = c->pid;
			}
		}
	}
	for (si = 0; si < amf.n_sis; si++) {
		const struct amf_si_rt *s = &amf.sis[si];
		uint32_t si_row = n;

		row(&e[n], s->cfg->dn, SAFD_AMF_SI, UINT32_MAX);
		e[n++].admin = s->admin;
		for (k = 0; k < s->cfg->n_csis; k++) {
			uint32_t csi_row = n;

			row(&e[n++], s->cfg->csis[k].dn, SAFD_AMF_CSI, si_row);
			for (su = 0; su < amf.sgs[s->sg].cfg->n_sus; su++) {
				if (s->ha[su] == 0)
					continue;
				row(&e[n], amf.sus[amf.sgs[s->sg].first_su + su].cfg->dn,
				    SAFD_AMF_SU, csi_row);
				e[n].ha_state = s->ha[su];
				e[n].su = amf.sgs[s->sg].first_su + su;
				n++;
			}
		}
	}
	res->header.id = REQ_LIB_AMF_STATUS;
	res->header.size = (int32_t)(sizeof(*res) + n * sizeof(*e));
	res->header.error = SA_AIS_OK;
	res->configured = amf.model != NULL;
	res->n_entities = n;
	rc = safd_conn_respond(conn, res, (size_t)res->header.size);
	free(res);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Exec handlers                                                      */

/* After every change of the replicated state: this node acts on it. */
static void changed(void)
{
	amf_clc_reconcile();
	amf_pg_update();
}

static void exec_comp_event(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_amf_comp_event *e = msg;
	struct amf_comp_rt *c;

	if (e->event == AMF_EV_UNREGISTERED)
		pending_answer(nodeid, e->o.token, REQ_LIB_AMF_UNREGISTER, SA_AIS_OK);
	if (e->comp >= amf.n_comps)
		return;
	c = &amf.comps[e->comp];
	if (e->incarnation != c->incarnation)
		return;		/* about an earlier instantiation */
	if (amf.nodes[amf.sus[c->su].node].cfg->nodeid != nodeid &&
	    e->event != AMF_EV_ERROR_REPORT)
		return;		/* only the component's node reports on it */
	if (e->event == AMF_EV_HA_ACKED)
		amf_comp_acked(c, e->csi, e->ha);
	amf_comp_event(c, e->event, e->pid, e->o.time,
		       e->event == AMF_EV_ERROR_REPORT ? (SaAmfRecommendedRecoveryT)e->recovery :
		       SA_AMF_NO_RECOMMENDATION);
	changed();
}

static void exec_register(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_amf_register *e = msg;
	SaAisErrorT err = SA_AIS_OK;
	struct amf_comp_rt *c = e->comp < amf.n_comps ? &amf.comps[e->comp] : NULL;

	if (c == NULL || amf.nodes[amf.sus[c->su].node].cfg->nodeid != nodeid)
		err = SA_AIS_ERR_INVALID_PARAM;
	else if (c->registered)
		err = SA_AIS_ERR_EXIST;
	else if (e->incarnation != c->incarnation ||
		 (c->presence != SA_AMF_PRESENCE_INSTANTIATING &&
		  c->presence != SA_AMF_PRESENCE_RESTARTING))
		err = SA_AIS_ERR_TRY_AGAIN;
	if (err == SA_AIS_OK) {
		c->registered = true;
		c->reg_session = e->o.session;
		c->reg_pid = e->o.pid;
		c->presence = SA_AMF_PRESENCE_INSTANTIATED;
		qb_log(LOG_NOTICE, "%s: registered by pid %u", c->cfg->dn, e->o.pid);
		amf_comp_event(c, 0, 0, e->o.time, SA_AMF_NO_RECOMMENDATION);
	}
	pending_answer(nodeid, e->o.token, REQ_LIB_AMF_REGISTER, err);
	changed();
}

static void exec_admin(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_amf_admin *e = msg;
	char why[256] = "";
	SaAisErrorT err;

	if (!safd_ordered_quorate())
		err = SA_AIS_ERR_TRY_AGAIN;
	else
		err = amf_admin_apply(e->kind, e->index, e->op, why, sizeof(why));
	if (err == SA_AIS_ERR_TRY_AGAIN && why[0] == '\0')
		snprintf(why, sizeof(why), "the cluster has no majority of its nodes");
	pending_answer_why(nodeid, e->o.token, REQ_LIB_AMF_ADMIN, err, why);
	changed();
}

static void exec_ha_readiness(const void *msg, size_t len, uint32_t nodeid, uint32_t pid)
{
	const struct req_exec_amf_ha_readiness *e = msg;
	struct amf_comp_rt *c = e->comp < amf.n_comps ? &amf.comps[e->comp] : NULL;
	SaAisErrorT err = SA_AIS_OK;

	if (c == NULL || amf.nodes[amf.sus[c->su].node].cfg->nodeid != nodeid ||
	    (e->csi != UINT32_MAX && e->csi >= amf.n_csis) ||
	    e->state < SA_AMF_HARS_READY_FOR_ASSIGNMENT ||
	    e->state > SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT)
		err = SA_AIS_ERR_INVALID_PARAM;
	else if (e->incarnation != c->incarnation)
		err = SA_AIS_ERR_TRY_AGAIN;	/* its process changed meanwhile */
	if (err == SA_AIS_OK) {
		amf_comp_readiness(c, e->csi, e->state);
		amf_apply();
	}
	pending_answer(nodeid, e->o.token, REQ_LIB_AMF_HA_READINESS, err);
	changed();
}

static const struct safd_exec_handler amf_exec[REQ_EXEC_AMF_COUNT] = {
	[REQ_EXEC_AMF_COMP_EVENT] = { exec_comp_event, sizeof(struct req_exec_amf_comp_event) },
	[REQ_EXEC_AMF_REGISTER] = { exec_register, sizeof(struct req_exec_amf_register) },
	[REQ_EXEC_AMF_ADMIN] = { exec_admin, sizeof(struct req_exec_amf_admin) },
	[REQ_EXEC_AMF_HA_READINESS] = { exec_ha_readiness,
					sizeof(struct req_exec_amf_ha_readiness) },
};

#define CHANGE (SAFD_H_SYNCED | SAFD_H_QUORATE)

static const struct safd_lib_handler amf_lib[] = {
	[REQ_LIB_AMF_REGISTER] = { h_register, sizeof(struct req_lib_amf_register), CHANGE },
	[REQ_LIB_AMF_UNREGISTER] = { h_unregister, sizeof(struct req_lib_amf_register),
				     SAFD_H_SYNCED },
	[REQ_LIB_AMF_RESPONSE] = { h_response, sizeof(struct req_lib_amf_response),
				   SAFD_H_SYNCED },
	[REQ_LIB_AMF_HA_STATE_GET] = { h_ha_state_get, sizeof(struct req_lib_amf_ha_state_get),
				       SAFD_H_SYNCED },
	[REQ_LIB_AMF_ERROR_REPORT] = { h_error_report, sizeof(struct req_lib_amf_error_report),
				       SAFD_H_SYNCED },
	[REQ_LIB_AMF_ERROR_CLEAR] = { h_error_clear, sizeof(struct req_lib_amf_error_clear),
				      SAFD_H_SYNCED },
	[REQ_LIB_AMF_FINALIZE] = { h_finalize, sizeof(struct req_lib_amf_finalize), 0 },
	[REQ_LIB_AMF_STATUS] = { h_status, sizeof(struct req_lib_amf_status), 0 },
	[REQ_LIB_AMF_ADMIN] = { h_admin, sizeof(struct req_lib_amf_admin),
				CHANGE | SAFD_H_ADMIN },
	[REQ_LIB_AMF_HC_START] = { amf_h_hc_start, sizeof(struct req_lib_amf_healthcheck),
				   SAFD_H_SYNCED },
	[REQ_LIB_AMF_HC_CONFIRM] = { amf_h_hc_confirm, sizeof(struct req_lib_amf_healthcheck),
				     SAFD_H_SYNCED },
	[REQ_LIB_AMF_HC_STOP] = { amf_h_hc_stop, sizeof(struct req_lib_amf_healthcheck),
				  SAFD_H_SYNCED },
	[REQ_LIB_AMF_PM_START] = { amf_h_pm_start, sizeof(struct req_lib_amf_pm), SAFD_H_SYNCED },
	[REQ_LIB_AMF_PM_STOP] = { amf_h_pm_stop, sizeof(struct req_lib_amf_pm), SAFD_H_SYNCED },
	[REQ_LIB_AMF_PG_TRACK] = { amf_h_pg_track, sizeof(struct req_lib_amf_pg_track),
				   SAFD_H_SYNCED },
	[REQ_LIB_AMF_HA_READINESS] = { h_ha_readiness, sizeof(struct req_lib_amf_ha_readiness),
				       CHANGE },
	[REQ_LIB_AMF_CORRELATION_IDS] = { h_correlation_ids,
					  sizeof(struct req_lib_amf_correlation_ids),
					  SAFD_H_SYNCED },
	[REQ_LIB_AMF_PG_TRACK_STOP] = { amf_h_pg_track_stop,
					sizeof(struct req_lib_amf_pg_track), SAFD_H_SYNCED },
};

static void local_node_update(void)
{
	uint32_t i;

	amf.local_node = UINT32_MAX;
	for (i = 0; i < amf.n_nodes; i++)
		if (amf.nodes[i].cfg->nodeid == safd_local_nodeid())
			amf.local_node = i;
}

static void amf_membership(const uint32_t *left, size_t n_left, const uint32_t *joined,
			   size_t n_joined, int64_t time)
{
	local_node_update();
	amf_node_membership(left, n_left, joined, n_joined, time);
	changed();
}

static int amf_init(void)
{
	int rc = amf_state_build(safd_amf_model());

	if (rc < 0)
		return rc;
	return amf.model != NULL ? amf_clc_init() : 0;
}

static void amf_fini(void)
{
	amf_health_fini();
	amf_pg_fini();
	amf_clc_fini();
}

static void amf_reset(void)
{
	amf_clc_reset();	/* found by tests/fuzz (fuzz_cpg/amf-merge-timer) */
	amf_state_reset();
	local_node_update();
}

static int amf_load(const void *buf, size_t len)
{
	int rc = amf_sync_load(buf, len);

	local_node_update();
	changed();
	return rc;
}

const struct safd_service safd_amf_service = {
	.name = "amf",
	.id = SAFD_SVC_AMF,
	.lib = amf_lib,
	.lib_count = SAFD_ARRAY_SIZE(amf_lib),
	.exec = amf_exec,
	.exec_count = REQ_EXEC_AMF_COUNT,
	.conn_private_size = sizeof(struct amf_conn),
	.init = amf_init,
	.fini = amf_fini,
	.conn_opened = amf_conn_opened,
	.conn_closed = amf_conn_closed,
	.membership = amf_membership,
	.sync_save = amf_sync_save,
	.sync_reset = amf_reset,
	.sync_load = amf_load,
};
