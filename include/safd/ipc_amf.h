/*
 * Wire format of the amf service (libSaAmf <-> safd, safctl <-> safd).
 * Not installed.
 *
 * Sessions work as for MSG (include/safd/ipc_msg.h): one per initialize,
 * its main connection carries the events (the callbacks), requests go over
 * pool connections. Invocations are safd's: a callback event carries one,
 * and saAmfResponse() / saAmfCSIQuiescingComplete() send it back.
 *
 * Names travel as struct safd_name (include/safd/ipc_msg.h); both sides
 * reject length > 256. Ids are explicit and never renumbered or reused.
 */
#ifndef SAFD_IPC_AMF_H
#define SAFD_IPC_AMF_H

#include <stdint.h>
#include <safd/ipc.h>
#include <safd/ipc_msg.h>

enum req_lib_amf_id {
	/* 0 is SAFD_REQ_HELLO */
	REQ_LIB_AMF_REGISTER = 1,
	REQ_LIB_AMF_UNREGISTER = 2,
	REQ_LIB_AMF_RESPONSE = 3,
	REQ_LIB_AMF_HA_STATE_GET = 4,
	REQ_LIB_AMF_ERROR_REPORT = 5,
	REQ_LIB_AMF_ERROR_CLEAR = 6,
	REQ_LIB_AMF_FINALIZE = 7,
	REQ_LIB_AMF_STATUS = 8,		/* safctl amf status */
	REQ_LIB_AMF_ADMIN = 9,		/* safctl amf lock|unlock|... */
	REQ_LIB_AMF_HC_START = 10,
	REQ_LIB_AMF_HC_CONFIRM = 11,
	REQ_LIB_AMF_HC_STOP = 12,
	REQ_LIB_AMF_PM_START = 13,
	REQ_LIB_AMF_PM_STOP = 14,
	REQ_LIB_AMF_PG_TRACK = 15,
	REQ_LIB_AMF_PG_TRACK_STOP = 16,
	REQ_LIB_AMF_HA_READINESS = 17,
	REQ_LIB_AMF_CORRELATION_IDS = 18
};

enum ev_lib_amf_id {
	EV_AMF_CSI_SET = 201,
	EV_AMF_CSI_REMOVE = 202,
	EV_AMF_TERMINATE = 203,
	EV_AMF_HEALTHCHECK = 204,
	EV_AMF_PG_TRACK = 205
};

/* REGISTER, UNREGISTER: comp (and proxy, length 0 for none). */
struct req_lib_amf_register {
	struct qb_ipc_request_header header;
	struct safd_name comp;
	struct safd_name proxy;
};

/* RESPONSE: the answer to a callback; quiescing_complete set when it comes
 * from saAmfCSIQuiescingComplete(). */
struct req_lib_amf_response {
	struct qb_ipc_request_header header;
	uint64_t invocation;
	uint32_t error;			/* SaAisErrorT */
	uint32_t quiescing_complete;
};

struct req_lib_amf_ha_state_get {
	struct qb_ipc_request_header header;
	struct safd_name comp;
	struct safd_name csi;
};

struct res_lib_amf_ha_state_get {
	struct qb_ipc_response_header header;
	uint32_t ha_state;		/* SaAmfHAStateT */
	uint32_t pad;
};

struct req_lib_amf_error_report {
	struct qb_ipc_request_header header;
	struct safd_name comp;
	int64_t detection_time;		/* absolute, 0: now */
	uint32_t recovery;		/* SaAmfRecommendedRecoveryT */
	uint32_t pad;
};

struct req_lib_amf_error_clear {
	struct qb_ipc_request_header header;
	struct safd_name comp;
};

struct req_lib_amf_finalize {
	struct qb_ipc_request_header header;
};

/* Events. A CSI set event is followed by n_attrs pairs of NUL-terminated
 * strings (name, value), attrs_len bytes in all. */
