/*
 * The AMF configuration loader (amf/config*.c, safd.conf(5)):
 * - the shipped samples and tests/amf-config/good-full.xml load, with every
 *   default applied, every override honoured and every reference resolved;
 * - each file tests/amf-config/bad-*.xml gives exactly the expected errors,
 *   each at its file and line (table below);
 * - durations parse with units only; missing files and schemas are errors.
 * Runs anywhere: no cluster, no safd.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../amf/config_int.h"
#include "../amf/model.h"

#define SRC AMF_TOP_SRCDIR
#define DIR SRC "/tests/amf-config/"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

struct err {
	char file[512];
	int line;
	char message[1024];
};

struct errs {
	struct err v[64];
	int n;
};

static void collect(void *ctx, const char *file, int line, const char *message)
{
	struct errs *e = ctx;

	if (e->n == (int)(sizeof(e->v) / sizeof(e->v[0])))
		return;
	snprintf(e->v[e->n].file, sizeof(e->v[e->n].file), "%s", file);
	e->v[e->n].line = line;
	snprintf(e->v[e->n].message, sizeof(e->v[e->n].message), "%s", message);
	e->n++;
}

static void dump(const struct errs *e)
{
	int i;

	for (i = 0; i < e->n; i++)
		fprintf(stderr, "  %s:%d: %s\n", e->v[i].file, e->v[i].line, e->v[i].message);
}

/* Loads a file that must be valid. */
static struct amf_model *load_ok(const char *path)
{
	struct amf_model *m = NULL;
	struct errs e = { .n = 0 };
	int rc = amf_config_load_report(path, &m, collect, &e);

	if (rc != 0 || e.n != 0)
		dump(&e);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(e.n, 0);
	ck_assert_ptr_nonnull(m);
	return m;
}

static struct amf_sg *sg_named(struct amf_app *app, const char *name)
{
	uint32_t i;

	for (i = 0; i < app->n_sgs; i++)
		if (strcmp(app->sgs[i].name, name) == 0)
			return &app->sgs[i];
	ck_abort_msg("no sg %s", name);
	return NULL;
}

static const char *env_value(const struct amf_command *cmd, const char *name)
{
	uint32_t i;

	for (i = 0; i < cmd->n_env; i++)
		if (strcmp(cmd->env[i].name, name) == 0)
			return cmd->env[i].value;
	return NULL;
}

static void assert_argv(const struct amf_command *cmd, const char *const *want)
{
	uint32_t i;

	ck_assert_ptr_nonnull(cmd->argv);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_uint_lt(i, cmd->argc);
		ck_assert_str_eq(cmd->argv[i], want[i]);
	}
	ck_assert_uint_eq(cmd->argc, i);
	ck_assert_ptr_null(cmd->argv[i]);
}

static void assert_key(const struct amf_healthcheck *hc, const char *key, SaTimeT period,
		       SaTimeT max_duration)
{
	ck_assert_uint_eq(hc->key.keyLen, strlen(key));
	ck_assert(memcmp(hc->key.key, key, strlen(key)) == 0);
	ck_assert_int_eq(hc->period, period);
	ck_assert_int_eq(hc->max_duration, max_duration);
}

/* ------------------------------------------------------------------------ */
/* Good files                                                               */
/* ------------------------------------------------------------------------ */

