/*
 * libSaAmf (SAI-AIS-AMF-B.04.01 section 4.5/4.6) through its public API:
 * the arguments of every saAmf function, and what safd answers about
 * registration, callbacks, responses and HA states.
 *
 * Argument cases (run anywhere): every bad argument of every function
 * (NULL pointers, names of length 0 and > 256, bad flags, versions,
 * recoveries, states, keys and error values) gives its error. libSaAmf
 * documents that it checks the arguments that need no handle before the
 * handle (lib/amf.c), so these cases hold with a handle that does not
 * exist, i.e. without safd; saAmfSelectionObjectGet, saAmfDispatch and
 * saAmfComponentNameGet check the handle first, and their argument cases
 * need a live handle. Every function given good arguments and a bad handle
 * answers SA_AIS_ERR_BAD_HANDLE.
 *
 * Live cases (SAFD_TEST_LIVE=1, safd running tests/amf-tests/amf-api.xml;
 * tests/cluster/amf-api.sh runs them): the same argument cases with a valid
 * handle (and with a finalized one: BAD_HANDLE), the callbacks a call needs
 * (SA_AIS_ERR_INIT), saAmfComponentNameGet with and without
 * SA_AMF_COMPONENT_NAME, registering an unknown component (INVALID_PARAM),
 * a component twice (EXIST), without the CSI callbacks (INIT), a CSI set
 * callback with its descriptor, saAmfResponse (unknown and answered
 * invocations), saAmfHAStateGet, unregister, error report / clear of an
 * unknown component.
 *
 * The components of amf-api.xml are started by AMF but never register
 * themselves; a live case registers one from the test process (the AMF API
 * lets any process register a component it names). Each case uses its own
 * component, and check forks a process per case, so when a case ends its
 * session goes and AMF restarts that component.
 *
 * Calls whose daemon side does not exist yet answer
 * SA_AIS_ERR_NOT_SUPPORTED after their argument checks; only those checks
 * are tested (what they answer with good arguments is not).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include <saAmf.h>

#define BOGUS_HANDLE ((SaAmfHandleT)0x0123456789abcdefULL)
#define CASE_TIMEOUT 30

/* The model of amf-api.xml. */
#define APP "safApp=amfapi"
#define COMP_DN(n) "safComp=c" #n ",safSu=live" #n ",safSg=live," APP
#define CSI_DN_FMT "safCsi=csi%u,safSi=si%u," APP

static bool live(void)
{
	const char *v = getenv("SAFD_TEST_LIVE");

	return v != NULL && strcmp(v, "1") == 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *err_str(SaAisErrorT e)
{
	static const char *const names[] = {
		[SA_AIS_OK] = "OK", [SA_AIS_ERR_LIBRARY] = "LIBRARY",
		[SA_AIS_ERR_VERSION] = "VERSION", [SA_AIS_ERR_INIT] = "INIT",
		[SA_AIS_ERR_TIMEOUT] = "TIMEOUT", [SA_AIS_ERR_TRY_AGAIN] = "TRY_AGAIN",
		[SA_AIS_ERR_INVALID_PARAM] = "INVALID_PARAM",
		[SA_AIS_ERR_NO_MEMORY] = "NO_MEMORY", [SA_AIS_ERR_BAD_HANDLE] = "BAD_HANDLE",
		[SA_AIS_ERR_BUSY] = "BUSY", [SA_AIS_ERR_ACCESS] = "ACCESS",
		[SA_AIS_ERR_NOT_EXIST] = "NOT_EXIST", [SA_AIS_ERR_NAME_TOO_LONG] = "NAME_TOO_LONG",
		[SA_AIS_ERR_EXIST] = "EXIST", [SA_AIS_ERR_NO_SPACE] = "NO_SPACE",
		[SA_AIS_ERR_INTERRUPT] = "INTERRUPT", [SA_AIS_ERR_NAME_NOT_FOUND] = "NAME_NOT_FOUND",
		[SA_AIS_ERR_NO_RESOURCES] = "NO_RESOURCES",
		[SA_AIS_ERR_NOT_SUPPORTED] = "NOT_SUPPORTED",
		[SA_AIS_ERR_BAD_OPERATION] = "BAD_OPERATION",
		[SA_AIS_ERR_FAILED_OPERATION] = "FAILED_OPERATION",
		[SA_AIS_ERR_MESSAGE_ERROR] = "MESSAGE_ERROR",
		[SA_AIS_ERR_QUEUE_FULL] = "QUEUE_FULL",
		[SA_AIS_ERR_QUEUE_NOT_AVAILABLE] = "QUEUE_NOT_AVAILABLE",
		[SA_AIS_ERR_BAD_FLAGS] = "BAD_FLAGS", [SA_AIS_ERR_TOO_BIG] = "TOO_BIG",
		[SA_AIS_ERR_NO_SECTIONS] = "NO_SECTIONS",
	};

	if ((unsigned)e < sizeof(names) / sizeof(names[0]) && names[e] != NULL)
		return names[e];
	return "?";
}

/* ck_assert_err(GOT, WANT, FORMAT, ...): GOT == WANT, or fail with the
 * message and both codes by name. */
#define ck_assert_err(got, want, ...) do {					\
	SaAisErrorT _g = (got), _w = (want);					\
	if (_g != _w) {								\
		char _m[512];							\
		snprintf(_m, sizeof(_m), __VA_ARGS__);				\
		ck_abort_msg("%s: got %d (%s), want %d (%s)", _m, _g,		\
			     err_str(_g), _w, err_str(_w));			\
	}									\
} while (0)

/* ------------------------------------------------------------------ */
/* Argument values                                                     */

static SaNameT n_good;		/* a well-formed name (any function may get it) */
static SaNameT n_empty;		/* length 0 */
static SaNameT n_long;		/* length 257 */
static SaNameT n_max;		/* length 256: the longest legal name */
static SaAmfHealthcheckKeyT k_good, k_empty, k_long;

static void name_set(SaNameT *n, const char *s)
{
	memset(n, 0, sizeof(*n));
	n->length = (SaUint16T)strlen(s);
	memcpy(n->value, s, n->length);
}

static void values_init(void)
{
	name_set(&n_good, COMP_DN(1));
	memset(&n_empty, 0, sizeof(n_empty));
	memset(&n_long, 'x', sizeof(n_long));
	n_long.length = SA_MAX_NAME_LENGTH + 1;
	memset(&n_max, 'y', sizeof(n_max));
	n_max.length = SA_MAX_NAME_LENGTH;
	memset(&k_good, 0, sizeof(k_good));
	memcpy(k_good.key, "hc", 2);
	k_good.keyLen = 2;
	k_empty = k_good;
	k_empty.keyLen = 0;
	k_long = k_good;
	k_long.keyLen = SA_AMF_HEALTHCHECK_KEY_MAX + 1;
}

/* ------------------------------------------------------------------ */
/* Bad names: every name argument of every function, as NULL, length 0  */
/* and length 257.                                                      */

typedef SaAisErrorT (*name_call_fn)(SaAmfHandleT h, const SaNameT *n);

static SaAisErrorT nc_register(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfComponentRegister(h, n, NULL);
}

static SaAisErrorT nc_register_proxy(SaAmfHandleT h, const SaNameT *n)
{
	/* NULL and length 0 mean "no proxy": only the long one is bad. */
	return saAmfComponentRegister(h, &n_good, n);
}

static SaAisErrorT nc_unregister(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfComponentUnregister(h, n, NULL);
}

