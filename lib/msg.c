/*
 * libSaMsg: the Message Service API (SAI-AIS-MSG-B.03.01), client side.
 *
 * Every argument is checked here before anything is sent to safd. A handle
 * is an entry in a qb_hdb database holding the connection and the
 * application's callbacks; see client.h for dispatch and finalize.
 *
 * Version: release 'B', majors 1 to 3 are accepted and B.03.01 is written
 * back. The major the application asked for is remembered per handle.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <saMsg.h>
#include "client.h"

#define MSG_MAJOR 3
#define MSG_MINOR 1

struct msg_instance {
	struct safd_client client;	/* first: see client.h */
	SaMsgCallbacksT callbacks;
};

static void msg_instance_destroy(void *p)
{
	struct msg_instance *inst = p;

	safd_client_disconnect(&inst->client);
}

QB_HDB_DECLARE(msg_hdb, msg_instance_destroy);

static void msg_put(SaMsgHandleT handle)
{
	qb_hdb_handle_put(&msg_hdb, handle);
}

SaAisErrorT saMsgInitialize(SaMsgHandleT *msgHandle, const SaMsgCallbacksT *msgCallbacks,
			    SaVersionT *version)
{
	struct msg_instance *inst;
	SaMsgHandleT h;
	SaVersionT asked;
	SaUint8T major;
	SaAisErrorT err;

	if (msgHandle == NULL || version == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	asked = *version;
	major = version->majorVersion;
	err = safd_version_negotiate(version, MSG_MAJOR, MSG_MINOR);
	if (err != SA_AIS_OK)
		return err;
	err = safd_handle_create(&msg_hdb, sizeof(*inst), &h, (void **)&inst);
	if (err != SA_AIS_OK)
		return err;
	if (msgCallbacks != NULL)
		inst->callbacks = *msgCallbacks;
	err = safd_client_connect(&inst->client, "msg", major);
	msg_put(h);
	if (err != SA_AIS_OK) {
		safd_handle_destroy(&msg_hdb, h);
		*version = asked;	/* a retry asks for the same version */
		return err;
	}
	*msgHandle = h;
	return SA_AIS_OK;
}

SaAisErrorT saMsgSelectionObjectGet(SaMsgHandleT msgHandle,
				    SaSelectionObjectT *selectionObject)
{
	return safd_handle_selection_object(&msg_hdb, msgHandle, selectionObject);
}

/* Runs the callback an event from safd asks for. No MSG events exist yet;
 * unknown ones are ignored so that a newer safd cannot crash an old client. */
static void msg_event(void *instance, const void *event, size_t len)
{
}

SaAisErrorT saMsgDispatch(SaMsgHandleT msgHandle, SaDispatchFlagsT dispatchFlags)
{
	return safd_handle_dispatch(&msg_hdb, msgHandle, dispatchFlags, msg_event);
}

SaAisErrorT saMsgFinalize(SaMsgHandleT msgHandle)
{
	return safd_handle_finalize(&msg_hdb, msgHandle);
}
