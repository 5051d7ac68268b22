/*
 * libSaMsg: the Message Service API (SAI-AIS-MSG-B.03.01), client side.
 *
 * This file owns the handles and the session's life cycle: initialize,
 * selection object, dispatch (the events safd sends become the callbacks of
 * section 2.4, run only inside saMsgDispatch), finalize, the implementation
 * limits (saMsgMetadataSizeGet, saMsgLimitGet, section 3.8) and the helpers
 * every call shares (msg_int.h). The calls are in msg_queue.c (queues),
 * msg_group.c (queue groups) and msg_message.c (messages).
 *
 * Every argument is checked before anything is sent to safd, first those
 * that need no handle, then the handle, then what depends on it (callbacks
 * for SA_AIS_ERR_INIT, the client's major version).
 *
 * Handles: see msg_int.h. saMsgFinalize() marks the instance closing (new
 * calls on it and on its queue handles get SA_AIS_ERR_BAD_HANDLE), sends
 * REQ_LIB_MSG_FINALIZE (safd answers every blocked Get/SendReceive of the
 * session with SA_AIS_ERR_BAD_HANDLE and closes its queues), destroys the
 * queue handles, and finally destroys the msg handle; the connections close
 * when the last thread using the handle puts it (client.h).
 *
 * Version: release 'B', majors 1 to 3 are accepted and B.03.01 is written
 * back. The major the application asked for is remembered per handle: major-1
 * handles never see error codes above SA_AIS_ERR_NO_SECTIONS (msg_result()),
 * and their queue sizes above the limit are clamped rather than refused
 * (msg_queue.c). The B.02 and B.03 functions work for every major.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <qb/qbatomic.h>

#include <safd/util.h>
#include "msg_int.h"

#define MSG_MAJOR 3
#define MSG_MINOR 1

_Static_assert(sizeof(((struct safd_name *)0)->value) == SA_MAX_NAME_LENGTH,
	       "wire names hold exactly an SaNameT value");

/* Destructor of a msg instance. It may run inside client.c's handle lock, so
 * it creates or destroys no handle: finalize has emptied the lists already
 * (and an instance that failed to initialize never had entries). */
static void msg_instance_destroy(void *p)
{
	struct msg_instance *inst = p;
	struct msg_open_pending *pending;
	struct msg_queue_ref *ref;

	while ((ref = inst->queues) != NULL) {
		inst->queues = ref->next;
		free(ref);
	}
	while ((pending = inst->pending) != NULL) {
		inst->pending = pending->next;
		free(pending);
	}
	pthread_mutex_destroy(&inst->lock);
	safd_client_disconnect(&inst->client);
}

QB_HDB_DECLARE(msg_hdb, msg_instance_destroy);
QB_HDB_DECLARE(queue_hdb, NULL);

/* ------------------------------------------------------------------------ */
/* Handles                                                                  */
/* ------------------------------------------------------------------------ */

