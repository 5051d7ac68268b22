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
 * response, quiescing_complete, ha_state, error_report_begin, error_report,
 * error_report_skipped, healthcheck, dispatch. Values never contain
 * blanks (empty is written as key=); every library call is logged with
 * err=<SaAisErrorT number>.
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

static SaAmfRecommendedRecoveryT recovery_from_env(void)
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
	const char *v = env_or("AMF_COMP_REPORT_RECOVERY", "no-recommendation");
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(v, table[i].name) == 0)
			return table[i].value;
	say("bad AMF_COMP_REPORT_RECOVERY=%s", v);
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
	SaAisErrorT err = saAmfResponse_4(handle, invocation, NULL, answer);

	say("response invocation=%llu error=%d err=%d", (unsigned long long)invocation,
	    (int)answer, (int)err);
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
	respond(invocation, SA_AIS_OK);
	if (haState == SA_AMF_HA_QUIESCING) {
		err = saAmfCSIQuiescingComplete(handle, invocation, SA_AIS_OK);
		say("quiescing_complete invocation=%llu err=%d",
		    (unsigned long long)invocation, (int)err);
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
		SaAmfRecommendedRecoveryT rec = recovery_from_env();

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

static void healthcheck_cb(SaInvocationT invocation, const SaNameT *compName,
			   SaAmfHealthcheckKeyT *key)
{
	say("healthcheck invocation=%llu key_len=%u", (unsigned long long)invocation,
	    (unsigned)key->keyLen);
	respond(invocation, SA_AIS_OK);
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

	while (!got_term) {
		struct pollfd pfd = { .fd = (int)so, .events = POLLIN };
		int rc = poll(&pfd, 1, 1000);

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
