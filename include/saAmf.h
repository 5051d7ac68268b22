/*
 * saAmf.h - SA Forum Availability Management Framework API, SAI-AIS-AMF-B.04.01.
 *
 * Declares the B.04.01 interface and, always, the B.01-B.03 names that the
 * B.04.01 header keeps for old applications (OpenSAF shows them by default):
 * SaAmfCallbacksT (7 slots) with saAmfInitialize(), SaAmfCallbacksT_3 with
 * saAmfInitialize_3(), saAmfPmStart(), the protection-group types and calls
 * without _4, and ErrorReport / ErrorClear / Response with an
 * SaNtfIdentifierT instead of SaNtfCorrelationIdsT.  A changed call or struct
 * got a new name with a _3 / _4 suffix; old names keep their old layout.
 *
 * Components are SA-aware processes started by AMF, which sets
 * SA_AMF_COMPONENT_NAME in their environment.  Callbacks run only inside
 * saAmfDispatch(), in the dispatching thread of the process that registered
 * the component.
 */
#ifndef SA_AMF_H
#define SA_AMF_H

#include "saAis.h"
#include "saNtf.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef SaUint64T SaAmfHandleT;

/* ------------------------------------------------------------------------ */
/* Passive monitoring and health checks                                     */
/* ------------------------------------------------------------------------ */

/* Events watched by saAmfPmStart(); each one files an error report. */
#define SA_AMF_PM_ZERO_EXIT      0x1
#define SA_AMF_PM_NON_ZERO_EXIT  0x2
#define SA_AMF_PM_ABNORMAL_END   0x4
typedef SaUint32T SaAmfPmErrorsT;

typedef enum {
	SA_AMF_PM_PROC = 1,
	SA_AMF_PM_PROC_AND_DESCENDENTS = 2,
	SA_AMF_PM_ALL_PROCESSES = 3
} SaAmfPmStopQualifierT;

typedef enum {
	SA_AMF_HEALTHCHECK_AMF_INVOKED = 1,
	SA_AMF_HEALTHCHECK_COMPONENT_INVOKED = 2
} SaAmfHealthcheckInvocationT;

#define SA_AMF_HEALTHCHECK_KEY_MAX 32

/** Compared as its first keyLen bytes.  34 bytes, alignment 2. */
typedef struct {
	SaUint8T key[SA_AMF_HEALTHCHECK_KEY_MAX];
	SaUint16T keyLen;
} SaAmfHealthcheckKeyT;

/* ------------------------------------------------------------------------ */
/* States                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * QUIESCING: take no new work, finish current work, then call
 * saAmfCSIQuiescingComplete(), which moves the CSI to QUIESCED.
 */
typedef enum {
	SA_AMF_HA_ACTIVE = 1,
	SA_AMF_HA_STANDBY = 2,
	SA_AMF_HA_QUIESCED = 3,
	SA_AMF_HA_QUIESCING = 4
} SaAmfHAStateT;

/* B.02 */
typedef enum {
	SA_AMF_READINESS_OUT_OF_SERVICE = 1,
	SA_AMF_READINESS_IN_SERVICE = 2,
	SA_AMF_READINESS_STOPPING = 3
} SaAmfReadinessStateT;

/* B.02 */
typedef enum {
	SA_AMF_PRESENCE_UNINSTANTIATED = 1,
	SA_AMF_PRESENCE_INSTANTIATING = 2,
	SA_AMF_PRESENCE_INSTANTIATED = 3,
	SA_AMF_PRESENCE_TERMINATING = 4,
	SA_AMF_PRESENCE_RESTARTING = 5,
	SA_AMF_PRESENCE_INSTANTIATION_FAILED = 6,
	SA_AMF_PRESENCE_TERMINATION_FAILED = 7
} SaAmfPresenceStateT;

/* B.02 */
typedef enum {
	SA_AMF_OPERATIONAL_ENABLED = 1,
	SA_AMF_OPERATIONAL_DISABLED = 2
} SaAmfOperationalStateT;

