/*
 * Private interfaces between the files of the safd core (services/).
 */
#ifndef SAFD_CORE_H
#define SAFD_CORE_H

#include <stdbool.h>

#include <qb/qbloop.h>
#include <safd/service.h>

/* ipc.c */
/* access.c: who may connect (--ipc-allow) and run admin operations
 * (--admin-allow). NULL: the default list. -EINVAL after a message on
 * stderr for a bad list. */
enum safd_access { SAFD_ACCESS_NONE, SAFD_ACCESS_USE, SAFD_ACCESS_ADMIN };
int safd_access_init(const char *ipc_allow, const char *admin_allow);
enum safd_access safd_access_check(uid_t uid, gid_t gid);
const char *safd_access_ipc_text(void);
const char *safd_access_admin_text(void);

/* ipc.c: at most this many client connections in all, and per client
 * process (--max-connections, --max-client-connections). */
#define SAFD_IPC_MAX_CONNECTIONS 1024
#define SAFD_IPC_MAX_CLIENT_CONNECTIONS 256
void safd_ipc_limits(uint32_t total, uint32_t per_client);

int safd_ipc_start(qb_loop_t *loop, const char *prefix,
		   const struct safd_service *const *svcs, size_t n);
void safd_ipc_stop(void);
/* Frees the rings of the connections closed lately now (safd does it
 * by itself 100 ms after a close). */
void safd_ipc_release_closed(void);

/* cpg.c: the one CPG group every safd joins */
int safd_cpg_start(qb_loop_t *loop, const char *group);
void safd_cpg_stop(void);
void safd_cpg_ack_open(uint32_t nodeid);

/* sync.c: hello round and state sync after each configuration change */
void safd_sync_confchg(const uint32_t *members, size_t n_members,
		       const uint32_t *left, size_t n_left,
		       const uint32_t *joined, size_t n_joined);
void safd_sync_deliver(const void *msg, size_t len, uint32_t nodeid);
/* Returns true when a non-core message must be applied now; false when the
 * node is not synced (the message was buffered for replay or dropped). */
bool safd_sync_gate(const void *msg, size_t len, uint32_t nodeid, uint32_t pid);
const char *safd_sync_node_version(uint32_t nodeid);
bool safd_sync_node_synced(uint32_t nodeid);

/* quorum.c: quorum state and corosync's view of the nodes */
int safd_quorum_start(qb_loop_t *loop);
void safd_quorum_stop(void);
size_t safd_quorum_view(uint32_t *out, size_t max);
size_t safd_nodelist(uint32_t *out, size_t max);
bool safd_majority(size_t n_nodes);

/* adm.c: the replicated cluster log */
void safd_adm_event(uint32_t kind, uint32_t nodeid, int64_t time);
extern const struct safd_service safd_adm_service;

/* The services the daemon runs, in SAFD_SVC_* order (services.c). */
extern const struct safd_service *const safd_services[];
extern const size_t safd_service_count;
/* Their journals (struct safd_service, journaling .. journal_load). */
bool safd_services_journaling(void);
void safd_services_commit(void);
uint64_t safd_services_journal_gen(void);
int safd_services_journal_load(void);
void safd_services_journal_reset(void);

/* log.c: the file, stderr and syslog targets, written by a thread once
 * started (after daemon()); -errno if the file cannot be opened. */
int safd_log_open(const char *file, bool to_stderr, bool to_syslog, int level);
int safd_log_start(void);
void safd_log_stop(void);

/* main.c: stop the main loop with an exit status */
void safd_exit(int status);

#endif /* SAFD_CORE_H */
