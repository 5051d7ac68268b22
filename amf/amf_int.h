/*
 * Private interfaces of the AMF engine (amf/).
 *
 * The model (amf/model.h) is what the operator configured; the engine adds
 * run-time state, flattened into arrays indexed like the model's entities in
 * document order (apps -> SGs -> SUs -> components; apps -> SIs -> CSIs),
 * so that every node names an entity by the same index.
 *
 * Replicated state (changed only by exec handlers, in agreed order; saved
 * and loaded by snapshot.c): presence / operational states, registration,
 * incarnations, restart counters, probation windows, node membership and
 * the SI assignments. Local state (this node only): the processes it runs,
 * timers, the sessions of its clients, which CSI assignments it has told
 * each local component about, and callbacks waiting for their answer.
 */
#ifndef SAFD_AMF_INT_H
#define SAFD_AMF_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <qb/qblist.h>
#include <qb/qbloop.h>

#include <saAmf.h>
#include <safd/exec_amf.h>
#include <safd/ipc_amf.h>
#include <safd/service.h>

#include "model.h"

struct amf_session;

/* Failures counted at one escalation level within its probation window. */
struct amf_probation {
	uint32_t count;
	int64_t first;		/* time of the first counted failure */
};

struct amf_comp_rt {
	const struct amf_comp *cfg;
	uint32_t su;			/* index */
	/* replicated */
	uint32_t presence;		/* SaAmfPresenceStateT */
	uint32_t oper;			/* SaAmfOperationalStateT */
	bool registered;
	uint32_t incarnation;		/* bumped at every instantiation decided */
	uint32_t attempts;		/* instantiation attempts of this round */
	uint32_t restarts;
	uint32_t pid;			/* while running, for status */
	uint64_t reg_session;		/* the registered process's session */
	uint32_t reg_pid;
	bool restart_after;		/* TERMINATING for an admin restart */
	uint8_t *acked;			/* per CSI: HA state the component
					 * confirmed (saAmfResponse), 0 if none */
	uint8_t *readiness;		/* per CSI: SaAmfHAReadinessStateT, 0 for
					 * READY_FOR_ASSIGNMENT (the default) */
	/* local: this node runs it */
	pid_t local_pid;		/* 0 when no process */
	uint32_t local_incarnation;	/* the instantiation local_pid belongs to */
	bool timer_set;
	qb_loop_timer_handle timer;	/* registration deadline */
	uint8_t *delivered;		/* per CSI (global index): HA state told */
	uint64_t invocation;		/* callback waiting for its answer, or 0 */
	uint32_t pending_csi;		/* what that callback sets */
	uint32_t pending_ha;
	bool pending_all;		/* TARGET_ALL: every CSI of the SU */
	bool pending_terminate;		/* the callback is the terminate callback */
	uint64_t quiescing;		/* QUIESCING answered: the invocation its
					 * saAmfCSIQuiescingComplete will carry */
	bool cb_timer_set;
	qb_loop_timer_handle cb_timer;
};

struct amf_su_rt {
	const struct amf_su *cfg;
	uint32_t sg;			/* index */
	uint32_t node;			/* index */
	uint32_t first_comp;		/* its components: [first_comp, +n_comps) */
	/* replicated */
	uint32_t presence;
	uint32_t oper;
	uint32_t admin;
	uint32_t restarts;		/* SU restarts */
	uint32_t failovers;
	struct amf_probation comp_restart;
	struct amf_probation su_restart;
};

struct amf_sg_rt {
	const struct amf_sg *cfg;
	uint32_t app;			/* index */
	uint32_t first_su;		/* its SUs: [first_su, +n_sus) */
	uint32_t admin;			/* replicated */
};

struct amf_app_rt {
	const struct amf_app *cfg;
	uint32_t admin;			/* replicated */
};

struct amf_si_rt {
	const struct amf_si *cfg;
	uint32_t sg;			/* index */
	uint32_t first_csi;		/* global CSI index of its first CSI */
	uint8_t *ha;			/* replicated: per SU of its SG, 0 or HA */
	uint32_t prev_active;		/* replicated: SU that was ACTIVE last,
					 * for a takeover's activeCompName */
	uint32_t admin;			/* replicated */
	bool swap;			/* replicated: si-swap under way */
	bool handed_over;		/* replicated: the last takeover followed
					 * a QUIESCED active (switchover) */
};

struct amf_csi_rt {
	const struct amf_csi *cfg;
	uint32_t si;			/* index */
};

struct amf_node_rt {
	const struct amf_node *cfg;
	bool member;			/* replicated */
	uint32_t admin;			/* replicated */
	struct amf_probation su_failover;
};

struct amf_state {
	const struct amf_model *model;
	struct amf_node_rt *nodes;
	uint32_t n_nodes;
	struct amf_app_rt *apps;
	uint32_t n_apps;
	struct amf_sg_rt *sgs;
	uint32_t n_sgs;
	struct amf_su_rt *sus;
	uint32_t n_sus;
	struct amf_comp_rt *comps;
	uint32_t n_comps;
	struct amf_si_rt *sis;
	uint32_t n_sis;
	uint32_t *si_order;		/* SI indexes by rank, then file order */
	struct amf_csi_rt *csis;
	uint32_t n_csis;
	uint32_t local_node;		/* index of this node, UINT32_MAX if none */
};

extern struct amf_state amf;

/* engine.c: decisions, identical on every node */
int amf_state_build(const struct amf_model *model);
void amf_state_reset(void);
void amf_apply(void);			/* instantiate and assign what should be */
void amf_comp_event(struct amf_comp_rt *c, uint32_t event, uint32_t pid, int64_t time,
		    SaAmfRecommendedRecoveryT recommended);
