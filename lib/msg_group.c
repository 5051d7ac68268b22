/*
 * libSaMsg queue groups (SAI-AIS-MSG-B.03.01 section 3.7): create, delete,
 * insert, remove, track, track stop, notification free, and the
 * EV_MSG_GROUP_TRACK event.
 *
 * Track (the Overview's track-flag rules): exactly one of CHANGES and
 * CHANGES_ONLY at most, with or without CURRENT, nothing else. CURRENT with a
 * buffer is answered in the response (want_current): into the caller's array
 * (capacity numberOfItems; NO_SPACE sets numberOfItems to the count needed),
 * or into an array the library allocates with malloc (at least one entry, so
 * it is never NULL), released with saMsgQueueGroupNotificationFree() or
 * free(). CURRENT without a buffer, CHANGES and CHANGES_ONLY arrive as
 * EV_MSG_GROUP_TRACK and need the track callback. The callback's buffer is
 * the library's and is freed when the callback returns.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "msg_int.h"

#define TRACK_FLAGS (SA_TRACK_CURRENT | SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY)

/* Most entries an answer or event can carry. */
#define GROUP_ITEMS_MAX SAFD_MSG_MAX_QUEUES_PER_GROUP

_Static_assert(sizeof(struct res_lib_msg_group_track) +
	       GROUP_ITEMS_MAX * sizeof(struct safd_group_item) <= SAFD_IPC_MAX_MSG,
	       "a whole group fits one IPC message");

SaAisErrorT saMsgQueueGroupCreate(SaMsgHandleT msgHandle, const SaNameT *queueGroupName,
				  SaMsgQueueGroupPolicyT queueGroupPolicy)
{
	struct req_lib_msg_group_create req;
	struct msg_instance *inst;
	SaAisErrorT err;

	/* Through unsigned, so that a negative policy is out of range too. */
	if (safd_name_check(queueGroupName) != SA_AIS_OK ||
	    (unsigned int)queueGroupPolicy < SA_MSG_QUEUE_GROUP_ROUND_ROBIN ||
	    (unsigned int)queueGroupPolicy > SA_MSG_QUEUE_GROUP_BROADCAST)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_GROUP_CREATE;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.name, queueGroupName);
	req.policy = (uint32_t)queueGroupPolicy;
	err = msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

SaAisErrorT saMsgQueueGroupDelete(SaMsgHandleT msgHandle, const SaNameT *queueGroupName)
{
	return msg_name_call(msgHandle, REQ_LIB_MSG_GROUP_DELETE, queueGroupName);
}