/* B.02 */
typedef enum {
	SA_AMF_ADMIN_UNLOCKED = 1,
	SA_AMF_ADMIN_LOCKED = 2,
	SA_AMF_ADMIN_LOCKED_INSTANTIATION = 3,
	SA_AMF_ADMIN_SHUTTING_DOWN = 4
} SaAmfAdminStateT;

/* B.02 */
typedef enum {
	SA_AMF_ASSIGNMENT_UNASSIGNED = 1,
	SA_AMF_ASSIGNMENT_FULLY_ASSIGNED = 2,
	SA_AMF_ASSIGNMENT_PARTIALLY_ASSIGNED = 3
} SaAmfAssignmentStateT;

/* B.04 */
typedef enum {
	SA_AMF_HARS_READY_FOR_ASSIGNMENT = 1,
	SA_AMF_HARS_READY_FOR_ACTIVE_DEGRADED = 2,
	SA_AMF_HARS_NOT_READY_FOR_ACTIVE = 3,
	SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT = 4
} SaAmfHAReadinessStateT;

/* B.02 */
typedef enum {
	SA_AMF_PROXY_STATUS_UNPROXIED = 1,
	SA_AMF_PROXY_STATUS_PROXIED = 2
} SaAmfProxyStatusT;

/* B.02; HA_READINESS_STATE is B.04 */
typedef enum {
	SA_AMF_READINESS_STATE = 1,
	SA_AMF_HA_STATE = 2,
	SA_AMF_PRESENCE_STATE = 3,
	SA_AMF_OP_STATE = 4,
	SA_AMF_ADMIN_STATE = 5,
	SA_AMF_ASSIGNMENT_STATE = 6,
	SA_AMF_PROXY_STATUS = 7,
	SA_AMF_HA_READINESS_STATE = 8
} SaAmfStateT;

/* ------------------------------------------------------------------------ */
/* CSI assignment                                                           */
/* ------------------------------------------------------------------------ */

/*
 * Exactly one is set.  ADD_ONE: a new CSI (with attributes); TARGET_ONE: one
 * assigned CSI changes state; TARGET_ALL: every CSI of the component does
 * (the CSI name is then unused).
 */
#define SA_AMF_CSI_ADD_ONE     0x1
#define SA_AMF_CSI_TARGET_ONE  0x2
#define SA_AMF_CSI_TARGET_ALL  0x4
typedef SaUint32T SaAmfCSIFlagsT;

typedef enum {
	SA_AMF_CSI_NEW_ASSIGN = 1,
	SA_AMF_CSI_QUIESCED = 2,
	SA_AMF_CSI_NOT_QUIESCED = 3,
	SA_AMF_CSI_STILL_ACTIVE = 4
} SaAmfCSITransitionDescriptorT;

/**
 * For an ACTIVE assignment.  activeCompName is the previous active
 * (QUIESCED, NOT_QUIESCED), another still-active component (STILL_ACTIVE),
 * or unused (NEW_ASSIGN).
 */
typedef struct {
	SaAmfCSITransitionDescriptorT transitionDescriptor;
	SaNameT activeCompName;
} SaAmfCSIActiveDescriptorT;

/**
 * For a STANDBY assignment.  activeCompName is the current active (empty if
 * none); lower standbyRank is promoted first.
 */
typedef struct {
	SaNameT activeCompName;
	SaUint32T standbyRank;
} SaAmfCSIStandbyDescriptorT;

/** Valid only for ACTIVE (activeDescriptor) and STANDBY (standbyDescriptor). */
typedef union {
	SaAmfCSIActiveDescriptorT activeDescriptor;
	SaAmfCSIStandbyDescriptorT standbyDescriptor;
} SaAmfCSIStateDescriptorT;

/** NUL-terminated UTF-8 strings. */
typedef struct {
	SaUint8T *attrName;
	SaUint8T *attrValue;
} SaAmfCSIAttributeT;

