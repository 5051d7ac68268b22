/*
 * libSaAmf: the Availability Management Framework API (SAI-AIS-AMF-B.04.01),
 * client side.
 *
 * This file owns the handles and the session's life cycle: initialize (the
 * three entry points), selection object, dispatch (the events safd sends
 * become the callbacks of section 4.3, run only inside saAmfDispatch),
 * finalize, and the helpers every call shares (amf_int.h). The calls safd
 * answers are in amf_comp.c, amf_monitor.c, amf_pg.c and amf_b04.c, the
 * callbacks' decoding in amf_event.c.
 *
 * Every argument is checked before anything is sent to safd, first those
 * that need no handle, then the handle, then what depends on it (callbacks
 * for SA_AIS_ERR_INIT). saAmfComponentNameGet() is the one exception: it
 * checks the handle first.
 *
 * Finalize marks the instance closing (new calls on it get
 * SA_AIS_ERR_BAD_HANDLE and events not yet run are dropped), sends
 * REQ_LIB_AMF_FINALIZE (safd unregisters what the session registered) and
 * destroys the handle; the connections close when the last thread using the
 * handle puts it (client.h).
 *
 * Version: release 'B', majors 1 to 4 are accepted by every initialize
 * function and B.04.01 is written back. The major the application asked for
 * is remembered per handle: major-1 handles never see error codes above
 * SA_AIS_ERR_NO_SECTIONS (amf_result()). The proxied-component slots are
 * never called (csa104 leaves them uninitialized), and safd sends no event
 * that would need them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <qb/qbatomic.h>

#include <safd/util.h>
#include "amf_int.h"

#define AMF_MAJOR 4
#define AMF_MINOR 1

_Static_assert(sizeof(((struct safd_name *)0)->value) == SA_MAX_NAME_LENGTH,
	       "wire names hold exactly an SaNameT value");

static void amf_instance_destroy(void *p)
{
	struct amf_instance *inst = p;

	safd_client_disconnect(&inst->client);
}

QB_HDB_DECLARE(amf_hdb, amf_instance_destroy);

/* ------------------------------------------------------------------------ */
/* Handles and shared helpers                                               */
/* ------------------------------------------------------------------------ */

