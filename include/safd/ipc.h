/*
 * Wire format shared by every client library and the daemon's IPC servers
 * (libqb IPC, one server per service). Not installed.
 *
 * Every request starts with struct qb_ipc_request_header {id, size} and every
 * response with struct qb_ipc_response_header {id, size, error}; `error` is
 * an SaAisErrorT value. Request id 0 is the same for every service (hello:
 * protocol check and daemon readiness); service requests start at 1.
 * Ids are explicit and never renumbered or reused.
 */
#ifndef SAFD_IPC_H
#define SAFD_IPC_H

#include <stdint.h>
#include <qb/qbipc_common.h>

/* Bumped when a wire struct changes incompatibly. */
#define SAFD_IPC_PROTOCOL 1

/* Largest IPC message either side sends: a 1 MiB message plus headers. */
#define SAFD_IPC_MAX_MSG (1024 * 1024 + 64 * 1024)

/*
 * Connection buffers. libqb creates three shared-memory rings of the
 * buffer size per connection and fills them as it connects (~2.6 ms at
 * 128 KiB, ~15 ms at SAFD_IPC_MAX_MSG), so a session's connections have
 * the small buffer, and a connection with the large one is opened when a
 * request or the answer it takes needs more (libsafdclient's pool). A
 * message of exactly the buffer size fits. An event larger than the main
 * connection's buffer is kept by safd and announced by an EV_FETCH; the
 * library fetches it with SAFD_REQ_EVENT_FETCH on a large connection of
 * the same session.
 */
#define SAFD_IPC_CONN_SIZE (128 * 1024)

/* Default prefix of the IPC service names ("safd-msg", ...); the daemon takes
 * --ipc-prefix and both sides honour SAFD_IPC_PREFIX in the environment. */
#define SAFD_IPC_PREFIX_DEFAULT "safd"
#define SAFD_IPC_NAME_MAX 64

enum safd_service_id {
	SAFD_SVC_CORE = 0,	/* CPG only: hello and state sync */
	SAFD_SVC_ADM = 1,	/* safctl */
	SAFD_SVC_MSG = 2,
	SAFD_SVC_AMF = 3,
	SAFD_SVC_COUNT = 4
};

/* Request and event ids common to every service; a service's own ids stay
 * below 1000. */
enum safd_req_common {
	SAFD_REQ_HELLO = 0,
	SAFD_REQ_EVENT_FETCH = 1000
};

enum safd_ev_common {
	SAFD_EV_FETCH = 1000
};

/* Flags of struct req_lib_hello. */
#define SAFD_HELLO_MAIN_CONN 0x1	/* this connection receives the events */

struct req_lib_hello {
	struct qb_ipc_request_header header;
	uint32_t protocol;		/* SAFD_IPC_PROTOCOL of the library */
	uint32_t major_version;		/* AIS major version the client asked for */
	uint64_t session;		/* random, the same on every connection of
					 * one initialize; 0 for none (safctl) */
	uint32_t flags;			/* SAFD_HELLO_* */
	uint32_t pad;
};

struct res_lib_hello {
	struct qb_ipc_response_header header;
	uint32_t protocol;
	uint32_t nodeid;		/* local corosync node id */
	char version[16];		/* safd PACKAGE_VERSION, NUL-terminated */
};

/* An event too large for the connection's ring waits in safd as `token`;
 * the response to the fetch is the event itself (its header's error is
 * SA_AIS_OK), or an error header (NOT_EXIST: no such event of this
 * session). */
struct ev_fetch {
	struct qb_ipc_response_header header;
	uint64_t token;
	uint32_t size;			/* of the event */
	uint32_t pad;
};

struct req_lib_event_fetch {
	struct qb_ipc_request_header header;
	uint64_t token;
};

#endif /* SAFD_IPC_H */