typedef struct {
	SaAmfCSIAttributeT *attr;
	SaUint32T number;
} SaAmfCSIAttributeListT;

/**
 * Passed by value to the CSI-set callback (544 bytes on LP64).  csiName is
 * unused with TARGET_ALL; csiAttr is valid only with ADD_ONE and only during
 * the callback (the library owns the memory).
 */
typedef struct {
	SaAmfCSIFlagsT csiFlags;
	SaNameT csiName;
	SaAmfCSIStateDescriptorT csiStateDescriptor;
	SaAmfCSIAttributeListT csiAttr;
} SaAmfCSIDescriptorT;

/* ------------------------------------------------------------------------ */
/* Protection groups                                                        */
/* ------------------------------------------------------------------------ */

/* STATE_CHANGE also covers a member's rank change. */
typedef enum {
	SA_AMF_PROTECTION_GROUP_NO_CHANGE = 1,
	SA_AMF_PROTECTION_GROUP_ADDED = 2,
	SA_AMF_PROTECTION_GROUP_REMOVED = 3,
	SA_AMF_PROTECTION_GROUP_STATE_CHANGE = 4
} SaAmfProtectionGroupChangesT;

/* B.01-B.03 layout. */
typedef struct {
	SaNameT compName;
	SaAmfHAStateT haState;
	SaUint32T rank;
} SaAmfProtectionGroupMemberT;

typedef struct {
	SaAmfProtectionGroupMemberT member;
	SaAmfProtectionGroupChangesT change;
} SaAmfProtectionGroupNotificationT;

typedef struct {
	SaUint32T numberOfItems;
	SaAmfProtectionGroupNotificationT *notification;
} SaAmfProtectionGroupNotificationBufferT;

/* B.04: adds haReadinessState. */
typedef struct {
	SaNameT compName;
	SaAmfHAStateT haState;
	SaAmfHAReadinessStateT haReadinessState;
	SaUint32T rank;
} SaAmfProtectionGroupMemberT_4;

typedef struct {
	SaAmfProtectionGroupMemberT_4 member;
	SaAmfProtectionGroupChangesT change;
} SaAmfProtectionGroupNotificationT_4;

typedef struct {
	SaUint32T numberOfItems;
	SaAmfProtectionGroupNotificationT_4 *notification;
} SaAmfProtectionGroupNotificationBufferT_4;

/* ------------------------------------------------------------------------ */
/* Recovery, model and configuration enums                                  */
/* ------------------------------------------------------------------------ */

/* NO_RECOMMENDATION: the configured recoveryOnError applies. */
typedef enum {
	SA_AMF_NO_RECOMMENDATION = 1,
	SA_AMF_COMPONENT_RESTART = 2,
	SA_AMF_COMPONENT_FAILOVER = 3,
	SA_AMF_NODE_SWITCHOVER = 4,
	SA_AMF_NODE_FAILOVER = 5,
	SA_AMF_NODE_FAILFAST = 6,
	SA_AMF_CLUSTER_RESET = 7,
	SA_AMF_APPLICATION_RESTART = 8,		/* B.02 */
	SA_AMF_CONTAINER_RESTART = 9		/* B.04 */
} SaAmfRecommendedRecoveryT;

/* Component category flags; CONTAINER, CONTAINED and PROXIED_NPI are B.04. */
#define SA_AMF_COMP_SA_AWARE     0x0001
#define SA_AMF_COMP_PROXY        0x0002
#define SA_AMF_COMP_PROXIED      0x0004
#define SA_AMF_COMP_LOCAL        0x0008
#define SA_AMF_COMP_CONTAINER    0x0010
#define SA_AMF_COMP_CONTAINED    0x0020
#define SA_AMF_COMP_PROXIED_NPI  0x0040
typedef SaUint32T SaAmfCompCategoryT;
typedef SaAmfCompCategoryT saAmfCompCategoryT;		/* B.02.01 spelling */

