/*
 * Wire format of the msg service (libSaMsg <-> safd). Not installed.
 *
 * Sessions: one saMsgInitialize() is one session. Its first connection (the
 * main one) carries the session's events (callbacks); a thread that makes a
 * call while another call of the session is in progress uses another
 * connection of the session, opened on demand (a pool), so a Get blocked
 * forever never holds up a Send. Every connection says hello with the same
 * random session token; safd groups connections by (client pid, token).
 * Blocking calls (Get, SendReceive) are answered by safd when they complete,
 * time out (safd keeps the timer) or are cancelled; FINALIZE answers every
 * blocked call of the session with SA_AIS_ERR_BAD_HANDLE, then closes the
 * session's queues and stops its tracking.
 *
 * Names travel as struct safd_name; both sides reject length > 256.
 * Message payloads follow their request or response struct, 8-byte padded.
 * Ids are explicit and never renumbered or reused.
 */
#ifndef SAFD_IPC_MSG_H
#define SAFD_IPC_MSG_H

#include <stdint.h>
#include <safd/ipc.h>

/* Implementation limits, reported by saMsgLimitGet(). */
#define SAFD_MSG_MAX_MESSAGE_SIZE	(1024 * 1024)		/* 1 MiB */
#define SAFD_MSG_MAX_REPLY_SIZE		(1024 * 1024)
#define SAFD_MSG_MAX_AREA_SIZE		(256ULL * 1024 * 1024)	/* per priority */
#define SAFD_MSG_MAX_QUEUE_SIZE		(4 * SAFD_MSG_MAX_AREA_SIZE)
#define SAFD_MSG_MAX_QUEUES		100000
#define SAFD_MSG_MAX_GROUPS		10000
#define SAFD_MSG_MAX_QUEUES_PER_GROUP	1000
/* What each stored message costs on top of its payload (saMsgMetadataSizeGet);
 * counted against the priority area's size. */
#define SAFD_MSG_METADATA_SIZE		0

#define SAFD_MSG_PRIORITIES		4

struct safd_name {
	uint16_t length;		/* <= 256 */
	uint8_t value[256];
	uint8_t pad[6];
};

enum req_lib_msg_id {
	/* 0 is SAFD_REQ_HELLO */
	REQ_LIB_MSG_QUEUE_OPEN = 1,
	REQ_LIB_MSG_QUEUE_CLOSE = 2,
	REQ_LIB_MSG_QUEUE_STATUS_GET = 3,
	REQ_LIB_MSG_QUEUE_RETENTION_SET = 4,
	REQ_LIB_MSG_QUEUE_UNLINK = 5,
	REQ_LIB_MSG_GROUP_CREATE = 6,
	REQ_LIB_MSG_GROUP_DELETE = 7,
	REQ_LIB_MSG_GROUP_INSERT = 8,
	REQ_LIB_MSG_GROUP_REMOVE = 9,
	REQ_LIB_MSG_GROUP_TRACK = 10,
	REQ_LIB_MSG_GROUP_TRACK_STOP = 11,
	REQ_LIB_MSG_SEND = 12,
	REQ_LIB_MSG_GET = 13,
	REQ_LIB_MSG_CANCEL = 14,
	REQ_LIB_MSG_SEND_RECEIVE = 15,
	REQ_LIB_MSG_REPLY = 16,
	REQ_LIB_MSG_THRESHOLDS_SET = 17,
	REQ_LIB_MSG_THRESHOLDS_GET = 18,
	REQ_LIB_MSG_FINALIZE = 19,
	REQ_LIB_MSG_QUEUE_LIST = 20,	/* safctl */
	REQ_LIB_MSG_GROUP_LIST = 21	/* safctl */
};

/* Events safd sends on a session's main connection. */
enum ev_lib_msg_id {
	EV_MSG_QUEUE_OPEN = 101,	/* saMsgQueueOpenCallback */
	EV_MSG_DELIVERED = 102,		/* saMsgMessageDeliveredCallback */
	EV_MSG_RECEIVED = 103,		/* saMsgMessageReceivedCallback */
	EV_MSG_GROUP_TRACK = 104	/* saMsgQueueGroupTrackCallback */
};

/* The part of SaMsgMessageT that travels; `version` is the application's
 * 4 bytes at offset 4 of SaMsgMessageT, copied as they are. */
