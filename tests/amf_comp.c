/*
 * amf_comp: the SA-aware test component of the AMF cluster tests
 * (tests/cluster/amf-lifecycle.sh and the other amf- scripts). AMF starts
 * it with its instantiate command; what it does is chosen by environment
 * variables that the test's configuration sets with <env> (the files in
 * tests/amf-tests). It writes one line per event to stdout, which AMF
 * appends to $SAFD_STATE_DIR/<comp short name>.log, so that a script can
 * check every callback and its arguments:
 *
 *   t=<wall clock ms> pid=<pid> <event> key=value ...
 *
 * Events: start, exit, initialize, selection_object, name_get,
 * register_delay, register, register_again, register_skipped, csi_set,
 * csi_attr, no_answer, act_delay, csi_remove, terminate, unregister,
 * response, quiescing_deferred, quiescing_complete, ha_state, error_report_begin, error_report,
 * error_report_skipped, healthcheck, dispatch; for health checks and
 * passive monitoring hc_start, hc_no_answer, hc_confirm, hc_confirm_stopped,
 * hc_probe, pm_fork, pm_start, pm_stop, pm_end, pm_child_exit. Values never
 * contain blanks (empty is written as key=); every library call is logged
 * with err=<SaAisErrorT number>.
 *
 * Environment (all optional; the default is a well-behaved component):
 *   AMF_COMP_EXIT_AT_START=N   exit with status N at once (a failing
 *                              instantiate command)
 *   AMF_COMP_REGISTER=yes|no   no: initialize, then never register
 *   AMF_COMP_REGISTER_DELAY_MS=N  wait N ms before registering
 *   AMF_COMP_REGISTER_TWICE=1  register a second time and log the answer
 *                              (SA_AIS_ERR_EXIST expected)
 *   AMF_COMP_CALLBACKS=all|none  none: initialize without the CSI and
 *                              terminate callbacks (register: SA_AIS_ERR_INIT)
 *   AMF_COMP_CSI_SET=ok|failed|never   answer to CSI set callbacks:
 *                              SA_AIS_OK, SA_AIS_ERR_FAILED_OPERATION, or none
 *   AMF_COMP_CSI_SET_ON=any|active|standby|quiesced|quiescing
 *                              the HA state AMF_COMP_CSI_SET applies to;
 *                              other CSI sets are answered SA_AIS_OK
 *   AMF_COMP_EXIT_ON=active|standby|...  exit (status AMF_COMP_EXIT_STATUS,
 *                              default 3) on a CSI set to that HA state,
 *                              without answering it
 *   AMF_COMP_REPORT_ON=active|standby|...  after answering a CSI set to that
 *                              HA state, report an error on itself with
 *   AMF_COMP_REPORT_RECOVERY=no-recommendation|component-restart|
 *                              component-failover|node-switchover|
 *                              node-failover|node-failfast|cluster-reset|
 *                              application-restart|container-restart
 *                              (default no-recommendation)
 *   AMF_COMP_REPORT_ONCE=1     report only in the first process of the
 *                              component (a marker file in SAFD_STATE_DIR)
 *   AMF_COMP_ACT_DELAY_MS=N    wait N ms before answering FAILED_OPERATION
 *                              or reporting the error
 *   AMF_COMP_QUIESCE_MS=N      call saAmfCSIQuiescingComplete N ms after a
 *                              QUIESCING (default at once), serving the
 *                              loop meanwhile (logs quiescing_deferred)
 *
 * HA readiness and correlation ids (tests/cluster/amf-readiness.sh):
 *   AMF_COMP_HARS_ON=active|standby  after answering a CSI set to that HA
 *                              state, set the HA readiness of every CSI it
 *                              can take to AMF_COMP_HARS_STATE
 *                              (not-ready-for-active, not-ready-for-
 *                              assignment, ready-for-active-degraded,
 *                              ready-for-assignment) and log "hars"; only
 *                              the first component on the node to do so
 *                              (a marker file hars.done in SAFD_STATE_DIR)
 *   AMF_COMP_CORRELATION=1     in each CSI set callback, before answering,
 *                              log saAmfCorrelationIdsGet for its
 *                              invocation and for one that is not
 *
 * Health checks and passive monitoring (tests/cluster/amf-health.sh), all
 * started once the component is registered:
 *   AMF_COMP_HEALTHCHECK=amf|component  start the health check of key
 *                              AMF_COMP_HC_KEY (default "hc"), AMF-invoked
 *                              or component-invoked, recommending
 *                              AMF_COMP_HC_RECOVERY (the names of
 *                              AMF_COMP_REPORT_RECOVERY)
 *   AMF_COMP_HC_STOP_ANSWERING_AFTER=N  answer the first N health-check
 *                              callbacks SA_AIS_OK, then none
 *   AMF_COMP_HC_CONFIRM_MS=N   component-invoked: confirm every N ms
 *                              (default 200)
 *   AMF_COMP_HC_CONFIRM_STOP_AFTER=N  confirm N times, then never again
 *   AMF_COMP_HC_CONFIRM_FAIL_AFTER=N  confirm N times SA_AIS_OK, then once
 *                              SA_AIS_ERR_FAILED_OPERATION
 *   AMF_COMP_FAULT_ONCE=1      only the first process of the component
 *                              injects these faults (and the passive
 *                              monitoring ones below); later processes
 *                              behave (a marker file <short name>.fault in
 *                              SAFD_STATE_DIR)
 *   AMF_COMP_HC_PROBE=1        call the health-check and monitoring
 *                              functions in the ways that must fail (and a
 *                              few that must not), one line each:
 *                              hc_probe case=<name> err=<n>; configured keys
 *                              "probe" and "probe2" are needed, and
 *                              AMF_COMP_PROBE_REMOTE may name a component of
 *                              a node that does not run here
 *   AMF_COMP_PM=child|grandchild  fork a child (and, for grandchild, the
 *                              child a grandchild, which it reaps as soon
 *                              as it ends) that only waits, before
 *                              initializing; then monitor the child with
 *                              saAmfPmStart_3: depth AMF_COMP_PM_DEPTH
 *                              (default 0; -1 to reach the grandchild),
 *                              errors AMF_COMP_PM_ERRORS (a comma list of
 *                              zero, nonzero, abnormal; default all three),
 *                              recommending AMF_COMP_PM_RECOVERY
 *   AMF_COMP_PM_END=kill|exit0|exit1  AMF_COMP_PM_END_AFTER_MS (default
 *                              1000) after the start, the victim (the
 *                              child, or the grandchild with
 *                              AMF_COMP_PM=grandchild) is killed with
 *                              SIGKILL or exits 0 or 1
 *   AMF_COMP_PM_STOP=proc|descendants|all  just before that, saAmfPmStop
 *                              the child's monitoring (PROC,
 *                              PROC_AND_DESCENDENTS) or the component's
 *                              (ALL_PROCESSES) for AMF_COMP_PM_ERRORS
 *   The forked processes die with their parent (PR_SET_PDEATHSIG); the
 *   component reaps them and logs pm_child_exit.
 *
 * After answering a CSI set it asks saAmfHAStateGet for the CSI it names,
 * or for every CSI it holds after a TARGET_ALL change, and logs the
 * answers. SIGTERM: logs and exits 0.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <saAmf.h>

static SaAmfHandleT handle;
static SaNameT my_name;
static volatile sig_atomic_t got_term;

/* The CSIs this process was given (ADD_ONE), so that a TARGET_ALL change
 * can be checked with saAmfHAStateGet on each. */