typedef enum {
	SA_AMF_2N_REDUNDANCY_MODEL = 1,
	SA_AMF_NPM_REDUNDANCY_MODEL = 2,
	SA_AMF_N_WAY_REDUNDANCY_MODEL = 3,
	SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL = 4,
	SA_AMF_NO_REDUNDANCY_MODEL = 5
} SaAmfRedundancyModelT;
typedef SaAmfRedundancyModelT saAmfRedundancyModelT;	/* B.02.01 spelling */
/* B.02.01 / openais spelling */
#define SA_AMF_N_WAY_ACTIVE_REDUNDACY_MODEL SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL

typedef enum {
	SA_AMF_COMP_X_ACTIVE_AND_Y_STANDBY = 1,
	SA_AMF_COMP_X_ACTIVE_OR_Y_STANDBY = 2,
	SA_AMF_COMP_ONE_ACTIVE_OR_Y_STANDBY = 3,
	SA_AMF_COMP_ONE_ACTIVE_OR_ONE_STANDBY = 4,
	SA_AMF_COMP_X_ACTIVE = 5,
	SA_AMF_COMP_1_ACTIVE = 6,
	SA_AMF_COMP_NON_PRE_INSTANTIABLE = 7
} SaAmfCompCapabilityModelT;

/* Ids of additionalInfo in AMF notifications; 3..5 are B.04. */
typedef enum {
	SA_AMF_NODE_NAME = 1,
	SA_AMF_SI_NAME = 2,
	SA_AMF_MAINTENANCE_CAMPAIGN_DN = 3,
	SA_AMF_AI_RECOMMENDED_RECOVERY = 4,
	SA_AMF_AI_APPLIED_RECOVERY = 5
} SaAmfAdditionalInfoIdT;

/* Administrative operation ids (IMM admin-operation API). */
typedef enum {
	SA_AMF_ADMIN_UNLOCK = 1,
	SA_AMF_ADMIN_LOCK = 2,
	SA_AMF_ADMIN_LOCK_INSTANTIATION = 3,
	SA_AMF_ADMIN_UNLOCK_INSTANTIATION = 4,
	SA_AMF_ADMIN_SHUTDOWN = 5,
	SA_AMF_ADMIN_RESTART = 6,
	SA_AMF_ADMIN_SI_SWAP = 7,
	SA_AMF_ADMIN_SG_ADJUST = 8,
	SA_AMF_ADMIN_REPAIRED = 9,
	SA_AMF_ADMIN_EAM_START = 10,
	SA_AMF_ADMIN_EAM_STOP = 11
} SaAmfAdminOperationIdT;

/* NTF minor ids of AMF notifications (major id SA_SVC_AMF). */
typedef enum {
	/* alarms */
	SA_AMF_NTFID_COMP_INSTANTIATION_FAILED = 0x02,
	SA_AMF_NTFID_COMP_CLEANUP_FAILED = 0x03,
	SA_AMF_NTFID_CLUSTER_RESET = 0x04,
	SA_AMF_NTFID_SI_UNASSIGNED = 0x05,
	SA_AMF_NTFID_COMP_UNPROXIED = 0x06,
	/* state changes */
	SA_AMF_NTFID_NODE_ADMIN_STATE = 0x65,
	SA_AMF_NTFID_SU_ADMIN_STATE = 0x66,
	SA_AMF_NTFID_SG_ADMIN_STATE = 0x67,
	SA_AMF_NTFID_SI_ADMIN_STATE = 0x68,
	SA_AMF_NTFID_APP_ADMIN_STATE = 0x69,
	SA_AMF_NTFID_CLUSTER_ADMIN_STATE = 0x6A,
	SA_AMF_NTFID_NODE_OP_STATE = 0x6B,
	SA_AMF_NTFID_SU_OP_STATE = 0x6C,
	SA_AMF_NTFID_SU_PRESENCE_STATE = 0x6D,
	SA_AMF_NTFID_SU_SI_HA_STATE = 0x6E,
	SA_AMF_NTFID_SI_ASSIGNMENT_STATE = 0x6F,
	SA_AMF_NTFID_COMP_PROXY_STATUS = 0x70,
	SA_AMF_NTFID_SU_SI_HA_READINESS_STATE = 0x71,
	/* miscellaneous */
	SA_AMF_NTFID_ERROR_REPORT = 0x191,
	SA_AMF_NTFID_ERROR_CLEAR = 0x192
} SaAmfNotificationMinorIdT;

