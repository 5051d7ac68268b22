/*
 * libSaAmf health checks (saAmfHealthcheckStart, Confirm, Stop) and passive
 * monitoring (saAmfPmStart, PmStart_3, PmStop); safd's side is
 * amf/health.c. Each call checks every argument first (INVALID_PARAM),
 * then the handle (BAD_HANDLE) and the callback it needs (INIT), then asks
 * safd (amf_checked_call()).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "amf_int.h"

#define PM_ERRORS ((SaAmfPmErrorsT)(SA_AMF_PM_ZERO_EXIT | SA_AMF_PM_NON_ZERO_EXIT | \
		   SA_AMF_PM_ABNORMAL_END))

/* ------------------------------------------------------------------------ */
/* Health checks                                                            */
/* ------------------------------------------------------------------------ */

/* A key is 1 to SA_AMF_HEALTHCHECK_KEY_MAX bytes. */
static bool key_valid(const SaAmfHealthcheckKeyT *key)
{
	return key != NULL && key->keyLen > 0 && key->keyLen <= SA_AMF_HEALTHCHECK_KEY_MAX;
}

/* The request of the three health-check calls; the key was checked. */
static void hc_request(struct req_lib_amf_healthcheck *req, int32_t id, const SaNameT *compName,
		       const SaAmfHealthcheckKeyT *key)
{
	memset(req, 0, sizeof(*req));
	req->header.id = id;
	req->header.size = sizeof(*req);
	safd_name_to_wire(&req->comp, compName);
	memcpy(req->key, key->key, key->keyLen);
	req->key_len = key->keyLen;
}

/*
 * safd answers (amf/health.c): NOT_EXIST when the component is not
 * configured, does not run on this node, or has no healthcheck of this key
 * configured (start), or when this handle did not start the check (confirm,
 * stop); EXIST when this handle started it already; INVALID_PARAM when
 * another handle started it (only the starting process confirms or stops).
 */

SaAisErrorT saAmfHealthcheckStart(SaAmfHandleT amfHandle, const SaNameT *compName,
				  const SaAmfHealthcheckKeyT *healthcheckKey,
				  SaAmfHealthcheckInvocationT invocationType,
				  SaAmfRecommendedRecoveryT recommendedRecovery)
{
	struct req_lib_amf_healthcheck req;

	/* Through unsigned, so that a negative value is out of range too. */
	if (safd_name_check(compName) != SA_AIS_OK || !key_valid(healthcheckKey) ||
	    (unsigned int)invocationType < SA_AMF_HEALTHCHECK_AMF_INVOKED ||
	    (unsigned int)invocationType > SA_AMF_HEALTHCHECK_COMPONENT_INVOKED ||
	    !amf_recovery_valid(recommendedRecovery))
		return SA_AIS_ERR_INVALID_PARAM;
	hc_request(&req, REQ_LIB_AMF_HC_START, compName, healthcheckKey);
	req.invocation_type = (uint32_t)invocationType;
	req.recovery = (uint32_t)recommendedRecovery;
	return amf_checked_call(amfHandle, invocationType == SA_AMF_HEALTHCHECK_AMF_INVOKED ?
				NEED_HEALTHCHECK : NEED_NOTHING, &req, sizeof(req));
}

SaAisErrorT saAmfHealthcheckConfirm(SaAmfHandleT amfHandle, const SaNameT *compName,
				    const SaAmfHealthcheckKeyT *healthcheckKey,
				    SaAisErrorT healthcheckResult)
{
	struct req_lib_amf_healthcheck req;

	if (safd_name_check(compName) != SA_AIS_OK || !key_valid(healthcheckKey) ||
	    (healthcheckResult != SA_AIS_OK &&
	     healthcheckResult != SA_AIS_ERR_FAILED_OPERATION))
		return SA_AIS_ERR_INVALID_PARAM;
	hc_request(&req, REQ_LIB_AMF_HC_CONFIRM, compName, healthcheckKey);
	req.result = (uint32_t)healthcheckResult;
	return amf_checked_call(amfHandle, NEED_NOTHING, &req, sizeof(req));
}

SaAisErrorT saAmfHealthcheckStop(SaAmfHandleT amfHandle, const SaNameT *compName,
				 const SaAmfHealthcheckKeyT *healthcheckKey)
{
	struct req_lib_amf_healthcheck req;

	if (safd_name_check(compName) != SA_AIS_OK || !key_valid(healthcheckKey))
		return SA_AIS_ERR_INVALID_PARAM;
	hc_request(&req, REQ_LIB_AMF_HC_STOP, compName, healthcheckKey);
	return amf_checked_call(amfHandle, NEED_NOTHING, &req, sizeof(req));
}