SaAisErrorT msg_get(SaMsgHandleT handle, struct msg_instance **inst)
{
	if (safd_handle_get(&msg_hdb, handle, (void **)inst) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	if (qb_atomic_int_get(&(*inst)->closing)) {
		safd_handle_put(&msg_hdb, handle);
		return SA_AIS_ERR_BAD_HANDLE;
	}
	return SA_AIS_OK;
}

void msg_put(SaMsgHandleT handle)
{
	safd_handle_put(&msg_hdb, handle);
}

SaAisErrorT msg_queue_get(SaMsgQueueHandleT handle, struct msg_queue **q,
			  struct msg_instance **inst)
{
	if (safd_handle_get(&queue_hdb, handle, (void **)q) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	if (msg_get((*q)->msg_handle, inst) != SA_AIS_OK) {
		safd_handle_put(&queue_hdb, handle);
		return SA_AIS_ERR_BAD_HANDLE;
	}
	return SA_AIS_OK;
}

void msg_queue_put(SaMsgQueueHandleT handle, const struct msg_queue *q)
{
	SaMsgHandleT msg_handle = q->msg_handle;	/* q may go with the put */

	safd_handle_put(&queue_hdb, handle);
	msg_put(msg_handle);
}

SaAisErrorT msg_queue_register(struct msg_instance *inst, uint64_t queue_id,
			       SaMsgQueueOpenFlagsT open_flags,
			       SaMsgQueueHandleT *handle)
{
	struct msg_queue_ref *ref;
	struct msg_queue *q;
	SaMsgQueueHandleT qh;
	SaAisErrorT err;

	ref = malloc(sizeof(*ref));
	if (ref == NULL)
		return SA_AIS_ERR_NO_MEMORY;
	err = safd_handle_create(&queue_hdb, sizeof(*q), &qh, (void **)&q);
	if (err != SA_AIS_OK)
		goto out_free;
	q->msg_handle = inst->handle;
	q->queue_id = queue_id;
	q->open_flags = open_flags;
	safd_handle_put(&queue_hdb, qh);
	ref->queue_id = queue_id;
	ref->handle = qh;
	ref->open_flags = open_flags;

	/* Finalize sets `closing` before it empties the list under the lock:
	 * a handle is either listed in time to be destroyed, or refused. */
	pthread_mutex_lock(&inst->lock);
	if (qb_atomic_int_get(&inst->closing)) {
		pthread_mutex_unlock(&inst->lock);
		err = SA_AIS_ERR_BAD_HANDLE;
		goto out_destroy;
	}
	ref->next = inst->queues;
	inst->queues = ref;
	pthread_mutex_unlock(&inst->lock);
	*handle = qh;
	return SA_AIS_OK;

out_destroy:
	safd_handle_destroy(&queue_hdb, qh);
out_free:
	free(ref);
	return err;
}

void msg_queue_unregister(struct msg_instance *inst, SaMsgQueueHandleT handle)
{
	struct msg_queue_ref **p, *ref = NULL;

	pthread_mutex_lock(&inst->lock);
	for (p = &inst->queues; *p != NULL; p = &(*p)->next) {
		if ((*p)->handle == handle) {
			ref = *p;
			*p = ref->next;
			break;
		}
	}
	pthread_mutex_unlock(&inst->lock);
	if (ref == NULL)
		return;		/* another thread closed it, or finalize */
	safd_handle_destroy(&queue_hdb, handle);
	free(ref);
}

bool msg_queue_find(struct msg_instance *inst, uint64_t queue_id,
		    SaMsgQueueHandleT *handle, SaMsgQueueOpenFlagsT *open_flags)
{
	const struct msg_queue_ref *ref;
	bool found = false;

	pthread_mutex_lock(&inst->lock);
	for (ref = inst->queues; ref != NULL; ref = ref->next) {
		if (ref->queue_id == queue_id) {
			*handle = ref->handle;
			*open_flags = ref->open_flags;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&inst->lock);
	return found;
}

/* Finalize: destroys every queue handle of the session and forgets the
 * OpenAsync requests in flight. Runs after `closing` is set. */
static void msg_queues_drop(struct msg_instance *inst)
{
	struct msg_queue_ref *queues, *ref;
	struct msg_open_pending *pending, *p;

	pthread_mutex_lock(&inst->lock);
	queues = inst->queues;
	inst->queues = NULL;
	pending = inst->pending;
	inst->pending = NULL;
	pthread_mutex_unlock(&inst->lock);
	while ((ref = queues) != NULL) {
		queues = ref->next;
		safd_handle_destroy(&queue_hdb, ref->handle);
		free(ref);
	}
	while ((p = pending) != NULL) {
		pending = p->next;
		free(p);
	}
}

struct msg_open_pending *msg_open_pending_add(struct msg_instance *inst,
					      SaInvocationT invocation,
					      SaMsgQueueOpenFlagsT open_flags)
{
	struct msg_open_pending *p, **tail;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->invocation = invocation;
	p->open_flags = open_flags;
	pthread_mutex_lock(&inst->lock);
	for (tail = &inst->pending; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = p;
	pthread_mutex_unlock(&inst->lock);
	return p;
}

void msg_open_pending_drop(struct msg_instance *inst, struct msg_open_pending *p)
{
	struct msg_open_pending **pp;
	bool found = false;

	pthread_mutex_lock(&inst->lock);
	for (pp = &inst->pending; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&inst->lock);
	if (found)
		free(p);
}

bool msg_open_pending_take(struct msg_instance *inst, SaInvocationT invocation,
			   SaMsgQueueOpenFlagsT *open_flags)
{
	struct msg_open_pending **pp, *p = NULL;

	pthread_mutex_lock(&inst->lock);
	for (pp = &inst->pending; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->invocation == invocation) {
			p = *pp;
			*pp = p->next;
			break;
		}
	}
	pthread_mutex_unlock(&inst->lock);
	if (p == NULL)
		return false;
	*open_flags = p->open_flags;
	free(p);
	return true;
}

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                           */
/* ------------------------------------------------------------------------ */

SaAisErrorT msg_result(const struct msg_instance *inst, SaAisErrorT err)
{
	if (inst->client.major < 2 && err > SA_AIS_ERR_NO_SECTIONS)
		return SA_AIS_ERR_LIBRARY;
	return err;
}

SaAisErrorT msg_event_error(const struct msg_instance *inst, uint32_t err)
{
	if (err < SA_AIS_OK || err > SA_AIS_ERR_DEPLOYMENT)
		return SA_AIS_ERR_LIBRARY;
	return msg_result(inst, (SaAisErrorT)err);
}

int32_t msg_call_timeout(SaTimeT timeout)
{
	const SaTimeT slack = SAFD_CLIENT_REQUEST_TIMEOUT_MS;
	SaTimeT ms = timeout / SA_TIME_ONE_MILLISECOND + 1;

	if (ms >= INT32_MAX - slack)
		return SAFD_CLIENT_WAIT_FOREVER;
	return (int32_t)(ms + slack);
}

SaAisErrorT msg_call(struct msg_instance *inst, const void *req, size_t len,
		     int32_t timeout_ms)
{
	struct qb_ipc_response_header res;

	return safd_client_call(&inst->client, req, len, &res, sizeof(res), NULL,
				timeout_ms);
}

SaAisErrorT msg_name_call(SaMsgHandleT handle, int32_t id, const SaNameT *name)
{
	struct req_lib_msg_name req;
	struct msg_instance *inst;
	SaAisErrorT err;

	if (safd_name_check(name) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(handle, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = id;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.name, name);
	err = msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
	err = msg_result(inst, err);
	msg_put(handle);
	return err;
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                               */
/* ------------------------------------------------------------------------ */

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
	pthread_mutex_init(&inst->lock, NULL);	/* the destructor destroys it */
	inst->handle = h;
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

/* The events safd sends on the main connection, each with the size of its
 * fixed part (the handler checks what follows). Unknown ids are ignored, so
 * that a newer safd cannot crash an older client. */
static const struct {
	int32_t id;
	size_t min_size;
	void (*fn)(struct msg_instance *inst, const void *ev, size_t len);
} msg_events[] = {
	{ EV_MSG_QUEUE_OPEN, sizeof(struct ev_msg_queue_open), msg_queue_open_event },
	{ EV_MSG_DELIVERED, sizeof(struct ev_msg_delivered), msg_delivered_event },
	{ EV_MSG_RECEIVED, sizeof(struct ev_msg_received), msg_received_event },
	{ EV_MSG_GROUP_TRACK, sizeof(struct ev_msg_group_track), msg_group_track_event },
};

static void msg_event(void *instance, const void *event, size_t len)
{
	const struct qb_ipc_response_header *h = event;
	struct msg_instance *inst = instance;
	size_t i;

	if (len < sizeof(*h) || qb_atomic_int_get(&inst->closing))
		return;		/* finalize drops pending callbacks */
	for (i = 0; i < SAFD_ARRAY_SIZE(msg_events); i++) {
		if (msg_events[i].id != h->id)
			continue;
		if (len >= msg_events[i].min_size)
			msg_events[i].fn(inst, event, len);
		return;
	}
}

SaAisErrorT saMsgDispatch(SaMsgHandleT msgHandle, SaDispatchFlagsT dispatchFlags)
{
	return safd_handle_dispatch(&msg_hdb, msgHandle, dispatchFlags, msg_event);
}

SaAisErrorT saMsgFinalize(SaMsgHandleT msgHandle)
{
	struct req_lib_msg_finalize req = {
		.header = { .id = REQ_LIB_MSG_FINALIZE, .size = sizeof(req) },
	};
	struct msg_instance *inst;

	if (safd_handle_get(&msg_hdb, msgHandle, (void **)&inst) != 0)
		return SA_AIS_ERR_BAD_HANDLE;
	if (!qb_atomic_int_compare_and_exchange(&inst->closing, 0, 1)) {
		msg_put(msgHandle);
		return SA_AIS_ERR_BAD_HANDLE;	/* another thread finalizes it */
	}
	/* Its error changes nothing: safd cleans up when the session's
	 * connections close anyway. */
	(void)msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
	msg_queues_drop(inst);
	msg_put(msgHandle);
	return safd_handle_finalize(&msg_hdb, msgHandle);
}

/* ------------------------------------------------------------------------ */
/* Implementation limits (B.03.01)                                          */
/* ------------------------------------------------------------------------ */

static const uint64_t msg_limits[] = {
	[SA_MSG_MAX_PRIORITY_AREA_SIZE_ID] = SAFD_MSG_MAX_AREA_SIZE,
	[SA_MSG_MAX_QUEUE_SIZE_ID] = SAFD_MSG_MAX_QUEUE_SIZE,
	[SA_MSG_MAX_NUM_QUEUES_ID] = SAFD_MSG_MAX_QUEUES,
	[SA_MSG_MAX_NUM_QUEUE_GROUPS_ID] = SAFD_MSG_MAX_GROUPS,
	[SA_MSG_MAX_NUM_QUEUES_PER_GROUP_ID] = SAFD_MSG_MAX_QUEUES_PER_GROUP,
	[SA_MSG_MAX_MESSAGE_SIZE_ID] = SAFD_MSG_MAX_MESSAGE_SIZE,
	[SA_MSG_MAX_REPLY_SIZE_ID] = SAFD_MSG_MAX_REPLY_SIZE,
};

SaAisErrorT saMsgMetadataSizeGet(SaMsgHandleT msgHandle, SaUint32T *metadataSize)
{
	struct msg_instance *inst;
	SaAisErrorT err;

	if (metadataSize == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	*metadataSize = SAFD_MSG_METADATA_SIZE;
	msg_put(msgHandle);
	return SA_AIS_OK;
}

SaAisErrorT saMsgLimitGet(SaMsgHandleT msgHandle, SaMsgLimitIdT limitId,
			  SaLimitValueT *limitValue)
{
	struct msg_instance *inst;
	SaAisErrorT err;

	/* Through unsigned, so that a negative id is out of range too. */
	if (limitValue == NULL ||
	    (unsigned int)limitId < SA_MSG_MAX_PRIORITY_AREA_SIZE_ID ||
	    (unsigned int)limitId >= SAFD_ARRAY_SIZE(msg_limits))
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	limitValue->uint64Value = msg_limits[limitId];
	msg_put(msgHandle);
	return SA_AIS_OK;
}
