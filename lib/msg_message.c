/*
 * libSaMsg messages (SAI-AIS-MSG-B.03.01 sections 3.4 to 3.6): send and send
 * async, get, cancel, send-receive, reply and reply async, data free, and
 * the EV_MSG_DELIVERED / EV_MSG_RECEIVED events.
 *
 * Outgoing: every message is checked (priority 0..3, data with a size,
 * optional sender name, size within the limit) and travels as a struct
 * safd_msg_header after the request's fixed part, followed by the payload
 * padded to 8 bytes. SaMsgMessageT.version is 4 opaque bytes at offset 4 (a
 * SaUint32T, or SAFplus' SaVersionT plus padding, see saMsg.h): it is copied
 * as bytes both ways and never read as a number.
 *
 * Incoming (Get, and the reply of SendReceive): capacity is message->size
 * when the caller gives a buffer, else UINT64_MAX and the library hands out
 * a malloc'd buffer (at least 1 byte, so data is never NULL on success),
 * released with saMsgMessageDataFree() or free(). The answer is received
 * into a buffer big enough for what safd may send; when the library
 * allocates, that buffer itself becomes the data (moved and shrunk), so a
 * message safd has already taken off the queue is never lost to a failed
 * allocation. An answer comes on a connection whose buffer holds it
 * (client.h): a Get asks first for what the small buffer holds, and a
 * larger message is answered NO_SPACE with its size and stays in the
 * queue, so the Get asks again with its whole capacity (on a connection
 * with the large buffer); a SendReceive takes its reply on a connection
 * sized for its capacity. safd enforces Get and SendReceive timeouts, answers
 * TIMEOUT / INTERRUPT / BAD_HANDLE itself, and the library waits for it
 * (SAFD_CLIENT_WAIT_FOREVER) on a connection no other request uses
 * meanwhile (client.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <safd/util.h>
#include "msg_int.h"

#define MSG_VERSION_OFFSET offsetof(SaMsgMessageT, version)

_Static_assert(offsetof(SaMsgMessageT, size) - offsetof(SaMsgMessageT, version) >=
	       sizeof(((struct safd_msg_header *)0)->version),
	       "SaMsgMessageT.version spans the 4 bytes the wire carries");
_Static_assert(sizeof(struct req_lib_msg_send) % 8 == 0 &&
	       sizeof(struct req_lib_msg_send_receive) % 8 == 0 &&
	       sizeof(struct req_lib_msg_reply) % 8 == 0 &&
	       sizeof(struct res_lib_msg_get) % 8 == 0,
	       "payloads start 8-byte aligned");
_Static_assert(sizeof(struct req_lib_msg_send_receive) + SAFD_MSG_MAX_MESSAGE_SIZE <=
	       SAFD_IPC_MAX_MSG &&
	       sizeof(struct res_lib_msg_get) + SAFD_MSG_MAX_REPLY_SIZE <= SAFD_IPC_MAX_MSG,
	       "the largest message fits one IPC message");

/* ------------------------------------------------------------------------ */
/* Outgoing messages                                                        */
/* ------------------------------------------------------------------------ */

