/*
 * Wire format of the AMF engine's CPG messages (safd <-> safd, svc
 * SAFD_SVC_AMF). Not installed. Entities are named by their index in the
 * model (every node loads the same configuration; the state transfer checks
 * it). Every message starts with struct msg_origin (include/safd/exec_msg.h):
 * the origin's clock in it is the time every node uses for probation windows.
 */
#ifndef SAFD_EXEC_AMF_H
#define SAFD_EXEC_AMF_H

#include <stdint.h>
#include <safd/exec_msg.h>

enum req_exec_amf_id {
	REQ_EXEC_AMF_COMP_EVENT = 1,
	REQ_EXEC_AMF_REGISTER = 2,
	REQ_EXEC_AMF_ADMIN = 3,
	REQ_EXEC_AMF_HA_READINESS = 4,
	REQ_EXEC_AMF_COUNT
};

/* What the node running a component saw happen to it. */
enum amf_comp_event {
	AMF_EV_LAUNCHED = 1,		/* instantiate command started: pid */
	AMF_EV_DIED = 2,		/* its process ended */
	AMF_EV_INSTANTIATE_FAILED = 3,	/* did not register in time, or the
					 * instantiate command could not run */
	AMF_EV_CALLBACK_FAILED = 4,	/* a callback timed out or failed */
	AMF_EV_UNREGISTERED = 5,	/* unregistered or finalized while running */
	AMF_EV_ERROR_REPORT = 6,	/* saAmfComponentErrorReport() */
	AMF_EV_HA_ACKED = 7,		/* answered a CSI set (ha, csi) OK, or
					 * completed quiescing (ha QUIESCED) */
	AMF_EV_TERMINATED = 8		/* its termination is over */
};

struct req_exec_amf_comp_event {
	struct msg_origin o;
	uint32_t comp;			/* index in the model */
	uint32_t incarnation;		/* the instantiation it is about */
	uint32_t event;			/* enum amf_comp_event */
	uint32_t pid;
	uint32_t recovery;		/* ERROR_REPORT: SaAmfRecommendedRecoveryT */
	uint32_t ha;			/* HA_ACKED: SaAmfHAStateT */
	uint32_t csi;			/* HA_ACKED: CSI index, UINT32_MAX: all */
	uint32_t pad;
};

/* REGISTER: the component's process registered (session in o). */
struct req_exec_amf_register {
	struct msg_origin o;
	uint32_t comp;
	uint32_t incarnation;
};

/* ADMIN: an operator's operation (SaAmfAdminOperationIdT) on an entity
 * (enum safd_amf_kind, index in its kind's run-time array); answered to
 * the requester's pending token with res_lib_amf_admin. */
struct req_exec_amf_admin {
	struct msg_origin o;
	uint32_t kind;
	uint32_t index;
	uint32_t op;
	uint32_t pad;
};

/* HA_READINESS: the component's process said what HA states it can take
 * for a CSI (UINT32_MAX: every CSI of its type); answered to o.token. */
struct req_exec_amf_ha_readiness {
	struct msg_origin o;
	uint32_t comp;
	uint32_t incarnation;
	uint32_t csi;
	uint32_t state;			/* SaAmfHAReadinessStateT */
};

#endif /* SAFD_EXEC_AMF_H */
