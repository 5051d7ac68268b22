/*
 * Wire format of the MSG engine's CPG messages (safd <-> safd, svc
 * SAFD_SVC_MSG). Not installed. Every message starts with struct msg_origin:
 * who asked (the origin node is the CPG sender), the origin's token for the
 * deferred answer, and the origin's clock, which is the time every node
 * records (send time, close time): one clock decides, never each node's own.
 */
#ifndef SAFD_EXEC_MSG_H
#define SAFD_EXEC_MSG_H

#include <stdint.h>
#include <safd/exec.h>
#include <safd/ipc_msg.h>

enum req_exec_msg_id {
	REQ_EXEC_MSG_OPEN = 1,
	REQ_EXEC_MSG_CLOSE = 2,
	REQ_EXEC_MSG_UNLINK = 3,
	REQ_EXEC_MSG_RETENTION = 4,
	REQ_EXEC_MSG_SEND = 5,
	REQ_EXEC_MSG_CONSUME = 6,
	REQ_EXEC_MSG_GROUP_CREATE = 7,
	REQ_EXEC_MSG_GROUP_DELETE = 8,
	REQ_EXEC_MSG_GROUP_INSERT = 9,
	REQ_EXEC_MSG_GROUP_REMOVE = 10,
	REQ_EXEC_MSG_EXPIRE = 11,
	REQ_EXEC_MSG_REPLY = 12,
	REQ_EXEC_MSG_REQUEST_DONE = 13,
	REQ_EXEC_MSG_THRESHOLDS = 14,
	REQ_EXEC_MSG_COUNT
};

struct msg_origin {
	struct safd_exec_header header;
	uint64_t token;		/* origin's pending answer, 0 for none */
	uint64_t session;	/* origin client's session */
	uint32_t pid;		/* origin client's pid */
	uint32_t pad;
	int64_t time;		/* origin's clock, ns since the epoch */
};

struct req_exec_msg_open {
	struct msg_origin o;
	struct safd_name name;
	struct safd_queue_attrs attrs;
	uint32_t open_flags;
	uint32_t has_attrs;
};

/* CLOSE, EXPIRE (queue_id + gen), CONSUME (queue_id + seq). */
struct req_exec_msg_queue {
	struct msg_origin o;
	uint64_t queue_id;
	uint64_t arg;		/* EXPIRE: close generation; CONSUME: message seq */
};

/* UNLINK. */
struct req_exec_msg_name {
	struct msg_origin o;
	struct safd_name name;
};

struct req_exec_msg_retention {
	struct msg_origin o;
	uint64_t queue_id;
	int64_t retention;
};

/* SEND: to a queue or group name; sender_id != 0 for SendReceive, whose
 * reply may use up to reply_capacity bytes. Followed by the payload. */
struct req_exec_msg_send {
	struct msg_origin o;
	struct safd_name destination;
	uint64_t sender_id;
	uint64_t reply_capacity;
	struct safd_msg_header msg;
};

/* GROUP_CREATE, GROUP_DELETE, GROUP_INSERT, GROUP_REMOVE. */
struct req_exec_msg_group {
	struct msg_origin o;
	struct safd_name group;
	struct safd_name queue;		/* INSERT, REMOVE */
	uint32_t policy;		/* CREATE */
	uint32_t pad;
};

/* REPLY to a SendReceive. Followed by the payload. */
struct req_exec_msg_reply {
	struct msg_origin o;
	uint64_t sender_id;
	struct safd_msg_header msg;
};

/* REQUEST_DONE: the requester stopped waiting (timeout, finalize, exit). */
struct req_exec_msg_request_done {
	struct msg_origin o;
	uint64_t sender_id;
};

struct req_exec_msg_thresholds {
	struct msg_origin o;
	uint64_t queue_id;
	uint64_t reached[SAFD_MSG_PRIORITIES];
	uint64_t available[SAFD_MSG_PRIORITIES];
};

#endif /* SAFD_EXEC_MSG_H */
