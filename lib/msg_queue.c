/*
 * libSaMsg queues (SAI-AIS-MSG-B.03.01 sections 3.2 and 3.8): open, open
 * async and the EV_MSG_QUEUE_OPEN event that completes it, close, status,
 * retention time, unlink, capacity thresholds.
 *
 * A queue handle exists exactly while safd has the queue open for this
 * session: open creates it once safd has answered with the queue_id (an
 * OpenAsync when its event reports SA_AIS_OK), a successful close or
 * finalize destroys it. If the handle cannot be made after safd opened the
 * queue, the queue is closed again, so that it does not stay busy.
 *
 * Sizes: a priority area above SAFD_MSG_MAX_AREA_SIZE is clamped to it for
 * a client initialized with major 1 (the csa104 example leaves size[3]
 * uninitialized) and refused with SA_AIS_ERR_TOO_BIG for later clients.
 */
#include "config.h"

#include <string.h>

#include "msg_int.h"

#define OPEN_FLAGS ((SaMsgQueueOpenFlagsT)(SA_MSG_QUEUE_CREATE | \
		    SA_MSG_QUEUE_RECEIVE_CALLBACK | SA_MSG_QUEUE_EMPTY))
#define CREATION_FLAGS ((SaMsgQueueCreationFlagsT)SA_MSG_QUEUE_PERSISTENT)

