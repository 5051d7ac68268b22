/*
 * Private interfaces of the MSG engine (msg/).
 *
 * Replicated state (identical on every synced node, changed only by exec
 * handlers in agreed order, saved and loaded by snapshot.c): queues with
 * their messages, groups, the table of outstanding SendReceive requests, and
 * the id counters. Local state (this node only): sessions of local clients,
 * blocked Gets, pending answers, group trackers, and the `taken` mark on a
 * message handed to a local receiver whose CONSUME is in flight.
 */
#ifndef SAFD_MSG_INT_H
#define SAFD_MSG_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <qb/qblist.h>
#include <qb/qbloop.h>
#include <qb/qbmap.h>

#include <saMsg.h>
#include <safd/exec_msg.h>
#include <safd/ipc_msg.h>
#include <safd/service.h>

#define MSG_KEY_MAX 17		/* "%016llx" + NUL */

struct msg_message {
	struct qb_list_head list;
	uint64_t seq;			/* cluster-wide, replicated */
	int64_t send_time;
	uint64_t sender_id;
	bool taken;			/* local: handed out, CONSUME in flight */
	struct safd_msg_header hdr;	/* hdr.size payload bytes follow */
	uint8_t data[];
};

struct msg_queue {
	uint64_t id;
	char id_key[MSG_KEY_MAX];
	struct safd_name name;
	char *key;			/* name as a C string (names have no NUL) */
	uint32_t creation_flags;
	uint64_t size[SAFD_MSG_PRIORITIES];
	uint64_t used[SAFD_MSG_PRIORITIES];
	uint32_t count[SAFD_MSG_PRIORITIES];
	/* local: of which taken by a local Get, their CONSUME in flight */
	uint64_t taken_bytes[SAFD_MSG_PRIORITIES];
	uint32_t taken_count[SAFD_MSG_PRIORITIES];
	uint64_t reached[SAFD_MSG_PRIORITIES];
	uint64_t available[SAFD_MSG_PRIORITIES];
	int64_t retention;
	int64_t close_time;		/* 0 while open */
	uint64_t close_gen;		/* bumped at each close (EXPIRE matching) */
	bool open;
	bool unlinked;
	uint32_t open_flags;
	uint32_t owner_node;		/* while open */
	uint32_t owner_pid;
	uint64_t owner_session;
	struct qb_list_head msgs[SAFD_MSG_PRIORITIES];
	struct qb_list_head waiters;	/* local: blocked Gets */
};

struct msg_group {
	struct safd_name name;
	char *key;
	uint32_t policy;
	uint32_t n_members;
	uint32_t cap_members;
	struct safd_name *members;	/* insertion order */
	uint32_t cursor;		/* round robin */
	uint32_t n_local;		/* local round robin cursors, per node */
	struct { uint32_t nodeid, cursor; } *local;
	struct qb_list_head trackers;	/* local */
};

/* An outstanding SendReceive (replicated). */
struct msg_request {
	struct qb_list_head list;
	uint64_t sender_id;		/* requester node << 32 | counter */
	uint64_t reply_capacity;
};

struct msg_state {
	qb_map_t *queues;		/* name key -> queue, not unlinked */
	qb_map_t *queue_ids;		/* id key -> queue, every instance */
	qb_map_t *groups;		/* name key -> group */
	struct qb_list_head requests;
	uint32_t n_queues;		/* every instance */
	uint32_t n_groups;
	uint64_t next_queue_id;
	uint64_t next_msg_seq;
	uint64_t durable_gen;		/* changes to persistent queues (journal.c) */
};

extern struct msg_state msg_state;

/* queue.c: queue objects and their messages */
int msg_name_check(const struct safd_name *name);
int msg_queue_attrs_check(const struct safd_queue_attrs *a);
void msg_name_key(const struct safd_name *name, char *key);
void msg_state_init(void);
void msg_state_fini(void);
void msg_map_iter_free(qb_map_iter_t *it);
size_t msg_map_values(qb_map_t *map, void **values, size_t max);
struct msg_queue *msg_queue_find(const struct safd_name *name);
struct msg_queue *msg_queue_by_id(uint64_t id);
struct msg_queue *msg_queue_create(uint64_t id, const struct safd_name *name,
				   const struct safd_queue_attrs *attrs);
void msg_queue_delete(struct msg_queue *q);
void msg_queue_unlink_name(struct msg_queue *q);
void msg_queue_purge(struct msg_queue *q);
bool msg_queue_fits(const struct msg_queue *q, uint8_t prio, uint64_t size);
struct msg_message *msg_message_new(uint64_t seq, int64_t time, uint64_t sender_id,
				    const struct safd_msg_header *hdr, const void *data);
void msg_queue_append(struct msg_queue *q, struct msg_message *m);
struct msg_message *msg_queue_first(struct msg_queue *q, bool untaken);
bool msg_queue_consume(struct msg_queue *q, uint64_t seq);
void msg_message_take(struct msg_queue *q, struct msg_message *m);
uint64_t msg_queue_free_space(const struct msg_queue *q, uint8_t prio);
void msg_queue_usage(const struct msg_queue *q, struct safd_queue_usage *usage);

