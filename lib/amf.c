/*
 * libSaAmf: the Availability Management Framework API (SAI-AIS-AMF-B.04.01),
 * client side.
 *
 * Every argument is checked here before anything is sent to safd. A handle
 * is an entry in a qb_hdb database holding the connection and the
 * application's callbacks, kept as the B.04 9-slot struct whichever
 * initialize was called; see client.h for dispatch and finalize.
 *
 * Version: release 'B', majors 1 to 4 are accepted by every initialize
 * function and B.04.01 is written back. The major the application asked for
 * is remembered per handle. Callback slots an older struct does not have stay
 * NULL, and the proxied-component slots are only ever called for proxy
 * components (csa104 leaves them uninitialized).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <saAmf.h>
#include "client.h"

#define AMF_MAJOR 4
#define AMF_MINOR 1

struct amf_instance {
	struct safd_client client;	/* first: see client.h */
	SaAmfCallbacksT_4 callbacks;
	SaAmfProtectionGroupTrackCallbackT pg_track_old;	/* B.01-B.03 type */
};

static void amf_instance_destroy(void *p)
{
	struct amf_instance *inst = p;

	safd_client_disconnect(&inst->client);
}

QB_HDB_DECLARE(amf_hdb, amf_instance_destroy);

static void amf_put(SaAmfHandleT handle)
{
	qb_hdb_handle_put(&amf_hdb, handle);
}

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

/* Runs the callback an event from safd asks for. No AMF events exist yet;
 * unknown ones are ignored so that a newer safd cannot crash an old client. */
static void amf_event(void *instance, const void *event, size_t len)
{
}

SaAisErrorT saAmfDispatch(SaAmfHandleT amfHandle, SaDispatchFlagsT dispatchFlags)
{
	return safd_handle_dispatch(&amf_hdb, amfHandle, dispatchFlags, amf_event);
}

SaAisErrorT saAmfFinalize(SaAmfHandleT amfHandle)
{
	return safd_handle_finalize(&amf_hdb, amfHandle);
}