static SaAisErrorT nc_unregister_proxy(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfComponentUnregister(h, &n_good, n);
}

static SaAisErrorT nc_pm_start(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfPmStart(h, n, (SaUint64T)getpid(), 0, SA_AMF_PM_NON_ZERO_EXIT,
			    SA_AMF_NO_RECOMMENDATION);
}

static SaAisErrorT nc_pm_start_3(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfPmStart_3(h, n, getpid(), 0, SA_AMF_PM_NON_ZERO_EXIT,
			      SA_AMF_NO_RECOMMENDATION);
}

static SaAisErrorT nc_pm_stop(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfPmStop(h, n, SA_AMF_PM_PROC, getpid(), SA_AMF_PM_NON_ZERO_EXIT);
}

static SaAisErrorT nc_hc_start(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfHealthcheckStart(h, n, &k_good, SA_AMF_HEALTHCHECK_COMPONENT_INVOKED,
				     SA_AMF_NO_RECOMMENDATION);
}

static SaAisErrorT nc_hc_confirm(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfHealthcheckConfirm(h, n, &k_good, SA_AIS_OK);
}

static SaAisErrorT nc_hc_stop(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfHealthcheckStop(h, n, &k_good);
}

static SaAisErrorT nc_ha_get_comp(SaAmfHandleT h, const SaNameT *n)
{
	SaAmfHAStateT ha;

	return saAmfHAStateGet(h, n, &n_good, &ha);
}

static SaAisErrorT nc_ha_get_csi(SaAmfHandleT h, const SaNameT *n)
{
	SaAmfHAStateT ha;

	return saAmfHAStateGet(h, &n_good, n, &ha);
}

static SaAisErrorT nc_hars_comp(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfHAReadinessStateSet(h, n, &n_good, SA_AMF_HARS_READY_FOR_ASSIGNMENT, NULL);
}

static SaAisErrorT nc_hars_csi(SaAmfHandleT h, const SaNameT *n)
{
	/* NULL csiName means every CSI of the component: only lengths. */
	return saAmfHAReadinessStateSet(h, &n_good, n, SA_AMF_HARS_READY_FOR_ASSIGNMENT, NULL);
}

static SaAisErrorT nc_pg_track(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfProtectionGroupTrack(h, n, SA_TRACK_CHANGES, NULL);
}

static SaAisErrorT nc_pg_track_4(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfProtectionGroupTrack_4(h, n, SA_TRACK_CHANGES, NULL);
}

static SaAisErrorT nc_pg_track_stop(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfProtectionGroupTrackStop(h, n);
}

static SaAisErrorT nc_error_report(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfComponentErrorReport(h, n, 0, SA_AMF_NO_RECOMMENDATION,
					 SA_NTF_IDENTIFIER_UNUSED);
}

static SaAisErrorT nc_error_report_4(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfComponentErrorReport_4(h, n, 0, SA_AMF_NO_RECOMMENDATION, NULL);
}

static SaAisErrorT nc_error_clear(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfComponentErrorClear(h, n, SA_NTF_IDENTIFIER_UNUSED);
}

static SaAisErrorT nc_error_clear_4(SaAmfHandleT h, const SaNameT *n)
{
	return saAmfComponentErrorClear_4(h, n, NULL);
}

/* Which bad names apply to an argument. */
enum { BAD_NULL = 1, BAD_EMPTY = 2, BAD_LONG = 4, BAD_ALL = 7 };

static const struct name_call {
	const char *what;
	name_call_fn fn;
	unsigned bad;
} name_calls[] = {
	{ "saAmfComponentRegister compName", nc_register, BAD_ALL },
	{ "saAmfComponentRegister proxyCompName", nc_register_proxy, BAD_LONG },
	{ "saAmfComponentUnregister compName", nc_unregister, BAD_ALL },
	{ "saAmfComponentUnregister proxyCompName", nc_unregister_proxy, BAD_LONG },
	{ "saAmfPmStart compName", nc_pm_start, BAD_ALL },
	{ "saAmfPmStart_3 compName", nc_pm_start_3, BAD_ALL },
	{ "saAmfPmStop compName", nc_pm_stop, BAD_ALL },
	{ "saAmfHealthcheckStart compName", nc_hc_start, BAD_ALL },
	{ "saAmfHealthcheckConfirm compName", nc_hc_confirm, BAD_ALL },
	{ "saAmfHealthcheckStop compName", nc_hc_stop, BAD_ALL },
	{ "saAmfHAStateGet compName", nc_ha_get_comp, BAD_ALL },
	{ "saAmfHAStateGet csiName", nc_ha_get_csi, BAD_ALL },
	{ "saAmfHAReadinessStateSet compName", nc_hars_comp, BAD_ALL },
	{ "saAmfHAReadinessStateSet csiName", nc_hars_csi, BAD_EMPTY | BAD_LONG },
	{ "saAmfProtectionGroupTrack csiName", nc_pg_track, BAD_ALL },
	{ "saAmfProtectionGroupTrack_4 csiName", nc_pg_track_4, BAD_ALL },
	{ "saAmfProtectionGroupTrackStop csiName", nc_pg_track_stop, BAD_ALL },
	{ "saAmfComponentErrorReport erroneousComponent", nc_error_report, BAD_ALL },
	{ "saAmfComponentErrorReport_4 erroneousComponent", nc_error_report_4, BAD_ALL },
	{ "saAmfComponentErrorClear compName", nc_error_clear, BAD_ALL },
	{ "saAmfComponentErrorClear_4 compName", nc_error_clear_4, BAD_ALL },
};
#define N_NAME_CALLS ((int)(sizeof(name_calls) / sizeof(name_calls[0])))

/* Name argument i of name_calls, each bad way it applies. */
static void check_bad_name(int i, SaAmfHandleT h, const char *handle_kind)
{
	const struct name_call *c = &name_calls[i];

	values_init();
	if (c->bad & BAD_NULL)
		ck_assert_err(c->fn(h, NULL), SA_AIS_ERR_INVALID_PARAM,
			      "%s NULL (%s handle)", c->what, handle_kind);
	if (c->bad & BAD_EMPTY)
		ck_assert_err(c->fn(h, &n_empty), SA_AIS_ERR_INVALID_PARAM,
			      "%s of length 0 (%s handle)", c->what, handle_kind);
	if (c->bad & BAD_LONG)
		ck_assert_err(c->fn(h, &n_long), SA_AIS_ERR_INVALID_PARAM,
			      "%s of length 257 (%s handle)", c->what, handle_kind);
}

/* ------------------------------------------------------------------ */
/* Other bad arguments                                                 */

typedef SaAisErrorT (*call_fn)(SaAmfHandleT h);
#define CALL(id, expr) static SaAisErrorT id(SaAmfHandleT h) { return (expr); }

static SaAmfHAStateT ha_out;
static SaSelectionObjectT so_out;
static SaAmfProtectionGroupNotificationBufferT pg_buf;
static SaAmfProtectionGroupNotificationBufferT_4 pg_buf_4;
static SaNtfCorrelationIdsT corr_out;

