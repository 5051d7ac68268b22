/*
 * libSaAmf calls that safd answers (SAI-AIS-AMF-B.04.01 section 4.6): the
 * component's name, registration, responses to callbacks, quiescing
 * complete, HA state, error report and error clear.
 *
 * Every call checks its arguments before it looks at the handle, except
 * saAmfComponentNameGet(), which checks the handle first and never talks to
 * safd (the name is in the environment AMF started the process with).
 *
 * Correlation ids (the _4 variants) and NTF identifiers are accepted, NULL
 * included, and ignored: safd sends no notifications, so there is nothing
 * to correlate. The answers safd gives are in each function's comment; it
 * checks the names (configured, on this node) and the invocations itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "amf_int.h"

/* ------------------------------------------------------------------------ */
/* Component name and registration                                          */
/* ------------------------------------------------------------------------ */

SaAisErrorT saAmfComponentNameGet(SaAmfHandleT amfHandle, SaNameT *compName)
{
	struct amf_instance *inst;
	const char *env;
	SaAisErrorT err;
	size_t len;

	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	env = getenv("SA_AMF_COMPONENT_NAME");
	len = env != NULL ? strlen(env) : 0;
	if (compName == NULL)
		err = SA_AIS_ERR_INVALID_PARAM;
	else if (len == 0)
		err = SA_AIS_ERR_NOT_EXIST;	/* not started by AMF */
	else if (len > SA_MAX_NAME_LENGTH)
		err = SA_AIS_ERR_NAME_TOO_LONG;
	if (err == SA_AIS_OK) {
		compName->length = (SaUint16T)len;
		memcpy(compName->value, env, len);
		if (len < SA_MAX_NAME_LENGTH)
			compName->value[len] = '\0';	/* legacy code prints it */
	}
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
}

/* Register and unregister: the same request; a proxy name of length 0
 * travels as none. safd answers Register with INVALID_PARAM (not a
 * configured component, or not on this node), EXIST (registered already,
 * by any process), NOT_EXIST (a proxy is named: safd has no proxies yet) or
 * TRY_AGAIN (AMF is not instantiating the component now); Unregister with
 * NOT_EXIST when this session did not register the component. */
