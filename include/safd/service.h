/*
 * The contract between the safd core (services/) and each service module
 * (services/adm.c, msg/, amf/). Not installed.
 *
 * A service declares a table of IPC request handlers and a table of CPG
 * (exec) handlers, each indexed by message id with a minimum size. The core's
 * gatekeepers check id, size and preconditions before any handler runs, so a
 * handler may cast its argument to the request struct and read every fixed
 * field; variable parts it must still check itself.
 *
 * Inside the daemon functions return 0 or -errno; an IPC handler that returns
 * -errno without having answered gets an answer carrying
 * safd_errno_to_ais(-errno), the one place errors become SaAisErrorT.
 */
#ifndef SAFD_SERVICE_H
#define SAFD_SERVICE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#include <saAis.h>
#include <safd/ipc.h>
#include <safd/exec.h>

struct safd_conn;

/* IPC handler preconditions checked by the gatekeeper. */
#define SAFD_H_SYNCED	0x1	/* node holds the cluster state (else TRY_AGAIN) */
#define SAFD_H_QUORATE	0x2	/* partition is quorate (else TRY_AGAIN) */
#define SAFD_H_ADMIN	0x4	/* client has the admin permission (else ACCESS) */

struct safd_lib_handler {
	int (*fn)(struct safd_conn *conn, const void *req, size_t len);
	uint32_t min_size;
	uint32_t flags;
};

struct safd_exec_handler {
	void (*fn)(const void *msg, size_t len, uint32_t nodeid, uint32_t pid);
	uint32_t min_size;
};

struct safd_service {
	const char *name;
	enum safd_service_id id;
	const struct safd_lib_handler *lib;	/* indexed by request id */
	uint32_t lib_count;
	const struct safd_exec_handler *exec;	/* indexed by exec id */
	uint32_t exec_count;
	size_t conn_private_size;	/* zeroed per connection */

	int (*init)(void);		/* optional; 0 or -errno */
	void (*fini)(void);		/* optional */
	/* A client said hello on a new connection / went away. Optional. */
	void (*conn_opened)(struct safd_conn *conn);
	void (*conn_closed)(struct safd_conn *conn);

	/* Nodes left or joined (a node whose safd restarted counts as both).
	 * Applied by every node holding the state at the same point of the
	 * agreed order (after the sync round's hellos), with one clock's time
	 * for all: `time` is what the nodes record. */
	void (*membership)(const uint32_t *left, size_t n_left,
			   const uint32_t *joined, size_t n_joined, int64_t time);

	/* State sync: save the whole state (malloc'd buffer, may be empty),
	 * reset to the empty state, load a saved state. Optional as a set. */
	int (*sync_save)(void **buf, size_t *len);
	void (*sync_reset)(void);
	int (*sync_load)(const void *buf, size_t len);

	/* A journal on disk (optional as a set; msg/journal.c). journaling:
	 * whether it writes one now. commit makes what the CPG dispatch
	 * applied durable: called at its end, and before any answer that
	 * waited for it to be safe is released. journal_gen is the generation
	 * of this node's state when it holds the cluster state, else of the
	 * state its journal holds (0: none): when nobody holds the state, or
	 * a journal is ahead of the state of those who do, the member with
	 * the highest one loads it (journal_load, into the reset state) and
	 * feeds the others (services/sync.c). journal_reset: a new, empty
	 * cluster is formed: the journal is emptied. */
	bool (*journaling)(void);
	void (*commit)(void);
	uint64_t (*journal_gen)(void);
	int (*journal_load)(void);
	void (*journal_reset)(void);
};

/* services/ipc.c */
int safd_conn_respond(struct safd_conn *conn, const void *res, size_t len);
int safd_conn_respond_error(struct safd_conn *conn, int32_t id, SaAisErrorT err);
/* Queues an event for the client (the session's main connection): 0, or
 * -errno when the client is gone or holds SAFD_IPC_HELD_MAX unread. */