/* group.c: queue groups */
struct msg_group *msg_group_find(const struct safd_name *name);
struct msg_group *msg_group_create(const struct safd_name *name, uint32_t policy);
void msg_group_delete(struct msg_group *g);
int msg_group_insert(struct msg_group *g, const struct safd_name *queue);
int msg_group_remove(struct msg_group *g, const struct safd_name *queue);
void msg_groups_forget_queue(const struct safd_name *queue);
/* The members a message from `sender` goes to under the group's policy
 * (advancing the cursors); returns how many were written to out. */
size_t msg_group_select(struct msg_group *g, uint32_t sender, uint8_t prio,
			uint64_t size, struct msg_queue **out, size_t max);

/* track.c: local group trackers */
struct msg_session;
void msg_track_changed(struct msg_group *g, const struct safd_name *queue,
		       uint32_t change);
void msg_track_deleted(struct msg_group *g);
int msg_track_start(struct msg_session *s, struct msg_group *g, uint32_t flags);
int msg_track_stop(struct msg_session *s, struct msg_group *g);
void msg_track_stop_session(struct msg_session *s);
int msg_track_event(struct msg_session *s, struct msg_group *g, uint32_t flags,
		    const struct safd_name *changed, uint32_t change, SaAisErrorT error);

/* snapshot.c: state sync */
int msg_sync_save(void **buf, size_t *len);
void msg_sync_reset(void);
int msg_sync_load(const void *buf, size_t len);

/* journal.c: persistent queues on disk (safd --journal) */
bool msg_journal_enabled(void);
uint64_t msg_journal_gen(void);		/* what the journal holds; 0: none */
int msg_journal_load(void);		/* into the empty state */
void msg_journal_commit(void);		/* end of a CPG dispatch */
void msg_journal_rewrite(void);		/* after a state load; a new cluster */
/* Changes applied in agreed order (each counts in durable_gen when the
 * queue is persistent and the configuration has a majority). */
void msg_journal_queue(const struct msg_queue *q);
void msg_journal_queue_gone(const struct msg_queue *q);
void msg_journal_purge(const struct msg_queue *q);
void msg_journal_message(const struct msg_queue *q, const struct msg_message *m);
void msg_journal_consumed(const struct msg_queue *q, uint64_t seq);

/* msg.c: sessions of local clients (one per saMsgInitialize) */
struct msg_session {
	struct qb_list_head list;
	pid_t pid;
	uint64_t token;
	struct safd_conn *main;		/* the event connection, NULL once gone */
	uint32_t n_conns;
	uint32_t major;
};

struct safd_conn *msg_session_main(struct msg_session *s);
struct msg_session *msg_session_find(pid_t pid, uint64_t token);
bool msg_session_owns(const struct msg_session *s, const struct msg_queue *q);

/* A request waiting for its outcome on this node (see apply.c). */
enum msg_pending_kind {
	MSG_PENDING_ANSWER = 1,		/* answer the request on conn */
	MSG_PENDING_OPEN_EVENT = 2,	/* EV_MSG_QUEUE_OPEN to the session */
	MSG_PENDING_DELIVERED_EVENT = 3,/* EV_MSG_DELIVERED to the session */
	MSG_PENDING_REPLY = 4		/* a SendReceive waiting for its reply */
};

struct msg_pending {
	struct qb_list_head list;
	uint64_t token;
	enum msg_pending_kind kind;
	struct safd_conn *conn;		/* referenced; ANSWER and REPLY */
	int32_t req_id;
	struct msg_session *session;	/* NULL once the answer is deferred */
	pid_t s_pid;			/* the session, to find it again */
	uint64_t s_token;
	uint32_t major;
	uint64_t invocation;
	uint64_t sender_id;		/* REPLY */
	uint64_t reply_capacity;	/* REPLY */
	bool has_timer;
	qb_loop_timer_handle timer;	/* REPLY: the SendReceive timeout */
};

/* apply.c: exec handlers, blocked Gets, pending answers, expiry */
extern const struct safd_exec_handler msg_exec[REQ_EXEC_MSG_COUNT];
struct msg_pending *msg_pending_new(enum msg_pending_kind kind, struct safd_conn *conn,
				    int32_t req_id, struct msg_session *s);
void msg_pending_free(struct msg_pending *p);
void msg_origin_fill(struct msg_origin *o, const struct msg_pending *p,
		     const struct msg_session *s);
int msg_get(struct safd_conn *conn, struct msg_session *s, struct msg_queue *q,
	    int64_t timeout, uint64_t capacity);
int msg_cancel(struct msg_session *s, struct msg_queue *q);
void msg_session_drop(struct msg_session *s, SaAisErrorT err, struct safd_conn *finalize);
void msg_conn_drop(struct safd_conn *conn);
void msg_membership(const uint32_t *left, size_t n_left, const uint32_t *joined,
		    size_t n_joined, int64_t time);
void msg_local_reset(void);
void msg_expiry_schedule(void);

#endif /* SAFD_MSG_INT_H */
