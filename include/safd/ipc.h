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

/* Request ids common to every service. */
enum safd_req_common {
	SAFD_REQ_HELLO = 0
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

#endif /* SAFD_IPC_H */