int safd_conn_event(struct safd_conn *conn, const void *ev, size_t len);
/* The largest answer the connection takes (its buffer size). */
size_t safd_conn_room(const struct safd_conn *conn);
void *safd_conn_private(struct safd_conn *conn);
pid_t safd_conn_pid(const struct safd_conn *conn);
/* From the client's hello: its session token (one per initialize), whether
 * this is the session's main (event) connection, the AIS major version. */
uint64_t safd_conn_session(const struct safd_conn *conn);
bool safd_conn_is_main(const struct safd_conn *conn);
uint32_t safd_conn_major(const struct safd_conn *conn);
/* A service that answers later keeps a reference; after conn_closed it may
 * still answer (the answer is dropped) but should let go. */
bool safd_conn_closed(const struct safd_conn *conn);
void safd_conn_ref(struct safd_conn *conn);
void safd_conn_unref(struct safd_conn *conn);
SaAisErrorT safd_errno_to_ais(int err);

/* services/cpg.c */
int safd_cpg_send(enum safd_service_id svc, uint32_t id, void *msg, size_t len);
/* What safd_cpg_send() was given waits for the end of this loop turn, to go
 * out with the rest in one CPG message; this sends it now (news that must
 * not wait for the turn's other work). */
void safd_cpg_flush(void);
uint32_t safd_local_nodeid(void);
/* Safe answers: a change must not be acknowledged to a client until every
 * node holding the state has it (agreed order alone does not promise that
 * the others received it). safd_when_safe(fn, data) calls fn(data, true)
 * once the service message being delivered now is known to be on every
 * synced member: at once if it already is, else from the loop. When this
 * node finds itself in a configuration without a majority before that, it
 * calls fn(data, false): the message may be lost at the merge, the outcome
 * is unknown (SA_AIS_ERR_TIMEOUT for a client). */
void safd_when_safe(void (*fn)(void *data, bool safe), void *data);
/* Called by a handler applying a change whose origin (another node) will
 * answer through safd_when_safe(): a node ACKs what it delivered only
 * after such a dispatch. Every node but the origin must call it for the
 * same message, so call it from the replicated path, never from code that
 * runs on some nodes only. (services/sync.c also calls it when this node
 * becomes synced.) */
void safd_cpg_ack_wanted(void);

/* services/sync.c */
bool safd_is_synced(void);
size_t safd_members(uint32_t *out, size_t max);

/* services/quorum.c: votequorum's view (for admitting requests) */
bool safd_is_quorate(void);
/* services/sync.c: whether the current CPG configuration may change state,
 * the same on every member at the same point of the agreed order (exec
 * handlers of client changes refuse with TRY_AGAIN when it may not). */
bool safd_ordered_quorate(void);
/* Whether a change made now would be on a majority of the nodes' disks
 * once it is safe: true unless members keep journals and fewer than a
 * majority of the nodes hold the state (a joiner is still receiving it).
 * Decided in the agreed order, like safd_ordered_quorate(). */
bool safd_durable_quorate(void);

/* msg/journal.c: persistent queues on disk in dir (safd --journal), at
 * most max_bytes, flushed at each commit when sync. 0 or -errno (logged). */
int safd_msg_journal_open(const char *dir, uint64_t max_bytes, bool sync);
void safd_msg_journal_close(void);
/* Opens and closes it (before safd detaches: no LMDB environment may
 * cross a fork): 0, or -errno with the reason logged. */
int safd_msg_journal_check(const char *dir, uint64_t max_bytes);
/* SAFD_ADM_JOURNAL_* (include/safd/ipc_adm.h); *gen: its generation. */
uint32_t safd_msg_journal_state(uint64_t *gen);

/* services/main.c */
const struct safd_service *safd_service_get(enum safd_service_id id);
struct qb_loop;
struct qb_loop *safd_loop(void);	/* the daemon's main loop, for timers */
const char *safd_state_dir(void);	/* absolute; component logs live here */
struct amf_model;
const struct amf_model *safd_amf_model(void);	/* NULL without -c */

#endif /* SAFD_SERVICE_H */
