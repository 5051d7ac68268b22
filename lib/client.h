/*
 * Code shared by libSaMsg and libSaAmf: the session with safd, requests,
 * dispatch, finalize and version negotiation. Not exported (see the .versions
 * maps).
 *
 * One struct safd_client per handle: a session with safd. Its main IPC
 * connection carries the events (callbacks); its fd is the selection object.
 * A request goes on the main connection when no other thread's request is
 * on it and the connection's buffer holds the request and the largest
 * answer the caller takes, so a single-threaded client needs one
 * connection per handle (three rings of SAFD_IPC_CONN_SIZE, ~3 ms to set
 * up). Otherwise a request takes a free extra connection of the session
 * whose buffer holds it: an idle one, else a new one opened on demand,
 * with the small buffer or, for more, SAFD_IPC_MAX_MSG (at most
 * SAFD_CLIENT_IDLE_MAX idle ones are kept). So a call that blocks in safd
 * (a Get waiting for a message) never holds up the others, a large message
 * costs a large connection once, and a request that times out costs only
 * its own connection (the main connection then carries no more requests;
 * the events still come). An event too large for the main connection's
 * ring is fetched on a large one (ipc.h).
 * Every connection says hello with the session's random token; safd groups
 * them by (pid, token).
 *
 * Events are read (and fetched) only inside dispatch, one reader at a time, and run
 * outside any lock. Finalize sets `finalizing` and writes the wake fd, so a
 * thread in a blocking dispatch returns; the connections are closed when the
 * last user puts the handle.
 */
#ifndef SAFD_CLIENT_H
#define SAFD_CLIENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <qb/qbhdb.h>
#include <qb/qbipcc.h>

#include <saAis.h>
#include <safd/ipc_msg.h>	/* struct safd_name */

/* How long an ordinary request waits for safd before the call returns
 * TIMEOUT; requests that block in safd pass SAFD_CLIENT_WAIT_FOREVER and
 * rely on safd's own timer. */
#define SAFD_CLIENT_REQUEST_TIMEOUT_MS 10000
#define SAFD_CLIENT_WAIT_FOREVER (-1)
#define SAFD_CLIENT_IDLE_MAX 8

struct safd_client {
	size_t main_size;	/* the main connection's buffer: 0 (before
				 * connect) for SAFD_IPC_CONN_SIZE */
	qb_ipcc_connection_t *conn;	/* the main connection */
	pthread_mutex_t main_lock;	/* held by the request on conn */
	bool main_broken;	/* under main_lock: no more requests on conn */
	pthread_mutex_t pool_lock;
	qb_ipcc_connection_t *idle[SAFD_CLIENT_IDLE_MAX];	/* under pool_lock */
	int n_idle;
	pthread_mutex_t dispatch_lock;
	int ipc_fd;
	int wake_fd;
	int finalizing;		/* atomic */
	SaUint8T major;		/* the major version the application asked for */
	uint32_t nodeid;
	uint64_t session;
	char name[64];		/* IPC service name */
	void *event_buf;	/* main_size bytes, under dispatch_lock */
};

/* Runs one event's callback; the event is a copy owned by the caller. */
typedef void (*safd_event_fn)(void *instance, const void *event, size_t len);

/* Checks *version against release 'B', majors 1..max_major, and writes back
 * the version this library supports (on success and on SA_AIS_ERR_VERSION). */
SaAisErrorT safd_version_negotiate(SaVersionT *version, SaUint8T max_major,
				   SaUint8T minor);

/* Connects to safd's service `svc` ("msg", "amf", "adm") and says hello.
 * SA_AIS_ERR_TRY_AGAIN when safd is not running or not ready. */
SaAisErrorT safd_client_connect(struct safd_client *c, const char *svc,
				SaUint8T major);
void safd_client_disconnect(struct safd_client *c);

/* Sends req on a free connection of the session and waits for the response
 * (at most res_max bytes) for timeout_ms (SAFD_CLIENT_WAIT_FOREVER: until
 * safd answers or goes away). The response's SaAisErrorT is returned;
 * *res_len (if not NULL) gets its size. */
SaAisErrorT safd_client_call(struct safd_client *c, const void *req, size_t len,
			     void *res, size_t res_max, size_t *res_len,
			     int32_t timeout_ms);

/* safd_client_call() with the ordinary timeout. */
SaAisErrorT safd_client_request(struct safd_client *c, const void *req,
				size_t len, void *res, size_t res_max,
				size_t *res_len);

SaAisErrorT safd_client_dispatch(struct safd_client *c, void *instance,
				 SaDispatchFlagsT flags, safd_event_fn fn);

/* Marks the client finalizing and wakes blocking dispatchers. Returns false
 * if another thread finalized it first. */
bool safd_client_finalize(struct safd_client *c);

/* Handle databases: every operation under one lock, never qb_hdb's own
 * functions directly. qb_hdb's slot allocation is not thread-safe, and its
 * get checks the handle's state and only then takes a reference while the
 * last put frees the instance and clears the slot: a get racing a
 * finalize in another thread could hand out a freed or NULL instance.
 * Handle 0 is never handed out. */
SaAisErrorT safd_handle_create(struct qb_hdb *db, size_t size, SaUint64T *handle,
			       void **instance);
void safd_handle_destroy(struct qb_hdb *db, SaUint64T handle);
/* 0, or -EBADF for a handle that is not (or no longer) valid. */
int32_t safd_handle_get(struct qb_hdb *db, SaUint64T handle, void **instance);
void safd_handle_put(struct qb_hdb *db, SaUint64T handle);

/* The handle operations every AIS library has. The instances of `db` must
 * start with a struct safd_client. */
SaAisErrorT safd_handle_selection_object(struct qb_hdb *db, SaUint64T handle,
					 SaSelectionObjectT *selectionObject);
SaAisErrorT safd_handle_dispatch(struct qb_hdb *db, SaUint64T handle,
				 SaDispatchFlagsT flags, safd_event_fn fn);
SaAisErrorT safd_handle_finalize(struct qb_hdb *db, SaUint64T handle);

/* Names: 1 to 256 bytes without a NUL inside; trailing NULs that legacy
 * code counts in `length` are dropped ("abc" with length 4 is "abc"). */
SaAisErrorT safd_name_check(const SaNameT *name);
/* NULL gives length 0. */
void safd_name_to_wire(struct safd_name *w, const SaNameT *name);
/* Writes a NUL after the name when it is shorter than 256 bytes (legacy
 * code prints names with %s). False if w is longer than 256. */
bool safd_name_from_wire(SaNameT *name, const struct safd_name *w);

#endif /* SAFD_CLIENT_H */
