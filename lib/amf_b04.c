/*
 * libSaAmf B.04 additions: the HA readiness state a component declares for
 * its CSIs (amf/engine.c takes it into account when it assigns) and the
 * correlation ids of a callback (always unused: safd sends no
 * notifications).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "amf_int.h"

/* ------------------------------------------------------------------------ */
/* HA readiness state and correlation ids (B.04)                            */
/* ------------------------------------------------------------------------ */

/* A NULL csiName means every CSI the component can take; correlationIds
 * may be NULL and are ignored (safd sends no notifications). */
SaAisErrorT saAmfHAReadinessStateSet(SaAmfHandleT amfHandle, const SaNameT *compName,
				     const SaNameT *csiName,
				     SaAmfHAReadinessStateT haReadinessState,
				     SaNtfCorrelationIdsT *correlationIds)
{
	struct req_lib_amf_ha_readiness req = {
		.header = { .id = REQ_LIB_AMF_HA_READINESS, .size = sizeof(req) },
		.state = haReadinessState,
	};

	if (safd_name_check(compName) != SA_AIS_OK ||
	    (csiName != NULL && safd_name_check(csiName) != SA_AIS_OK) ||
	    (unsigned int)haReadinessState < SA_AMF_HARS_READY_FOR_ASSIGNMENT ||
	    (unsigned int)haReadinessState > SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT)
		return SA_AIS_ERR_INVALID_PARAM;
	safd_name_to_wire(&req.comp, compName);
	if (csiName != NULL)
		safd_name_to_wire(&req.csi, csiName);
	return amf_checked_call(amfHandle, NEED_NOTHING, &req, sizeof(req));
}

SaAisErrorT saAmfCorrelationIdsGet(SaAmfHandleT amfHandle, SaInvocationT invocation,
				   SaNtfCorrelationIdsT *correlationIds)
{
	struct req_lib_amf_correlation_ids req = {
		.header = { .id = REQ_LIB_AMF_CORRELATION_IDS, .size = sizeof(req) },
		.invocation = invocation,
	};
	SaAisErrorT err;

	if (correlationIds == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_checked_call(amfHandle, NEED_NOTHING, &req, sizeof(req));
	if (err == SA_AIS_OK) {
		correlationIds->rootCorrelationId = SA_NTF_IDENTIFIER_UNUSED;
		correlationIds->parentCorrelationId = SA_NTF_IDENTIFIER_UNUSED;
		correlationIds->notificationId = SA_NTF_IDENTIFIER_UNUSED;
	}
	return err;
}