#define MAX_CSIS 16
static SaNameT csis[MAX_CSIS];
static unsigned n_csis;

/* ------------------------------------------------------------------ */
/* Logging                                                             */

static long long wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	printf("t=%lld pid=%ld ", wall_ms(), (long)getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A name as printable text without blanks (at most 256 bytes + NUL). */
static const char *name_str(const SaNameT *n, char *buf)
{
	uint16_t i, len;

	if (n == NULL)
		return "(null)";
	len = n->length <= SA_MAX_NAME_LENGTH ? n->length : SA_MAX_NAME_LENGTH;
	for (i = 0; i < len; i++) {
		uint8_t ch = n->value[i];

		buf[i] = ch > 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	buf[len] = '\0';
	return buf;
}

static const char *ha_str(SaAmfHAStateT ha)
{
	switch (ha) {
	case SA_AMF_HA_ACTIVE: return "ACTIVE";
	case SA_AMF_HA_STANDBY: return "STANDBY";
	case SA_AMF_HA_QUIESCED: return "QUIESCED";
	case SA_AMF_HA_QUIESCING: return "QUIESCING";
	}
	return "INVALID";
}

static const char *flags_str(SaAmfCSIFlagsT f)
{
	switch (f) {
	case SA_AMF_CSI_ADD_ONE: return "ADD_ONE";
	case SA_AMF_CSI_TARGET_ONE: return "TARGET_ONE";
	case SA_AMF_CSI_TARGET_ALL: return "TARGET_ALL";
	}
	return "INVALID";
}

static const char *transition_str(SaAmfCSITransitionDescriptorT t)
{
	switch (t) {
	case SA_AMF_CSI_NEW_ASSIGN: return "NEW_ASSIGN";
	case SA_AMF_CSI_QUIESCED: return "QUIESCED";
	case SA_AMF_CSI_NOT_QUIESCED: return "NOT_QUIESCED";
	case SA_AMF_CSI_STILL_ACTIVE: return "STILL_ACTIVE";
	}
	return "INVALID";
}

/* ------------------------------------------------------------------ */
/* Configuration from the environment                                 */

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : dflt;
}

static bool env_is(const char *name, const char *dflt, const char *value)
{
	return strcmp(env_or(name, dflt), value) == 0;
}

/* Whether the HA-state selector in variable `name` matches ha. */
static bool ha_selected(const char *name, const char *dflt, SaAmfHAStateT ha)
{
	const char *v = env_or(name, dflt);

	if (strcmp(v, "any") == 0)
		return true;
	return strcasecmp(v, ha_str(ha)) == 0;
}

/* The recovery named by variable `var`. */
static SaAmfRecommendedRecoveryT recovery_from_env(const char *var)
{
	static const struct {
		const char *name;
		SaAmfRecommendedRecoveryT value;
	} table[] = {
		{ "no-recommendation", SA_AMF_NO_RECOMMENDATION },
		{ "component-restart", SA_AMF_COMPONENT_RESTART },
		{ "component-failover", SA_AMF_COMPONENT_FAILOVER },
		{ "node-switchover", SA_AMF_NODE_SWITCHOVER },
		{ "node-failover", SA_AMF_NODE_FAILOVER },
		{ "node-failfast", SA_AMF_NODE_FAILFAST },
		{ "cluster-reset", SA_AMF_CLUSTER_RESET },
		{ "application-restart", SA_AMF_APPLICATION_RESTART },
		{ "container-restart", SA_AMF_CONTAINER_RESTART },
	};
	const char *v = env_or(var, "no-recommendation");
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(v, table[i].name) == 0)
			return table[i].value;
	say("bad %s=%s", var, v);
	exit(2);
}