/* ------------------------------------------------------------------------ */
/* Passive monitoring                                                       */
/* ------------------------------------------------------------------------ */

/* At least one of the three events, nothing else. */
static bool pm_errors_valid(SaAmfPmErrorsT pmErrors)
{
	return pmErrors != 0 && (pmErrors & ~PM_ERRORS) == 0;
}

/* processId > 0; depth -1 (any), 0 (the process) or more. */
static SaAisErrorT pm_start_check(const SaNameT *compName, SaInt64T processId,
				  SaInt32T descendentsTreeDepth, SaAmfPmErrorsT pmErrors,
				  SaAmfRecommendedRecoveryT recommendedRecovery)
{
	if (safd_name_check(compName) != SA_AIS_OK || processId <= 0 ||
	    descendentsTreeDepth < -1 || !pm_errors_valid(pmErrors) ||
	    !amf_recovery_valid(recommendedRecovery))
		return SA_AIS_ERR_INVALID_PARAM;
	return SA_AIS_OK;
}

/* The request of the three calls, from checked arguments. safd answers
 * NOT_EXIST when the component is not configured or does not run on this
 * node, or the process does not exist (start) or is not monitored for any
 * of pmErrors (stop); NO_RESOURCES when it cannot watch more processes. */
static SaAisErrorT pm_call(SaAmfHandleT amfHandle, int32_t id, const SaNameT *compName,
			   SaInt64T processId, SaInt32T depth, SaAmfPmErrorsT pmErrors,
			   SaAmfRecommendedRecoveryT recovery, SaAmfPmStopQualifierT qualifier)
{
	struct req_lib_amf_pm req;

	memset(&req, 0, sizeof(req));
	req.header.id = id;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.comp, compName);
	req.pid = processId;
	req.depth = depth;
	req.errors = (uint32_t)pmErrors;
	req.recovery = (uint32_t)recovery;
	req.stop_qualifier = (uint32_t)qualifier;
	return amf_checked_call(amfHandle, NEED_NOTHING, &req, sizeof(req));
}

SaAisErrorT saAmfPmStart(SaAmfHandleT amfHandle, const SaNameT *compName,
			 SaUint64T processId, SaInt32T descendentsTreeDepth,
			 SaAmfPmErrorsT pmErrors,
			 SaAmfRecommendedRecoveryT recommendedRecovery)
{
	SaAisErrorT err;

	/* The B.01 unsigned id: one above INT64_MAX is no process either. */
	if (processId > INT64_MAX)
		return SA_AIS_ERR_INVALID_PARAM;
	err = pm_start_check(compName, (SaInt64T)processId, descendentsTreeDepth,
			     pmErrors, recommendedRecovery);
	if (err != SA_AIS_OK)
		return err;
	return pm_call(amfHandle, REQ_LIB_AMF_PM_START, compName, (SaInt64T)processId,
		       descendentsTreeDepth, pmErrors, recommendedRecovery, 0);
}

SaAisErrorT saAmfPmStart_3(SaAmfHandleT amfHandle, const SaNameT *compName,
			   SaInt64T processId, SaInt32T descendentsTreeDepth,
			   SaAmfPmErrorsT pmErrors,
			   SaAmfRecommendedRecoveryT recommendedRecovery)
{
	SaAisErrorT err;

	err = pm_start_check(compName, processId, descendentsTreeDepth, pmErrors,
			     recommendedRecovery);
	if (err != SA_AIS_OK)
		return err;
	return pm_call(amfHandle, REQ_LIB_AMF_PM_START, compName, processId,
		       descendentsTreeDepth, pmErrors, recommendedRecovery, 0);
}

/* processId is not used with SA_AMF_PM_ALL_PROCESSES (every process
 * monitored for the component). */
SaAisErrorT saAmfPmStop(SaAmfHandleT amfHandle, const SaNameT *compName,
			SaAmfPmStopQualifierT stopQualifier, SaInt64T processId,
			SaAmfPmErrorsT pmErrors)
{
	if (safd_name_check(compName) != SA_AIS_OK ||
	    (unsigned int)stopQualifier < SA_AMF_PM_PROC ||
	    (unsigned int)stopQualifier > SA_AMF_PM_ALL_PROCESSES ||
	    (stopQualifier != SA_AMF_PM_ALL_PROCESSES && processId <= 0) ||
	    !pm_errors_valid(pmErrors))
		return SA_AIS_ERR_INVALID_PARAM;
	return pm_call(amfHandle, REQ_LIB_AMF_PM_STOP, compName, processId, 0, pmErrors,
		       (SaAmfRecommendedRecoveryT)0, stopQualifier);
}
