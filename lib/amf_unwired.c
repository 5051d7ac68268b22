/*
 * libSaAmf calls whose daemon side does not exist yet: health checks
 * (start, confirm, stop), passive monitoring (PmStart, PmStart_3, PmStop),
 * protection groups (track, track stop, notification free), the HA
 * readiness state (B.04) and correlation ids (B.04).
 *
 * Each call checks every argument now, as it will once safd implements it
 * (SAI-AIS-AMF-B.04.01 section 4.6 and the Overview's track flags): first
 * what needs no handle (INVALID_PARAM, BAD_FLAGS), then the handle
 * (BAD_HANDLE), then the callback the call needs (INIT). It then ends in
 * unwired(), the one place that answers SA_AIS_ERR_NOT_SUPPORTED.
 *
 * TO WIRE ONE: add its request (and any event) to include/safd/ipc_amf.h,
 * build the request from the checked arguments where the function calls
 * unwired(), and send it as amf_comp.c does; keep the checks.
 *
 * Already complete: saAmfProtectionGroupNotificationFree*() release with
 * free() what a CURRENT track will allocate with malloc() (so B.01.01
 * applications can use free() too).
 */
#include "config.h"

#include <stdlib.h>

#include "amf_int.h"

#define PM_ERRORS ((SaAmfPmErrorsT)(SA_AMF_PM_ZERO_EXIT | SA_AMF_PM_NON_ZERO_EXIT | \
		   SA_AMF_PM_ABNORMAL_END))
#define TRACK_FLAGS (SA_TRACK_CURRENT | SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY)

/* The callback a call needs, checked once the handle is known. */
enum amf_need {
	NEED_NOTHING,
	NEED_HEALTHCHECK,
	NEED_PG_TRACK,		/* the B.01-B.03 type (saAmfInitialize, _3) */
	NEED_PG_TRACK_4		/* the B.04 type (saAmfInitialize_4) */
};

static bool callback_registered(const struct amf_instance *inst, enum amf_need need)
{
	switch (need) {
	case NEED_HEALTHCHECK:
		return inst->callbacks.saAmfHealthcheckCallback != NULL;
	case NEED_PG_TRACK:
		return inst->pg_track_old != NULL;
	case NEED_PG_TRACK_4:
		return inst->callbacks.saAmfProtectionGroupTrackCallback != NULL;
	case NEED_NOTHING:
	default:
		return true;
	}
}

/* The end of every call of this file once its arguments are checked: the
 * handle, the callback, and then the answer for what safd cannot do yet. */