/* Registration needs a compName; NULL out-pointers. */
CALL(a_name_get_null, saAmfComponentNameGet(h, NULL))
CALL(a_so_null, saAmfSelectionObjectGet(h, NULL))
CALL(a_dispatch_0, saAmfDispatch(h, (SaDispatchFlagsT)0))
CALL(a_dispatch_4, saAmfDispatch(h, (SaDispatchFlagsT)4))
CALL(a_dispatch_neg, saAmfDispatch(h, (SaDispatchFlagsT)-1))
CALL(a_ha_get_null, saAmfHAStateGet(h, &n_good, &n_good, NULL))
CALL(a_corr_null, saAmfCorrelationIdsGet(h, 1, NULL))
CALL(a_pg_free_null, saAmfProtectionGroupNotificationFree(h, NULL))
CALL(a_pg_free_4_null, saAmfProtectionGroupNotificationFree_4(h, NULL))

/* Passive monitoring. */
CALL(a_pm_pid0, saAmfPmStart(h, &n_good, 0, 0, SA_AMF_PM_NON_ZERO_EXIT, SA_AMF_NO_RECOMMENDATION))
CALL(a_pm_pid_huge, saAmfPmStart(h, &n_good, (SaUint64T)INT64_MAX + 1, 0,
				 SA_AMF_PM_NON_ZERO_EXIT, SA_AMF_NO_RECOMMENDATION))
CALL(a_pm_depth, saAmfPmStart(h, &n_good, 1, -2, SA_AMF_PM_NON_ZERO_EXIT,
			      SA_AMF_NO_RECOMMENDATION))
CALL(a_pm_errors0, saAmfPmStart(h, &n_good, 1, 0, 0, SA_AMF_NO_RECOMMENDATION))
CALL(a_pm_errors8, saAmfPmStart(h, &n_good, 1, 0, 0x8, SA_AMF_NO_RECOMMENDATION))
CALL(a_pm_rec0, saAmfPmStart(h, &n_good, 1, 0, SA_AMF_PM_NON_ZERO_EXIT,
			     (SaAmfRecommendedRecoveryT)0))
CALL(a_pm_rec10, saAmfPmStart(h, &n_good, 1, 0, SA_AMF_PM_NON_ZERO_EXIT,
			      (SaAmfRecommendedRecoveryT)10))
CALL(a_pm3_pid0, saAmfPmStart_3(h, &n_good, 0, 0, SA_AMF_PM_NON_ZERO_EXIT,
				SA_AMF_NO_RECOMMENDATION))
CALL(a_pm3_pidneg, saAmfPmStart_3(h, &n_good, -5, 0, SA_AMF_PM_NON_ZERO_EXIT,
				  SA_AMF_NO_RECOMMENDATION))
CALL(a_pm3_depth, saAmfPmStart_3(h, &n_good, 1, -2, SA_AMF_PM_NON_ZERO_EXIT,
				 SA_AMF_NO_RECOMMENDATION))
CALL(a_pm3_errors0, saAmfPmStart_3(h, &n_good, 1, 0, 0, SA_AMF_NO_RECOMMENDATION))
CALL(a_pm3_errors8, saAmfPmStart_3(h, &n_good, 1, 0, 0x8, SA_AMF_NO_RECOMMENDATION))
CALL(a_pm3_rec0, saAmfPmStart_3(h, &n_good, 1, 0, SA_AMF_PM_NON_ZERO_EXIT,
				(SaAmfRecommendedRecoveryT)0))
CALL(a_pm3_rec10, saAmfPmStart_3(h, &n_good, 1, 0, SA_AMF_PM_NON_ZERO_EXIT,
				 (SaAmfRecommendedRecoveryT)10))
CALL(a_pmstop_q0, saAmfPmStop(h, &n_good, (SaAmfPmStopQualifierT)0, 1,
			      SA_AMF_PM_NON_ZERO_EXIT))
CALL(a_pmstop_q4, saAmfPmStop(h, &n_good, (SaAmfPmStopQualifierT)4, 1,
			      SA_AMF_PM_NON_ZERO_EXIT))
CALL(a_pmstop_pid0, saAmfPmStop(h, &n_good, SA_AMF_PM_PROC, 0, SA_AMF_PM_NON_ZERO_EXIT))
CALL(a_pmstop_errors0, saAmfPmStop(h, &n_good, SA_AMF_PM_PROC, 1, 0))
CALL(a_pmstop_errors8, saAmfPmStop(h, &n_good, SA_AMF_PM_PROC, 1, 0x8))

/* Health checks. */
CALL(a_hc_start_key_null, saAmfHealthcheckStart(h, &n_good, NULL,
	SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION))
CALL(a_hc_start_key0, saAmfHealthcheckStart(h, &n_good, &k_empty,
	SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION))
CALL(a_hc_start_key33, saAmfHealthcheckStart(h, &n_good, &k_long,
	SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, SA_AMF_NO_RECOMMENDATION))
CALL(a_hc_start_inv0, saAmfHealthcheckStart(h, &n_good, &k_good,
	(SaAmfHealthcheckInvocationT)0, SA_AMF_NO_RECOMMENDATION))
CALL(a_hc_start_inv3, saAmfHealthcheckStart(h, &n_good, &k_good,
	(SaAmfHealthcheckInvocationT)3, SA_AMF_NO_RECOMMENDATION))
CALL(a_hc_start_rec0, saAmfHealthcheckStart(h, &n_good, &k_good,
	SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, (SaAmfRecommendedRecoveryT)0))
CALL(a_hc_start_rec10, saAmfHealthcheckStart(h, &n_good, &k_good,
	SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, (SaAmfRecommendedRecoveryT)10))
CALL(a_hc_confirm_key_null, saAmfHealthcheckConfirm(h, &n_good, NULL, SA_AIS_OK))
CALL(a_hc_confirm_key0, saAmfHealthcheckConfirm(h, &n_good, &k_empty, SA_AIS_OK))
CALL(a_hc_confirm_key33, saAmfHealthcheckConfirm(h, &n_good, &k_long, SA_AIS_OK))
CALL(a_hc_confirm_result, saAmfHealthcheckConfirm(h, &n_good, &k_good, SA_AIS_ERR_LIBRARY))
CALL(a_hc_confirm_result0, saAmfHealthcheckConfirm(h, &n_good, &k_good, (SaAisErrorT)0))
CALL(a_hc_stop_key_null, saAmfHealthcheckStop(h, &n_good, NULL))
CALL(a_hc_stop_key0, saAmfHealthcheckStop(h, &n_good, &k_empty))
CALL(a_hc_stop_key33, saAmfHealthcheckStop(h, &n_good, &k_long))

/* HA readiness (B.04). */
CALL(a_hars_0, saAmfHAReadinessStateSet(h, &n_good, &n_good, (SaAmfHAReadinessStateT)0, NULL))
CALL(a_hars_5, saAmfHAReadinessStateSet(h, &n_good, &n_good, (SaAmfHAReadinessStateT)5, NULL))

/* Protection groups: track flags. */
CALL(a_pg_flags0, saAmfProtectionGroupTrack(h, &n_good, 0, NULL))
CALL(a_pg_flags_unknown, saAmfProtectionGroupTrack(h, &n_good, SA_TRACK_CHANGES | 0x80, NULL))
CALL(a_pg_flags_both, saAmfProtectionGroupTrack(h, &n_good,
	SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY, NULL))
CALL(a_pg4_flags0, saAmfProtectionGroupTrack_4(h, &n_good, 0, NULL))
CALL(a_pg4_flags_unknown, saAmfProtectionGroupTrack_4(h, &n_good, SA_TRACK_CURRENT | 0x40,
						     NULL))
CALL(a_pg4_flags_both, saAmfProtectionGroupTrack_4(h, &n_good,
	SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY, NULL))