void amf_node_membership(const uint32_t *left, size_t n_left, const uint32_t *joined,
			 size_t n_joined, int64_t time);
struct amf_comp_rt *amf_comp_by_dn(const struct safd_name *dn);
struct amf_csi_rt *amf_csi_by_dn(const struct safd_name *dn);
uint32_t amf_comp_index(const struct amf_comp_rt *c);
bool amf_comp_is_local(const struct amf_comp_rt *c);
/* The HA state of CSI (global index) on component c's SU, 0 if none. */
uint32_t amf_comp_csi_ha(const struct amf_comp_rt *c, uint32_t csi);
const struct amf_comp_rt *amf_su_comp_for(uint32_t su, uint32_t csi);
/* What a component's node confirmed: HA state ha for CSI csi (UINT32_MAX:
 * every CSI it holds). */
void amf_comp_acked(struct amf_comp_rt *c, uint32_t csi, uint32_t ha);
/* saAmfHAReadinessStateSet: csi UINT32_MAX for every CSI of c's type. */
void amf_comp_readiness(struct amf_comp_rt *c, uint32_t csi, uint32_t state);
/* The HA readiness of component c for CSI csi (SaAmfHAReadinessStateT). */
uint32_t amf_comp_csi_readiness(const struct amf_comp_rt *c, uint32_t csi);
/* The STANDBY of SI si to make ACTIVE: in service and ready for it, the
 * lowest rank first; UINT32_MAX if none. */
uint32_t amf_standby_to_promote(uint32_t si);
/* Whether every SI that SI si depends on has a confirmed ACTIVE. */
bool amf_si_sponsors_confirmed(uint32_t si);
/* SU s's place among the STANDBYs of SI si: 1 is promoted first. */
uint32_t amf_standby_rank(uint32_t s, uint32_t si);
/* Whether SU s's components may hold SI si in HA state ha. */
bool amf_su_ready(uint32_t s, uint32_t si, uint32_t ha);
/* The admin state that applies to SU s (its own, or a container's that
 * is stronger). */
uint32_t amf_su_admin(uint32_t s);
uint32_t amf_su_readiness(uint32_t s);
/* Admin operations' actions (admin.c decides when they apply). */
void amf_comp_terminate(struct amf_comp_rt *c, bool restart_after);
void amf_si_swap(uint32_t si);

/* admin.c: administrative operations (safctl amf lock ...) */
enum safd_amf_kind amf_entity_find(const struct safd_name *name, uint32_t *index,
				   char *why, size_t why_len);
SaAisErrorT amf_admin_check(uint32_t kind, uint32_t index, uint32_t op, char *why,
			    size_t why_len);
SaAisErrorT amf_admin_apply(uint32_t kind, uint32_t index, uint32_t op, char *why,
			    size_t why_len);

/* clc.c: this node's components (processes, callbacks) */
int amf_clc_init(void);
void amf_clc_fini(void);
void amf_clc_reconcile(void);		/* after every change of state */
void amf_clc_reset(void);		/* before the state is replaced */
void amf_clc_response(struct amf_session *s, uint64_t invocation, SaAisErrorT err,
		      bool quiescing_complete);
bool amf_clc_invocation_known(struct amf_session *s, uint64_t invocation);
void amf_clc_session_gone(struct amf_session *s);
void amf_send_comp_event(struct amf_comp_rt *c, uint32_t event, uint32_t pid);
void amf_send_comp_event_token(struct amf_comp_rt *c, uint32_t event, uint32_t pid,
			       uint64_t token);

/* clc.c: shared with health.c and pg.c */
uint64_t amf_next_invocation(void);	/* for a callback to a component */
void amf_send_ha_acked(struct amf_comp_rt *c, uint32_t csi, uint32_t ha);
/* An error on c (error report, failed health check or monitored process),
 * to every node: the engine recovers with at least `recovery`. */
int amf_send_error_report(struct amf_comp_rt *c, SaAmfRecommendedRecoveryT recovery,
			  int64_t detection_time);

/* health.c: health checks and passive monitoring of local components
 * (local state only; a failure is reported with amf_send_error_report) */
int amf_h_hc_start(struct safd_conn *conn, const void *msg, size_t len);
int amf_h_hc_confirm(struct safd_conn *conn, const void *msg, size_t len);
int amf_h_hc_stop(struct safd_conn *conn, const void *msg, size_t len);
int amf_h_pm_start(struct safd_conn *conn, const void *msg, size_t len);
int amf_h_pm_stop(struct safd_conn *conn, const void *msg, size_t len);
/* saAmfResponse for a healthcheck callback: true when `invocation` was one */
bool amf_health_response(struct amf_session *s, uint64_t invocation, SaAisErrorT err);
void amf_health_comp_stopped(struct amf_comp_rt *c);	/* its process is gone */
void amf_health_session_gone(struct amf_session *s);
void amf_health_fini(void);

/* pg.c: protection group tracking by local sessions */
int amf_h_pg_track(struct safd_conn *conn, const void *msg, size_t len);
int amf_h_pg_track_stop(struct safd_conn *conn, const void *msg, size_t len);
void amf_pg_update(void);		/* after every change of state */
void amf_pg_session_gone(struct amf_session *s);
void amf_pg_fini(void);

/* amf.c: sessions */
struct amf_session *amf_session_find(pid_t pid, uint64_t token);
struct amf_session *amf_conn_session(struct safd_conn *conn);
struct safd_conn *amf_session_main(struct amf_session *s);
pid_t amf_session_pid(const struct amf_session *s);
uint64_t amf_session_token(const struct amf_session *s);

/* snapshot.c */
int amf_sync_save(void **buf, size_t *len);
int amf_sync_load(const void *buf, size_t len);

#endif /* SAFD_AMF_INT_H */