/* ------------------------------------------------------------------------ */
/* Callbacks                                                                */
/* ------------------------------------------------------------------------ */

/** AMF-invoked health check; answer with saAmfResponse(). */
typedef void (*SaAmfHealthcheckCallbackT)(SaInvocationT invocation,
	const SaNameT *compName, SaAmfHealthcheckKeyT *healthcheckKey);

/** Release resources, then saAmfResponse(); AMF removes the CSIs afterwards. */
typedef void (*SaAmfComponentTerminateCallbackT)(SaInvocationT invocation,
	const SaNameT *compName);

/**
 * Assigns a CSI (or all, per csiFlags) in @p haState.  The descriptor is
 * passed BY VALUE.  Answer saAmfResponse() with SA_AIS_OK or
 * SA_AIS_ERR_FAILED_OPERATION; for QUIESCING, finish with
 * saAmfCSIQuiescingComplete() on the same invocation.
 */
typedef void (*SaAmfCSISetCallbackT)(SaInvocationT invocation,
	const SaNameT *compName, SaAmfHAStateT haState,
	SaAmfCSIDescriptorT csiDescriptor);

/** csiFlags TARGET_ONE (csiName valid) or TARGET_ALL. */
typedef void (*SaAmfCSIRemoveCallbackT)(SaInvocationT invocation,
	const SaNameT *compName, const SaNameT *csiName,
	SaAmfCSIFlagsT csiFlags);

/** B.01-B.03.  error NOT_EXIST: the CSI was deleted. */
typedef void (*SaAmfProtectionGroupTrackCallbackT)(const SaNameT *csiName,
	SaAmfProtectionGroupNotificationBufferT *notificationBuffer,
	SaUint32T numberOfMembers, SaAisErrorT error);

/* B.04 */
typedef void (*SaAmfProtectionGroupTrackCallbackT_4)(const SaNameT *csiName,
	SaAmfProtectionGroupNotificationBufferT_4 *notificationBuffer,
	SaUint32T numberOfMembers, SaAisErrorT error);

/** Called only in a proxy component. */
typedef void (*SaAmfProxiedComponentInstantiateCallbackT)(
	SaInvocationT invocation, const SaNameT *proxiedCompName);

typedef void (*SaAmfProxiedComponentCleanupCallbackT)(
	SaInvocationT invocation, const SaNameT *proxiedCompName);

/* B.03 */
typedef void (*SaAmfContainedComponentInstantiateCallbackT)(
	SaInvocationT invocation, const SaNameT *containedCompName);

/* B.03 */
typedef void (*SaAmfContainedComponentCleanupCallbackT)(
	SaInvocationT invocation, const SaNameT *containedCompName);

/**
 * B.01/B.02 callbacks, for saAmfInitialize().  A component that is not a
 * proxy may leave the proxied slots uninitialized (csa104 does): the library
 * never calls them for such a component.
 */
typedef struct {
	SaAmfHealthcheckCallbackT saAmfHealthcheckCallback;
	SaAmfComponentTerminateCallbackT saAmfComponentTerminateCallback;
	SaAmfCSISetCallbackT saAmfCSISetCallback;
	SaAmfCSIRemoveCallbackT saAmfCSIRemoveCallback;
	SaAmfProtectionGroupTrackCallbackT saAmfProtectionGroupTrackCallback;
	SaAmfProxiedComponentInstantiateCallbackT saAmfProxiedComponentInstantiateCallback;
	SaAmfProxiedComponentCleanupCallbackT saAmfProxiedComponentCleanupCallback;
} SaAmfCallbacksT;