struct safd_msg_header {
	uint32_t type;
	uint8_t version[4];
	uint64_t size;			/* payload bytes that follow */
	uint8_t priority;		/* 0..3 */
	uint8_t has_sender_name;
	uint8_t pad[6];
	struct safd_name sender_name;
};

struct safd_queue_attrs {
	uint32_t creation_flags;
	uint32_t pad;
	uint64_t size[SAFD_MSG_PRIORITIES];
	int64_t retention;		/* ns */
};

/* REQ_LIB_MSG_QUEUE_OPEN. With `async` set, safd answers at once (SA_AIS_OK
 * once the request is accepted) and reports the outcome as EV_MSG_QUEUE_OPEN
 * with `invocation`. res: struct res_lib_msg_queue_open. */
struct req_lib_msg_queue_open {
	struct qb_ipc_request_header header;
	struct safd_name name;
	struct safd_queue_attrs attrs;
	uint32_t open_flags;
	uint32_t has_attrs;		/* creationAttributes != NULL */
	uint32_t async;
	uint32_t pad;
	uint64_t invocation;
	int64_t timeout;		/* ns; the library's wait (safd answers as
					 * soon as the open is applied) */
};

struct res_lib_msg_queue_open {
	struct qb_ipc_response_header header;
	uint64_t queue_id;		/* the open queue, for later requests */
};

/* QUEUE_CLOSE, CANCEL, THRESHOLDS_GET: the queue this session opened. */
struct req_lib_msg_queue_id {
	struct qb_ipc_request_header header;
	uint64_t queue_id;
};

/* QUEUE_STATUS_GET, QUEUE_UNLINK, GROUP_DELETE, GROUP_TRACK_STOP. */
struct req_lib_msg_name {
	struct qb_ipc_request_header header;
	struct safd_name name;
};

struct safd_queue_usage {
	uint64_t queue_size;
	uint64_t queue_used;
	uint32_t number_of_messages;
	uint32_t pad;
};

struct res_lib_msg_queue_status_get {
	struct qb_ipc_response_header header;
	uint32_t creation_flags;
	uint32_t pad;
	int64_t retention;
	int64_t close_time;		/* 0 while open */
	struct safd_queue_usage usage[SAFD_MSG_PRIORITIES];
};

struct req_lib_msg_queue_retention_set {
	struct qb_ipc_request_header header;
	uint64_t queue_id;
	int64_t retention;
};

struct req_lib_msg_group_create {
	struct qb_ipc_request_header header;
	struct safd_name name;
	uint32_t policy;
	uint32_t pad;
};

/* GROUP_INSERT, GROUP_REMOVE. */
struct req_lib_msg_group_member {
	struct qb_ipc_request_header header;
	struct safd_name group;
	struct safd_name queue;
};

/* REQ_LIB_MSG_GROUP_TRACK. If flags has CURRENT and want_current is set the
 * members come back in the response (up to `capacity` entries, 0 = all;
 * more members than capacity gives SA_AIS_ERR_NO_SPACE with `count` set);
 * CURRENT without want_current is reported as one EV_MSG_GROUP_TRACK.
 * CHANGES / CHANGES_ONLY register the session for EV_MSG_GROUP_TRACK on every
 * change. res: struct res_lib_msg_group_track + `returned` entries. */
struct req_lib_msg_group_track {
	struct qb_ipc_request_header header;
	struct safd_name name;
	uint32_t flags;
	uint32_t want_current;
	uint32_t capacity;
	uint32_t pad;
};

struct safd_group_item {
	struct safd_name queue;
	uint32_t change;		/* SaMsgQueueGroupChangesT */
	uint32_t pad;
};

struct res_lib_msg_group_track {
	struct qb_ipc_response_header header;
	uint32_t policy;
	uint32_t count;			/* members of the group */
	uint32_t returned;		/* entries that follow */
	uint32_t pad;
};

/* REQ_LIB_MSG_SEND. Synchronous (`async` 0): answered once the message is
 * in the destination queue(s) on every node, or with the error. Async:
 * answered at once; with `ack` the outcome is EV_MSG_DELIVERED with
 * `invocation`. Followed by the payload. */
struct req_lib_msg_send {
	struct qb_ipc_request_header header;
	struct safd_name destination;
	uint32_t async;
	uint32_t ack;
	uint64_t invocation;
	int64_t timeout;
	struct safd_msg_header msg;
};