static SaAisErrorT register_call(SaAmfHandleT amfHandle, int32_t id,
				 const SaNameT *compName, const SaNameT *proxyCompName)
{
	struct req_lib_amf_register req;
	struct amf_instance *inst;
	SaAisErrorT err;

	if (safd_name_check(compName) != SA_AIS_OK ||
	    amf_name_optional_check(proxyCompName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (id == REQ_LIB_AMF_REGISTER &&
	    (inst->callbacks.saAmfCSISetCallback == NULL ||
	     inst->callbacks.saAmfCSIRemoveCallback == NULL ||
	     inst->callbacks.saAmfComponentTerminateCallback == NULL)) {
		err = SA_AIS_ERR_INIT;
		goto out_put;
	}
	memset(&req, 0, sizeof(req));
	req.header.id = id;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.comp, compName);
	safd_name_to_wire(&req.proxy, proxyCompName);
	err = amf_call(inst, &req, sizeof(req));
out_put:
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
}

SaAisErrorT saAmfComponentRegister(SaAmfHandleT amfHandle, const SaNameT *compName,
				   const SaNameT *proxyCompName)
{
	return register_call(amfHandle, REQ_LIB_AMF_REGISTER, compName, proxyCompName);
}

SaAisErrorT saAmfComponentUnregister(SaAmfHandleT amfHandle, const SaNameT *compName,
				     const SaNameT *proxyCompName)
{
	return register_call(amfHandle, REQ_LIB_AMF_UNREGISTER, compName, proxyCompName);
}

/* ------------------------------------------------------------------------ */
/* Responses                                                                */
/* ------------------------------------------------------------------------ */

SaAisErrorT amf_response_send(struct amf_instance *inst, SaInvocationT invocation,
			      SaAisErrorT error, bool quiescing_complete)
{
	struct req_lib_amf_response req;

	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_AMF_RESPONSE;
	req.header.size = sizeof(req);
	req.invocation = invocation;
	req.error = (uint32_t)error;
	req.quiescing_complete = quiescing_complete;
	return amf_call(inst, &req, sizeof(req));
}

/* safd answers INVALID_PARAM for an invocation it does not know (already
 * answered, timed out, or never its own). */
static SaAisErrorT response_call(SaAmfHandleT amfHandle, SaInvocationT invocation,
				 SaAisErrorT error, bool quiescing_complete)
{
	struct amf_instance *inst;
	SaAisErrorT err;

	if (error != SA_AIS_OK && error != SA_AIS_ERR_FAILED_OPERATION &&
	    (quiescing_complete || error != SA_AIS_ERR_TRY_AGAIN))
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	err = amf_response_send(inst, invocation, error, quiescing_complete);
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
}

SaAisErrorT saAmfResponse(SaAmfHandleT amfHandle, SaInvocationT invocation,
			  SaAisErrorT error)
{
	return response_call(amfHandle, invocation, error, false);
}

SaAisErrorT saAmfResponse_4(SaAmfHandleT amfHandle, SaInvocationT invocation,
			    SaNtfCorrelationIdsT *correlationIds, SaAisErrorT error)
{
	return response_call(amfHandle, invocation, error, false);
}

SaAisErrorT saAmfCSIQuiescingComplete(SaAmfHandleT amfHandle, SaInvocationT invocation,
				      SaAisErrorT error)
{
	return response_call(amfHandle, invocation, error, true);
}

/* ------------------------------------------------------------------------ */
/* HA state                                                                 */
/* ------------------------------------------------------------------------ */

/* safd checks both names and answers the CSI's HA state on the component. */
SaAisErrorT saAmfHAStateGet(SaAmfHandleT amfHandle, const SaNameT *compName,
			    const SaNameT *csiName, SaAmfHAStateT *haState)
{
	struct req_lib_amf_ha_state_get req;
	struct res_lib_amf_ha_state_get res;
	struct amf_instance *inst;
	size_t len = 0;
	SaAisErrorT err;

	if (safd_name_check(compName) != SA_AIS_OK ||
	    safd_name_check(csiName) != SA_AIS_OK || haState == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_AMF_HA_STATE_GET;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.comp, compName);
	safd_name_to_wire(&req.csi, csiName);
	err = safd_client_request(&inst->client, &req, sizeof(req), &res, sizeof(res),
				  &len);
	if (err == SA_AIS_OK &&
	    (len < sizeof(res) || res.ha_state < SA_AMF_HA_ACTIVE ||
	     res.ha_state > SA_AMF_HA_QUIESCING))
		err = SA_AIS_ERR_LIBRARY;
	if (err == SA_AIS_OK)
		*haState = (SaAmfHAStateT)res.ha_state;
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
}

/* ------------------------------------------------------------------------ */
/* Error report and clear                                                   */
/* ------------------------------------------------------------------------ */

/* errorDetectionTime is absolute, 0 for now. By the spec: NOT_EXIST for a
 * component that is not configured, ACCESS if AMF refuses the recommended
 * recovery. */
static SaAisErrorT error_report(SaAmfHandleT amfHandle, const SaNameT *comp,
				SaTimeT errorDetectionTime,
				SaAmfRecommendedRecoveryT recommendedRecovery)
{
	struct req_lib_amf_error_report req;
	struct amf_instance *inst;
	SaAisErrorT err;

	if (safd_name_check(comp) != SA_AIS_OK || errorDetectionTime < 0 ||
	    !amf_recovery_valid(recommendedRecovery))
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_AMF_ERROR_REPORT;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.comp, comp);
	req.detection_time = errorDetectionTime;
	req.recovery = (uint32_t)recommendedRecovery;
	err = amf_call(inst, &req, sizeof(req));
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
}

SaAisErrorT saAmfComponentErrorReport(SaAmfHandleT amfHandle,
				      const SaNameT *erroneousComponent,
				      SaTimeT errorDetectionTime,
				      SaAmfRecommendedRecoveryT recommendedRecovery,
				      SaNtfIdentifierT ntfIdentifier)
{
	return error_report(amfHandle, erroneousComponent, errorDetectionTime,
			    recommendedRecovery);
}

SaAisErrorT saAmfComponentErrorReport_4(SaAmfHandleT amfHandle,
					const SaNameT *erroneousComponent,
					SaTimeT errorDetectionTime,
					SaAmfRecommendedRecoveryT recommendedRecovery,
					SaNtfCorrelationIdsT *correlationIds)
{
	return error_report(amfHandle, erroneousComponent, errorDetectionTime,
			    recommendedRecovery);
}

static SaAisErrorT error_clear(SaAmfHandleT amfHandle, const SaNameT *compName)
{
	struct req_lib_amf_error_clear req;
	struct amf_instance *inst;
	SaAisErrorT err;

	if (safd_name_check(compName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_AMF_ERROR_CLEAR;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.comp, compName);
	err = amf_call(inst, &req, sizeof(req));
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
}

SaAisErrorT saAmfComponentErrorClear(SaAmfHandleT amfHandle, const SaNameT *compName,
				     SaNtfIdentifierT ntfIdentifier)
{
	return error_clear(amfHandle, compName);
}

SaAisErrorT saAmfComponentErrorClear_4(SaAmfHandleT amfHandle, const SaNameT *compName,
				       SaNtfCorrelationIdsT *correlationIds)
{
	return error_clear(amfHandle, compName);
}