struct ev_amf_csi_set {
	struct qb_ipc_response_header header;	/* id EV_AMF_CSI_SET */
	uint64_t invocation;
	struct safd_name comp;
	struct safd_name csi;		/* length 0 with TARGET_ALL */
	struct safd_name active_comp;	/* the descriptor's activeCompName */
	uint32_t ha_state;		/* SaAmfHAStateT */
	uint32_t flags;			/* SaAmfCSIFlagsT */
	uint32_t transition;		/* SaAmfCSITransitionDescriptorT */
	uint32_t standby_rank;
	uint32_t n_attrs;
	uint32_t attrs_len;
};

struct ev_amf_csi_remove {
	struct qb_ipc_response_header header;
	uint64_t invocation;
	struct safd_name comp;
	struct safd_name csi;		/* length 0 with TARGET_ALL */
	uint32_t flags;
	uint32_t pad;
};

struct ev_amf_terminate {
	struct qb_ipc_response_header header;
	uint64_t invocation;
	struct safd_name comp;
};

struct ev_amf_healthcheck {
	struct qb_ipc_response_header header;
	uint64_t invocation;
	struct safd_name comp;
	uint8_t key[32];
	uint16_t key_len;
	uint8_t pad[6];
};

/* safctl: STATUS answers the whole tree: struct res_lib_amf_status, then
 * n_entities struct safd_amf_entity, parents before children. */
enum safd_amf_kind {
	SAFD_AMF_NODE = 1,
	SAFD_AMF_APP = 2,
	SAFD_AMF_SG = 3,
	SAFD_AMF_SU = 4,
	SAFD_AMF_COMP = 5,
	SAFD_AMF_SI = 6,
	SAFD_AMF_CSI = 7
};

struct safd_amf_entity {
	struct safd_name dn;
	uint32_t kind;			/* enum safd_amf_kind */
	uint32_t parent;		/* index of the parent entity, or UINT32_MAX */
	uint32_t admin;			/* SaAmfAdminStateT, 0 where none */
	uint32_t oper;			/* SaAmfOperationalStateT, 0 where none */
	uint32_t presence;		/* SaAmfPresenceStateT, 0 where none */
	uint32_t readiness;		/* SaAmfReadinessStateT, 0 where none */
	uint32_t ha_state;		/* COMP and CSI rows of an SU: for a CSI, its
					 * HA state on the SU named by `su` */
	uint32_t restarts;		/* COMP and SU */
	uint32_t nodeid;		/* NODE, SU, COMP */
	uint32_t pid;			/* COMP, while running */
	uint32_t member;		/* NODE: its safd is in the cluster */
	uint32_t su;			/* CSI assignment rows: index of the SU */
};

struct req_lib_amf_status {
	struct qb_ipc_request_header header;
};

struct res_lib_amf_status {
	struct qb_ipc_response_header header;
	uint32_t configured;		/* safd runs with an AMF model */
	uint32_t n_entities;
};

/* ADMIN: an operation (SaAmfAdminOperationIdT) on the entity named by dn. */
struct req_lib_amf_admin {
	struct qb_ipc_request_header header;
	struct safd_name dn;
	uint32_t op;
	uint32_t pad;
};

/* The answer to ADMIN: on error, why, as text for the operator. */
struct res_lib_amf_admin {
	struct qb_ipc_response_header header;
	char reason[256];
};

/*
 * Health checks (amf/health.c). HC_START, HC_CONFIRM, HC_STOP name the
 * component and the key; START adds the invocation type and the
 * recommended recovery, CONFIRM the result. Answered with a plain
 * response header: OK, or the SaAisErrorT of the standard.
 */