/* Error reports: recovery, detection time. */
CALL(a_report_rec0, saAmfComponentErrorReport(h, &n_good, 0, (SaAmfRecommendedRecoveryT)0,
					      SA_NTF_IDENTIFIER_UNUSED))
CALL(a_report_rec10, saAmfComponentErrorReport(h, &n_good, 0, (SaAmfRecommendedRecoveryT)10,
					       SA_NTF_IDENTIFIER_UNUSED))
CALL(a_report_rec_neg, saAmfComponentErrorReport(h, &n_good, 0, (SaAmfRecommendedRecoveryT)-1,
						 SA_NTF_IDENTIFIER_UNUSED))
CALL(a_report_time_neg, saAmfComponentErrorReport(h, &n_good, -1, SA_AMF_NO_RECOMMENDATION,
						  SA_NTF_IDENTIFIER_UNUSED))
CALL(a_report4_rec0, saAmfComponentErrorReport_4(h, &n_good, 0, (SaAmfRecommendedRecoveryT)0,
						 NULL))
CALL(a_report4_rec10, saAmfComponentErrorReport_4(h, &n_good, 0,
						  (SaAmfRecommendedRecoveryT)10, NULL))
CALL(a_report4_time_neg, saAmfComponentErrorReport_4(h, &n_good, -1,
						     SA_AMF_NO_RECOMMENDATION, NULL))

/* Responses: the error values a component may answer with are OK and
 * FAILED_OPERATION (TRY_AGAIN too for saAmfResponse, for the proxied
 * instantiate callback); anything else is INVALID_PARAM. */
CALL(a_resp_0, saAmfResponse(h, 1, (SaAisErrorT)0))
CALL(a_resp_library, saAmfResponse(h, 1, SA_AIS_ERR_LIBRARY))
CALL(a_resp_invalid, saAmfResponse(h, 1, SA_AIS_ERR_INVALID_PARAM))
CALL(a_resp_exist, saAmfResponse(h, 1, SA_AIS_ERR_EXIST))
CALL(a_resp_huge, saAmfResponse(h, 1, (SaAisErrorT)9999))
CALL(a_resp4_0, saAmfResponse_4(h, 1, NULL, (SaAisErrorT)0))
CALL(a_resp4_library, saAmfResponse_4(h, 1, NULL, SA_AIS_ERR_LIBRARY))
CALL(a_resp4_huge, saAmfResponse_4(h, 1, NULL, (SaAisErrorT)9999))
CALL(a_qc_try_again, saAmfCSIQuiescingComplete(h, 1, SA_AIS_ERR_TRY_AGAIN))
CALL(a_qc_library, saAmfCSIQuiescingComplete(h, 1, SA_AIS_ERR_LIBRARY))
CALL(a_qc_0, saAmfCSIQuiescingComplete(h, 1, (SaAisErrorT)0))