/* Insert and remove. */
static SaAisErrorT member_call(SaMsgHandleT msgHandle, int32_t id,
			       const SaNameT *queueGroupName, const SaNameT *queueName)
{
	struct req_lib_msg_group_member req;
	struct msg_instance *inst;
	SaAisErrorT err;

	if (safd_name_check(queueGroupName) != SA_AIS_OK ||
	    safd_name_check(queueName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = id;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.group, queueGroupName);
	safd_name_to_wire(&req.queue, queueName);
	err = msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

SaAisErrorT saMsgQueueGroupInsert(SaMsgHandleT msgHandle, const SaNameT *queueGroupName,
				  const SaNameT *queueName)
{
	return member_call(msgHandle, REQ_LIB_MSG_GROUP_INSERT, queueGroupName, queueName);
}

SaAisErrorT saMsgQueueGroupRemove(SaMsgHandleT msgHandle, const SaNameT *queueGroupName,
				  const SaNameT *queueName)
{
	return member_call(msgHandle, REQ_LIB_MSG_GROUP_REMOVE, queueGroupName, queueName);
}

SaAisErrorT saMsgQueueGroupTrackStop(SaMsgHandleT msgHandle, const SaNameT *queueGroupName)
{
	return msg_name_call(msgHandle, REQ_LIB_MSG_GROUP_TRACK_STOP, queueGroupName);
}

SaAisErrorT saMsgQueueGroupNotificationFree(SaMsgHandleT msgHandle,
					    SaMsgQueueGroupNotificationT *notification)
{
	struct msg_instance *inst;
	SaAisErrorT err;

	if (notification == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	free(notification);
	msg_put(msgHandle);
	return SA_AIS_OK;
}

/* ------------------------------------------------------------------------ */
/* Track                                                                    */
/* ------------------------------------------------------------------------ */

static SaAisErrorT track_check(SaUint8T flags)
{
	const SaUint8T both = SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY;

	if ((flags & ~TRACK_FLAGS) != 0 || (flags & TRACK_FLAGS) == 0 ||
	    (flags & both) == both)
		return SA_AIS_ERR_BAD_FLAGS;
	return SA_AIS_OK;
}

/* `n` entries from safd: true if every name fits an SaNameT. */
static bool items_valid(const struct safd_group_item *items, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (items[i].queue.length > SA_MAX_NAME_LENGTH)
			return false;
	}
	return true;
}

/* Copies `n` checked entries. */
static void items_from_wire(SaMsgQueueGroupNotificationT *out,
			    const struct safd_group_item *items, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		(void)safd_name_from_wire(&out[i].member.queueName, &items[i].queue);
		out[i].change = (SaMsgQueueGroupChangesT)items[i].change;
	}
}

/* Writes a CURRENT answer (OK or NO_SPACE from safd, `len` bytes) into the
 * caller's buffer. */
static SaAisErrorT track_take(SaAisErrorT err, const struct res_lib_msg_group_track *res,
			      size_t len, SaMsgQueueGroupNotificationBufferT *buf)
{
	const struct safd_group_item *items = (const void *)(res + 1);
	SaMsgQueueGroupNotificationT *out = buf->notification;
	uint32_t n;

	if (len < sizeof(*res))
		return SA_AIS_ERR_LIBRARY;
	if (err == SA_AIS_ERR_NO_SPACE) {
		buf->numberOfItems = res->count;	/* the count needed */
		return err;
	}
	n = res->returned;
	if (n > (len - sizeof(*res)) / sizeof(*items) ||
	    (out != NULL && n > buf->numberOfItems) || !items_valid(items, n))
		return SA_AIS_ERR_LIBRARY;
	if (out == NULL) {
		out = malloc((n > 0 ? n : 1) * sizeof(*out));
		if (out == NULL)
			return SA_AIS_ERR_NO_MEMORY;
	}
	items_from_wire(out, items, n);
	buf->notification = out;
	buf->numberOfItems = n;
	buf->queueGroupPolicy = (SaMsgQueueGroupPolicyT)res->policy;
	return SA_AIS_OK;
}

/* Sends the track request and takes the CURRENT answer if one is wanted;
 * *accepted tells whether safd said SA_AIS_OK. */
static SaAisErrorT track_call(struct msg_instance *inst,
			      const struct req_lib_msg_group_track *req,
			      SaMsgQueueGroupNotificationBufferT *buf, bool *accepted)
{
	struct res_lib_msg_group_track *res;
	size_t room, res_max, res_len = 0;
	SaAisErrorT err;

	room = req->capacity > 0 && req->capacity < GROUP_ITEMS_MAX ? req->capacity :
								       GROUP_ITEMS_MAX;
	res_max = sizeof(*res) + room * sizeof(struct safd_group_item);
	res = malloc(res_max);
	if (res == NULL)
		return SA_AIS_ERR_NO_MEMORY;
	err = safd_client_request(&inst->client, req, sizeof(*req), res, res_max,
				  &res_len);
	*accepted = err == SA_AIS_OK;
	if (req->want_current && (err == SA_AIS_OK || err == SA_AIS_ERR_NO_SPACE))
		err = track_take(err, res, res_len, buf);
	free(res);
	return err;
}

SaAisErrorT saMsgQueueGroupTrack(SaMsgHandleT msgHandle, const SaNameT *queueGroupName,
				 SaUint8T trackFlags,
				 SaMsgQueueGroupNotificationBufferT *notificationBuffer)
{
	SaMsgQueueGroupNotificationBufferT *buf = notificationBuffer;
	bool want_current = (trackFlags & SA_TRACK_CURRENT) != 0 && buf != NULL;
	struct req_lib_msg_group_track req;
	struct msg_instance *inst;
	bool accepted = false;
	SaAisErrorT err;

	if (safd_name_check(queueGroupName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	err = track_check(trackFlags);
	if (err != SA_AIS_OK)
		return err;
	if (buf != NULL && buf->notification != NULL && buf->numberOfItems == 0)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (inst->callbacks.saMsgQueueGroupTrackCallback == NULL &&
	    !(trackFlags == SA_TRACK_CURRENT && buf != NULL)) {
		err = SA_AIS_ERR_INIT;
		goto out_put;
	}
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_GROUP_TRACK;
	req.header.size = sizeof(req);
	safd_name_to_wire(&req.name, queueGroupName);
	req.flags = trackFlags;
	req.want_current = want_current;
	req.capacity = want_current && buf->notification != NULL ? buf->numberOfItems : 0;
	err = track_call(inst, &req, buf, &accepted);

	/* A call that fails here after safd started changes tracking: stop it. */
	if (accepted && err != SA_AIS_OK &&
	    (trackFlags & (SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY)) != 0)
		(void)msg_name_call(msgHandle, REQ_LIB_MSG_GROUP_TRACK_STOP,
				    queueGroupName);
out_put:
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

void msg_group_track_event(struct msg_instance *inst, const void *event, size_t len)
{
	const struct ev_msg_group_track *ev = event;
	const struct safd_group_item *items = (const void *)(ev + 1);
	SaMsgQueueGroupTrackCallbackT cb = inst->callbacks.saMsgQueueGroupTrackCallback;
	SaMsgQueueGroupNotificationBufferT buf = { 0 };
	SaAisErrorT err = msg_event_error(inst, ev->error);
	SaNameT group;

	if (cb == NULL)
		return;
	if (ev->items > (len - sizeof(*ev)) / sizeof(*items) ||
	    !items_valid(items, ev->items) || !safd_name_from_wire(&group, &ev->group))
		return;		/* malformed: dropped */
	buf.queueGroupPolicy = (SaMsgQueueGroupPolicyT)ev->policy;
	if (ev->items > 0) {
		buf.notification = malloc(ev->items * sizeof(*buf.notification));
		if (buf.notification == NULL) {
			err = SA_AIS_ERR_NO_MEMORY;	/* the client missed a change */
		} else {
			items_from_wire(buf.notification, items, ev->items);
			buf.numberOfItems = ev->items;
		}
	}
	cb(&group, &buf, ev->members, err);
	free(buf.notification);
}
