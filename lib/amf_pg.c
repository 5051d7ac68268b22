/*
 * libSaAmf protection groups (saAmfProtectionGroupTrack, _4, TrackStop,
 * NotificationFree, NotificationFree_4); safd's side is amf/pg.c, the
 * callback is dispatched in amf_event.c. saAmfProtectionGroupNotification-
 * Free*() release with free() what a CURRENT track allocated with malloc()
 * (so B.01.01 applications can use free() too).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "amf_int.h"

#define TRACK_FLAGS (SA_TRACK_CURRENT | SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY)

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
	    !amf_callback_registered(inst, callback)) {
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