static const struct arg_case {
	const char *what;
	call_fn fn;
	SaAisErrorT want;
	bool handle_first;	/* the handle is checked before this argument */
} arg_cases[] = {
	{ "saAmfComponentNameGet(NULL)", a_name_get_null, SA_AIS_ERR_INVALID_PARAM, true },
	{ "saAmfSelectionObjectGet(NULL)", a_so_null, SA_AIS_ERR_INVALID_PARAM, true },
	{ "saAmfDispatch(flags 0)", a_dispatch_0, SA_AIS_ERR_INVALID_PARAM, true },
	{ "saAmfDispatch(flags 4)", a_dispatch_4, SA_AIS_ERR_INVALID_PARAM, true },
	{ "saAmfDispatch(flags -1)", a_dispatch_neg, SA_AIS_ERR_INVALID_PARAM, true },
	{ "saAmfHAStateGet(haState NULL)", a_ha_get_null, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfCorrelationIdsGet(NULL)", a_corr_null, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfProtectionGroupNotificationFree(NULL)", a_pg_free_null,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfProtectionGroupNotificationFree_4(NULL)", a_pg_free_4_null,
	  SA_AIS_ERR_INVALID_PARAM, false },

	{ "saAmfPmStart(processId 0)", a_pm_pid0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart(processId > INT64_MAX)", a_pm_pid_huge, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart(depth -2)", a_pm_depth, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart(pmErrors 0)", a_pm_errors0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart(pmErrors 0x8)", a_pm_errors8, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart(recovery 0)", a_pm_rec0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart(recovery 10)", a_pm_rec10, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart_3(processId 0)", a_pm3_pid0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart_3(processId -5)", a_pm3_pidneg, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart_3(depth -2)", a_pm3_depth, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart_3(pmErrors 0)", a_pm3_errors0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart_3(pmErrors 0x8)", a_pm3_errors8, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart_3(recovery 0)", a_pm3_rec0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStart_3(recovery 10)", a_pm3_rec10, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStop(qualifier 0)", a_pmstop_q0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStop(qualifier 4)", a_pmstop_q4, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStop(PROC, processId 0)", a_pmstop_pid0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStop(pmErrors 0)", a_pmstop_errors0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfPmStop(pmErrors 0x8)", a_pmstop_errors8, SA_AIS_ERR_INVALID_PARAM, false },

	{ "saAmfHealthcheckStart(key NULL)", a_hc_start_key_null, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStart(keyLen 0)", a_hc_start_key0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStart(keyLen 33)", a_hc_start_key33, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStart(invocationType 0)", a_hc_start_inv0,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStart(invocationType 3)", a_hc_start_inv3,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStart(recovery 0)", a_hc_start_rec0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStart(recovery 10)", a_hc_start_rec10, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckConfirm(key NULL)", a_hc_confirm_key_null,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckConfirm(keyLen 0)", a_hc_confirm_key0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckConfirm(keyLen 33)", a_hc_confirm_key33,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckConfirm(result LIBRARY)", a_hc_confirm_result,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckConfirm(result 0)", a_hc_confirm_result0,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStop(key NULL)", a_hc_stop_key_null, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStop(keyLen 0)", a_hc_stop_key0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHealthcheckStop(keyLen 33)", a_hc_stop_key33, SA_AIS_ERR_INVALID_PARAM, false },

	{ "saAmfHAReadinessStateSet(state 0)", a_hars_0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfHAReadinessStateSet(state 5)", a_hars_5, SA_AIS_ERR_INVALID_PARAM, false },

	{ "saAmfProtectionGroupTrack(flags 0)", a_pg_flags0, SA_AIS_ERR_BAD_FLAGS, false },
	{ "saAmfProtectionGroupTrack(flags 0x80)", a_pg_flags_unknown, SA_AIS_ERR_BAD_FLAGS, false },
	{ "saAmfProtectionGroupTrack(CHANGES|CHANGES_ONLY)", a_pg_flags_both,
	  SA_AIS_ERR_BAD_FLAGS, false },
	{ "saAmfProtectionGroupTrack_4(flags 0)", a_pg4_flags0, SA_AIS_ERR_BAD_FLAGS, false },
	{ "saAmfProtectionGroupTrack_4(flags 0x40)", a_pg4_flags_unknown,
	  SA_AIS_ERR_BAD_FLAGS, false },
	{ "saAmfProtectionGroupTrack_4(CHANGES|CHANGES_ONLY)", a_pg4_flags_both,
	  SA_AIS_ERR_BAD_FLAGS, false },

	{ "saAmfComponentErrorReport(recovery 0)", a_report_rec0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfComponentErrorReport(recovery 10)", a_report_rec10,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfComponentErrorReport(recovery -1)", a_report_rec_neg,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfComponentErrorReport(detection time -1)", a_report_time_neg,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfComponentErrorReport_4(recovery 0)", a_report4_rec0,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfComponentErrorReport_4(recovery 10)", a_report4_rec10,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfComponentErrorReport_4(detection time -1)", a_report4_time_neg,
	  SA_AIS_ERR_INVALID_PARAM, false },

	{ "saAmfResponse(error 0)", a_resp_0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfResponse(error LIBRARY)", a_resp_library, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfResponse(error INVALID_PARAM)", a_resp_invalid, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfResponse(error EXIST)", a_resp_exist, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfResponse(error 9999)", a_resp_huge, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfResponse_4(error 0)", a_resp4_0, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfResponse_4(error LIBRARY)", a_resp4_library, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfResponse_4(error 9999)", a_resp4_huge, SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfCSIQuiescingComplete(error TRY_AGAIN)", a_qc_try_again,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfCSIQuiescingComplete(error LIBRARY)", a_qc_library,
	  SA_AIS_ERR_INVALID_PARAM, false },
	{ "saAmfCSIQuiescingComplete(error 0)", a_qc_0, SA_AIS_ERR_INVALID_PARAM, false },
};
#define N_ARG_CASES ((int)(sizeof(arg_cases) / sizeof(arg_cases[0])))

/* arg_cases[i] with handle h. */
static void check_bad_arg(int i, SaAmfHandleT h, bool valid_handle, const char *handle_kind)
{
	const struct arg_case *c = &arg_cases[i];
	SaAisErrorT want = c->want;

	values_init();
	if (!valid_handle && c->handle_first)
		want = SA_AIS_ERR_BAD_HANDLE;
	ck_assert_err(c->fn(h), want, "%s (%s handle)", c->what, handle_kind);
}

/* ------------------------------------------------------------------ */
/* Good arguments, bad handle                                          */

CALL(g_so, saAmfSelectionObjectGet(h, &so_out))
CALL(g_dispatch, saAmfDispatch(h, SA_DISPATCH_ALL))
CALL(g_finalize, saAmfFinalize(h))
CALL(g_register, saAmfComponentRegister(h, &n_good, NULL))
CALL(g_unregister, saAmfComponentUnregister(h, &n_good, NULL))
CALL(g_name_get, saAmfComponentNameGet(h, &n_empty))
CALL(g_pm_start, saAmfPmStart(h, &n_good, 1, 0, SA_AMF_PM_ZERO_EXIT, SA_AMF_COMPONENT_RESTART))
CALL(g_pm_start_3, saAmfPmStart_3(h, &n_good, 1, -1, SA_AMF_PM_ABNORMAL_END,
				  SA_AMF_CONTAINER_RESTART))
CALL(g_pm_stop, saAmfPmStop(h, &n_good, SA_AMF_PM_ALL_PROCESSES, 0, SA_AMF_PM_ZERO_EXIT))
CALL(g_hc_start, saAmfHealthcheckStart(h, &n_good, &k_good, SA_AMF_HEALTHCHECK_COMPONENT_INVOKED,
				       SA_AMF_NO_RECOMMENDATION))
CALL(g_hc_confirm, saAmfHealthcheckConfirm(h, &n_good, &k_good, SA_AIS_ERR_FAILED_OPERATION))
CALL(g_hc_stop, saAmfHealthcheckStop(h, &n_good, &k_good))
CALL(g_ha_get, saAmfHAStateGet(h, &n_good, &n_max, &ha_out))
CALL(g_hars, saAmfHAReadinessStateSet(h, &n_good, NULL, SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT,
				      NULL))
CALL(g_qc, saAmfCSIQuiescingComplete(h, 1, SA_AIS_OK))
CALL(g_pg_track, saAmfProtectionGroupTrack(h, &n_good, SA_TRACK_CURRENT, &pg_buf))
CALL(g_pg_track_4, saAmfProtectionGroupTrack_4(h, &n_good, SA_TRACK_CHANGES_ONLY, &pg_buf_4))
CALL(g_pg_stop, saAmfProtectionGroupTrackStop(h, &n_good))
CALL(g_report, saAmfComponentErrorReport(h, &n_good, 0, SA_AMF_COMPONENT_FAILOVER, 0))
CALL(g_report_4, saAmfComponentErrorReport_4(h, &n_good, 0, SA_AMF_NODE_FAILOVER, NULL))
CALL(g_clear, saAmfComponentErrorClear(h, &n_good, 0))
CALL(g_clear_4, saAmfComponentErrorClear_4(h, &n_good, NULL))
CALL(g_corr, saAmfCorrelationIdsGet(h, 1, &corr_out))
CALL(g_resp, saAmfResponse(h, 1, SA_AIS_OK))
CALL(g_resp_try_again, saAmfResponse(h, 1, SA_AIS_ERR_TRY_AGAIN))
CALL(g_resp_4, saAmfResponse_4(h, 1, NULL, SA_AIS_ERR_FAILED_OPERATION))

static const struct handle_case {
	const char *what;
	call_fn fn;
} handle_cases[] = {
	{ "saAmfSelectionObjectGet", g_so },
	{ "saAmfDispatch", g_dispatch },
	{ "saAmfComponentRegister", g_register },
	{ "saAmfComponentUnregister", g_unregister },
	{ "saAmfComponentNameGet", g_name_get },
	{ "saAmfPmStart", g_pm_start },
	{ "saAmfPmStart_3", g_pm_start_3 },
	{ "saAmfPmStop(ALL_PROCESSES)", g_pm_stop },
	{ "saAmfHealthcheckStart", g_hc_start },
	{ "saAmfHealthcheckConfirm", g_hc_confirm },
	{ "saAmfHealthcheckStop", g_hc_stop },
	{ "saAmfHAStateGet", g_ha_get },
	{ "saAmfHAReadinessStateSet", g_hars },
	{ "saAmfCSIQuiescingComplete", g_qc },
	{ "saAmfProtectionGroupTrack", g_pg_track },
	{ "saAmfProtectionGroupTrack_4", g_pg_track_4 },
	{ "saAmfProtectionGroupTrackStop", g_pg_stop },
	{ "saAmfComponentErrorReport", g_report },
	{ "saAmfComponentErrorReport_4", g_report_4 },
	{ "saAmfComponentErrorClear", g_clear },
	{ "saAmfComponentErrorClear_4", g_clear_4 },
	{ "saAmfCorrelationIdsGet", g_corr },
	{ "saAmfResponse", g_resp },
	{ "saAmfResponse(TRY_AGAIN)", g_resp_try_again },
	{ "saAmfResponse_4", g_resp_4 },
	{ "saAmfFinalize", g_finalize },	/* last: it would end a good handle */
};
#define N_HANDLE_CASES ((int)(sizeof(handle_cases) / sizeof(handle_cases[0])))

/* handle_cases[i] with the bad handle h. */
static void check_bad_handle(int i, SaAmfHandleT h, const char *handle_kind)
{
	values_init();
	memset(&pg_buf, 0, sizeof(pg_buf));
	memset(&pg_buf_4, 0, sizeof(pg_buf_4));
	ck_assert_err(handle_cases[i].fn(h), SA_AIS_ERR_BAD_HANDLE, "%s (%s handle)",
		      handle_cases[i].what, handle_kind);
}

/* ------------------------------------------------------------------ */
/* Argument cases: no safd needed                                      */

/* Loop tests: one case per table entry, so that every failure shows. */
START_TEST(t_names_no_handle)
{
	check_bad_name(_i, BOGUS_HANDLE, "no such");
	check_bad_name(_i, 0, "zero");
}
END_TEST

START_TEST(t_args_no_handle)
{
	check_bad_arg(_i, BOGUS_HANDLE, false, "no such");
	check_bad_arg(_i, 0, false, "zero");
}
END_TEST

START_TEST(t_bad_handle)
{
	check_bad_handle(_i, BOGUS_HANDLE, "no such");
	check_bad_handle(_i, 0, "zero");
}
END_TEST

typedef SaAisErrorT (*init_fn)(SaAmfHandleT *h, SaVersionT *v);

static SaAisErrorT init_1(SaAmfHandleT *h, SaVersionT *v)
{
	SaAmfCallbacksT cb;

	memset(&cb, 0, sizeof(cb));
	return saAmfInitialize(h, &cb, v);
}

static SaAisErrorT init_3(SaAmfHandleT *h, SaVersionT *v)
{
	SaAmfCallbacksT_3 cb;

	memset(&cb, 0, sizeof(cb));
	return saAmfInitialize_3(h, &cb, v);
}

static SaAisErrorT init_4(SaAmfHandleT *h, SaVersionT *v)
{
	SaAmfCallbacksT_4 cb;

	memset(&cb, 0, sizeof(cb));
	return saAmfInitialize_4(h, &cb, v);
}

static const struct {
	const char *what;
	init_fn fn;
} inits[] = {
	{ "saAmfInitialize", init_1 },
	{ "saAmfInitialize_3", init_3 },
	{ "saAmfInitialize_4", init_4 },
};

/* NULL handle pointer, NULL version, and versions that cannot be served:
 * release 'A' or 'C', major 0 or 5. A refused version is written back as
 * the one supported, B.04.01. None of this needs safd. */
START_TEST(t_initialize_args)
{
	static const SaVersionT bad[] = { { 'A', 1, 1 }, { 'C', 4, 1 }, { 'B', 0, 1 },
					  { 'B', 5, 1 }, { 0, 0, 0 } };
	SaAmfHandleT h = 0;
	SaVersionT v = { 'B', 4, 1 };
	size_t i, k;

	for (i = 0; i < sizeof(inits) / sizeof(inits[0]); i++) {
		ck_assert_err(inits[i].fn(NULL, &v), SA_AIS_ERR_INVALID_PARAM,
			      "%s(handle NULL)", inits[i].what);
		ck_assert_err(inits[i].fn(&h, NULL), SA_AIS_ERR_INVALID_PARAM,
			      "%s(version NULL)", inits[i].what);
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			v = bad[k];
			ck_assert_err(inits[i].fn(&h, &v), SA_AIS_ERR_VERSION,
				      "%s(version %d.%u.%u)", inits[i].what, bad[k].releaseCode,
				      bad[k].majorVersion, bad[k].minorVersion);
			ck_assert_msg(v.releaseCode == 'B' && v.majorVersion == 4 &&
				      v.minorVersion == 1,
				      "%s: version %d.%u.%u refused, written back as %c.%u.%u, "
				      "want B.4.1", inits[i].what, bad[k].releaseCode,
				      bad[k].majorVersion, bad[k].minorVersion, v.releaseCode,
				      v.majorVersion, v.minorVersion);
		}
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Live cases                                                          */

static SaAmfHandleT live_init(const SaAmfCallbacksT_4 *cb)
{
	SaVersionT v = { 'B', 4, 1 };
	SaAmfHandleT h = 0;
	SaAisErrorT err;

	err = saAmfInitialize_4(&h, cb, &v);
	ck_assert_err(err, SA_AIS_OK, "saAmfInitialize_4 against the running safd");
	return h;
}

/* What the live cases' callbacks saw (each case runs in its own process). */
static struct {
	int csi_sets;
	SaInvocationT invocation;
	SaNameT comp;
	SaAmfHAStateT ha;
	SaAmfCSIDescriptorT d;
	char attr_name[64], attr_value[64];
	unsigned n_attrs;
} seen;

static void cb_csi_set(SaInvocationT invocation, const SaNameT *compName,
		       SaAmfHAStateT haState, SaAmfCSIDescriptorT d)
{
	seen.csi_sets++;
	seen.invocation = invocation;
	seen.comp = *compName;
	seen.ha = haState;
	seen.d = d;
	seen.n_attrs = d.csiAttr.number;
	if (d.csiFlags == SA_AMF_CSI_ADD_ONE && d.csiAttr.number > 0) {
		/* The attributes are valid during the callback only: copy. */
		snprintf(seen.attr_name, sizeof(seen.attr_name), "%s",
			 (const char *)d.csiAttr.attr[0].attrName);
		snprintf(seen.attr_value, sizeof(seen.attr_value), "%s",
			 (const char *)d.csiAttr.attr[0].attrValue);
	}
	seen.d.csiAttr.attr = NULL;
}

static void cb_csi_remove(SaInvocationT invocation, const SaNameT *compName,
			  const SaNameT *csiName, SaAmfCSIFlagsT csiFlags)
{
}

static void cb_terminate(SaInvocationT invocation, const SaNameT *compName)
{
}

static void cb_healthcheck(SaInvocationT invocation, const SaNameT *compName,
			   SaAmfHealthcheckKeyT *key)
{
}

static void cb_pg_4(const SaNameT *csiName, SaAmfProtectionGroupNotificationBufferT_4 *buf,
		    SaUint32T members, SaAisErrorT error)
{
}

static const SaAmfCallbacksT_4 all_callbacks = {
	.saAmfHealthcheckCallback = cb_healthcheck,
	.saAmfComponentTerminateCallback = cb_terminate,
	.saAmfCSISetCallback = cb_csi_set,
	.saAmfCSIRemoveCallback = cb_csi_remove,
	.saAmfProtectionGroupTrackCallback = cb_pg_4,
};

/* Registers comp, retrying while safd answers TRY_AGAIN (AMF has not
 * started the component's instantiation yet, e.g. it restarts it after
 * the previous case), for at most 10 s. */
static SaAisErrorT register_retry(SaAmfHandleT h, const SaNameT *comp)
{
	int64_t deadline = now_ms() + 10000;
	SaAisErrorT err;

	while ((err = saAmfComponentRegister(h, comp, NULL)) == SA_AIS_ERR_TRY_AGAIN &&
	       now_ms() < deadline)
		usleep(50 * 1000);
	return err;
}

/* Dispatches h until `*counter` reaches target or ms pass. */
static int dispatch_until(SaAmfHandleT h, int *counter, int target, int ms)
{
	int64_t deadline = now_ms() + ms;
	SaSelectionObjectT so;
	struct pollfd pfd;

	ck_assert_err(saAmfSelectionObjectGet(h, &so), SA_AIS_OK, "saAmfSelectionObjectGet");
	while (*counter < target) {
		int left = (int)(deadline - now_ms());

		if (left <= 0)
			break;
		pfd.fd = (int)so;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, left < 100 ? left : 100) > 0 && (pfd.revents & POLLIN))
			ck_assert_err(saAmfDispatch(h, SA_DISPATCH_ALL), SA_AIS_OK,
				      "saAmfDispatch");
	}
	return *counter;
}

