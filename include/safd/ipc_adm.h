/*
 * Wire format of the adm service (safctl <-> safd). Not installed.
 */
#ifndef SAFD_IPC_ADM_H
#define SAFD_IPC_ADM_H

#include <safd/ipc.h>

enum req_lib_adm_id {
	/* 0 is SAFD_REQ_HELLO */
	REQ_LIB_ADM_STATUS = 1
};

/* Flags of struct safd_adm_node. */
#define SAFD_ADM_NODE_MEMBER		0x1	/* its safd is in the CPG group */
#define SAFD_ADM_NODE_COROSYNC		0x2	/* in corosync's membership */
#define SAFD_ADM_NODE_SYNCED		0x4	/* holds the cluster state */
#define SAFD_ADM_NODE_CONFIGURED	0x8	/* listed in corosync's nodelist */

struct safd_adm_node {
	uint32_t nodeid;
	uint32_t flags;
	char version[16];		/* "" when unknown */
};

/* Membership events, kept in the replicated cluster log. Values are fixed. */
enum safd_adm_event_kind {
	SAFD_EVENT_FORMED = 1,		/* the cluster state was created */
	SAFD_EVENT_JOINED = 2,
	SAFD_EVENT_LEFT = 3
};

struct safd_adm_event {
	uint64_t seq;
	int64_t time;			/* ns since the epoch, decided by one node */
	uint32_t kind;
	uint32_t nodeid;
};

struct req_lib_adm_status {
	struct qb_ipc_request_header header;
};

/* Followed by node_count struct safd_adm_node, then event_count
 * struct safd_adm_event (oldest first). */
struct res_lib_adm_status {
	struct qb_ipc_response_header header;
	uint32_t local_nodeid;
	uint32_t quorate;
	uint32_t synced;
	uint32_t node_count;
	uint32_t event_count;
	uint32_t journal;		/* SAFD_ADM_JOURNAL_* */
	char version[16];
	uint64_t journal_gen;		/* the generation it holds */
};

/* res_lib_adm_status.journal: this node's journal (safd --journal). */
#define SAFD_ADM_JOURNAL_NONE		0
#define SAFD_ADM_JOURNAL_WRITING	1
#define SAFD_ADM_JOURNAL_GIVEN_UP	2	/* a write failed: see the log */

#endif /* SAFD_IPC_ADM_H */