START_TEST(test_csa104)
{
	struct amf_model *m = load_ok(SRC "/samples/csa104/csa104.xml");
	char summary[256], line[256];
	struct amf_app *app;
	struct amf_sg *sg;
	struct amf_comp *comp;
	struct amf_si *si;
	FILE *f;
	int lines = 0, i;

	/* The promise of the format: a 2N app in 40 lines or fewer. */
	f = fopen(SRC "/samples/csa104/csa104.xml", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		lines++;
	fclose(f);
	ck_assert_int_le(lines, 40);

	amf_model_summary(m, summary, sizeof(summary));
	ck_assert_str_eq(summary, "1 application, 1 SG, 2 SUs, 2 components, 1 SI, 1 CSI, 1 node");
	ck_assert_str_eq(m->cluster.dn, "safAmfCluster=csa104");
	ck_assert_uint_eq(m->n_nodes, 1);
	ck_assert_uint_eq(m->nodes[0].nodeid, 1);
	ck_assert_str_eq(m->nodes[0].dn, "safAmfNode=node1,safAmfCluster=csa104");
	ck_assert_uint_eq(m->n_comp_types, 1);
	ck_assert_str_eq(m->comp_types[0].name, "default");
	ck_assert_uint_eq(m->comp_types[0].line, 0);

	app = &m->apps[0];
	ck_assert_str_eq(app->dn, "safApp=csa104");
	sg = &app->sgs[0];
	ck_assert_str_eq(sg->dn, "safSg=csa104SG,safApp=csa104");
	ck_assert_int_eq(sg->model, SA_AMF_2N_REDUNDANCY_MODEL);
	/* The seed's escalation: 2 failures within 10 s escalate. */
	ck_assert_uint_eq(sg->comp_restart.max, 2);
	ck_assert_int_eq(sg->comp_restart.probation, 10 * SA_TIME_ONE_SECOND);
	ck_assert_uint_eq(sg->su_restart.max, 2);
	ck_assert_int_eq(sg->su_restart.probation, 10 * SA_TIME_ONE_SECOND);
	ck_assert_uint_eq(sg->su_failover.max, 3);
	ck_assert_int_eq(sg->su_failover.probation, SA_TIME_ONE_HOUR);
	ck_assert(sg->auto_repair);
	ck_assert_uint_eq(sg->active_sus, 1);
	ck_assert_uint_eq(sg->standby_sus, 1);
	ck_assert_uint_eq(sg->in_service_sus, 2);
	ck_assert_uint_eq(sg->n_sus, 2);
	ck_assert_uint_eq(sg->n_sis, 1);
	ck_assert_ptr_eq(sg->sis[0], &app->sis[0]);

	for (i = 0; i < 2; i++) {
		static const char tail[] = "/samples/csa104/./csa104";
		struct amf_su *su = &sg->sus[i];
		size_t len;

		ck_assert_uint_eq(su->rank, (uint32_t)i + 1);
		ck_assert_ptr_eq(su->node, &m->nodes[0]);
		ck_assert_ptr_eq(su->sg, sg);
		ck_assert_uint_eq(su->n_comps, 1);
		comp = &su->comps[0];
		ck_assert_ptr_eq(comp->su, su);
		ck_assert_ptr_eq(comp->type, &m->comp_types[0]);
		ck_assert(comp->sa_aware);
		ck_assert(comp->restartable);
		ck_assert_int_eq(comp->recovery, SA_AMF_COMPONENT_RESTART);
		/* "./csa104": a relative path with a slash is made absolute
		 * against the configuration file's directory */
		ck_assert_uint_eq(comp->instantiate.argc, 1);
		len = strlen(comp->instantiate.argv[0]);
		ck_assert(comp->instantiate.argv[0][0] == '/');
		ck_assert(len > sizeof(tail) - 1);
		ck_assert_str_eq(comp->instantiate.argv[0] + len - (sizeof(tail) - 1), tail);
		ck_assert_str_eq(env_value(&comp->instantiate, "CSA104_INTERVAL_MS"), "2000");
		ck_assert_uint_eq(comp->instantiate.n_env, 1);
		ck_assert_int_eq(comp->instantiate.timeout, 10 * SA_TIME_ONE_SECOND);
		ck_assert_uint_eq(comp->instantiate_retries, 2);
		ck_assert_int_eq(comp->instantiate_retry_delay, 0);
		ck_assert_ptr_null(comp->terminate.argv);
		ck_assert_int_eq(comp->terminate.timeout, 10 * SA_TIME_ONE_SECOND);
		ck_assert_ptr_null(comp->cleanup.argv);
		ck_assert_int_eq(comp->csi_set_timeout, 10 * SA_TIME_ONE_SECOND);
		ck_assert_int_eq(comp->csi_remove_timeout, 10 * SA_TIME_ONE_SECOND);
		ck_assert_int_eq(comp->terminate_callback_timeout, 10 * SA_TIME_ONE_SECOND);
		ck_assert_int_eq(comp->quiescing_timeout, 10 * SA_TIME_ONE_SECOND);
		ck_assert_uint_eq(comp->n_healthchecks, 0);
	}
	ck_assert_str_eq(sg->sus[0].comps[0].dn,
			 "safComp=csa104CompI0,safSu=csa104SUI0,safSg=csa104SG,safApp=csa104");
	ck_assert_str_eq(sg->sus[1].comps[0].dn,
			 "safComp=csa104CompI1,safSu=csa104SUI1,safSg=csa104SG,safApp=csa104");
	/* Lines are where tags begin, even when they span several lines. */
	ck_assert_uint_eq(sg->line, 18);
	ck_assert_uint_eq(sg->sus[0].line, 21);

	si = &app->sis[0];
	ck_assert_str_eq(si->dn, "safSi=csa104SII,safApp=csa104");
	ck_assert_ptr_eq(si->sg, sg);
	ck_assert_uint_eq(si->rank, 1);
	ck_assert_uint_eq(si->n_csis, 1);
	ck_assert_str_eq(si->csis[0].dn, "safCsi=csa104CSII,safSi=csa104SII,safApp=csa104");
	ck_assert_ptr_eq(si->csis[0].type, &m->comp_types[0]);
	ck_assert_uint_eq(si->csis[0].n_attrs, 0);
	ck_assert_uint_eq(si->n_depends, 0);
	amf_model_free(m);
}
END_TEST

START_TEST(test_minimal)
{
	static const char *const argv[] = { "sleep", "1d", NULL };
	struct amf_model *m = load_ok(SRC "/samples/amf-minimal.xml");
	struct amf_sg *sg = &m->apps[0].sgs[0];
	struct amf_comp *comp = &sg->sus[0].comps[0];

	ck_assert_int_eq(sg->model, SA_AMF_NO_REDUNDANCY_MODEL);
	ck_assert_uint_eq(sg->active_sus, 1);
	ck_assert_uint_eq(sg->standby_sus, 0);
	ck_assert_uint_eq(sg->in_service_sus, 1);
	ck_assert(!comp->sa_aware);
	assert_argv(&comp->instantiate, argv);
	ck_assert_uint_eq(m->count.comps, 1);
	amf_model_free(m);
}
END_TEST

START_TEST(test_full)
{
	static const char *const cleanup[] = { "/usr/bin/pkill", "-9", "db", NULL };
	static const char *const httpd[] = {
		"/usr/sbin/httpd", "-f", "/etc/my httpd.conf", "a b", NULL
	};
	static const char *const stop[] = { "/usr/sbin/httpd", "-k", "stop", NULL };
	struct amf_model *m = load_ok(DIR "good-full.xml");
	char *dir = realpath(SRC "/tests/amf-config", NULL), db[1024];
	struct amf_app *shop = &m->apps[0], *tiny = &m->apps[1];
	struct amf_sg *dbsg = sg_named(shop, "dbsg"), *web = sg_named(shop, "web");
	struct amf_comp *db1 = &dbsg->sus[0].comps[0], *db2 = &dbsg->sus[1].comps[0];
	struct amf_comp *http = &web->sus[0].comps[0], *logger = &web->sus[0].comps[1];
	struct amf_si *data = &shop->sis[0], *front = &shop->sis[1];
	const char *db1_argv[] = { db, "--data", "/var/lib/my db", NULL };
	const char *db2_argv[] = { db, "--data", "/var/lib/my db", "--replica", NULL };

	ck_assert_ptr_nonnull(dir);
	snprintf(db, sizeof(db), "%s/bin/db", dir);
	free(dir);

	ck_assert_uint_eq(m->count.nodes, 3);
	ck_assert_uint_eq(m->count.apps, 2);
	ck_assert_uint_eq(m->count.sgs, 3);
	ck_assert_uint_eq(m->count.sus, 5);
	ck_assert_uint_eq(m->count.comps, 6);
	ck_assert_uint_eq(m->count.sis, 3);
	ck_assert_uint_eq(m->count.csis, 4);
	ck_assert_uint_eq(m->nodes[2].nodeid, 7);
	ck_assert_uint_eq(m->n_comp_types, 2);		/* db + built-in default */
	ck_assert_str_eq(m->comp_types[0].name, "db");
	ck_assert_uint_eq(m->comp_types[0].line, 4);	/* where the tag begins */

	/* N+M: defaults derived from the SU count, overrides kept. */
	ck_assert_int_eq(dbsg->model, SA_AMF_NPM_REDUNDANCY_MODEL);
	ck_assert(!dbsg->auto_repair);
	ck_assert_uint_eq(dbsg->su_failover.max, 5);
	ck_assert_int_eq(dbsg->su_failover.probation, 2 * SA_TIME_ONE_HOUR);
	ck_assert_uint_eq(dbsg->comp_restart.max, 3);
	ck_assert_int_eq(dbsg->comp_restart.probation, SA_TIME_ONE_MINUTE);
	ck_assert_uint_eq(dbsg->active_sus, 2);
	ck_assert_uint_eq(dbsg->standby_sus, 1);
	ck_assert_uint_eq(dbsg->in_service_sus, 3);
	ck_assert_uint_eq(dbsg->sus[1].rank, 9);
	ck_assert_uint_eq(dbsg->sus[2].rank, 3);
	ck_assert_str_eq(dbsg->sus[2].node->name, "gamma");
	ck_assert_str_eq(dbsg->sus[1].node->dn, "safAmfNode=beta,safAmfCluster=lab");

	/* Type settings, the component's own winning. */
	ck_assert_ptr_eq(db1->type, &m->comp_types[0]);
	ck_assert_int_eq(db1->recovery, SA_AMF_COMPONENT_FAILOVER);
	ck_assert_int_eq(db1->csi_set_timeout, 7 * SA_TIME_ONE_SECOND);
	ck_assert_int_eq(db1->csi_remove_timeout, 3 * SA_TIME_ONE_SECOND);
	ck_assert_int_eq(db1->quiescing_timeout, 3 * SA_TIME_ONE_SECOND);
	ck_assert_int_eq(db2->csi_set_timeout, 5 * SA_TIME_ONE_SECOND);
	assert_argv(&db1->instantiate, db1_argv);
	assert_argv(&db2->instantiate, db2_argv);
	ck_assert_int_eq(db1->instantiate.timeout, 20 * SA_TIME_ONE_SECOND);
	ck_assert_int_eq(db2->instantiate.timeout, 30 * SA_TIME_ONE_SECOND);
	ck_assert_uint_eq(db2->instantiate_retries, 4);
	ck_assert_int_eq(db2->instantiate_retry_delay, 500 * SA_TIME_ONE_MILLISECOND);
	ck_assert_ptr_null(db1->terminate.argv);
	assert_argv(&db2->cleanup, cleanup);

	/* Environment: type, component, type command, component command. */
	ck_assert_uint_eq(db1->instantiate.n_env, 3);
	ck_assert_str_eq(env_value(&db1->instantiate, "DB_MODE"), "type");
	ck_assert_str_eq(env_value(&db1->instantiate, "LANG"), "C");
	ck_assert_uint_eq(db2->instantiate.n_env, 3);
	ck_assert_str_eq(env_value(&db2->instantiate, "DB_HOME"), "/srv/db");
	ck_assert_str_eq(env_value(&db2->instantiate, "LANG"), "en_US.UTF-8");
	ck_assert_str_eq(env_value(&db2->instantiate, "DB_MODE"), "comp");
	ck_assert_uint_eq(db2->cleanup.n_env, 2);
	ck_assert_ptr_null(env_value(&db2->cleanup, "DB_MODE"));

	/* Healthchecks: the type's, the component's replacing same keys. */
	ck_assert_uint_eq(db1->n_healthchecks, 2);
	assert_key(&db1->healthchecks[0], "ping", 2 * SA_TIME_ONE_SECOND, SA_TIME_ONE_SECOND);
	assert_key(&db1->healthchecks[1], "deep", SA_TIME_ONE_MINUTE, SA_TIME_ONE_MINUTE);
	ck_assert_uint_eq(db2->n_healthchecks, 3);
	assert_key(&db2->healthchecks[0], "ping", 500 * SA_TIME_ONE_MILLISECOND,
		   500 * SA_TIME_ONE_MILLISECOND);
	assert_key(&db2->healthchecks[1], "deep", SA_TIME_ONE_MINUTE, SA_TIME_ONE_MINUTE);
	assert_key(&db2->healthchecks[2], "extra", 10 * SA_TIME_ONE_SECOND,
		   10 * SA_TIME_ONE_SECOND);

	/* A component without a type; quoting in cmd. */
	ck_assert_int_eq(web->model, SA_AMF_NO_REDUNDANCY_MODEL);
	ck_assert_uint_eq(web->active_sus, 1);
	ck_assert_uint_eq(web->standby_sus, 0);
	ck_assert_str_eq(http->type->name, "default");
	ck_assert(!http->sa_aware);
	ck_assert(!http->restartable);
	ck_assert_int_eq(http->recovery, SA_AMF_NODE_FAILOVER);
	assert_argv(&http->instantiate, httpd);
	assert_argv(&http->terminate, stop);
	ck_assert_int_eq(http->terminate.timeout, SA_TIME_ONE_MINUTE);
	ck_assert_str_eq(logger->type->name, "db");

	/* SIs, CSIs, attributes, dependencies. */
	ck_assert_ptr_eq(data->sg, dbsg);
	ck_assert_uint_eq(data->rank, 2);
	ck_assert_uint_eq(data->csis[0].n_attrs, 3);
	ck_assert_str_eq(data->csis[0].attrs[0].name, "port");
	ck_assert_str_eq(data->csis[0].attrs[0].value, "5432");
	ck_assert_str_eq(data->csis[0].attrs[2].name, "peer");
	ck_assert_str_eq(data->csis[0].attrs[2].value, "b");
	ck_assert_ptr_eq(data->csis[0].type, &m->comp_types[0]);
	ck_assert_ptr_eq(front->sg, web);
	ck_assert_uint_eq(front->rank, 2);
	ck_assert_uint_eq(front->n_depends, 1);
	ck_assert_ptr_eq(front->depends[0], data);
	ck_assert_str_eq(front->csis[1].type->name, "db");
	ck_assert_uint_eq(web->n_sis, 1);
	ck_assert_ptr_eq(web->sis[0], front);

	/* An SI before its SG in the file; the app's only SG protects it. */
	ck_assert_ptr_eq(tiny->sis[0].sg, &tiny->sgs[0]);
	ck_assert_int_eq(tiny->sgs[0].model, SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL);
	ck_assert_uint_eq(tiny->sgs[0].in_service_sus, 1);
	ck_assert_uint_eq(tiny->sgs[0].active_sus, 1);

	/* Assignments per SI and SIs per SU, defaults per model. */
	ck_assert_uint_eq(dbsg->max_active_sis, 3);
	ck_assert_uint_eq(dbsg->max_standby_sis, 0);
	ck_assert_uint_eq(data->active_assignments, 1);
	ck_assert_uint_eq(data->standby_assignments, 1);
	ck_assert_uint_eq(front->active_assignments, 1);
	ck_assert_uint_eq(front->standby_assignments, 0);
	ck_assert_uint_eq(tiny->sis[0].active_assignments, 1);	/* the SG's active SUs */
	ck_assert_uint_eq(tiny->sis[0].standby_assignments, 0);
	amf_model_free(m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Bad files: every expected error, and no other                            */
/* ------------------------------------------------------------------------ */

static const struct {
	const char *file;
	int line;
	const char *message;	/* a substring */
} expected[] = {
	{ "bad-xml.xml", 4, "Opening and ending tag mismatch: cluster line 3 and safd" },
	{ "bad-xml.xml", 5, "Premature end of data" },

	{ "bad-root.xml", 3, "the root element must be <safd>" },

	{ "bad-schema.xml", 6, "element node: attribute 'name' is required" },
	{ "bad-schema.xml", 9, "element sg: attribute 'model': '3N' is not one of 2N, N+M, "
	  "N-Way, N-Way-Active, No-Redundancy" },
	{ "bad-schema.xml", 9, "element sg: unknown attribute 'colour'" },
	{ "bad-schema.xml", 11, "element comp: attribute 'restartable': 'maybe' is not one of" },
	{ "bad-schema.xml", 13, "element instantiate: only one <instantiate> is allowed "
	  "inside <comp>" },
	{ "bad-schema.xml", 14, "element foo: not allowed inside <comp> (unknown element)" },
	{ "bad-schema.xml", 17, "element si: not allowed inside <sg>" },
	{ "bad-schema.xml", 19, "element si: attribute 'rank': '-1' is not a whole number" },
	{ "bad-schema.xml", 20, "element csi: text is not allowed here" },
	{ "bad-schema.xml", 22, "element si: attribute 'name': 'a b' is not a valid name" },
	{ "bad-schema.xml", 23, "element si: attribute 'name' is required" },
	{ "bad-schema.xml", 25, "element cluster: only one <cluster> is allowed inside <safd>" },
	{ "bad-schema.xml", 26, "element app: attribute 'name' is required" },

	{ "bad-times.xml", 6, "element sg: attribute 'comp-restart-probation': '10' has no "
	  "unit (write 10ms, 10s, 10min or 10h)" },
	{ "bad-times.xml", 8, "element comp: attribute 'callback-timeout': empty value" },
	{ "bad-times.xml", 9, "element instantiate: attribute 'timeout': '1.5s': write a "
	  "whole number of a smaller unit" },
	{ "bad-times.xml", 10, "element healthcheck: attribute 'period': '5sec': unknown unit "
	  "'sec' (use ms, s, min or h)" },
	{ "bad-times.xml", 11, "element terminate: attribute 'timeout': 'soon' is not a "
	  "duration" },

	{ "bad-ranges.xml", 4, "element node: attribute 'nodeid': must be at least 1" },
	{ "bad-ranges.xml", 6, "element sg: attribute 'su-restart-probation': '25h' is too "
	  "long (at most 24h)" },
	{ "bad-ranges.xml", 6, "element sg: attribute 'in-service-sus': must be at least 1" },
	{ "bad-ranges.xml", 8, "element comp: attribute 'callback-timeout': 0s is too short "
	  "(at least 1ms)" },
	{ "bad-ranges.xml", 9, "element instantiate: attribute 'timeout': 0ms is too short" },
	{ "bad-ranges.xml", 10, "element healthcheck: key 'this-key-is-longer-than-thirty-"
	  "two-bytes' is longer than 32 bytes" },
	{ "bad-ranges.xml", 11, "element healthcheck: key '' is empty" },
	{ "bad-ranges.xml", 12, "element cleanup: attribute 'timeout': '99999999999999h' is "
	  "too long" },

	{ "bad-names.xml", 6, "node 'n1' is already defined at line 5" },
	{ "bad-names.xml", 7, "node 'n3': nodeid 1 is already used by node 'n1' (line 5)" },
	{ "bad-names.xml", 10, "comp-type 't' is already defined at line 9" },
	{ "bad-names.xml", 16, "element env: 'A' is set twice in <comp>" },
	{ "bad-names.xml", 18, "element healthcheck: key 'hc' is already defined at line 17" },
	{ "bad-names.xml", 20, "comp 'c1' is already defined in su 's1' at line 14" },
	{ "bad-names.xml", 22, "su 's1' is already defined in sg 'g' at line 13" },
	{ "bad-names.xml", 24, "sg 'g' is already defined in app 'a' at line 12" },
	{ "bad-names.xml", 27, "csi 'x' is already defined in si 'i' at line 27" },
	{ "bad-names.xml", 28, "si 'i' is already defined in app 'a' at line 27" },
	{ "bad-names.xml", 30, "app 'a' is already defined at line 11" },

	{ "bad-refs.xml", 10, "su 's1': node 'n9' is not defined in <cluster>" },
	{ "bad-refs.xml", 11, "su 's2': say which node it runs on (node=\"...\"): the "
	  "cluster has 2 nodes" },
	{ "bad-refs.xml", 12, "comp 'c3': comp-type 'nosuch' is not defined" },
	{ "bad-refs.xml", 17, "si 'i1': say which SG protects it (sg=\"...\")" },
	{ "bad-refs.xml", 18, "si 'i2': sg 'g9' is not defined in app 'a'" },
	{ "bad-refs.xml", 19, "csi 'x': comp-type 'other' is not defined" },
	{ "bad-refs.xml", 19, "si 'i3': depends on si 'i9', which is not defined in app 'a'" },
	{ "bad-refs.xml", 19, "si 'i3' depends on itself" },
	{ "bad-refs.xml", 20, "si 'i4': its dependencies form a cycle" },
	{ "bad-refs.xml", 21, "si 'i5': its dependencies form a cycle" },
	{ "bad-refs.xml", 24, "si 'lonely': app 'empty' has no SG to protect it" },

	{ "bad-model.xml", 7, "sg 'two': a 2N SG has exactly one active and one standby SU" },
	{ "bad-model.xml", 7, "sg 'two': a 2N SG needs exactly 2 SUs (one active, one "
	  "standby); it has 3" },
	{ "bad-model.xml", 12, "sg 'one': a 2N SG needs exactly 2 SUs (one active, one "
	  "standby); it has 1" },
	{ "bad-model.xml", 15, "sg 'none' has no SU" },
	{ "bad-model.xml", 17, "su 's1' has no component" },
	{ "bad-model.xml", 23, "si 'empty' has no CSI" },
	{ "bad-model.xml", 24, "csi 'db' (comp-type 'db') cannot be assigned to su 's2' "
	  "(line 21): it has no component of that type" },
	{ "bad-model.xml", 28, "is 287 bytes long, more than the 256 a SaNameT holds" },

	{ "bad-models.xml", 7, "sg 'npm': N+M with 2 active and 2 standby SUs needs 4 SUs; it "
	  "has 3" },
	{ "bad-models.xml", 12, "sg 'nway': active-sus and standby-sus apply to an N+M SG only "
	  "(this one is N-Way)" },
	{ "bad-models.xml", 16, "sg 'two': max-active-sis and max-standby-sis apply to N+M, "
	  "N-Way and N-Way-Active SGs only (this one is 2N)" },
	{ "bad-models.xml", 24, "si 'i1': standby-assignments 2, but sg 'nway' has 2 SUs (one "
	  "holds it ACTIVE)" },
	{ "bad-models.xml", 25, "si 'i2': active-assignments applies to an N-Way-Active SG only "
	  "(sg 'nway' is N-Way)" },
	{ "bad-models.xml", 26, "si 'i3': active-assignments 3, but sg 'nwa' has 2 SUs" },
	{ "bad-models.xml", 27, "si 'i4': standby-assignments applies to an N-Way SG only "
	  "(sg 'nwa' is N-Way-Active)" },
	{ "bad-models.xml", 28, "element si: attribute 'active-assignments': must be at least 1" },

	{ "bad-comp.xml", 5, "element terminate: args= without a cmd=" },
	{ "bad-comp.xml", 9, "comp 'nocmd': no instantiate command (add <instantiate "
	  "cmd=\"...\"/> to it or to comp-type 'default')" },
	{ "bad-comp.xml", 10, "element instantiate: attribute 'cmd': unterminated ' quote" },
	{ "bad-comp.xml", 11, "element instantiate: attribute 'cmd' is empty" },
	{ "bad-comp.xml", 13, "element instantiate: attribute 'cmd': unterminated \" quote" },
};

static const char *const bad_files[] = {
	"bad-xml.xml", "bad-root.xml", "bad-schema.xml", "bad-times.xml", "bad-ranges.xml",
	"bad-names.xml", "bad-refs.xml", "bad-model.xml", "bad-models.xml", "bad-comp.xml",
};

START_TEST(test_bad_file)
{
	const char *name = bad_files[_i];
	struct amf_model *m = (struct amf_model *)&m;	/* must be reset */
	struct errs e = { .n = 0 };
	char path[512];
	int want = 0, k, j;
	size_t i;

	snprintf(path, sizeof(path), DIR "%s", name);
	ck_assert_int_eq(amf_config_load_report(path, &m, collect, &e), -EINVAL);
	ck_assert_ptr_null(m);
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		if (strcmp(expected[i].file, name) != 0)
			continue;
		want++;
		for (k = 0; k < e.n; k++)
			if (e.v[k].line == expected[i].line &&
			    strstr(e.v[k].message, expected[i].message) != NULL)
				break;
		if (k == e.n) {
			dump(&e);
			ck_abort_msg("%s:%d: no error containing \"%s\"", name,
				     expected[i].line, expected[i].message);
		}
		ck_assert_str_eq(e.v[k].file, path);
	}
	if (e.n != want)
		dump(&e);
	ck_assert_int_eq(e.n, want);
	/* Reported in line order. */
	for (j = 1; j < e.n; j++)
		ck_assert_int_le(e.v[j - 1].line, e.v[j].line);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Values, files, the schema                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_times)
{
	static const struct {
		const char *text;
		SaTimeT ns;		/* -1: refused */
		const char *why;
	} t[] = {
		{ "500ms", 500 * SA_TIME_ONE_MILLISECOND, NULL },
		{ "10s", 10 * SA_TIME_ONE_SECOND, NULL },
		{ "2min", 2 * SA_TIME_ONE_MINUTE, NULL },
		{ "1h", SA_TIME_ONE_HOUR, NULL },
		{ " 24h\n", 24 * SA_TIME_ONE_HOUR, NULL },
		{ "0ms", 0, NULL },
		{ "86400000ms", 24 * SA_TIME_ONE_HOUR, NULL },
		{ "86400001ms", -1, "too long" },
		{ "10", -1, "'10' has no unit" },
		{ "", -1, "empty value" },
		{ "1.5s", -1, "whole number" },
		{ "10sec", -1, "unknown unit 'sec'" },
		{ "10 s", -1, "unknown unit" },
		{ "s", -1, "is not a duration" },
		{ "-1s", -1, "is not a duration" },
		{ "99999999999999999999s", -1, "too long" },
	};
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		SaTimeT ns = -42;
		int rc = cfg_parse_time(t[i].text, &ns, why, sizeof(why));

		if (t[i].ns >= 0) {
			ck_assert_msg(rc == 0, "'%s' refused: %s", t[i].text, why);
			ck_assert_int_eq(ns, t[i].ns);
		} else {
			ck_assert_msg(rc < 0, "'%s' accepted", t[i].text);
			ck_assert_msg(strstr(why, t[i].why) != NULL, "'%s': %s", t[i].text, why);
			ck_assert_int_eq(ns, -42);
		}
	}
}
END_TEST

START_TEST(test_missing_file)
{
	struct amf_model *m = NULL;
	struct errs e = { .n = 0 };

	ck_assert_int_eq(amf_config_load_report(DIR "no-such-file.xml", &m, collect, &e),
			 -EINVAL);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(e.n, 1);
	ck_assert_int_eq(e.v[0].line, 0);
	ck_assert_str_eq(e.v[0].message, "cannot read: No such file or directory");
	/* The qb_log flavour fails the same way. */
	ck_assert_int_eq(amf_config_load(DIR "no-such-file.xml", &m), -EINVAL);
	ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_missing_schema)
{
	const char *saved = getenv("SAFD_SCHEMA");
	char *keep = saved ? strdup(saved) : NULL;
	struct amf_model *m = NULL;
	struct errs e = { .n = 0 };
	int k;

	setenv("SAFD_SCHEMA", DIR "no-such-schema.rng", 1);
	ck_assert_str_eq(amf_config_schema_path(), DIR "no-such-schema.rng");
	ck_assert_int_eq(amf_config_load_report(SRC "/samples/amf-minimal.xml", &m, collect,
						&e), -EINVAL);
	ck_assert_ptr_null(m);
	for (k = 0; k < e.n; k++)
		if (strstr(e.v[k].message, "cannot read the schema " DIR "no-such-schema.rng"))
			break;
	if (k == e.n)
		dump(&e);
	ck_assert_int_lt(k, e.n);
	if (keep != NULL)
		setenv("SAFD_SCHEMA", keep, 1);
	else
		unsetenv("SAFD_SCHEMA");
	free(keep);
}
END_TEST

/* A document the walk cannot explain (a namespace on <safd>) still fails,
 * with libxml2's own words. */
START_TEST(test_schema_fallback)
{
	char path[] = "/tmp/check_amf_config-XXXXXX";
	struct amf_model *m = NULL;
	struct errs e = { .n = 0 };
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("<?xml version=\"1.0\"?>\n<safd xmlns=\"urn:other\">\n</safd>\n", f);
	fclose(f);
	ck_assert_int_eq(amf_config_load_report(path, &m, collect, &e), -EINVAL);
	unlink(path);
	ck_assert_ptr_null(m);
	if (e.n < 1)
		dump(&e);
	ck_assert_int_ge(e.n, 1);
	ck_assert_int_eq(e.v[0].line, 2);
	ck_assert_str_ne(e.v[0].message, "");
}
END_TEST

/* A DOCTYPE: lines come from libxml2, the file still loads. */
START_TEST(test_doctype)
{
	char path[] = "/tmp/check_amf_config-XXXXXX";
	struct amf_model *m;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE safd>\n<safd>\n"
	      "  <cluster name=\"c\"><node name=\"n\" nodeid=\"1\"/></cluster>\n"
	      "</safd>\n", f);
	fclose(f);
	m = load_ok(path);
	unlink(path);
	ck_assert_uint_eq(m->n_apps, 0);
	ck_assert_uint_eq(m->nodes[0].line, 4);
	amf_model_free(m);
}
END_TEST

/* Loading twice gives two independent models (nothing static inside). */
START_TEST(test_reload)
{
	struct amf_model *a = load_ok(DIR "good-full.xml");
	struct amf_model *b = load_ok(DIR "good-full.xml");

	ck_assert_ptr_ne(a, b);
	ck_assert_ptr_ne(a->apps, b->apps);
	ck_assert_str_eq(a->apps[0].sgs[0].sus[0].comps[0].dn,
			 b->apps[0].sgs[0].sus[0].comps[0].dn);
	amf_model_free(a);
	amf_model_free(b);
	amf_model_free(NULL);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("amf_config");
	TCase *tc;

	tc = tcase_create("good");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_csa104);
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_reload);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_bad_file, 0, (int)(sizeof(bad_files) / sizeof(bad_files[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_times);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_missing_schema);
	tcase_add_test(tc, test_schema_fallback);
	tcase_add_test(tc, test_doctype);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* The schema of this tree, never an installed one. */
	setenv("SAFD_SCHEMA", SRC "/amf/schema/safd.rng", 1);
	sr = srunner_create(config_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
