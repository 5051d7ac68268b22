/*
 * The AMF configuration model (SAI-AIS-AMF-B.04.01 chapter 3, "System
 * model"), as loaded from the <safd> configuration file by amf/config.c.
 *
 * This is the static part of AMF: what the operator configured, with every
 * default applied and every reference resolved, so that the engine never
 * looks at XML, never re-applies defaults and never searches by name. The
 * engine keeps its run-time state (presence, readiness, HA states, counters)
 * in its own structures and points at these.
 *
 * Shape: one struct amf_model owns everything. Containment is by arrays
 * (a parent owns an array of its children, in document order); every child
 * points back at its parent; cross references (SU -> node, SI -> SG, CSI and
 * component -> comp type, SI -> SIs it depends on) are pointers into the
 * same model. Nothing changes after amf_config_load() returns, so pointers
 * stay valid until amf_model_free().
 *
 * Names: each entity has its short name from the file (`name`) and the DN
 * applications see (`dn`), derived as documented in safd.conf(5), NAMES:
 *   safAmfCluster=C                     cluster
 *   safAmfNode=N,safAmfCluster=C        node
 *   safApp=A                            application
 *   safSg=G,safApp=A                    service group
 *   safSu=U,safSg=G,safApp=A            service unit
 *   safComp=X,safSu=U,safSg=G,safApp=A  component
 *   safSi=I,safApp=A                    service instance
 *   safCsi=Y,safSi=I,safApp=A           component service instance
 * A dn is NUL-terminated and at most SA_MAX_NAME_LENGTH bytes long, so it
 * fits a SaNameT with its NUL whenever it is shorter than 256 bytes.
 *
 * Times are SaTimeT durations in nanoseconds. `line` is the line of the
 * entity's element in `amf_model.file` (0 for built-in objects), for
 * messages that point the operator at the configuration.
 */
#ifndef SAFD_AMF_MODEL_H
#define SAFD_AMF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <saAmf.h>

struct amf_model;

/* An environment entry of a life-cycle command. */
struct amf_env {
	char *name;
	char *value;
};

/*
 * A life-cycle (CLC-CLI) command. argv is NULL when none is configured
 * (terminate: SA-aware components get the terminate callback, others
 * SIGTERM; cleanup: SIGKILL to the component's processes). argv[0] is the
 * program: absolute, or without a slash (searched in PATH); a relative path
 * with a slash was made absolute against the configuration file's
 * directory. env is the complete list to add to the command's environment
 * (comp type, component and command entries merged, later ones winning);
 * the engine adds SA_AMF_COMPONENT_NAME (and, for non-SA-aware components,
 * the CSI attributes) itself.
 */
struct amf_command {
	char **argv;		/* NULL-terminated, or NULL */
	uint32_t argc;
	struct amf_env *env;
	uint32_t n_env;
	SaTimeT timeout;	/* the command must finish (or, for instantiate,
				 * the component register) within this time */
};

/* A healthcheck key the component may start (saAmfHealthcheckStart). */
struct amf_healthcheck {
	SaAmfHealthcheckKeyT key;	/* 1..SA_AMF_HEALTHCHECK_KEY_MAX bytes */
	SaTimeT period;			/* between AMF-invoked callbacks; the
					 * longest gap between confirmations */
	SaTimeT max_duration;		/* an AMF-invoked callback must be
					 * answered within this time */
	uint32_t line;
};

/*
 * A component type: in this model only a label that ties components to the
 * CSIs they can take (a CSI of type T goes to a component of type T). Its
 * settings were already copied into each component. The type named
 * "default" always exists (built in, line 0, unless the file defines it):
 * components and CSIs without type= have it.
 */
struct amf_comp_type {
	char *name;
	uint32_t line;
};

struct amf_cluster {
	char *name;
	char *dn;
	uint32_t line;
};

struct amf_node {
	char *name;
	char *dn;
	uint32_t line;
	uint32_t nodeid;		/* corosync node id, >= 1 */
};

/*
 * One rung of the escalation ladder: when the `max`-th failure at this level
 * happens within `probation` (counted from the first of them), the recovery
 * escalates to the next level instead. 0 and 1 both mean "escalate at the
 * first failure". Component restarts are counted per SU, SU restarts per SU,
 * SU failovers per node.
 */
struct amf_escalation {
	uint32_t max;
	SaTimeT probation;
};

struct amf_comp {
	char *name;
	char *dn;
	uint32_t line;
	struct amf_su *su;
	const struct amf_comp_type *type;

	bool sa_aware;		/* false: commands only, never registers */
	bool restartable;	/* false: a failure is never recovered by a
				 * restart of this component alone
				 * (saAmfCompDisableRestart) */
	SaAmfRecommendedRecoveryT recovery;	/* recoveryOnError */

	struct amf_command instantiate;		/* argv never NULL */
	struct amf_command terminate;
	struct amf_command cleanup;
	uint32_t instantiate_retries;	/* attempts after the first one
					 * before INSTANTIATION_FAILED */
	SaTimeT instantiate_retry_delay;

	/* Callback answer timeouts (saAmfResponse / QuiescingComplete). */
	SaTimeT csi_set_timeout;
	SaTimeT csi_remove_timeout;
	SaTimeT terminate_callback_timeout;
	SaTimeT quiescing_timeout;