/* B.03, for saAmfInitialize_3(). */
typedef struct {
	SaAmfHealthcheckCallbackT saAmfHealthcheckCallback;
	SaAmfComponentTerminateCallbackT saAmfComponentTerminateCallback;
	SaAmfCSISetCallbackT saAmfCSISetCallback;
	SaAmfCSIRemoveCallbackT saAmfCSIRemoveCallback;
	SaAmfProtectionGroupTrackCallbackT saAmfProtectionGroupTrackCallback;
	SaAmfProxiedComponentInstantiateCallbackT saAmfProxiedComponentInstantiateCallback;
	SaAmfProxiedComponentCleanupCallbackT saAmfProxiedComponentCleanupCallback;
	SaAmfContainedComponentInstantiateCallbackT saAmfContainedComponentInstantiateCallback;
	SaAmfContainedComponentCleanupCallbackT saAmfContainedComponentCleanupCallback;
} SaAmfCallbacksT_3;

/* B.04, for saAmfInitialize_4(); slot 5 takes the _4 buffer. */
typedef struct {
	SaAmfHealthcheckCallbackT saAmfHealthcheckCallback;
	SaAmfComponentTerminateCallbackT saAmfComponentTerminateCallback;
	SaAmfCSISetCallbackT saAmfCSISetCallback;
	SaAmfCSIRemoveCallbackT saAmfCSIRemoveCallback;
	SaAmfProtectionGroupTrackCallbackT_4 saAmfProtectionGroupTrackCallback;
	SaAmfProxiedComponentInstantiateCallbackT saAmfProxiedComponentInstantiateCallback;
	SaAmfProxiedComponentCleanupCallbackT saAmfProxiedComponentCleanupCallback;
	SaAmfContainedComponentInstantiateCallbackT saAmfContainedComponentInstantiateCallback;
	SaAmfContainedComponentCleanupCallbackT saAmfContainedComponentCleanupCallback;
} SaAmfCallbacksT_4;

/* ------------------------------------------------------------------------ */
/* Library life cycle                                                       */
/* ------------------------------------------------------------------------ */

/**
 * B.01 entry point (used by B.01-B.03 applications).  @p version is in/out,
 * see SaVersionT.  Errors: INVALID_PARAM, NO_MEMORY, NO_RESOURCES, VERSION.
 */
SaAisErrorT saAmfInitialize(SaAmfHandleT *amfHandle,
	const SaAmfCallbacksT *amfCallbacks, SaVersionT *version);

/* B.03 */
SaAisErrorT saAmfInitialize_3(SaAmfHandleT *amfHandle,
	const SaAmfCallbacksT_3 *amfCallbacks, SaVersionT *version);

/* B.04 */
SaAisErrorT saAmfInitialize_4(SaAmfHandleT *amfHandle,
	const SaAmfCallbacksT_4 *amfCallbacks, SaVersionT *version);

SaAisErrorT saAmfSelectionObjectGet(SaAmfHandleT amfHandle,
	SaSelectionObjectT *selectionObject);

SaAisErrorT saAmfDispatch(SaAmfHandleT amfHandle,
	SaDispatchFlagsT dispatchFlags);

SaAisErrorT saAmfFinalize(SaAmfHandleT amfHandle);

/* ------------------------------------------------------------------------ */
/* Component registration                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Declares the component ready for CSI assignments.  @p proxyCompName is NULL
 * unless a proxy registers a proxied component.  Errors: INIT (CSI-set,
 * CSI-remove or terminate callback missing), INVALID_PARAM (not a configured
 * component), EXIST (already registered, on any handle), NOT_EXIST (proxy not
 * registered), BAD_OPERATION (proxy not active for its proxy CSI).
 */
SaAisErrorT saAmfComponentRegister(SaAmfHandleT amfHandle,
	const SaNameT *compName, const SaNameT *proxyCompName);

/**
 * Must use the registering handle.  For an SA-aware component this counts
 * as an error report: recoveryOnError applies and its CSIs are removed.
 * BAD_OPERATION if a proxy still has registered proxied components.
 */