/* REQ_LIB_MSG_GET. capacity: the caller's buffer, or UINT64_MAX when the
 * library allocates. res: struct res_lib_msg_get + payload; with
 * SA_AIS_ERR_NO_SPACE msg.size is the size needed and the message stays. */
struct req_lib_msg_get {
	struct qb_ipc_request_header header;
	uint64_t queue_id;
	int64_t timeout;
	uint64_t capacity;
};

struct res_lib_msg_get {
	struct qb_ipc_response_header header;
	int64_t send_time;
	uint64_t sender_id;		/* 0, or the SendReceive request */
	struct safd_msg_header msg;
};

/* REQ_LIB_MSG_SEND_RECEIVE: a send whose answer is the reply.
 * res: struct res_lib_msg_get (send_time = the reply's) + payload. */
struct req_lib_msg_send_receive {
	struct qb_ipc_request_header header;
	struct safd_name destination;
	int64_t timeout;
	uint64_t reply_capacity;	/* UINT64_MAX: library allocates */
	struct safd_msg_header msg;
};

/* REQ_LIB_MSG_REPLY. Followed by the payload. */
struct req_lib_msg_reply {
	struct qb_ipc_request_header header;
	uint64_t sender_id;
	uint32_t async;
	uint32_t ack;
	uint64_t invocation;
	int64_t timeout;
	struct safd_msg_header msg;
};

struct req_lib_msg_thresholds_set {
	struct qb_ipc_request_header header;
	uint64_t queue_id;
	uint64_t reached[SAFD_MSG_PRIORITIES];
	uint64_t available[SAFD_MSG_PRIORITIES];
};

struct res_lib_msg_thresholds_get {
	struct qb_ipc_response_header header;
	uint64_t reached[SAFD_MSG_PRIORITIES];
	uint64_t available[SAFD_MSG_PRIORITIES];
};

struct req_lib_msg_finalize {
	struct qb_ipc_request_header header;
};

/* safctl: REQ_LIB_MSG_QUEUE_LIST (a name of length 0 lists every queue,
 * otherwise that one) and REQ_LIB_MSG_GROUP_LIST (same for groups), in
 * name order, from entry `first` on, as many as fit one response; `more`
 * in the response says whether to ask again from first + count. */
struct req_lib_msg_list {
	struct qb_ipc_request_header header;
	struct safd_name name;
	uint32_t first;
	uint32_t pad;
};

#define SAFD_QUEUE_OPEN		0x1
#define SAFD_QUEUE_UNLINKED	0x2
#define SAFD_QUEUE_RECEIVE_CB	0x4

struct safd_queue_info {
	struct safd_name name;
	uint64_t queue_id;
	uint32_t creation_flags;
	uint32_t state;			/* SAFD_QUEUE_* */
	int64_t retention;
	int64_t close_time;
	uint32_t owner_nodeid;		/* while open */
	uint32_t owner_pid;
	struct safd_queue_usage usage[SAFD_MSG_PRIORITIES];
};

struct res_lib_msg_queue_list {
	struct qb_ipc_response_header header;
	uint32_t count;			/* struct safd_queue_info follow */
	uint32_t more;
};

struct safd_group_info {
	struct safd_name name;
	uint32_t policy;
	uint32_t member_count;		/* struct safd_name follow */
};

/* Followed by `count` groups, each a struct safd_group_info and its
 * member names. */
struct res_lib_msg_group_list {
	struct qb_ipc_response_header header;
	uint32_t count;
	uint32_t more;
};

/* Events. */
struct ev_msg_queue_open {
	struct qb_ipc_response_header header;	/* id EV_MSG_QUEUE_OPEN */
	uint64_t invocation;
	uint64_t queue_id;
	uint32_t error;
	uint32_t pad;
};

struct ev_msg_delivered {
	struct qb_ipc_response_header header;
	uint64_t invocation;
	uint32_t error;
	uint32_t pad;
};

struct ev_msg_received {
	struct qb_ipc_response_header header;
	uint64_t queue_id;
};

/* Followed by `items` struct safd_group_item. */
struct ev_msg_group_track {
	struct qb_ipc_response_header header;
	struct safd_name group;
	uint32_t policy;
	uint32_t members;		/* numberOfMembers */
	uint32_t items;
	uint32_t error;
};

#endif /* SAFD_IPC_MSG_H */
