/*
 * Code shared by libSaMsg and libSaAmf: the connection to safd, requests,
 * dispatch, finalize and version negotiation. Not exported (see the .versions
 * maps).
 *
 * One struct safd_client per handle. Requests are serialized on the
 * connection; events (callbacks) are read only inside dispatch, one reader
 * at a time, and run outside any lock. The selection object is the IPC
 * connection's fd: it turns readable when an event is waiting. Finalize sets
 * `finalizing` and writes the wake fd, so a thread in a blocking dispatch
 * returns; the connection is closed when the last user puts the handle.
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

/* How long a request waits for safd before the call returns TIMEOUT. */
#define SAFD_CLIENT_REQUEST_TIMEOUT_MS 10000

struct safd_client {
	qb_ipcc_connection_t *conn;
	pthread_mutex_t request_lock;
	pthread_mutex_t dispatch_lock;
	int ipc_fd;
	int wake_fd;
	int finalizing;		/* atomic */
	SaUint8T major;		/* the major version the application asked for */
	uint32_t nodeid;
	void *event_buf;	/* SAFD_IPC_MAX_MSG bytes, under dispatch_lock */
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

/* Sends req and waits for the response (at most res_max bytes). The
 * response's SaAisErrorT is returned; *res_len (if not NULL) gets its size. */
SaAisErrorT safd_client_request(struct safd_client *c, const void *req,
				size_t len, void *res, size_t res_max,
				size_t *res_len);

SaAisErrorT safd_client_dispatch(struct safd_client *c, void *instance,
				 SaDispatchFlagsT flags, safd_event_fn fn);

/* Marks the client finalizing and wakes blocking dispatchers. Returns false
 * if another thread finalized it first. */
bool safd_client_finalize(struct safd_client *c);

/* Handle databases: create/destroy serialized by one lock (qb_hdb's slot
 * allocation is not thread-safe); get/put are atomic. Handle 0 is never
 * handed out. */
SaAisErrorT safd_handle_create(struct qb_hdb *db, size_t size, SaUint64T *handle,
			       void **instance);
void safd_handle_destroy(struct qb_hdb *db, SaUint64T handle);

/* The handle operations every AIS library has. The instances of `db` must
 * start with a struct safd_client. */
SaAisErrorT safd_handle_selection_object(struct qb_hdb *db, SaUint64T handle,
					 SaSelectionObjectT *selectionObject);
SaAisErrorT safd_handle_dispatch(struct qb_hdb *db, SaUint64T handle,
				 SaDispatchFlagsT flags, safd_event_fn fn);
SaAisErrorT safd_handle_finalize(struct qb_hdb *db, SaUint64T handle);

#endif /* SAFD_CLIENT_H */