START_TEST(t_live_names)
{
	SaAmfHandleT h = live_init(&all_callbacks);

	check_bad_name(_i, h, "valid");
	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
}
END_TEST

START_TEST(t_live_args)
{
	SaAmfHandleT h = live_init(&all_callbacks);

	check_bad_arg(_i, h, true, "valid");
	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
}
END_TEST

/* A finalized handle is a bad handle for every call, Finalize included. */
START_TEST(t_live_finalized)
{
	SaAmfHandleT h = live_init(&all_callbacks);

	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
	check_bad_handle(_i, h, "finalized");
}
END_TEST

/* Valid versions, each initialize: B.01 to B.04 are accepted and B.04.01
 * is written back. */
START_TEST(t_live_versions)
{
	SaVersionT v;
	SaAmfHandleT h;
	size_t i;
	SaUint8T major;

	for (i = 0; i < sizeof(inits) / sizeof(inits[0]); i++) {
		for (major = 1; major <= 4; major++) {
			v = (SaVersionT){ 'B', major, 1 };
			h = 0;
			ck_assert_err(inits[i].fn(&h, &v), SA_AIS_OK, "%s(B.%u.1)", inits[i].what,
				      major);
			ck_assert_msg(v.releaseCode == 'B' && v.majorVersion == 4 &&
				      v.minorVersion == 1, "%s(B.%u.1) gave %c.%u.%u",
				      inits[i].what, major, v.releaseCode, v.majorVersion,
				      v.minorVersion);
			ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
		}
	}
}
END_TEST

