/*
 * libSaMsg internals shared by msg.c (handles, life cycle, events, shared
 * helpers), msg_queue.c, msg_group.c and msg_message.c. Not installed; none
 * of this is exported (libSaMsg.versions).
 *
 * Two handle databases live in msg.c: one entry per saMsgInitialize() (a
 * struct msg_instance: the session with safd and the callbacks) and one per
 * open queue (a struct msg_queue). A msg instance lists its open queues
 * (struct msg_queue_ref) so that an event's queue_id finds the application's
 * queue handle and finalize can destroy them; OpenAsync requests waiting for
 * their EV_MSG_QUEUE_OPEN are listed too, with the open flags the queue
 * handle will record.
 *
 * Lock order: msg_instance.lock is a leaf; handles are never created or
 * destroyed while it is held (client.c serializes that with its own lock, and
 * a destructor may run inside it).
 */
#ifndef SAFD_LIB_MSG_INT_H
#define SAFD_LIB_MSG_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <saMsg.h>
#include <safd/ipc_msg.h>
#include "client.h"

/* One queue the session has open. */
struct msg_queue_ref {
	struct msg_queue_ref *next;
	uint64_t queue_id;		/* safd's */
	SaMsgQueueHandleT handle;	/* the application's */
	SaMsgQueueOpenFlagsT open_flags;
};

/* An OpenAsync waiting for its EV_MSG_QUEUE_OPEN, oldest first. */
struct msg_open_pending {
	struct msg_open_pending *next;
	SaInvocationT invocation;
	SaMsgQueueOpenFlagsT open_flags;
};

struct msg_instance {
	struct safd_client client;	/* first: see client.h */
	SaMsgCallbacksT callbacks;
	SaMsgHandleT handle;		/* this instance's own handle */
	pthread_mutex_t lock;		/* guards queues and pending */
	struct msg_queue_ref *queues;
	struct msg_open_pending *pending;
	int closing;			/* atomic; set once, by saMsgFinalize() */
};

/* A queue handle's instance. */
struct msg_queue {
	SaMsgHandleT msg_handle;
	uint64_t queue_id;
	SaMsgQueueOpenFlagsT open_flags;
};

/* Handles (msg.c). Each get that succeeds is matched by one put. A msg
 * handle being finalized is already SA_AIS_ERR_BAD_HANDLE; msg_queue_get()
 * takes a reference on the queue handle and on its msg handle. */
SaAisErrorT msg_get(SaMsgHandleT handle, struct msg_instance **inst);
void msg_put(SaMsgHandleT handle);
SaAisErrorT msg_queue_get(SaMsgQueueHandleT handle, struct msg_queue **q,
			  struct msg_instance **inst);
void msg_queue_put(SaMsgQueueHandleT handle, const struct msg_queue *q);

/* The session's open queues (msg.c). register creates the queue handle
 * (SA_AIS_ERR_BAD_HANDLE once finalize has begun); unregister destroys it
 * unless another thread already did; find maps safd's queue_id. */
SaAisErrorT msg_queue_register(struct msg_instance *inst, uint64_t queue_id,
			       SaMsgQueueOpenFlagsT open_flags,
			       SaMsgQueueHandleT *handle);
void msg_queue_unregister(struct msg_instance *inst, SaMsgQueueHandleT handle);
bool msg_queue_find(struct msg_instance *inst, uint64_t queue_id,
		    SaMsgQueueHandleT *handle, SaMsgQueueOpenFlagsT *open_flags);

/* OpenAsync requests in flight (msg.c). drop removes `p` if the event has
 * not taken it; take removes the oldest with `invocation`. */
struct msg_open_pending *msg_open_pending_add(struct msg_instance *inst,
					      SaInvocationT invocation,
					      SaMsgQueueOpenFlagsT open_flags);
void msg_open_pending_drop(struct msg_instance *inst, struct msg_open_pending *p);
bool msg_open_pending_take(struct msg_instance *inst, SaInvocationT invocation,
			   SaMsgQueueOpenFlagsT *open_flags);

/* Error codes (msg.c). msg_result() is the one place where codes above
 * SA_AIS_ERR_NO_SECTIONS become SA_AIS_ERR_LIBRARY for handles initialized
 * with major 1; every call returns through it once it has an instance, and
 * every callback's error passes msg_event_error(), which also turns a value
 * outside SaAisErrorT into SA_AIS_ERR_LIBRARY. */
SaAisErrorT msg_result(const struct msg_instance *inst, SaAisErrorT err);
SaAisErrorT msg_event_error(const struct msg_instance *inst, uint32_t err);

/* Names (msg.c). check: non-NULL, length 1..256 (SaNameT.length is never
 * trusted further). to_wire copies a checked name; from_wire refuses a
 * length above 256 and NUL-terminates when length < 256. */

/* How long the library waits for safd on a call carrying the application's
 * `timeout` (>= 0), which safd enforces itself: that time plus the ordinary
 * request timeout, or for ever when that does not fit. */
int32_t msg_call_timeout(SaTimeT timeout);

/* Requests (msg.c). msg_call() sends a request whose answer is only an
 * error code; msg_name_call() is the whole API call for the requests made
 * of one name (QUEUE_UNLINK, GROUP_DELETE, GROUP_TRACK_STOP). */
SaAisErrorT msg_call(struct msg_instance *inst, const void *req, size_t len,
		     int32_t timeout_ms);
SaAisErrorT msg_name_call(SaMsgHandleT handle, int32_t id, const SaNameT *name);

/* Closes safd's queue `queue_id` of this session (msg_queue.c). */
SaAisErrorT msg_queue_close_id(struct msg_instance *inst, uint64_t queue_id);

/* Event handlers, called by msg.c's event table once the event is at least
 * the size of its fixed struct; each checks its variable part. */
void msg_queue_open_event(struct msg_instance *inst, const void *ev, size_t len);
void msg_delivered_event(struct msg_instance *inst, const void *ev, size_t len);
void msg_received_event(struct msg_instance *inst, const void *ev, size_t len);
void msg_group_track_event(struct msg_instance *inst, const void *ev, size_t len);

#endif /* SAFD_LIB_MSG_INT_H */