static SaAisErrorT message_check(const SaMsgMessageT *m, SaSizeT max_size)
{
	if (m->priority > SA_MSG_MESSAGE_LOWEST_PRIORITY)
		return SA_AIS_ERR_INVALID_PARAM;
	if (m->size > 0 && m->data == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	if (m->senderName != NULL && m->senderName->length != 0 &&
	    safd_name_check(m->senderName) != SA_AIS_OK)
		return SA_AIS_ERR_INVALID_PARAM;
	if (m->size > max_size)
		return SA_AIS_ERR_TOO_BIG;
	return SA_AIS_OK;
}

static SaAisErrorT ack_check(SaMsgAckFlagsT ackFlags)
{
	if (ackFlags != 0 && ackFlags != SA_MSG_MESSAGE_DELIVERED_ACK)
		return SA_AIS_ERR_BAD_FLAGS;
	return SA_AIS_OK;
}

/* Allocates a request of `fixed` bytes (zeroed) followed by the checked
 * message's payload, zero-padded to 8 bytes; *len gets the total. */
static void *request_alloc(size_t fixed, const SaMsgMessageT *m, size_t *len)
{
	size_t size = (size_t)m->size;
	size_t total = fixed + SAFD_ALIGN8(size);
	uint8_t *req;

	req = malloc(total);
	if (req == NULL)
		return NULL;
	memset(req, 0, fixed);
	if (size > 0)
		memcpy(req + fixed, m->data, size);
	memset(req + fixed + size, 0, total - fixed - size);
	*len = total;
	return req;
}

static void header_to_wire(struct safd_msg_header *w, const SaMsgMessageT *m)
{
	w->type = m->type;
	memcpy(w->version, (const uint8_t *)m + MSG_VERSION_OFFSET, sizeof(w->version));
	w->size = m->size;
	w->priority = m->priority;
	/* a sender name of length 0 is no sender name */
	if (m->senderName != NULL && m->senderName->length != 0) {
		w->has_sender_name = 1;
		safd_name_to_wire(&w->sender_name, m->senderName);
	}
}

/* How long to wait for safd: an async request is answered at once. */
static int32_t send_timeout_ms(bool async, SaTimeT timeout)
{
	return async ? SAFD_CLIENT_REQUEST_TIMEOUT_MS : msg_call_timeout(timeout);
}

/* Send and SendAsync once their arguments are checked. */
static SaAisErrorT send_message(SaMsgHandleT msgHandle, const SaNameT *destination,
				const SaMsgMessageT *message, bool async,
				SaMsgAckFlagsT ackFlags, SaInvocationT invocation,
				SaTimeT timeout)
{
	struct req_lib_msg_send *req;
	struct msg_instance *inst;
	size_t len = 0;
	SaAisErrorT err;

	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (ackFlags != 0 && inst->callbacks.saMsgMessageDeliveredCallback == NULL) {
		err = SA_AIS_ERR_INIT;
		goto out_put;
	}
	req = request_alloc(sizeof(*req), message, &len);
	if (req == NULL) {
		err = SA_AIS_ERR_NO_MEMORY;
		goto out_put;
	}
	req->header.id = REQ_LIB_MSG_SEND;
	req->header.size = (int32_t)len;
	safd_name_to_wire(&req->destination, destination);
	req->async = async;
	req->ack = ackFlags != 0;
	req->invocation = invocation;
	req->timeout = timeout;
	header_to_wire(&req->msg, message);
	err = msg_call(inst, req, len, send_timeout_ms(async, timeout));
	free(req);
out_put:
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

SaAisErrorT saMsgMessageSend(SaMsgHandleT msgHandle, const SaNameT *destination,
			     const SaMsgMessageT *message, SaTimeT timeout)
{
	SaAisErrorT err;

	if (safd_name_check(destination) != SA_AIS_OK || message == NULL || timeout < 0)
		return SA_AIS_ERR_INVALID_PARAM;
	err = message_check(message, SAFD_MSG_MAX_MESSAGE_SIZE);
	if (err != SA_AIS_OK)
		return err;
	return send_message(msgHandle, destination, message, false, 0, 0, timeout);
}

SaAisErrorT saMsgMessageSendAsync(SaMsgHandleT msgHandle, SaInvocationT invocation,
				  const SaNameT *destination, const SaMsgMessageT *message,
				  SaMsgAckFlagsT ackFlags)
{
	SaAisErrorT err;

	if (safd_name_check(destination) != SA_AIS_OK || message == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = message_check(message, SAFD_MSG_MAX_MESSAGE_SIZE);
	if (err == SA_AIS_OK)
		err = ack_check(ackFlags);
	if (err != SA_AIS_OK)
		return err;
	return send_message(msgHandle, destination, message, true, ackFlags, invocation,
			    SA_TIME_MAX);
}

/* Reply and ReplyAsync once their arguments are checked. */
static SaAisErrorT reply_message(SaMsgHandleT msgHandle, const SaMsgMessageT *message,
				 SaMsgSenderIdT senderId, bool async,
				 SaMsgAckFlagsT ackFlags, SaInvocationT invocation,
				 SaTimeT timeout)
{
	struct req_lib_msg_reply *req;
	struct msg_instance *inst;
	size_t len = 0;
	SaAisErrorT err;

	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	if (ackFlags != 0 && inst->callbacks.saMsgMessageDeliveredCallback == NULL) {
		err = SA_AIS_ERR_INIT;
		goto out_put;
	}
	req = request_alloc(sizeof(*req), message, &len);
	if (req == NULL) {
		err = SA_AIS_ERR_NO_MEMORY;
		goto out_put;
	}
	req->header.id = REQ_LIB_MSG_REPLY;
	req->header.size = (int32_t)len;
	req->sender_id = senderId;
	req->async = async;
	req->ack = ackFlags != 0;
	req->invocation = invocation;
	req->timeout = timeout;
	header_to_wire(&req->msg, message);
	err = msg_call(inst, req, len, send_timeout_ms(async, timeout));
	free(req);
out_put:
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

static SaAisErrorT reply_check(const SaMsgMessageT *replyMessage,
			       const SaMsgSenderIdT *senderId)
{
	if (replyMessage == NULL || senderId == NULL || *senderId == 0)
		return SA_AIS_ERR_INVALID_PARAM;
	return message_check(replyMessage, SAFD_MSG_MAX_REPLY_SIZE);
}

SaAisErrorT saMsgMessageReply(SaMsgHandleT msgHandle, const SaMsgMessageT *replyMessage,
			      const SaMsgSenderIdT *senderId, SaTimeT timeout)
{
	SaAisErrorT err;

	err = reply_check(replyMessage, senderId);
	if (err == SA_AIS_OK && timeout < 0)
		err = SA_AIS_ERR_INVALID_PARAM;
	if (err != SA_AIS_OK)
		return err;
	return reply_message(msgHandle, replyMessage, *senderId, false, 0, 0, timeout);
}

SaAisErrorT saMsgMessageReplyAsync(SaMsgHandleT msgHandle, SaInvocationT invocation,
				   const SaMsgMessageT *replyMessage,
				   const SaMsgSenderIdT *senderId, SaMsgAckFlagsT ackFlags)
{
	SaAisErrorT err;

	err = reply_check(replyMessage, senderId);
	if (err == SA_AIS_OK)
		err = ack_check(ackFlags);
	if (err != SA_AIS_OK)
		return err;
	return reply_message(msgHandle, replyMessage, *senderId, true, ackFlags,
			     invocation, SA_TIME_MAX);
}

/* ------------------------------------------------------------------------ */
/* Incoming messages                                                        */
/* ------------------------------------------------------------------------ */

/* A buffer for a Get or SendReceive answer: the response struct and up to
 * `capacity` bytes of payload, never more than safd sends (`max`). */
static void *answer_alloc(uint64_t capacity, uint64_t max, size_t *len)
{
	uint64_t room = capacity < max ? capacity : max;

	*len = sizeof(struct res_lib_msg_get) + SAFD_ALIGN8((size_t)room);
	return malloc(*len);
}

/* Checks an answer of `len` bytes in *bufp (SA_AIS_OK or NO_SPACE from
 * safd) and writes it to *m and *res. With m->data NULL the buffer becomes
 * the data and *bufp is set to NULL; the caller frees what *bufp holds. */
static SaAisErrorT answer_take(SaAisErrorT err, void **bufp, size_t len,
			       uint64_t capacity, SaMsgMessageT *m,
			       struct res_lib_msg_get *res)
{
	uint8_t *buf = *bufp;
	void *data;

	if (len < sizeof(*res))
		return SA_AIS_ERR_LIBRARY;
	memcpy(res, buf, sizeof(*res));
	if (err == SA_AIS_ERR_NO_SPACE) {
		m->size = res->msg.size;	/* the size needed */
		return err;
	}
	if (res->msg.size > capacity || res->msg.size > len - sizeof(*res) ||
	    res->msg.priority > SA_MSG_MESSAGE_LOWEST_PRIORITY ||
	    res->msg.sender_name.length > SA_MAX_NAME_LENGTH)
		return SA_AIS_ERR_LIBRARY;
	if (m->data != NULL) {
		memcpy(m->data, buf + sizeof(*res), (size_t)res->msg.size);
	} else {
		memmove(buf, buf + sizeof(*res), (size_t)res->msg.size);
		data = realloc(buf, res->msg.size > 0 ? (size_t)res->msg.size : 1);
		m->data = data != NULL ? data : buf;	/* a failed shrink keeps buf */
		*bufp = NULL;
	}
	m->type = res->msg.type;
	memcpy((uint8_t *)m + MSG_VERSION_OFFSET, res->msg.version,
	       sizeof(res->msg.version));
	m->size = res->msg.size;
	m->priority = res->msg.priority;
	if (m->senderName != NULL && res->msg.has_sender_name)
		(void)safd_name_from_wire(m->senderName, &res->msg.sender_name);
	else if (m->senderName != NULL)
		memset(m->senderName, 0, sizeof(*m->senderName));	/* length 0 */
	return SA_AIS_OK;
}

/* Sends a Get or SendReceive request and takes its answer into *m. */
static SaAisErrorT receive_call(struct msg_instance *inst, const void *req,
				size_t req_len, uint64_t capacity, uint64_t max,
				SaMsgMessageT *m, struct res_lib_msg_get *res)
{
	size_t buf_len, len = 0;
	SaAisErrorT err;
	void *buf;

	buf = answer_alloc(capacity, max, &buf_len);
	if (buf == NULL)
		return SA_AIS_ERR_NO_MEMORY;
	err = safd_client_call(&inst->client, req, req_len, buf, buf_len, &len,
			       SAFD_CLIENT_WAIT_FOREVER);
	if (err == SA_AIS_OK || err == SA_AIS_ERR_NO_SPACE)
		err = answer_take(err, &buf, len, capacity, m, res);
	free(buf);
	return err;
}

/* What a Get's answer on a connection with the small buffer can carry. */
#define GET_SMALL_ROOM (SAFD_IPC_CONN_SIZE - sizeof(struct res_lib_msg_get))

SaAisErrorT saMsgMessageGet(SaMsgQueueHandleT queueHandle, SaMsgMessageT *message,
			    SaTimeT *sendTime, SaMsgSenderIdT *senderId, SaTimeT timeout)
{
	int64_t start = safd_time_ns(CLOCK_MONOTONIC);
	struct req_lib_msg_get req;
	struct res_lib_msg_get res;
	struct msg_instance *inst;
	struct msg_queue *q;
	SaSizeT size = message != NULL ? message->size : 0;
	uint64_t capacity;
	SaAisErrorT err;

	if (message == NULL || senderId == NULL || timeout < 0)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_queue_get(queueHandle, &q, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_GET;
	req.header.size = sizeof(req);
	req.queue_id = q->queue_id;
	req.timeout = timeout;
	capacity = message->data != NULL ? message->size : UINT64_MAX;
	req.capacity = capacity < GET_SMALL_ROOM ? capacity : GET_SMALL_ROOM;
	err = receive_call(inst, &req, sizeof(req), req.capacity,
			   SAFD_MSG_MAX_MESSAGE_SIZE, message, &res);
	if (err == SA_AIS_ERR_NO_SPACE && req.capacity < capacity &&
	    message->size <= capacity) {
		/* too large for the small buffer, not for the caller's */
		int64_t spent = safd_time_ns(CLOCK_MONOTONIC) - start;

		req.timeout = timeout == SA_TIME_MAX ? timeout :
			      timeout > spent ? timeout - spent : 0;
		req.capacity = capacity;
		message->size = size;
		err = receive_call(inst, &req, sizeof(req), req.capacity,
				   SAFD_MSG_MAX_MESSAGE_SIZE, message, &res);
	}
	if (err == SA_AIS_OK) {
		if (sendTime != NULL)
			*sendTime = res.send_time;
		*senderId = res.sender_id;
	}
	err = msg_result(inst, err);
	msg_queue_put(queueHandle, q);
	return err;
}

SaAisErrorT saMsgMessageSendReceive(SaMsgHandleT msgHandle, const SaNameT *destination,
				    const SaMsgMessageT *sendMessage,
				    SaMsgMessageT *receiveMessage, SaTimeT *replySendTime,
				    SaTimeT timeout)
{
	struct req_lib_msg_send_receive *req;
	struct res_lib_msg_get res;
	struct msg_instance *inst;
	size_t len = 0;
	SaAisErrorT err;

	if (safd_name_check(destination) != SA_AIS_OK || sendMessage == NULL ||
	    receiveMessage == NULL || timeout < 0)
		return SA_AIS_ERR_INVALID_PARAM;
	err = message_check(sendMessage, SAFD_MSG_MAX_MESSAGE_SIZE);
	if (err != SA_AIS_OK)
		return err;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	req = request_alloc(sizeof(*req), sendMessage, &len);
	if (req == NULL) {
		err = SA_AIS_ERR_NO_MEMORY;
		goto out_put;
	}
	req->header.id = REQ_LIB_MSG_SEND_RECEIVE;
	req->header.size = (int32_t)len;
	safd_name_to_wire(&req->destination, destination);
	req->timeout = timeout;
	req->reply_capacity = receiveMessage->data != NULL ? receiveMessage->size :
							     UINT64_MAX;
	header_to_wire(&req->msg, sendMessage);
	err = receive_call(inst, req, len, req->reply_capacity, SAFD_MSG_MAX_REPLY_SIZE,
			   receiveMessage, &res);
	if (err == SA_AIS_OK && replySendTime != NULL)
		*replySendTime = res.send_time;
	free(req);
out_put:
	err = msg_result(inst, err);
	msg_put(msgHandle);
	return err;
}

SaAisErrorT saMsgMessageCancel(SaMsgQueueHandleT queueHandle)
{
	struct req_lib_msg_queue_id req;
	struct msg_instance *inst;
	struct msg_queue *q;
	SaAisErrorT err;

	err = msg_queue_get(queueHandle, &q, &inst);
	if (err != SA_AIS_OK)
		return err;
	memset(&req, 0, sizeof(req));
	req.header.id = REQ_LIB_MSG_CANCEL;
	req.header.size = sizeof(req);
	req.queue_id = q->queue_id;
	err = msg_call(inst, &req, sizeof(req), SAFD_CLIENT_REQUEST_TIMEOUT_MS);
	err = msg_result(inst, err);
	msg_queue_put(queueHandle, q);
	return err;
}

SaAisErrorT saMsgMessageDataFree(SaMsgHandleT msgHandle, void *data)
{
	struct msg_instance *inst;
	SaAisErrorT err;

	if (data == NULL)
		return SA_AIS_ERR_INVALID_PARAM;
	err = msg_get(msgHandle, &inst);
	if (err != SA_AIS_OK)
		return err;
	free(data);
	msg_put(msgHandle);
	return SA_AIS_OK;
}

/* ------------------------------------------------------------------------ */
/* Events                                                                   */
/* ------------------------------------------------------------------------ */

void msg_delivered_event(struct msg_instance *inst, const void *event, size_t len)
{
	const struct ev_msg_delivered *ev = event;
	SaMsgMessageDeliveredCallbackT cb = inst->callbacks.saMsgMessageDeliveredCallback;

	if (cb != NULL)
		cb(ev->invocation, msg_event_error(inst, ev->error));
}

/* Only for a queue still open here with RECEIVE_CALLBACK: a closed queue's
 * pending callbacks are dropped. */
void msg_received_event(struct msg_instance *inst, const void *event, size_t len)
{
	const struct ev_msg_received *ev = event;
	SaMsgMessageReceivedCallbackT cb = inst->callbacks.saMsgMessageReceivedCallback;
	SaMsgQueueOpenFlagsT open_flags;
	SaMsgQueueHandleT qh;

	if (cb == NULL || !msg_queue_find(inst, ev->queue_id, &qh, &open_flags))
		return;
	if ((open_flags & SA_MSG_QUEUE_RECEIVE_CALLBACK) != 0)
		cb(qh);
}