/* The callbacks a call needs: registering without the CSI set, CSI remove
 * and terminate callbacks is INIT (whichever is missing), so is an
 * AMF-invoked healthcheck without the healthcheck callback and a track of
 * changes without the track callback. INIT must not register anything:
 * afterwards a complete handle registers the same component. */
START_TEST(t_live_init_callbacks)
{
	static const SaAmfCallbacksT_4 none;
	SaAmfCallbacksT_4 cb;
	SaAmfHandleT h;
	SaNameT comp;
	int missing;

	values_init();
	name_set(&comp, COMP_DN(1));
	h = live_init(&none);
	ck_assert_err(saAmfComponentRegister(h, &comp, NULL), SA_AIS_ERR_INIT,
		      "register without callbacks");
	ck_assert_err(saAmfHealthcheckStart(h, &comp, &k_good, SA_AMF_HEALTHCHECK_AMF_INVOKED,
					    SA_AMF_NO_RECOMMENDATION), SA_AIS_ERR_INIT,
		      "AMF-invoked healthcheck start without the healthcheck callback");
	ck_assert_err(saAmfProtectionGroupTrack_4(h, &comp, SA_TRACK_CHANGES, NULL),
		      SA_AIS_ERR_INIT, "track changes without the track callback");
	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");

	for (missing = 0; missing < 3; missing++) {
		cb = all_callbacks;
		if (missing == 0)
			cb.saAmfCSISetCallback = NULL;
		else if (missing == 1)
			cb.saAmfCSIRemoveCallback = NULL;
		else
			cb.saAmfComponentTerminateCallback = NULL;
		h = live_init(&cb);
		ck_assert_err(saAmfComponentRegister(h, &comp, NULL), SA_AIS_ERR_INIT,
			      "register without the %s callback",
			      missing == 0 ? "CSI set" : missing == 1 ? "CSI remove" :
			      "terminate");
		ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
	}

	h = live_init(&all_callbacks);
	ck_assert_err(register_retry(h, &comp), SA_AIS_OK,
		      "register %s with every callback after the INIT answers "
		      "(is safd running amf-tests/amf-api.xml?)", COMP_DN(1));
	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
}
END_TEST

/* saAmfComponentNameGet reads SA_AMF_COMPONENT_NAME: its value, up to 256
 * bytes; NOT_EXIST when the process was not started as a component. */
START_TEST(t_live_name_get)
{
	SaAmfHandleT h = live_init(&all_callbacks);
	char long_name[SA_MAX_NAME_LENGTH + 2];
	SaNameT n;

	ck_assert_int_eq(setenv("SA_AMF_COMPONENT_NAME", COMP_DN(2), 1), 0);
	memset(&n, 0xff, sizeof(n));
	ck_assert_err(saAmfComponentNameGet(h, &n), SA_AIS_OK, "name get with the variable set");
	ck_assert_int_eq(n.length, strlen(COMP_DN(2)));
	ck_assert(memcmp(n.value, COMP_DN(2), n.length) == 0);

	memset(long_name, 'n', SA_MAX_NAME_LENGTH);
	long_name[SA_MAX_NAME_LENGTH] = '\0';
	ck_assert_int_eq(setenv("SA_AMF_COMPONENT_NAME", long_name, 1), 0);
	ck_assert_err(saAmfComponentNameGet(h, &n), SA_AIS_OK, "name get of 256 bytes");
	ck_assert_int_eq(n.length, SA_MAX_NAME_LENGTH);
	ck_assert(memcmp(n.value, long_name, SA_MAX_NAME_LENGTH) == 0);

	/* 257 bytes do not fit a SaNameT: any error, but not OK. */
	long_name[SA_MAX_NAME_LENGTH] = 'n';
	long_name[SA_MAX_NAME_LENGTH + 1] = '\0';
	ck_assert_int_eq(setenv("SA_AMF_COMPONENT_NAME", long_name, 1), 0);
	ck_assert_msg(saAmfComponentNameGet(h, &n) != SA_AIS_OK,
		      "name get of a 257-byte name answered OK");

	ck_assert_int_eq(unsetenv("SA_AMF_COMPONENT_NAME"), 0);
	ck_assert_err(saAmfComponentNameGet(h, &n), SA_AIS_ERR_NOT_EXIST,
		      "name get without SA_AMF_COMPONENT_NAME");
	ck_assert_err(saAmfComponentNameGet(h, NULL), SA_AIS_ERR_INVALID_PARAM,
		      "name get into NULL");
	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
	ck_assert_err(saAmfComponentNameGet(h, &n), SA_AIS_ERR_BAD_HANDLE,
		      "name get on a finalized handle");
}
END_TEST

/* A name that is no configured component: INVALID_PARAM for register; for
 * error report and clear, NOT_EXIST ("not configured"). */
START_TEST(t_live_unknown_component)
{
	SaAmfHandleT h = live_init(&all_callbacks);
	SaNameT n;

	name_set(&n, "safComp=nope,safSu=live1,safSg=live," APP);
	ck_assert_err(saAmfComponentRegister(h, &n, NULL), SA_AIS_ERR_INVALID_PARAM,
		      "register of an unknown component");
	name_set(&n, "not a DN at all");
	ck_assert_err(saAmfComponentRegister(h, &n, NULL), SA_AIS_ERR_INVALID_PARAM,
		      "register of a name that is not a DN");
	values_init();
	ck_assert_err(saAmfComponentRegister(h, &n_max, NULL), SA_AIS_ERR_INVALID_PARAM,
		      "register of an unknown 256-byte name");
	name_set(&n, "safComp=nope,safSu=live1,safSg=live," APP);
	ck_assert_err(saAmfComponentErrorReport_4(h, &n, 0, SA_AMF_NO_RECOMMENDATION, NULL),
		      SA_AIS_ERR_NOT_EXIST, "error report on an unknown component");
	ck_assert_err(saAmfComponentErrorClear_4(h, &n, NULL), SA_AIS_ERR_NOT_EXIST,
		      "error clear on an unknown component");
	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
}
END_TEST