SaAisErrorT amf_get(SaAmfHandleT handle, struct amf_instance **inst)
{
	if (safd_handle_get(&amf_hdb, handle, (void **)inst) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	if (qb_atomic_int_get(&(*inst)->closing)) {
		safd_handle_put(&amf_hdb, handle);
		return SA_AIS_ERR_BAD_HANDLE;
	}
	return SA_AIS_OK;
}

void amf_put(SaAmfHandleT handle)
{
	safd_handle_put(&amf_hdb, handle);
}

SaAisErrorT amf_result(const struct amf_instance *inst, SaAisErrorT err)
{
	if (inst->client.major < 2 && err > SA_AIS_ERR_NO_SECTIONS)
		return SA_AIS_ERR_LIBRARY;
	return err;
}

SaAisErrorT amf_name_optional_check(const SaNameT *name)
{
	if (name == NULL || name->length == 0)
		return SA_AIS_OK;
	return safd_name_check(name);
}

/* Through unsigned, so that a negative value is out of range too. */
bool amf_recovery_valid(SaAmfRecommendedRecoveryT recovery)
{
	return (unsigned int)recovery >= SA_AMF_NO_RECOMMENDATION &&
	       (unsigned int)recovery <= SA_AMF_CONTAINER_RESTART;
}

SaAisErrorT amf_call(struct amf_instance *inst, const void *req, size_t len)
{
	struct qb_ipc_response_header res;

	return safd_client_request(&inst->client, req, len, &res, sizeof(res), NULL);
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                               */
/* ------------------------------------------------------------------------ */

/* The common part of the three initialize functions; `set_callbacks`
 * copies the application's struct, whichever it is, into the instance. */
static SaAisErrorT amf_initialize(SaAmfHandleT *amfHandle, SaVersionT *version,
				  void (*set_callbacks)(struct amf_instance *, const void *),
				  const void *callbacks)
{
	struct amf_instance *inst;
	SaAmfHandleT h;
	SaVersionT asked;
	SaUint8T major;
	SaAisErrorT err;

	if (amfHandle == NULL || version == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	asked = *version;
	major = version->majorVersion;
	err = safd_version_negotiate(version, AMF_MAJOR, AMF_MINOR);
	if (err != SA_AIS_OK)
		return err;
	err = safd_handle_create(&amf_hdb, sizeof(*inst), &h, (void **)&inst);
	if (err != SA_AIS_OK)
		return err;
	if (callbacks != NULL)
		set_callbacks(inst, callbacks);
	err = safd_client_connect(&inst->client, "amf", major);
	amf_put(h);
	if (err != SA_AIS_OK) {
		safd_handle_destroy(&amf_hdb, h);
		*version = asked;	/* a retry asks for the same version */
		return err;
	}
	*amfHandle = h;
	return SA_AIS_OK;
}

static void set_callbacks_1(struct amf_instance *inst, const void *p)
{
	const SaAmfCallbacksT *cb = p;

	inst->callbacks.saAmfHealthcheckCallback = cb->saAmfHealthcheckCallback;
	inst->callbacks.saAmfComponentTerminateCallback = cb->saAmfComponentTerminateCallback;
	inst->callbacks.saAmfCSISetCallback = cb->saAmfCSISetCallback;
	inst->callbacks.saAmfCSIRemoveCallback = cb->saAmfCSIRemoveCallback;
	inst->pg_track_old = cb->saAmfProtectionGroupTrackCallback;
	inst->callbacks.saAmfProxiedComponentInstantiateCallback =
		cb->saAmfProxiedComponentInstantiateCallback;
	inst->callbacks.saAmfProxiedComponentCleanupCallback =
		cb->saAmfProxiedComponentCleanupCallback;
}

static void set_callbacks_3(struct amf_instance *inst, const void *p)
{
	const SaAmfCallbacksT_3 *cb = p;

	inst->callbacks.saAmfHealthcheckCallback = cb->saAmfHealthcheckCallback;
	inst->callbacks.saAmfComponentTerminateCallback = cb->saAmfComponentTerminateCallback;
	inst->callbacks.saAmfCSISetCallback = cb->saAmfCSISetCallback;
	inst->callbacks.saAmfCSIRemoveCallback = cb->saAmfCSIRemoveCallback;
	inst->pg_track_old = cb->saAmfProtectionGroupTrackCallback;
	inst->callbacks.saAmfProxiedComponentInstantiateCallback =
		cb->saAmfProxiedComponentInstantiateCallback;
	inst->callbacks.saAmfProxiedComponentCleanupCallback =
		cb->saAmfProxiedComponentCleanupCallback;
	inst->callbacks.saAmfContainedComponentInstantiateCallback =
		cb->saAmfContainedComponentInstantiateCallback;
	inst->callbacks.saAmfContainedComponentCleanupCallback =
		cb->saAmfContainedComponentCleanupCallback;
}

static void set_callbacks_4(struct amf_instance *inst, const void *p)
{
	inst->callbacks = *(const SaAmfCallbacksT_4 *)p;
}

SaAisErrorT saAmfInitialize(SaAmfHandleT *amfHandle, const SaAmfCallbacksT *amfCallbacks,
			    SaVersionT *version)
{
	return amf_initialize(amfHandle, version, set_callbacks_1, amfCallbacks);
}

SaAisErrorT saAmfInitialize_3(SaAmfHandleT *amfHandle, const SaAmfCallbacksT_3 *amfCallbacks,
			      SaVersionT *version)
{
	return amf_initialize(amfHandle, version, set_callbacks_3, amfCallbacks);
}

SaAisErrorT saAmfInitialize_4(SaAmfHandleT *amfHandle, const SaAmfCallbacksT_4 *amfCallbacks,
			      SaVersionT *version)
{
	return amf_initialize(amfHandle, version, set_callbacks_4, amfCallbacks);
}

SaAisErrorT saAmfSelectionObjectGet(SaAmfHandleT amfHandle,
				    SaSelectionObjectT *selectionObject)
{
	return safd_handle_selection_object(&amf_hdb, amfHandle, selectionObject);
}

/* The events safd sends on the main connection, each with the size of its
 * fixed part (the handler checks what follows). Unknown ids are ignored, so
 * that a newer safd cannot crash an older client. */
static const struct {
	int32_t id;
	size_t min_size;
	void (*fn)(struct amf_instance *inst, const void *ev, size_t len);
} amf_events[] = {
	{ EV_AMF_CSI_SET, sizeof(struct ev_amf_csi_set), amf_csi_set_event },
	{ EV_AMF_CSI_REMOVE, sizeof(struct ev_amf_csi_remove), amf_csi_remove_event },
	{ EV_AMF_TERMINATE, sizeof(struct ev_amf_terminate), amf_terminate_event },
	{ EV_AMF_HEALTHCHECK, sizeof(struct ev_amf_healthcheck), amf_healthcheck_event },
	{ EV_AMF_PG_TRACK, sizeof(struct ev_amf_pg_track), amf_pg_track_event },
};

void amf_event(void *instance, const void *event, size_t len)
{
	const struct qb_ipc_response_header *h = event;
	struct amf_instance *inst = instance;
	size_t i;

	if (len < sizeof(*h) || qb_atomic_int_get(&inst->closing))
		return;		/* finalize drops pending callbacks */
	for (i = 0; i < SAFD_ARRAY_SIZE(amf_events); i++) {
		if (amf_events[i].id != h->id)
			continue;
		if (len >= amf_events[i].min_size)
			amf_events[i].fn(inst, event, len);
		return;
	}
}

SaAisErrorT saAmfDispatch(SaAmfHandleT amfHandle, SaDispatchFlagsT dispatchFlags)
{
	return safd_handle_dispatch(&amf_hdb, amfHandle, dispatchFlags, amf_event);
}

SaAisErrorT saAmfFinalize(SaAmfHandleT amfHandle)
{
	struct req_lib_amf_finalize req = {
		.header = { .id = REQ_LIB_AMF_FINALIZE, .size = sizeof(req) },
	};
	struct amf_instance *inst;

	if (safd_handle_get(&amf_hdb, amfHandle, (void **)&inst) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	if (!qb_atomic_int_compare_and_exchange(&inst->closing, 0, 1)) {
		amf_put(amfHandle);
		return SA_AIS_ERR_BAD_HANDLE;	/* another thread finalizes it */
	}
	/* Its error changes nothing: safd cleans up when the session's
	 * connections close anyway. */
	(void)amf_call(inst, &req, sizeof(req));
	amf_put(amfHandle);
	return safd_handle_finalize(&amf_hdb, amfHandle);
}

bool amf_callback_registered(const struct amf_instance *inst, enum amf_need need)
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

/* A call whose arguments were checked: the handle, then the callback it
 * needs (INIT without), then the request, answered with a plain error. */
SaAisErrorT amf_checked_call(SaAmfHandleT handle, enum amf_need need, const void *req, size_t len)
{
	struct amf_instance *inst;
	SaAisErrorT err;

	err = amf_get(handle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (!amf_callback_registered(inst, need))
		err = SA_AIS_ERR_INIT;
	else
		err = amf_call(inst, req, len);
	err = amf_result(inst, err);
	amf_put(handle);
	return err;
}