/* With AMF_COMP_REPORT_ONCE=1, only the first process of the component
 * (across restarts) reports: it leaves <SAFD_STATE_DIR or .>/<short
 * name>.reported behind. */
static bool report_first_time(void)
{
	char path[4096];
	const char *dir = env_or("SAFD_STATE_DIR", ".");
	const char *short_name = strchr((const char *)my_name.value, '=');
	size_t len = 0;
	FILE *f;

	if (!env_is("AMF_COMP_REPORT_ONCE", "0", "1"))
		return true;
	short_name = short_name != NULL ? short_name + 1 : "comp";
	while (short_name[len] != '\0' && short_name[len] != ',' && len < 64)
		len++;
	snprintf(path, sizeof(path), "%s/%.*s.reported", dir, (int)len, short_name);
	if (access(path, F_OK) == 0) {
		say("error_report_skipped marker=%s", path);
		return false;
	}
	f = fopen(path, "w");
	if (f != NULL)
		fclose(f);
	return true;
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

/* AMF_COMP_ACT_DELAY_MS: the wait before a chosen failure (a
 * FAILED_OPERATION answer, an error report), so that the test's other SU
 * can come into service first. Blocks dispatch meanwhile, on purpose. */
static void act_delay(void)
{
	int ms = atoi(env_or("AMF_COMP_ACT_DELAY_MS", "0"));

	if (ms <= 0)
		return;
	say("act_delay ms=%d", ms);
	usleep((useconds_t)ms * 1000);
}

static void respond(SaInvocationT invocation, SaAisErrorT answer)
{
	SaAisErrorT err;

	/* before the call too: an answer that fails the component gets it
	 * killed, maybe before saAmfResponse_4() returns */
	if (answer != SA_AIS_OK)
		say("responding invocation=%llu error=%d", (unsigned long long)invocation,
		    (int)answer);
	err = saAmfResponse_4(handle, invocation, NULL, answer);
	say("response invocation=%llu error=%d err=%d", (unsigned long long)invocation,
	    (int)answer, (int)err);
}

static SaAmfHAReadinessStateT hars_from_env(void)
{
	const char *v = env_or("AMF_COMP_HARS_STATE", "not-ready-for-active");

	if (strcmp(v, "not-ready-for-assignment") == 0)
		return SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT;
	if (strcmp(v, "ready-for-active-degraded") == 0)
		return SA_AMF_HARS_READY_FOR_ACTIVE_DEGRADED;
	if (strcmp(v, "ready-for-assignment") == 0)
		return SA_AMF_HARS_READY_FOR_ASSIGNMENT;
	return SA_AMF_HARS_NOT_READY_FOR_ACTIVE;
}

/* AMF_COMP_HARS_ON: the first component of the node that gets there sets
 * its HA readiness (a marker file keeps the others and restarts out). */
static void hars_maybe(SaAmfHAStateT haState)
{
	char path[4096];
	SaAisErrorT err;
	FILE *f;

	if (getenv("AMF_COMP_HARS_ON") == NULL ||
	    !ha_selected("AMF_COMP_HARS_ON", "none", haState))
		return;
	snprintf(path, sizeof(path), "%s/hars.done", env_or("SAFD_STATE_DIR", "."));
	if (access(path, F_OK) == 0)
		return;
	f = fopen(path, "w");
	if (f != NULL)
		fclose(f);
	err = saAmfHAReadinessStateSet(handle, &my_name, NULL, hars_from_env(), NULL);
	say("hars state=%d err=%d", (int)hars_from_env(), (int)err);
}

static void correlation_maybe(SaInvocationT invocation)
{
	SaNtfCorrelationIdsT ids = { 1, 1, 1 };
	SaAisErrorT err;

	if (!env_is("AMF_COMP_CORRELATION", "0", "1"))
		return;
	err = saAmfCorrelationIdsGet(handle, invocation, &ids);
	say("correlation invocation=%llu err=%d ids=%llu,%llu,%llu",
	    (unsigned long long)invocation, (int)err,
	    (unsigned long long)ids.rootCorrelationId,
	    (unsigned long long)ids.parentCorrelationId,
	    (unsigned long long)ids.notificationId);
	err = saAmfCorrelationIdsGet(handle, invocation + 1000000, &ids);
	say("correlation_unknown err=%d", (int)err);
}

/* QUIESCINGs whose completion is deferred (AMF_COMP_QUIESCE_MS). */
#define MAX_QUIESCING 16
static struct {
	SaInvocationT invocation;
	long long at;
} quiescing[MAX_QUIESCING];
static int n_quiescing;

static void quiescing_complete(SaInvocationT invocation)
{
	SaAisErrorT err = saAmfCSIQuiescingComplete(handle, invocation, SA_AIS_OK);

	say("quiescing_complete invocation=%llu err=%d", (unsigned long long)invocation,
	    (int)err);
}

static void csi_set_cb(SaInvocationT invocation, const SaNameT *compName,
		       SaAmfHAStateT haState, SaAmfCSIDescriptorT d)
{
	char comp[SA_MAX_NAME_LENGTH + 1], csi[SA_MAX_NAME_LENGTH + 1];
	char active[SA_MAX_NAME_LENGTH + 1] = "";
	SaAmfHAStateT got = 0;
	SaAisErrorT err;
	SaUint32T i;

	if (haState == SA_AMF_HA_ACTIVE)
		name_str(&d.csiStateDescriptor.activeDescriptor.activeCompName, active);
	else if (haState == SA_AMF_HA_STANDBY)
		name_str(&d.csiStateDescriptor.standbyDescriptor.activeCompName, active);
	say("csi_set invocation=%llu comp=%s ha=%s flags=%s csi=%s transition=%s "
	    "active_comp=%s standby_rank=%u attrs=%u",
	    (unsigned long long)invocation, name_str(compName, comp), ha_str(haState),
	    flags_str(d.csiFlags), name_str(&d.csiName, csi),
	    haState == SA_AMF_HA_ACTIVE ?
	    transition_str(d.csiStateDescriptor.activeDescriptor.transitionDescriptor) : "-",
	    active,
	    haState == SA_AMF_HA_STANDBY ?
	    (unsigned)d.csiStateDescriptor.standbyDescriptor.standbyRank : 0u,
	    d.csiFlags == SA_AMF_CSI_ADD_ONE ? (unsigned)d.csiAttr.number : 0u);
	for (i = 0; d.csiFlags == SA_AMF_CSI_ADD_ONE && i < d.csiAttr.number; i++)
		say("csi_attr csi=%s name=%s value=%s", csi,
		    (const char *)d.csiAttr.attr[i].attrName,
		    (const char *)d.csiAttr.attr[i].attrValue);

	if (getenv("AMF_COMP_EXIT_ON") != NULL &&
	    ha_selected("AMF_COMP_EXIT_ON", "none", haState)) {
		int status = atoi(env_or("AMF_COMP_EXIT_STATUS", "3"));

		say("exit status=%d on=%s", status, ha_str(haState));
		exit(status);
	}
	if (ha_selected("AMF_COMP_CSI_SET_ON", "any", haState) &&
	    !env_is("AMF_COMP_CSI_SET", "ok", "ok")) {
		if (env_is("AMF_COMP_CSI_SET", "ok", "never")) {
			say("no_answer invocation=%llu", (unsigned long long)invocation);
			return;
		}
		act_delay();
		respond(invocation, SA_AIS_ERR_FAILED_OPERATION);
		return;
	}
	correlation_maybe(invocation);
	respond(invocation, SA_AIS_OK);
	hars_maybe(haState);
	if (haState == SA_AMF_HA_QUIESCING && getenv("AMF_COMP_QUIESCE_MS") != NULL &&
	    n_quiescing < MAX_QUIESCING) {
		quiescing[n_quiescing].invocation = invocation;
		quiescing[n_quiescing++].at = wall_ms() + atoll(getenv("AMF_COMP_QUIESCE_MS"));
		say("quiescing_deferred invocation=%llu", (unsigned long long)invocation);
	} else if (haState == SA_AMF_HA_QUIESCING) {
		quiescing_complete(invocation);
	}
	if (d.csiFlags == SA_AMF_CSI_ADD_ONE && n_csis < MAX_CSIS)
		csis[n_csis++] = d.csiName;
	for (i = 0; i < n_csis; i++) {
		if (d.csiFlags != SA_AMF_CSI_TARGET_ALL &&
		    (csis[i].length != d.csiName.length ||
		     memcmp(csis[i].value, d.csiName.value, d.csiName.length) != 0))
			continue;
		err = saAmfHAStateGet(handle, &my_name, &csis[i], &got);
		say("ha_state csi=%s err=%d ha=%s", name_str(&csis[i], csi), (int)err,
		    err == SA_AIS_OK ? ha_str(got) : "-");
	}
	if (getenv("AMF_COMP_REPORT_ON") != NULL &&
	    ha_selected("AMF_COMP_REPORT_ON", "none", haState) && report_first_time()) {
		SaAmfRecommendedRecoveryT rec = recovery_from_env("AMF_COMP_REPORT_RECOVERY");

		act_delay();
		/* The recovery may kill this process before the call returns. */
		say("error_report_begin recovery=%d", (int)rec);
		err = saAmfComponentErrorReport_4(handle, &my_name, 0, rec, NULL);
		say("error_report recovery=%d err=%d", (int)rec, (int)err);
	}
}

static void csi_remove_cb(SaInvocationT invocation, const SaNameT *compName,
			  const SaNameT *csiName, SaAmfCSIFlagsT csiFlags)
{
	char comp[SA_MAX_NAME_LENGTH + 1], csi[SA_MAX_NAME_LENGTH + 1];
	unsigned i;

	say("csi_remove invocation=%llu comp=%s csi=%s flags=%s",
	    (unsigned long long)invocation, name_str(compName, comp),
	    name_str(csiName, csi), flags_str(csiFlags));
	i = 0;
	while (i < n_csis) {
		if (csiFlags == SA_AMF_CSI_TARGET_ALL ||
		    (csis[i].length == csiName->length &&
		     memcmp(csis[i].value, csiName->value, csiName->length) == 0))
			csis[i] = csis[--n_csis];
		else
			i++;
	}
	respond(invocation, SA_AIS_OK);
}

static void terminate_cb(SaInvocationT invocation, const SaNameT *compName)
{
	char comp[SA_MAX_NAME_LENGTH + 1];
	SaAisErrorT err;

	say("terminate invocation=%llu comp=%s", (unsigned long long)invocation,
	    name_str(compName, comp));
	err = saAmfComponentUnregister(handle, &my_name, NULL);
	say("unregister err=%d", (int)err);
	respond(invocation, SA_AIS_OK);
	saAmfFinalize(handle);
	say("exit status=0 on=terminate");
	exit(0);
}

static void hc_answer(SaInvocationT invocation);

static void healthcheck_cb(SaInvocationT invocation, const SaNameT *compName,
			   SaAmfHealthcheckKeyT *key)
{
	char comp[SA_MAX_NAME_LENGTH + 1];

	say("healthcheck invocation=%llu comp=%s key_len=%u key=%.*s",
	    (unsigned long long)invocation, name_str(compName, comp), (unsigned)key->keyLen,
	    (int)(key->keyLen <= SA_AMF_HEALTHCHECK_KEY_MAX ? key->keyLen : 0),
	    (const char *)key->key);
	hc_answer(invocation);
}

/* ------------------------------------------------------------------ */
/* Health checks and passive monitoring                                */

static SaAmfHealthcheckKeyT hc_key;		/* AMF_COMP_HEALTHCHECK's */
static bool hc_faulty;				/* this process injects faults */
static unsigned hc_answered, hc_confirms;
static long long hc_next_confirm;		/* wall ms, 0: none due */
static pid_t pm_child, pm_grandchild;
static long long pm_end_at;			/* wall ms, 0: none */

static void key_set(SaAmfHealthcheckKeyT *k, const char *text)
{
	size_t len = strlen(text);

	memset(k, 0, sizeof(*k));
	if (len > SA_AMF_HEALTHCHECK_KEY_MAX)
		len = SA_AMF_HEALTHCHECK_KEY_MAX;
	memcpy(k->key, text, len);
	k->keyLen = (SaUint16T)len;
}

/* With AMF_COMP_FAULT_ONCE=1, true only in the first process of the
 * component (across restarts): it leaves <SAFD_STATE_DIR>/<short
 * name>.fault behind. */
static bool fault_first_time(void)
{
	char path[4096];
	const char *dir = env_or("SAFD_STATE_DIR", ".");
	const char *short_name = strchr((const char *)my_name.value, '=');
	size_t len = 0;
	FILE *f;

	if (!env_is("AMF_COMP_FAULT_ONCE", "0", "1"))
		return true;
	short_name = short_name != NULL ? short_name + 1 : "comp";
	while (short_name[len] != '\0' && short_name[len] != ',' && len < 64)
		len++;
	snprintf(path, sizeof(path), "%s/%.*s.fault", dir, (int)len, short_name);
	if (access(path, F_OK) == 0)
		return false;
	f = fopen(path, "w");
	if (f != NULL)
		fclose(f);
	return true;
}

/* In a process that injects faults: whether variable `var` (a count N) is
 * set and `count` has reached it. */
static bool after(const char *var, unsigned count)
{
	const char *v = getenv(var);

	return hc_faulty && v != NULL && v[0] != '\0' && count >= (unsigned)atoi(v);
}

static void hc_answer(SaInvocationT invocation)
{
	if (after("AMF_COMP_HC_STOP_ANSWERING_AFTER", hc_answered)) {
		say("hc_no_answer invocation=%llu answered=%u", (unsigned long long)invocation,
		    hc_answered);
		return;
	}
	hc_answered++;
	respond(invocation, SA_AIS_OK);
}

static void hc_setup(void)
{
	const char *type = getenv("AMF_COMP_HEALTHCHECK");
	SaAmfRecommendedRecoveryT rec;
	bool amf;
	SaAisErrorT err;

	if (type == NULL || type[0] == '\0')
		return;
	amf = strcmp(type, "amf") == 0;
	rec = recovery_from_env("AMF_COMP_HC_RECOVERY");
	key_set(&hc_key, env_or("AMF_COMP_HC_KEY", "hc"));
	err = saAmfHealthcheckStart(handle, &my_name, &hc_key,
				    amf ? SA_AMF_HEALTHCHECK_AMF_INVOKED :
				    SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, rec);
	say("hc_start type=%s key=%.*s recovery=%d faulty=%d err=%d", amf ? "amf" : "component",
	    (int)hc_key.keyLen, (const char *)hc_key.key, (int)rec, (int)hc_faulty, (int)err);
	if (err == SA_AIS_OK && !amf)
		hc_next_confirm = wall_ms() + atoi(env_or("AMF_COMP_HC_CONFIRM_MS", "200"));
}

static void hc_confirm_due(void)
{
	SaAisErrorT result = SA_AIS_OK, err;

	if (after("AMF_COMP_HC_CONFIRM_STOP_AFTER", hc_confirms)) {
		say("hc_confirm_stopped confirms=%u", hc_confirms);
		hc_next_confirm = 0;
		return;
	}
	if (after("AMF_COMP_HC_CONFIRM_FAIL_AFTER", hc_confirms))
		result = SA_AIS_ERR_FAILED_OPERATION;
	/* The recovery may kill this process before the call returns. */
	err = saAmfHealthcheckConfirm(handle, &my_name, &hc_key, result);
	hc_confirms++;
	say("hc_confirm n=%u result=%d err=%d", hc_confirms, (int)result, (int)err);
	hc_next_confirm = result == SA_AIS_OK ?
			  wall_ms() + atoi(env_or("AMF_COMP_HC_CONFIRM_MS", "200")) : 0;
}

static void probe(const char *name, SaAisErrorT err)
{
	say("hc_probe case=%s err=%d", name, (int)err);
}

/* AMF_COMP_HC_PROBE: what must fail, and the calls around it that must
 * not. Keys "probe" (component-invoked; its period must be long enough
 * that the probe's own check never fails) and "probe2" are configured. */
static void hc_probe(void)
{
	SaAmfCallbacksT_4 none;
	SaVersionT v = { 'B', 4, 1 };
	SaAmfHandleT h2 = 0;
	SaAmfHealthcheckKeyT probe_key, probe2, nokey;
	SaNameT nosuch, remote;
	const char *remote_dn = getenv("AMF_COMP_PROBE_REMOTE");
	pid_t gone;
	int status;

	key_set(&probe_key, "probe");
	key_set(&probe2, "probe2");
	key_set(&nokey, "nokey");
	memset(&nosuch, 0, sizeof(nosuch));
	nosuch.length = (SaUint16T)strlen("safComp=nosuch,safSu=x,safSg=x,safApp=x");
	memcpy(nosuch.value, "safComp=nosuch,safSu=x,safSg=x,safApp=x", nosuch.length);

	/* health checks, from this handle */
	probe("start_unknown_key", saAmfHealthcheckStart(handle, &my_name, &nokey,
		SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION));
	probe("start_unknown_comp", saAmfHealthcheckStart(handle, &nosuch, &probe_key,
		SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION));
	if (remote_dn != NULL) {
		memset(&remote, 0, sizeof(remote));
		remote.length = (SaUint16T)strlen(remote_dn);
		memcpy(remote.value, remote_dn, remote.length);
		probe("start_remote_comp", saAmfHealthcheckStart(handle, &remote, &probe_key,
			SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION));
		probe("pm_start_remote_comp", saAmfPmStart_3(handle, &remote, getpid(), 0,
			SA_AMF_PM_NON_ZERO_EXIT, SA_AMF_NO_RECOMMENDATION));
	}
	probe("confirm_not_started", saAmfHealthcheckConfirm(handle, &my_name, &probe2,
		SA_AIS_OK));
	probe("stop_not_started", saAmfHealthcheckStop(handle, &my_name, &probe2));
	probe("start", saAmfHealthcheckStart(handle, &my_name, &probe_key,
		SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION));
	probe("start_twice", saAmfHealthcheckStart(handle, &my_name, &probe_key,
		SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION));
	probe("start_twice_amf", saAmfHealthcheckStart(handle, &my_name, &probe_key,
		SA_AMF_HEALTHCHECK_AMF_INVOKED, SA_AMF_NO_RECOMMENDATION));
	probe("confirm", saAmfHealthcheckConfirm(handle, &my_name, &probe_key, SA_AIS_OK));

	/* from a second handle, initialized without the health-check callback */
	memset(&none, 0, sizeof(none));
	probe("initialize_2", saAmfInitialize_4(&h2, &none, &v));
	probe("other_handle_confirm", saAmfHealthcheckConfirm(h2, &my_name, &probe_key,
		SA_AIS_OK));
	probe("other_handle_stop", saAmfHealthcheckStop(h2, &my_name, &probe_key));
	probe("other_handle_start_amf_no_callback", saAmfHealthcheckStart(h2, &my_name,
		&probe_key, SA_AMF_HEALTHCHECK_AMF_INVOKED, SA_AMF_NO_RECOMMENDATION));
	probe("other_handle_start", saAmfHealthcheckStart(h2, &my_name, &probe_key,
		SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION));
	probe("other_handle_own_stop", saAmfHealthcheckStop(h2, &my_name, &probe_key));
	saAmfFinalize(h2);

	probe("stop", saAmfHealthcheckStop(handle, &my_name, &probe_key));
	probe("confirm_after_stop", saAmfHealthcheckConfirm(handle, &my_name, &probe_key,
		SA_AIS_OK));
	probe("stop_after_stop", saAmfHealthcheckStop(handle, &my_name, &probe_key));

	/* passive monitoring */
	probe("pm_start_unknown_comp", saAmfPmStart_3(handle, &nosuch, getpid(), 0,
		SA_AMF_PM_NON_ZERO_EXIT, SA_AMF_NO_RECOMMENDATION));
	gone = fork();
	if (gone == 0)
		_exit(0);
	/* a zombie: it has ended, its parent has not reaped it yet */
	while (gone > 0 && waitid(P_PID, (id_t)gone, &(siginfo_t){ 0 },
				  WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	probe("pm_start_zombie", saAmfPmStart_3(handle, &my_name, gone, 0,
		SA_AMF_PM_NON_ZERO_EXIT, SA_AMF_NO_RECOMMENDATION));
	waitpid(gone, &status, 0);
	probe("pm_start_gone", saAmfPmStart_3(handle, &my_name, gone, 0,
		SA_AMF_PM_NON_ZERO_EXIT, SA_AMF_NO_RECOMMENDATION));
	probe("pm_stop_not_started", saAmfPmStop(handle, &my_name, SA_AMF_PM_PROC, getpid(),
		SA_AMF_PM_NON_ZERO_EXIT));
	probe("pm_stop_all_none", saAmfPmStop(handle, &my_name, SA_AMF_PM_ALL_PROCESSES, 0,
		SA_AMF_PM_NON_ZERO_EXIT));
	probe("pm_start_self", saAmfPmStart(handle, &my_name, (SaUint64T)getpid(), 0,
		SA_AMF_PM_NON_ZERO_EXIT, SA_AMF_NO_RECOMMENDATION));
	probe("pm_stop_other_error", saAmfPmStop(handle, &my_name, SA_AMF_PM_PROC, getpid(),
		SA_AMF_PM_ZERO_EXIT));
	probe("pm_stop_self", saAmfPmStop(handle, &my_name, SA_AMF_PM_PROC, getpid(),
		SA_AMF_PM_NON_ZERO_EXIT));
	probe("pm_stop_self_again", saAmfPmStop(handle, &my_name, SA_AMF_PM_PROC, getpid(),
		SA_AMF_PM_NON_ZERO_EXIT));
	say("hc_probe case=done err=%d", (int)SA_AIS_OK);
}

static void on_usr(int sig)
{
	_exit(sig == SIGUSR1 ? 0 : 1);
}

/* A process that waits until its parent dies, or SIGUSR1 (exit 0), SIGUSR2
 * (exit 1) or another signal ends it. With reap > 0 it first waits for that
 * child of its own and reaps it at once, so that safd mostly sees the
 * child's end after it was reaped (the grandchild case), where a child of
 * amf_comp stays a zombie until amf_comp's next loop turn. */
static void pm_wait_forever(pid_t reap)
{
	struct sigaction sa;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGTERM, SIG_DFL);
	while (reap > 0 && waitpid(reap, NULL, 0) < 0 && errno == EINTR)
		;
	for (;;)
		pause();
}

/* AMF_COMP_PM: before initializing, so that the processes share nothing
 * with the library's connection. */
static void pm_fork(void)
{
	const char *mode = getenv("AMF_COMP_PM");
	int p[2];

	if (mode == NULL || mode[0] == '\0' || pipe(p) < 0)
		return;
	pm_child = fork();
	if (pm_child == 0) {
		pid_t g = 0;

		close(p[0]);
		if (strcmp(mode, "grandchild") == 0) {
			g = fork();
			if (g == 0)
				pm_wait_forever(0);
		}
		if (write(p[1], &g, sizeof(g)) != (ssize_t)sizeof(g))
			_exit(2);
		close(p[1]);
		pm_wait_forever(g);
	}
	close(p[1]);
	if (pm_child > 0 && read(p[0], &pm_grandchild, sizeof(pm_grandchild)) !=
	    (ssize_t)sizeof(pm_grandchild))
		pm_grandchild = 0;
	close(p[0]);
	say("pm_fork child=%ld grandchild=%ld", (long)pm_child, (long)pm_grandchild);
}

static SaAmfPmErrorsT pm_errors(void)
{
	char buf[128], *tok, *save = NULL;
	SaAmfPmErrorsT e = 0;

	snprintf(buf, sizeof(buf), "%s", env_or("AMF_COMP_PM_ERRORS", "zero,nonzero,abnormal"));
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		e |= strcmp(tok, "zero") == 0 ? SA_AMF_PM_ZERO_EXIT :
		     strcmp(tok, "nonzero") == 0 ? SA_AMF_PM_NON_ZERO_EXIT :
		     strcmp(tok, "abnormal") == 0 ? SA_AMF_PM_ABNORMAL_END : 0;
	return e;
}

static void pm_setup(void)
{
	SaAmfRecommendedRecoveryT rec;
	int depth;
	SaAisErrorT err;

	if (pm_child <= 0)
		return;
	rec = recovery_from_env("AMF_COMP_PM_RECOVERY");
	depth = atoi(env_or("AMF_COMP_PM_DEPTH", "0"));
	err = saAmfPmStart_3(handle, &my_name, pm_child, depth, pm_errors(), rec);
	say("pm_start pid=%ld depth=%d errors=%u recovery=%d faulty=%d err=%d", (long)pm_child,
	    depth, (unsigned)pm_errors(), (int)rec, (int)hc_faulty, (int)err);
	if (err == SA_AIS_OK && hc_faulty && getenv("AMF_COMP_PM_END") != NULL)
		pm_end_at = wall_ms() + atoi(env_or("AMF_COMP_PM_END_AFTER_MS", "1000"));
}

static void pm_end_due(void)
{
	const char *stop = getenv("AMF_COMP_PM_STOP");
	const char *how = env_or("AMF_COMP_PM_END", "kill");
	pid_t victim = pm_grandchild > 0 ? pm_grandchild : pm_child;
	SaAmfPmStopQualifierT q;
	SaAisErrorT err;

	pm_end_at = 0;
	if (stop != NULL && stop[0] != '\0') {
		q = strcmp(stop, "all") == 0 ? SA_AMF_PM_ALL_PROCESSES :
		    strcmp(stop, "descendants") == 0 ? SA_AMF_PM_PROC_AND_DESCENDENTS :
		    SA_AMF_PM_PROC;
		err = saAmfPmStop(handle, &my_name, q, pm_child, pm_errors());
		say("pm_stop qualifier=%s pid=%ld err=%d", stop, (long)pm_child, (int)err);
	}
	say("pm_end pid=%ld how=%s", (long)victim, how);
	kill(victim, strcmp(how, "exit0") == 0 ? SIGUSR1 :
		     strcmp(how, "exit1") == 0 ? SIGUSR2 : SIGKILL);
}

/* The poll timeout: until the next confirmation or monitoring step, at
 * most 1 s. */
static int hc_timeout_ms(void)
{
	long long now = wall_ms(), t = now + 1000;
	int i;

	if (hc_next_confirm != 0 && hc_next_confirm < t)
		t = hc_next_confirm;
	if (pm_end_at != 0 && pm_end_at < t)
		t = pm_end_at;
	for (i = 0; i < n_quiescing; i++)
		if (quiescing[i].at < t)
			t = quiescing[i].at;
	return t > now ? (int)(t - now) : 0;
}

/* What is due now, and the children that ended. */
static void hc_tick(void)
{
	long long now = wall_ms();
	pid_t pid;
	int status, i;

	for (i = 0; i < n_quiescing; i++) {
		if (now < quiescing[i].at)
			continue;
		quiescing_complete(quiescing[i].invocation);
		quiescing[i--] = quiescing[--n_quiescing];
	}
	if (hc_next_confirm != 0 && now >= hc_next_confirm)
		hc_confirm_due();
	if (pm_end_at != 0 && now >= pm_end_at)
		pm_end_due();
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		say("pm_child_exit pid=%ld status=%d signal=%d", (long)pid,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* ------------------------------------------------------------------ */
/* Main                                                                */

static void on_term(int sig)
{
	got_term = 1;
}

/* Makes `call` until it stops answering SA_AIS_ERR_TRY_AGAIN, for at most
 * 10 s (safd may still be syncing when AMF starts a component). */
#define RETRY(err, call) do {							\
	int _tries = 0;								\
	while (((err) = (call)) == SA_AIS_ERR_TRY_AGAIN && _tries++ < 200)	\
		usleep(50 * 1000);						\
} while (0)

int main(void)
{
	SaAmfCallbacksT_4 cb;
	SaVersionT v = { 'B', 4, 1 };
	SaSelectionObjectT so = 0;
	const char *env_name = getenv("SA_AMF_COMPONENT_NAME");
	char buf[SA_MAX_NAME_LENGTH + 1];
	struct sigaction sa;
	SaAisErrorT err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	say("start comp=%s", env_name != NULL ? env_name : "(unset)");

	if (getenv("AMF_COMP_EXIT_AT_START") != NULL) {
		int status = atoi(getenv("AMF_COMP_EXIT_AT_START"));

		say("exit status=%d on=start", status);
		return status;
	}
	pm_fork();

	memset(&cb, 0, sizeof(cb));
	if (env_is("AMF_COMP_CALLBACKS", "all", "all")) {
		cb.saAmfCSISetCallback = csi_set_cb;
		cb.saAmfCSIRemoveCallback = csi_remove_cb;
		cb.saAmfComponentTerminateCallback = terminate_cb;
		cb.saAmfHealthcheckCallback = healthcheck_cb;
	}
	RETRY(err, saAmfInitialize_4(&handle, &cb, &v));
	say("initialize err=%d version=%c.%02u.%02u", (int)err, v.releaseCode,
	    (unsigned)v.majorVersion, (unsigned)v.minorVersion);
	if (err != SA_AIS_OK)
		return 2;
	err = saAmfSelectionObjectGet(handle, &so);
	if (err != SA_AIS_OK) {
		say("selection_object err=%d", (int)err);
		return 2;
	}
	err = saAmfComponentNameGet(handle, &my_name);
	say("name_get err=%d name=%s", (int)err,
	    err == SA_AIS_OK ? name_str(&my_name, buf) : "-");
	if (err != SA_AIS_OK)
		return 2;

	if (env_is("AMF_COMP_REGISTER", "yes", "yes")) {
		int delay = atoi(env_or("AMF_COMP_REGISTER_DELAY_MS", "0"));

		if (delay > 0) {
			say("register_delay ms=%d", delay);
			usleep((useconds_t)delay * 1000);
		}
		RETRY(err, saAmfComponentRegister(handle, &my_name, NULL));
		say("register err=%d", (int)err);
		if (err == SA_AIS_OK && getenv("AMF_COMP_REGISTER_TWICE") != NULL) {
			err = saAmfComponentRegister(handle, &my_name, NULL);
			say("register_again err=%d", (int)err);
		}
	} else {
		say("register_skipped");
	}
	hc_faulty = fault_first_time();
	if (env_is("AMF_COMP_HC_PROBE", "0", "1"))
		hc_probe();
	hc_setup();
	pm_setup();

	while (!got_term) {
		struct pollfd pfd = { .fd = (int)so, .events = POLLIN };
		int rc = poll(&pfd, 1, hc_timeout_ms());

		hc_tick();
		if (rc < 0 && errno != EINTR)
			break;
		if (rc <= 0)
			continue;
		err = saAmfDispatch(handle, SA_DISPATCH_ALL);
		if (err != SA_AIS_OK) {
			say("dispatch err=%d", (int)err);
			return 4;	/* safd went away */
		}
	}
	say("exit status=0 on=SIGTERM");
	saAmfFinalize(handle);
	return 0;
}
