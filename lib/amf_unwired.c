/*
 * libSaAmf calls whose daemon side does not exist yet: the HA readiness
 * state and correlation ids (B.04). Each checks every argument as it will
 * once safd implements it, then the handle, then ends in unwired(), the
 * one place that answers SA_AIS_ERR_NOT_SUPPORTED.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "amf_int.h"

/* The end of every call of this file once its arguments are checked: the
 * handle, and then the answer for what safd cannot do yet. */
static SaAisErrorT unwired(SaAmfHandleT handle)
{
	struct amf_instance *inst;
	SaAisErrorT err;

	err = amf_get(handle, &inst);
	if (err != SA_AIS_OK)
		return err;
	err = amf_result(inst, SA_AIS_ERR_NOT_SUPPORTED);	/* no daemon side yet */
	amf_put(handle);
	return err;
}

/* ------------------------------------------------------------------------ */
/* HA readiness state and correlation ids (B.04)                            */
/* ------------------------------------------------------------------------ */

/* A NULL csiName means every CSI of the component; correlationIds may be
 * NULL and are ignored (safd sends no notifications). */
SaAisErrorT saAmfHAReadinessStateSet(SaAmfHandleT amfHandle, const SaNameT *compName,
				     const SaNameT *csiName,
				     SaAmfHAReadinessStateT haReadinessState,
				     SaNtfCorrelationIdsT *correlationIds)
{
	if (safd_name_check(compName) != SA_AIS_OK ||
	    (csiName != NULL && safd_name_check(csiName) != SA_AIS_OK) ||
	    (unsigned int)haReadinessState < SA_AMF_HARS_READY_FOR_ASSIGNMENT ||
	    (unsigned int)haReadinessState > SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT)
		return SA_AIS_ERR_INVALID_PARAM;
	return unwired(amfHandle);
}

SaAisErrorT saAmfCorrelationIdsGet(SaAmfHandleT amfHandle, SaInvocationT invocation,
				   SaNtfCorrelationIdsT *correlationIds)
{
	if (correlationIds == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	return unwired(amfHandle);
}