SaAisErrorT saAmfComponentUnregister(SaAmfHandleT amfHandle,
	const SaNameT *compName, const SaNameT *proxyCompName);

/** From SA_AMF_COMPONENT_NAME; NOT_EXIST if the process is not a component. */
SaAisErrorT saAmfComponentNameGet(SaAmfHandleT amfHandle, SaNameT *compName);

/* ------------------------------------------------------------------------ */
/* Passive monitoring                                                       */
/* ------------------------------------------------------------------------ */

/**
 * B.01/B.02 (unsigned processId).  Watches the process and its descendants
 * to @p descendentsTreeDepth (0: the process, -1: any depth) for @p pmErrors.
 * NOT_EXIST if the component is not local or the process does not exist.
 */
SaAisErrorT saAmfPmStart(SaAmfHandleT amfHandle, const SaNameT *compName,
	SaUint64T processId, SaInt32T descendentsTreeDepth,
	SaAmfPmErrorsT pmErrors, SaAmfRecommendedRecoveryT recommendedRecovery);

/* B.03: as saAmfPmStart() with a signed processId. */
SaAisErrorT saAmfPmStart_3(SaAmfHandleT amfHandle, const SaNameT *compName,
	SaInt64T processId, SaInt32T descendentsTreeDepth,
	SaAmfPmErrorsT pmErrors, SaAmfRecommendedRecoveryT recommendedRecovery);

SaAisErrorT saAmfPmStop(SaAmfHandleT amfHandle, const SaNameT *compName,
	SaAmfPmStopQualifierT stopQualifier, SaInt64T processId,
	SaAmfPmErrorsT pmErrors);

/* ------------------------------------------------------------------------ */
/* Health checks                                                            */
/* ------------------------------------------------------------------------ */

/**
 * The key must be configured for the component (else NOT_EXIST).
 * AMF_INVOKED: AMF calls the health-check callback each period (INIT if
 * none); COMPONENT_INVOKED: call saAmfHealthcheckConfirm() within each
 * period.  EXIST if (component, key) is already started on this handle;
 * ACCESS if AMF refuses @p recommendedRecovery.
 */
SaAisErrorT saAmfHealthcheckStart(SaAmfHandleT amfHandle,
	const SaNameT *compName, const SaAmfHealthcheckKeyT *healthcheckKey,
	SaAmfHealthcheckInvocationT invocationType,
	SaAmfRecommendedRecoveryT recommendedRecovery);

/** Only the starting process may confirm (else INVALID_PARAM). */
SaAisErrorT saAmfHealthcheckConfirm(SaAmfHandleT amfHandle,
	const SaNameT *compName, const SaAmfHealthcheckKeyT *healthcheckKey,
	SaAisErrorT healthcheckResult);

/** Only the starting process may stop (else INVALID_PARAM). */
SaAisErrorT saAmfHealthcheckStop(SaAmfHandleT amfHandle,
	const SaNameT *compName, const SaAmfHealthcheckKeyT *healthcheckKey);

/* ------------------------------------------------------------------------ */
/* HA state                                                                 */
/* ------------------------------------------------------------------------ */

SaAisErrorT saAmfHAStateGet(SaAmfHandleT amfHandle, const SaNameT *compName,
	const SaNameT *csiName, SaAmfHAStateT *haState);

/* B.04 */
SaAisErrorT saAmfHAReadinessStateSet(SaAmfHandleT amfHandle,
	const SaNameT *compName, const SaNameT *csiName,
	SaAmfHAReadinessStateT haReadinessState,
	SaNtfCorrelationIdsT *correlationIds);

/**
 * Ends a QUIESCING assignment: @p invocation is the one of the CSI-set
 * callback, @p error SA_AIS_OK or SA_AIS_ERR_FAILED_OPERATION.
 */
SaAisErrorT saAmfCSIQuiescingComplete(SaAmfHandleT amfHandle,
	SaInvocationT invocation, SaAisErrorT error);