struct req_lib_amf_healthcheck {
	struct qb_ipc_request_header header;
	struct safd_name comp;
	uint8_t key[32];		/* SA_AMF_HEALTHCHECK_KEY_MAX */
	uint16_t key_len;		/* 1..32 */
	uint16_t pad;
	uint32_t invocation_type;	/* START: SaAmfHealthcheckInvocationT */
	uint32_t recovery;		/* START: SaAmfRecommendedRecoveryT */
	uint32_t result;		/* CONFIRM: SA_AIS_OK or ERR_FAILED_OPERATION */
};

/* Passive monitoring (amf/health.c). PM_START: pid, depth, errors,
 * recovery; PM_STOP: stop_qualifier, pid, errors. */
struct req_lib_amf_pm {
	struct qb_ipc_request_header header;
	struct safd_name comp;
	int64_t pid;
	int32_t depth;			/* descendentsTreeDepth, -1: all */
	uint32_t errors;		/* SaAmfPmErrorsT */
	uint32_t recovery;		/* START: SaAmfRecommendedRecoveryT */
	uint32_t stop_qualifier;	/* STOP: SaAmfPmStopQualifierT */
};

/*
 * Protection groups (amf/pg.c). PG_TRACK: the CSI, the track flags and,
 * with SA_TRACK_CURRENT, where the current members go (`capacity`):
 *   0                     no buffer: one EV_AMF_PG_TRACK (every member,
 *                         NO_CHANGE), queued before the answer;
 *   SAFD_AMF_PG_ALLOCATE  in the answer, however many (the library
 *                         allocates the array);
 *   n                     in the answer if there are at most n (the
 *                         caller's array); else the answer is
 *                         SA_AIS_ERR_NO_SPACE with n_items the number of
 *                         members, no items, and nothing is tracked.
 * The answer is struct res_lib_amf_pg followed by n_items struct
 * safd_amf_pg_item (n_items 0 unless CURRENT went into the answer).
 * Changes come as EV_AMF_PG_TRACK events: struct ev_amf_pg_track followed
 * by n_items items (for CHANGES every member, with `change` set on the
 * ones that changed, then the removed ones; for CHANGES_ONLY the changed
 * ones). PG_TRACK_STOP: the CSI, flags and capacity 0.
 */
#define SAFD_AMF_PG_ALLOCATE UINT32_MAX

struct req_lib_amf_pg_track {
	struct qb_ipc_request_header header;
	struct safd_name csi;
	uint32_t flags;			/* SA_TRACK_* */
	uint32_t capacity;		/* CURRENT: see above */
};

struct safd_amf_pg_item {
	struct safd_name comp;
	uint32_t ha_state;		/* SaAmfHAStateT */
	uint32_t ha_readiness;		/* SaAmfHAReadinessStateT */
	uint32_t rank;
	uint32_t change;		/* SaAmfProtectionGroupChangesT */
};

struct res_lib_amf_pg {
	struct qb_ipc_response_header header;
	uint32_t n_items;
	uint32_t pad;
};

struct ev_amf_pg_track {
	struct qb_ipc_response_header header;	/* id EV_AMF_PG_TRACK */
	struct safd_name csi;
	uint32_t n_members;		/* numberOfMembers of the callback */
	uint32_t n_items;
	uint32_t error;			/* SaAisErrorT for the callback */
	uint32_t pad;
};

/* HA_READINESS: saAmfHAReadinessStateSet; csi length 0: every CSI the
 * component can take. Answered with a plain header once every node
 * applied it. */
struct req_lib_amf_ha_readiness {
	struct qb_ipc_request_header header;
	struct safd_name comp;
	struct safd_name csi;
	uint32_t state;			/* SaAmfHAReadinessStateT */
	uint32_t pad;
};

/* CORRELATION_IDS: saAmfCorrelationIdsGet; OK when the invocation is a
 * callback of this session waiting for its answer (safd sends no
 * notifications: every id is SA_NTF_IDENTIFIER_UNUSED). */
struct req_lib_amf_correlation_ids {
	struct qb_ipc_request_header header;
	uint64_t invocation;
};

#endif /* SAFD_IPC_AMF_H */