/* A component is registered once at a time, across all handles: EXIST on
 * the same handle and on another one; unregistering it from the handle
 * that did not register it fails, from its own succeeds, and a second
 * unregister is NOT_EXIST. */
START_TEST(t_live_register_twice)
{
	SaAmfHandleT h1 = live_init(&all_callbacks);
	SaAmfHandleT h2 = live_init(&all_callbacks);
	SaNameT comp;
	SaAisErrorT err;

	name_set(&comp, COMP_DN(2));
	ck_assert_err(register_retry(h1, &comp), SA_AIS_OK,
		      "first register of %s (is safd running amf-tests/amf-api.xml?)",
		      COMP_DN(2));
	ck_assert_err(saAmfComponentRegister(h1, &comp, NULL), SA_AIS_ERR_EXIST,
		      "second register on the same handle");
	ck_assert_err(saAmfComponentRegister(h2, &comp, NULL), SA_AIS_ERR_EXIST,
		      "register on another handle");
	err = saAmfComponentUnregister(h2, &comp, NULL);
	ck_assert_msg(err != SA_AIS_OK,
		      "unregister from a handle that did not register it answered OK");
	ck_assert_err(saAmfComponentUnregister(h1, &comp, NULL), SA_AIS_OK,
		      "unregister from the registering handle");
	ck_assert_err(saAmfComponentUnregister(h1, &comp, NULL), SA_AIS_ERR_NOT_EXIST,
		      "second unregister");
	ck_assert_err(saAmfFinalize(h2), SA_AIS_OK, "saAmfFinalize");
	ck_assert_err(saAmfFinalize(h1), SA_AIS_OK, "saAmfFinalize");
}
END_TEST

/* Once registered, the component gets its SI: a CSI set ACTIVE, ADD_ONE,
 * NEW_ASSIGN, naming the component and a CSI of amf-api.xml with its
 * attribute. saAmfHAStateGet agrees; another CSI is NOT_EXIST.
 * saAmfResponse: a bad error value is INVALID_PARAM (the callback stays
 * open), an invocation safd never issued is INVALID_PARAM, the right answer
 * is OK, and answering it again is INVALID_PARAM. */
START_TEST(t_live_csi_set)
{
	SaAmfHandleT h = live_init(&all_callbacks);
	SaNameT comp, other;
	char want_csi[SA_MAX_NAME_LENGTH + 1], want_value[16];
	unsigned k, n = 0;
	SaAmfHAStateT ha = 0;

	name_set(&comp, COMP_DN(3));
	ck_assert_err(register_retry(h, &comp), SA_AIS_OK,
		      "register %s (is safd running amf-tests/amf-api.xml?)", COMP_DN(3));
	ck_assert_msg(dispatch_until(h, &seen.csi_sets, 1, 10000) == 1,
		      "no CSI set callback within 10 s of registering (%d)", seen.csi_sets);
	ck_assert_msg(seen.comp.length == comp.length &&
		      memcmp(seen.comp.value, comp.value, comp.length) == 0,
		      "CSI set for '%.*s', want %s", seen.comp.length, seen.comp.value,
		      COMP_DN(3));
	ck_assert_int_eq(seen.ha, SA_AMF_HA_ACTIVE);
	ck_assert_int_eq(seen.d.csiFlags, SA_AMF_CSI_ADD_ONE);
	ck_assert_int_eq(seen.d.csiStateDescriptor.activeDescriptor.transitionDescriptor,
			 SA_AMF_CSI_NEW_ASSIGN);
	for (k = 1; k <= 4; k++) {
		snprintf(want_csi, sizeof(want_csi), CSI_DN_FMT, k, k);
		if (seen.d.csiName.length == strlen(want_csi) &&
		    memcmp(seen.d.csiName.value, want_csi, seen.d.csiName.length) == 0)
			n = k;
	}
	ck_assert_msg(n != 0, "CSI set names '%.*s', not a CSI of amf-api.xml",
		      seen.d.csiName.length, seen.d.csiName.value);
	snprintf(want_value, sizeof(want_value), "value%u", n);
	ck_assert_int_eq(seen.n_attrs, 1);
	ck_assert_str_eq(seen.attr_name, "key");
	ck_assert_str_eq(seen.attr_value, want_value);

	ck_assert_err(saAmfResponse(h, seen.invocation, SA_AIS_ERR_LIBRARY),
		      SA_AIS_ERR_INVALID_PARAM, "response with error LIBRARY");
	ck_assert_err(saAmfResponse(h, seen.invocation + 1000000, SA_AIS_OK),
		      SA_AIS_ERR_INVALID_PARAM, "response to an invocation never issued");
	ck_assert_err(saAmfResponse(h, seen.invocation, SA_AIS_OK), SA_AIS_OK,
		      "response OK to the CSI set");
	ck_assert_err(saAmfResponse(h, seen.invocation, SA_AIS_OK), SA_AIS_ERR_INVALID_PARAM,
		      "second response to the same invocation");

	ck_assert_err(saAmfHAStateGet(h, &comp, &seen.d.csiName, &ha), SA_AIS_OK,
		      "HA state get of the assigned CSI");
	ck_assert_int_eq(ha, SA_AMF_HA_ACTIVE);
	snprintf(want_csi, sizeof(want_csi), CSI_DN_FMT, n % 4 + 1, n % 4 + 1);
	name_set(&other, want_csi);
	ck_assert_err(saAmfHAStateGet(h, &comp, &other, &ha), SA_AIS_ERR_NOT_EXIST,
		      "HA state get of a CSI the component does not hold");
	name_set(&other, "safCsi=nope,safSi=si1," APP);
	ck_assert_err(saAmfHAStateGet(h, &comp, &other, &ha), SA_AIS_ERR_NOT_EXIST,
		      "HA state get of an unknown CSI");
	ck_assert_err(saAmfFinalize(h), SA_AIS_OK, "saAmfFinalize");
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *amf_suite(void)
{
	Suite *s = suite_create("amf");
	TCase *tc = tcase_create("args");

	tcase_set_timeout(tc, CASE_TIMEOUT);
	tcase_add_loop_test(tc, t_names_no_handle, 0, N_NAME_CALLS);
	tcase_add_loop_test(tc, t_args_no_handle, 0, N_ARG_CASES);
	tcase_add_loop_test(tc, t_bad_handle, 0, N_HANDLE_CASES);
	tcase_add_test(tc, t_initialize_args);
	suite_add_tcase(s, tc);

	if (live()) {
		tc = tcase_create("live");
		tcase_set_timeout(tc, CASE_TIMEOUT);
		tcase_add_loop_test(tc, t_live_names, 0, N_NAME_CALLS);
		tcase_add_loop_test(tc, t_live_args, 0, N_ARG_CASES);
		tcase_add_loop_test(tc, t_live_finalized, 0, N_HANDLE_CASES);
		tcase_add_test(tc, t_live_versions);
		tcase_add_test(tc, t_live_init_callbacks);
		tcase_add_test(tc, t_live_name_get);
		tcase_add_test(tc, t_live_unknown_component);
		tcase_add_test(tc, t_live_register_twice);
		tcase_add_test(tc, t_live_csi_set);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(amf_suite());
	int failed;

	if (!live())
		fprintf(stderr, "SKIP: the live cases of check_amf need a running safd with "
			"amf-tests/amf-api.xml; tests/cluster/amf-api.sh runs them in a "
			"private cluster (only the argument cases ran)\n");
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