/* ------------------------------------------------------------------------ */
/* Protection groups                                                        */
/* ------------------------------------------------------------------------ */

/**
 * B.01-B.03.  Tracks the components that hold @p csiName, with the track
 * flag semantics of the Overview.  A NULL notification array is allocated by
 * the library: release it with saAmfProtectionGroupNotificationFree()
 * (B.01.01 applications use free()).
 */
SaAisErrorT saAmfProtectionGroupTrack(SaAmfHandleT amfHandle,
	const SaNameT *csiName, SaUint8T trackFlags,
	SaAmfProtectionGroupNotificationBufferT *notificationBuffer);

/* B.04 */
SaAisErrorT saAmfProtectionGroupTrack_4(SaAmfHandleT amfHandle,
	const SaNameT *csiName, SaUint8T trackFlags,
	SaAmfProtectionGroupNotificationBufferT_4 *notificationBuffer);

SaAisErrorT saAmfProtectionGroupTrackStop(SaAmfHandleT amfHandle,
	const SaNameT *csiName);

/* B.02/B.03 */
SaAisErrorT saAmfProtectionGroupNotificationFree(SaAmfHandleT amfHandle,
	SaAmfProtectionGroupNotificationT *notification);

/* B.04 */
SaAisErrorT saAmfProtectionGroupNotificationFree_4(SaAmfHandleT amfHandle,
	SaAmfProtectionGroupNotificationT_4 *notification);

/* ------------------------------------------------------------------------ */
/* Error reports                                                            */
/* ------------------------------------------------------------------------ */

/**
 * B.01-B.03.  @p errorDetectionTime is absolute (0: now); @p ntfIdentifier
 * is SA_NTF_IDENTIFIER_UNUSED when no notification was sent.  Errors:
 * NOT_EXIST (component not configured), ACCESS (recommendation refused).
 */
SaAisErrorT saAmfComponentErrorReport(SaAmfHandleT amfHandle,
	const SaNameT *erroneousComponent, SaTimeT errorDetectionTime,
	SaAmfRecommendedRecoveryT recommendedRecovery,
	SaNtfIdentifierT ntfIdentifier);

/* B.04 */
SaAisErrorT saAmfComponentErrorReport_4(SaAmfHandleT amfHandle,
	const SaNameT *erroneousComponent, SaTimeT errorDetectionTime,
	SaAmfRecommendedRecoveryT recommendedRecovery,
	SaNtfCorrelationIdsT *correlationIds);

/** B.01-B.03.  AMF may re-enable the component and assign it again. */
SaAisErrorT saAmfComponentErrorClear(SaAmfHandleT amfHandle,
	const SaNameT *compName, SaNtfIdentifierT ntfIdentifier);

/* B.04 */
SaAisErrorT saAmfComponentErrorClear_4(SaAmfHandleT amfHandle,
	const SaNameT *compName, SaNtfCorrelationIdsT *correlationIds);

/* B.04 */
SaAisErrorT saAmfCorrelationIdsGet(SaAmfHandleT amfHandle,
	SaInvocationT invocation, SaNtfCorrelationIdsT *correlationIds);

/* ------------------------------------------------------------------------ */
/* Responses                                                                */
/* ------------------------------------------------------------------------ */

/**
 * B.01-B.03.  Answers a callback invocation.  @p error is SA_AIS_OK or
 * SA_AIS_ERR_FAILED_OPERATION (TRY_AGAIN also for a proxied instantiate).
 * Only the registered process may respond, except to health-check
 * callbacks, which the process that started the check answers.
 */
SaAisErrorT saAmfResponse(SaAmfHandleT amfHandle, SaInvocationT invocation,
	SaAisErrorT error);

/* B.04; note correlationIds comes before error. */
SaAisErrorT saAmfResponse_4(SaAmfHandleT amfHandle, SaInvocationT invocation,
	SaNtfCorrelationIdsT *correlationIds, SaAisErrorT error);

#ifdef __cplusplus
}
#endif

#endif /* SA_AMF_H */
