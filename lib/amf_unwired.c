/*
 * libSaAmf calls whose daemon side does not exist yet: health checks
 * (start, confirm, stop), passive monitoring (PmStart, PmStart_3, PmStop),
 * the HA readiness state (B.04) and correlation ids (B.04); and, already
 * wired, protection groups (see below).
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
 * Wired already: protection groups (track, track stop: REQ_LIB_AMF_PG_TRACK,
 * _STOP; the callback is in amf_event.c); saAmfProtectionGroupNotification-
 * Free*() release with free() what a CURRENT track allocated with malloc()
 * (so B.01.01 applications can use free() too).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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

/* Health checks and passive monitoring are wired (amf/health.c): once the
 * arguments are checked, the handle, then the callback the call needs,
 * then the request, answered with a plain error code. */
static SaAisErrorT wired(SaAmfHandleT handle, enum amf_need need, const void *req, size_t len)
{
	struct amf_instance *inst;
	SaAisErrorT err;

	err = amf_get(handle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (!callback_registered(inst, need))
		err = SA_AIS_ERR_INIT;
	else
		err = amf_call(inst, req, len);
	err = amf_result(inst, err);
	amf_put(handle);
	return err;
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
	return wired(amfHandle, invocationType == SA_AMF_HEALTHCHECK_AMF_INVOKED ?
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
	return wired(amfHandle, NEED_NOTHING, &req, sizeof(req));
}

SaAisErrorT saAmfHealthcheckStop(SaAmfHandleT amfHandle, const SaNameT *compName,
				 const SaAmfHealthcheckKeyT *healthcheckKey)
{
	struct req_lib_amf_healthcheck req;

	if (safd_name_check(compName) != SA_AIS_OK || !key_valid(healthcheckKey))
		return SA_AIS_ERR_INVALID_PARAM;
	hc_request(&req, REQ_LIB_AMF_HC_STOP, compName, healthcheckKey);
	return wired(amfHandle, NEED_NOTHING, &req, sizeof(req));
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
	return wired(amfHandle, NEED_NOTHING, &req, sizeof(req));
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

/* Most members one answer can carry. */
#define PG_ITEMS_MAX ((SAFD_IPC_MAX_MSG - sizeof(struct res_lib_amf_pg)) / \
		      sizeof(struct safd_amf_pg_item))

/* The caller's notification buffer of either version: at most one is set. */
struct pg_buffer {
	SaAmfProtectionGroupNotificationBufferT *old;		/* B.01-B.03 */
	SaAmfProtectionGroupNotificationBufferT_4 *v4;		/* B.04 */
};

static bool buffer_given(const struct pg_buffer *b)
{
	return b->old != NULL || b->v4 != NULL;
}

static SaUint32T *buffer_items(const struct pg_buffer *b)
{
	return b->old != NULL ? &b->old->numberOfItems : &b->v4->numberOfItems;
}

static bool buffer_has_array(const struct pg_buffer *b)
{
	return b->old != NULL ? b->old->notification != NULL : b->v4->notification != NULL;
}

/* Writes a CURRENT answer (OK or NO_SPACE from safd, `len` bytes) into the
 * caller's buffer: its array, or one allocated with malloc() (at least one
 * entry, so never NULL). NO_SPACE sets numberOfItems to the count needed. */
static SaAisErrorT track_take(SaAisErrorT err, const struct res_lib_amf_pg *res, size_t len,
			      const struct pg_buffer *b)
{
	const struct safd_amf_pg_item *items = (const void *)(res + 1);
	uint32_t n;

	if (len < sizeof(*res))
		return SA_AIS_ERR_LIBRARY;
	if (err == SA_AIS_ERR_NO_SPACE) {
		*buffer_items(b) = res->n_items;
		return err;
	}
	n = res->n_items;
	if (n > (len - sizeof(*res)) / sizeof(*items) || !amf_pg_items_valid(items, n) ||
	    (buffer_has_array(b) && n > *buffer_items(b)))
		return SA_AIS_ERR_LIBRARY;
	if (b->old != NULL) {
		SaAmfProtectionGroupNotificationT *out = b->old->notification;

		if (out == NULL && (out = malloc((n > 0 ? n : 1) * sizeof(*out))) == NULL)
			return SA_AIS_ERR_NO_MEMORY;
		amf_pg_items_to_old(out, items, n);
		b->old->notification = out;
	} else {
		SaAmfProtectionGroupNotificationT_4 *out = b->v4->notification;

		if (out == NULL && (out = malloc((n > 0 ? n : 1) * sizeof(*out))) == NULL)
			return SA_AIS_ERR_NO_MEMORY;
		amf_pg_items_to_4(out, items, n);
		b->v4->notification = out;
	}
	*buffer_items(b) = n;
	return SA_AIS_OK;
}

static SaAisErrorT track_stop_call(struct amf_instance *inst, const SaNameT *csiName)
{
	struct req_lib_amf_pg_track req;

	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_AMF_PG_TRACK_STOP;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.csi, csiName);
	return amf_call(inst, &req, sizeof(req));
}

/*
 * Both track calls. A caller's array of zero items is INVALID_PARAM (as for
 * MSG group tracking). CURRENT with a buffer is answered in the call;
 * everything else comes through the track callback, which the call then
 * needs (`callback`, the type of the initialize that made the handle). If
 * the call fails after safd started tracking changes, that tracking is
 * stopped again. safd answers NOT_EXIST for a CSI that is not configured.
 */
static SaAisErrorT track(SaAmfHandleT amfHandle, const SaNameT *csiName, SaUint8T trackFlags,
			 const struct pg_buffer *b, enum amf_need callback)
{
	bool to_buffer = (trackFlags & SA_TRACK_CURRENT) && buffer_given(b);
	struct req_lib_amf_pg_track req;
	struct res_lib_amf_pg *res;
	struct amf_instance *inst;
	size_t room = 0, res_len = 0;
	bool accepted;
	SaAisErrorT err;

	if (safd_name_check(csiName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = track_flags_check(trackFlags);
	if (err != SA_AIS_OK)
		return err;
	if (buffer_given(b) && buffer_has_array(b) && *buffer_items(b) == 0)
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (!(trackFlags == SA_TRACK_CURRENT && buffer_given(b)) &&
	    !callback_registered(inst, callback)) {
		err = SA_AIS_ERR_INIT;
		goto out_put;
	}
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_AMF_PG_TRACK;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.csi, csiName);
	req.flags = trackFlags;
	if (to_buffer) {
		req.capacity = buffer_has_array(b) ? *buffer_items(b) : SAFD_AMF_PG_ALLOCATE;
		room = req.capacity < PG_ITEMS_MAX ? req.capacity : PG_ITEMS_MAX;
	}
	res = malloc(sizeof(*res) + room * sizeof(struct safd_amf_pg_item));
	if (res == NULL) {
		err = SA_AIS_ERR_NO_MEMORY;
		goto out_put;
	}
	err = safd_client_request(&inst->client, &req, sizeof(req), res,
				  sizeof(*res) + room * sizeof(struct safd_amf_pg_item), &res_len);
	accepted = err == SA_AIS_OK;
	if (to_buffer && (err == SA_AIS_OK || err == SA_AIS_ERR_NO_SPACE))
		err = track_take(err, res, res_len, b);
	free(res);
	if (accepted && err != SA_AIS_OK &&
	    (trackFlags & (SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY)) != 0)
		(void)track_stop_call(inst, csiName);
out_put:
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
}

SaAisErrorT saAmfProtectionGroupTrack(SaAmfHandleT amfHandle, const SaNameT *csiName,
				      SaUint8T trackFlags,
				      SaAmfProtectionGroupNotificationBufferT *notificationBuffer)
{
	const struct pg_buffer b = { .old = notificationBuffer };

	return track(amfHandle, csiName, trackFlags, &b, NEED_PG_TRACK);
}

SaAisErrorT saAmfProtectionGroupTrack_4(SaAmfHandleT amfHandle, const SaNameT *csiName,
					SaUint8T trackFlags,
					SaAmfProtectionGroupNotificationBufferT_4 *notificationBuffer)
{
	const struct pg_buffer b = { .v4 = notificationBuffer };

	return track(amfHandle, csiName, trackFlags, &b, NEED_PG_TRACK_4);
}

/* safd answers NOT_EXIST when this handle does not track the CSI. */
SaAisErrorT saAmfProtectionGroupTrackStop(SaAmfHandleT amfHandle, const SaNameT *csiName)
{
	struct amf_instance *inst;
	SaAisErrorT err;

	if (safd_name_check(csiName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = amf_get(amfHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	err = track_stop_call(inst, csiName);
	err = amf_result(inst, err);
	amf_put(amfHandle);
	return err;
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