/* The checks of open and open async that need no handle. */
static SaAisErrorT open_check(const SaNameT *queueName,
			      const SaMsgQueueCreationAttributesT *attrs,
			      SaMsgQueueOpenFlagsT openFlags)
{
	bool create = (openFlags & SA_MSG_QUEUE_CREATE) != 0;

	if (safd_name_check(queueName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	if ((openFlags & ~OPEN_FLAGS) != 0)
		return SA_AIS_ERR_BAD_FLAGS;
	if (attrs != NULL && (attrs->creationFlags & ~CREATION_FLAGS) != 0)
		return SA_AIS_ERR_BAD_FLAGS;
	if (create != (attrs != NULL))
		return SA_AIS_ERR_INVALID_PARAM;
	if (attrs != NULL && attrs->retentionTime < 0)
		return SA_AIS_ERR_INVALID_PARAM;
	return SA_AIS_OK;
}

/* Fills the request after the checks that depend on the handle. */
static SaAisErrorT open_build(const struct msg_instance *inst,
			      struct req_lib_msg_queue_open *req, const SaNameT *queueName,
			      const SaMsgQueueCreationAttributesT *attrs,
			      SaMsgQueueOpenFlagsT openFlags)
{
	SaSizeT size;
	int i;

	if ((openFlags & SA_MSG_QUEUE_RECEIVE_CALLBACK) != 0 &&
	    inst->callbacks.saMsgMessageReceivedCallback == NULL)
		return SA_AIS_ERR_INIT;
	memset(req, 0, sizeof(*req));
	req->header.id = REQ_LIB_MSG_QUEUE_OPEN;
	req->header.size = sizeof(*req);
	safd_name_to_wire(&req->name, queueName);
	req->open_flags = openFlags;
	if (attrs == NULL)
		return SA_AIS_OK;
	req->has_attrs = 1;
	req->attrs.creation_flags = attrs->creationFlags;
	req->attrs.retention = attrs->retentionTime;
	for (i = 0; i < SAFD_MSG_PRIORITIES; i++) {
		size = attrs->size[i];
		if (size > SAFD_MSG_MAX_AREA_SIZE) {
			if (inst->client.major >= 2)
				return SA_AIS_ERR_TOO_BIG;
			size = SAFD_MSG_MAX_AREA_SIZE;
		}
		req->attrs.size[i] = size;
	}
	return SA_AIS_OK;
}

SaAisErrorT msg_queue_close_id(struct msg_instance *inst, uint64_t queue_id)
{
	struct req_lib_msg_queue_id req = {
		.header = { .id = REQ_LIB_MSG_QUEUE_CLOSE, .size = sizeof(req) },
		.queue_id = queue_id,
	};

	return msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
}

SaAisErrorT saMsgQueueOpen(SaMsgHandleT msgHandle, const SaNameT *queueName,
			   const SaMsgQueueCreationAttributesT *creationAttributes,
			   SaMsgQueueOpenFlagsT openFlags, SaTimeT timeout,
			   SaMsgQueueHandleT *queueHandle)
{
	struct req_lib_msg_queue_open req;
	struct res_lib_msg_queue_open res;
	struct msg_instance *inst;
	size_t len = 0;
	SaAisErrorT err;

	err = open_check(queueName, creationAttributes, openFlags);
	if (err == SA_AIS_OK && (queueHandle == NULL || timeout < 0))
		err = SA_AIS_ERR_INVALID_PARAM;
	if (err != SA_AIS_OK)
		return err;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	err = open_build(inst, &req, queueName, creationAttributes, openFlags);
	if (err != SA_AIS_OK)
		goto out_put;
	req.timeout = timeout;
	err = safd_client_call(&inst->client, &req, sizeof(req), &res, sizeof(res),
			       &len, msg_call_timeout(timeout));
	if (err == SA_AIS_OK && len < sizeof(res))
		err = SA_AIS_ERR_LIBRARY;
	if (err != SA_AIS_OK)
		goto out_put;
	err = msg_queue_register(inst, res.queue_id, openFlags, queueHandle);
	if (err != SA_AIS_OK)
		(void)msg_queue_close_id(inst, res.queue_id);
out_put:
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

SaAisErrorT saMsgQueueOpenAsync(SaMsgHandleT msgHandle, SaInvocationT invocation,
				const SaNameT *queueName,
				const SaMsgQueueCreationAttributesT *creationAttributes,
				SaMsgQueueOpenFlagsT openFlags)
{
	struct req_lib_msg_queue_open req;
	struct res_lib_msg_queue_open res;
	struct msg_open_pending *pending;
	struct msg_instance *inst;
	SaAisErrorT err;

	err = open_check(queueName, creationAttributes, openFlags);
	if (err != SA_AIS_OK)
		return err;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (inst->callbacks.saMsgQueueOpenCallback == NULL) {
		err = SA_AIS_ERR_INIT;
		goto out_put;
	}
	err = open_build(inst, &req, queueName, creationAttributes, openFlags);
	if (err != SA_AIS_OK)
		goto out_put;
	req.async = 1;
	req.invocation = invocation;
	req.timeout = SA_TIME_MAX;

	/* Listed before sending: the event may be dispatched by another
	 * thread before this one sees safd's answer. */
	pending = msg_open_pending_add(inst, invocation, openFlags);
	if (pending == NULL) {
		err = SA_AIS_ERR_NO_MEMORY;
		goto out_put;
	}
	err = safd_client_request(&inst->client, &req, sizeof(req), &res, sizeof(res),
				  NULL);
	if (err != SA_AIS_OK)
		msg_open_pending_drop(inst, pending);
out_put:
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

void msg_queue_open_event(struct msg_instance *inst, const void *event, size_t len)
{
	const struct ev_msg_queue_open *ev = event;
	SaMsgQueueOpenCallbackT cb = inst->callbacks.saMsgQueueOpenCallback;
	SaMsgQueueOpenFlagsT open_flags = 0;
	SaMsgQueueHandleT qh = 0;
	SaAisErrorT err = msg_event_error(inst, ev->error);

	/* Not listed: an answer the library stopped waiting for; the queue
	 * is open all the same, without its flags. */
	(void)msg_open_pending_take(inst, ev->invocation, &open_flags);
	if (err == SA_AIS_OK) {
		err = msg_queue_register(inst, ev->queue_id, open_flags, &qh);
		if (err != SA_AIS_OK)
			(void)msg_queue_close_id(inst, ev->queue_id);
		if (err == SA_AIS_ERR_BAD_HANDLE)
			return;		/* finalizing: no more callbacks */
	}
	if (cb != NULL)
		cb(ev->invocation, qh, err);
}

SaAisErrorT saMsgQueueClose(SaMsgQueueHandleT queueHandle)
{
	struct msg_instance *inst;
	struct msg_queue *q;
	SaAisErrorT err;

	err = msg_queue_get(queueHandle, &q, &inst);
	if (err != SA_AIS_OK)
		return err;
	err = msg_queue_close_id(inst, q->queue_id);
	if (err == SA_AIS_OK)
		msg_queue_unregister(inst, queueHandle);
	err = msg_result(inst, err);
	msg_queue_put(queueHandle, q);
	return err;
}

static void status_from_wire(SaMsgQueueStatusT *status,
			     const struct res_lib_msg_queue_status_get *res)
{
	int i;

	status->creationFlags = res->creation_flags;
	status->retentionTime = res->retention;
	status->closeTime = res->close_time;
	for (i = 0; i < SAFD_MSG_PRIORITIES; i++) {
		status->saMsgQueueUsage[i].queueSize = res->usage[i].queue_size;
		status->saMsgQueueUsage[i].queueUsed = res->usage[i].queue_used;
		status->saMsgQueueUsage[i].numberOfMessages =
			res->usage[i].number_of_messages;
	}
}

SaAisErrorT saMsgQueueStatusGet(SaMsgHandleT msgHandle, const SaNameT *queueName,
				SaMsgQueueStatusT *queueStatus)
{
	struct req_lib_msg_name req;
	struct res_lib_msg_queue_status_get res;
	struct msg_instance *inst;
	size_t len = 0;
	SaAisErrorT err;

	if (safd_name_check(queueName) != SA_AIS_OK || queueStatus == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_QUEUE_STATUS_GET;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.name, queueName);
	err = safd_client_request(&inst->client, &req, sizeof(req), &res, sizeof(res),
				  &len);
	if (err == SA_AIS_OK && len < sizeof(res))
		err = SA_AIS_ERR_LIBRARY;
	if (err == SA_AIS_OK)
		status_from_wire(queueStatus, &res);
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

SaAisErrorT saMsgQueueRetentionTimeSet(SaMsgQueueHandleT queueHandle,
				       SaTimeT *retentionTime)
{
	struct req_lib_msg_queue_retention_set req;
	struct msg_instance *inst;
	struct msg_queue *q;
	SaAisErrorT err;

	if (retentionTime == NULL || *retentionTime < 0)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_queue_get(queueHandle, &q, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_QUEUE_RETENTION_SET;
	req.header.size = sizeof(req);
	req.queue_id = q->queue_id;
	req.retention = *retentionTime;
	err = msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
	err = msg_result(inst, err);
	msg_queue_put(queueHandle, q);
	return err;
}

SaAisErrorT saMsgQueueUnlink(SaMsgHandleT msgHandle, const SaNameT *queueName)
{
	return msg_name_call(msgHandle, REQ_LIB_MSG_QUEUE_UNLINK, queueName);
}

SaAisErrorT saMsgQueueCapacityThresholdsSet(SaMsgQueueHandleT queueHandle,
					    const SaMsgQueueThresholdsT *thresholds)
{
	struct req_lib_msg_thresholds_set req;
	struct msg_instance *inst;
	struct msg_queue *q;
	SaAisErrorT err;
	int i;

	if (thresholds == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	for (i = 0; i < SAFD_MSG_PRIORITIES; i++) {
		if (thresholds->capacityAvailable[i] > thresholds->capacityReached[i])
			return SA_AIS_ERR_INVALID_PARAM;
	}
	err = msg_queue_get(queueHandle, &q, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_THRESHOLDS_SET;
	req.header.size = sizeof(req);
	req.queue_id = q->queue_id;
	for (i = 0; i < SAFD_MSG_PRIORITIES; i++) {
		req.reached[i] = thresholds->capacityReached[i];
		req.available[i] = thresholds->capacityAvailable[i];
	}
	err = msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
	err = msg_result(inst, err);
	msg_queue_put(queueHandle, q);
	return err;
}

SaAisErrorT saMsgQueueCapacityThresholdsGet(SaMsgQueueHandleT queueHandle,
					    SaMsgQueueThresholdsT *thresholds)
{
	struct req_lib_msg_queue_id req;
	struct res_lib_msg_thresholds_get res;
	struct msg_instance *inst;
	struct msg_queue *q;
	size_t len = 0;
	SaAisErrorT err;
	int i;

	if (thresholds == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_queue_get(queueHandle, &q, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_THRESHOLDS_GET;
	req.header.size = sizeof(req);
	req.queue_id = q->queue_id;
	err = safd_client_request(&inst->client, &req, sizeof(req), &res, sizeof(res),
				  &len);
	if (err == SA_AIS_OK && len < sizeof(res))
		err = SA_AIS_ERR_LIBRARY;
	for (i = 0; err == SA_AIS_OK && i < SAFD_MSG_PRIORITIES; i++) {
		thresholds->capacityReached[i] = res.reached[i];
		thresholds->capacityAvailable[i] = res.available[i];
	}
	err = msg_result(inst, err);
	msg_queue_put(queueHandle, q);
	return err;
}