static SaAisErrorT unwired(SaAmfHandleT handle, enum amf_need need)
{
	struct amf_instance *inst;
	SaAisErrorT err;

	err = amf_get(handle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (!callback_registered(inst, need))
		err = SA_AIS_ERR_INIT;
	else
		err = SA_AIS_ERR_NOT_SUPPORTED;		/* no daemon side yet */
	err = amf_result(inst, err);
	amf_put(handle);
	return err;
}

/* ------------------------------------------------------------------------ */
/* Health checks                                                            */
/* ------------------------------------------------------------------------ */

/* A key is 1 to SA_AMF_HEALTHCHECK_KEY_MAX bytes. */
static bool key_valid(const SaAmfHealthcheckKeyT *key)
{
	return key != NULL && key->keyLen > 0 && key->keyLen <= SA_AMF_HEALTHCHECK_KEY_MAX;
}

SaAisErrorT saAmfHealthcheckStart(SaAmfHandleT amfHandle, const SaNameT *compName,
				  const SaAmfHealthcheckKeyT *healthcheckKey,
				  SaAmfHealthcheckInvocationT invocationType,
				  SaAmfRecommendedRecoveryT recommendedRecovery)
{
	/* Through unsigned, so that a negative value is out of range too. */
	if (safd_name_check(compName) != SA_AIS_OK || !key_valid(healthcheckKey) ||
	    (unsigned int)invocationType < SA_AMF_HEALTHCHECK_AMF_INVOKED ||
	    (unsigned int)invocationType > SA_AMF_HEALTHCHECK_COMPONENT_INVOKED ||
	    !amf_recovery_valid(recommendedRecovery))
		return SA_AIS_ERR_INVALID_PARAM;
	return unwired(amfHandle, invocationType == SA_AMF_HEALTHCHECK_AMF_INVOKED ?
				  NEED_HEALTHCHECK : NEED_NOTHING);
}

SaAisErrorT saAmfHealthcheckConfirm(SaAmfHandleT amfHandle, const SaNameT *compName,
				    const SaAmfHealthcheckKeyT *healthcheckKey,
				    SaAisErrorT healthcheckResult)
{
	if (safd_name_check(compName) != SA_AIS_OK || !key_valid(healthcheckKey) ||
	    (healthcheckResult != SA_AIS_OK &&
	     healthcheckResult != SA_AIS_ERR_FAILED_OPERATION))
		return SA_AIS_ERR_INVALID_PARAM;
	return unwired(amfHandle, NEED_NOTHING);
}

SaAisErrorT saAmfHealthcheckStop(SaAmfHandleT amfHandle, const SaNameT *compName,
				 const SaAmfHealthcheckKeyT *healthcheckKey)
{
	if (safd_name_check(compName) != SA_AIS_OK || !key_valid(healthcheckKey))
		return SA_AIS_ERR_INVALID_PARAM;
	return unwired(amfHandle, NEED_NOTHING);
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
	return unwired(amfHandle, NEED_NOTHING);
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
	return unwired(amfHandle, NEED_NOTHING);
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
	return unwired(amfHandle, NEED_NOTHING);
}

/* ------------------------------------------------------------------------ */
/* Protection groups                                                        */
/* ------------------------------------------------------------------------ */

/* The Overview's track flags: CURRENT, CHANGES, CHANGES_ONLY, at least one,
 * not both CHANGES and CHANGES_ONLY. */
static SaAisErrorT track_flags_check(SaUint8T flags)
{
	const SaUint8T both = SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY;

	if ((flags & ~TRACK_FLAGS) != 0 || (flags & TRACK_FLAGS) == 0 ||
	    (flags & both) == both)
		return SA_AIS_ERR_BAD_FLAGS;
	return SA_AIS_OK;
}

/* The checks of both track calls. has_buffer / array_given / items: a
 * notification buffer is given, with an array, of numberOfItems entries. A caller's array of
 * zero items is INVALID_PARAM (as for MSG group tracking). CURRENT with a
 * buffer is answered in the call; everything else comes through the track
 * callback, which the call then needs. */
static SaAisErrorT track_check(SaAmfHandleT amfHandle, const SaNameT *csiName,
			       SaUint8T trackFlags, bool has_buffer, bool array_given,
			       SaUint32T items, enum amf_need callback)
{
	SaAisErrorT err;

	if (safd_name_check(csiName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = track_flags_check(trackFlags);
	if (err != SA_AIS_OK)
		return err;
	if (has_buffer && array_given && items == 0)
		return SA_AIS_ERR_INVALID_PARAM;
	if (trackFlags == SA_TRACK_CURRENT && has_buffer)
		callback = NEED_NOTHING;
	return unwired(amfHandle, callback);
}

SaAisErrorT saAmfProtectionGroupTrack(SaAmfHandleT amfHandle, const SaNameT *csiName,
				      SaUint8T trackFlags,
				      SaAmfProtectionGroupNotificationBufferT *notificationBuffer)
{
	const SaAmfProtectionGroupNotificationBufferT *buf = notificationBuffer;

	return track_check(amfHandle, csiName, trackFlags, buf != NULL,
			   buf != NULL && buf->notification != NULL,
			   buf != NULL ? buf->numberOfItems : 0, NEED_PG_TRACK);
}

SaAisErrorT saAmfProtectionGroupTrack_4(SaAmfHandleT amfHandle, const SaNameT *csiName,
					SaUint8T trackFlags,
					SaAmfProtectionGroupNotificationBufferT_4 *notificationBuffer)
{
	const SaAmfProtectionGroupNotificationBufferT_4 *buf = notificationBuffer;

	return track_check(amfHandle, csiName, trackFlags, buf != NULL,
			   buf != NULL && buf->notification != NULL,
			   buf != NULL ? buf->numberOfItems : 0, NEED_PG_TRACK_4);
}

SaAisErrorT saAmfProtectionGroupTrackStop(SaAmfHandleT amfHandle, const SaNameT *csiName)
{
	if (safd_name_check(csiName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	return unwired(amfHandle, NEED_NOTHING);
}

/* Complete: needs no safd. */
static SaAisErrorT notification_free(SaAmfHandleT amfHandle, void *notification)
{
	struct amf_instance *inst;
	SaAisErrorT err;

	if (notification == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	free(notification);
	amf_put(amfHandle);
	return SA_AIS_OK;
}

SaAisErrorT saAmfProtectionGroupNotificationFree(SaAmfHandleT amfHandle,
						 SaAmfProtectionGroupNotificationT *notification)
{
	return notification_free(amfHandle, notification);
}

SaAisErrorT saAmfProtectionGroupNotificationFree_4(SaAmfHandleT amfHandle,
						   SaAmfProtectionGroupNotificationT_4 *notification)
{
	return notification_free(amfHandle, notification);
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
	return unwired(amfHandle, NEED_NOTHING);
}

SaAisErrorT saAmfCorrelationIdsGet(SaAmfHandleT amfHandle, SaInvocationT invocation,
				   SaNtfCorrelationIdsT *correlationIds)
{
	if (correlationIds == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	return unwired(amfHandle, NEED_NOTHING);
}