	struct amf_healthcheck *healthchecks;
	uint32_t n_healthchecks;
};

struct amf_su {
	char *name;
	char *dn;
	uint32_t line;
	struct amf_sg *sg;
	const struct amf_node *node;
	uint32_t rank;		/* lower ranks are preferred for active */
	struct amf_comp *comps;	/* at least one */
	uint32_t n_comps;
};

struct amf_sg {
	char *name;
	char *dn;
	uint32_t line;
	struct amf_app *app;
	SaAmfRedundancyModelT model;

	struct amf_escalation comp_restart;
	struct amf_escalation su_restart;
	struct amf_escalation su_failover;	/* per node; then node failover */
	bool auto_repair;

	/* Preferred numbers of SUs, defaults resolved for the model: 2N is
	 * always 1 active and 1 standby. N-Way, N-Way-Active and
	 * No-Redundancy have standby_sus 0 and active_sus = in_service_sus. */
	uint32_t active_sus;
	uint32_t standby_sus;
	uint32_t in_service_sus;
	/* The most SIs one SU holds ACTIVE / STANDBY (N+M, N-Way,
	 * N-Way-Active), 0 for no limit. */
	uint32_t max_active_sis;
	uint32_t max_standby_sis;

	struct amf_su *sus;	/* at least one (exactly two for 2N) */
	uint32_t n_sus;
	struct amf_si **sis;	/* the SIs this SG protects, document order */
	uint32_t n_sis;
};

struct amf_csi_attr {
	char *name;		/* a name may repeat: multi-valued attribute */
	char *value;
};

struct amf_csi {
	char *name;
	char *dn;
	uint32_t line;
	struct amf_si *si;
	const struct amf_comp_type *type;	/* every SU of the SG has a
						 * component of this type */
	struct amf_csi_attr *attrs;
	uint32_t n_attrs;
};

struct amf_si {
	char *name;
	char *dn;
	uint32_t line;
	struct amf_app *app;
	struct amf_sg *sg;
	uint32_t rank;		/* lower ranks are assigned first */
	/* How many SUs hold it ACTIVE / STANDBY when enough are in
	 * service, defaults resolved for the model: 1 and 1 (2N, N+M,
	 * N-Way: standby-assignments, default 1), 1 and 0 (No-Redundancy),
	 * N-Way-Active: active-assignments (default: the SG's active_sus)
	 * and 0. */
	uint32_t active_assignments;
	uint32_t standby_assignments;
	struct amf_csi *csis;	/* at least one */
	uint32_t n_csis;
	struct amf_si **depends;	/* same app, no cycles */
	uint32_t n_depends;
};

struct amf_app {
	char *name;
	char *dn;
	uint32_t line;
	struct amf_sg *sgs;
	uint32_t n_sgs;
	struct amf_si *sis;
	uint32_t n_sis;
};

/* Totals over the whole model, for summaries. */
struct amf_model_counts {
	uint32_t nodes;
	uint32_t apps;
	uint32_t sgs;
	uint32_t sus;
	uint32_t comps;
	uint32_t sis;
	uint32_t csis;
};

struct amf_model {
	char *file;			/* the path it was loaded from */
	struct amf_cluster cluster;	/* name NULL when the file has none */
	struct amf_node *nodes;
	uint32_t n_nodes;
	struct amf_comp_type *comp_types;	/* "default" included */
	uint32_t n_comp_types;
	struct amf_app *apps;
	uint32_t n_apps;
	struct amf_model_counts count;
};

/*
 * Receives each configuration error: file and line (0 when none applies)
 * and a message without the location, e.g. "element comp: attribute
 * 'name' is required".
 */
typedef void (*amf_config_report_fn)(void *ctx, const char *file, int line,
				     const char *message);

/*
 * Loads, validates (schema, then the checks a schema cannot express) and
 * builds the model from the configuration file at path. Every error found
 * is reported, not only the first. amf_config_load() logs each one with
 * qb_log(LOG_ERR, "FILE:LINE: message"); amf_config_load_report() hands
 * them to report(ctx, ...) instead.
 *
 * Returns 0 and sets *out (free it with amf_model_free()), or -EINVAL when
 * the file is unreadable or invalid, or -ENOMEM; *out is then NULL.
 *
 * The schema is read from $SAFD_SCHEMA when set, else from the installed
 * $(pkgdatadir)/safd.rng, else from the source tree (uninstalled builds).
 */
int amf_config_load(const char *path, struct amf_model **out);
int amf_config_load_report(const char *path, struct amf_model **out,
			   amf_config_report_fn report, void *ctx);

/* The schema file amf_config_load() uses, or NULL when none is readable. */
const char *amf_config_schema_path(void);

void amf_model_free(struct amf_model *model);

/* "1 application, 1 SG, 2 SUs, 2 components, 1 SI, 1 CSI, 1 node" */
void amf_model_summary(const struct amf_model *model, char *buf, size_t len);

/* Names as written in the file: "2N", "component-restart". */
const char *amf_redundancy_model_name(SaAmfRedundancyModelT model);
const char *amf_recovery_name(SaAmfRecommendedRecoveryT recovery);

#endif /* SAFD_AMF_MODEL_H */
