/*
 * saMsg.h - SA Forum Message Service API, SAI-AIS-MSG-B.03.01.
 *
 * A strict superset of B.01.01 and B.02.01: same names, prototypes, layouts
 * and values, so one library serves clients of every 'B' major version.
 * Functions marked "B.02" or "B.03" below did not exist before.  Memory the
 * library allocates for a caller (message data, group notifications) is
 * released with saMsgMessageDataFree() / saMsgQueueGroupNotificationFree()
 * from B.02 on; it comes from malloc(), so B.01 clients may use free().
 *
 * Compatibility switch SA_MSG_VERSION_IS_SAVERSION:
 *   Define it before including this header to declare SaMsgMessageT.version
 *   as an SaVersionT instead of the standard SaUint32T, as SAFplus 5.x/6.x
 *   did; code such as `message.version.releaseCode = 0;` (SAFplus' csa104
 *   example) then compiles unchanged.  The struct layout does not change: on
 *   LP64 both variants are 40 bytes with fields at 0/4/8/16/24/32 (the 3-byte
 *   SaVersionT plus 1 byte of padding fills the same 4 bytes at offset 4), so
 *   objects built either way interoperate, provided the library carries the
 *   4 bytes at offset 4 as opaque data (it never interprets them).
 */
#ifndef SA_MSG_H
#define SA_MSG_H

#include "saAis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Handles                                                                  */
/* ------------------------------------------------------------------------ */

typedef SaUint64T SaMsgHandleT;
typedef SaUint64T SaMsgQueueHandleT;
/** Identifies a SendReceive request; 0 for ordinary messages. */
typedef SaUint64T SaMsgSenderIdT;

/* ------------------------------------------------------------------------ */
/* Constants and flag types                                                 */
/* ------------------------------------------------------------------------ */

/** ackFlags: 0, or report storage in the queue through the delivered callback. */
#define SA_MSG_MESSAGE_DELIVERED_ACK 0x1
typedef SaUint32T SaMsgAckFlagsT;

/** creationFlags: 0 (non-persistent) or PERSISTENT (kept until unlinked). */
#define SA_MSG_QUEUE_PERSISTENT 0x1
typedef SaUint32T SaMsgQueueCreationFlagsT;

#define SA_MSG_QUEUE_CREATE           0x1
#define SA_MSG_QUEUE_RECEIVE_CALLBACK 0x2
#define SA_MSG_QUEUE_EMPTY            0x4
typedef SaUint32T SaMsgQueueOpenFlagsT;

/* Priorities run from 0 (highest) to 3 (lowest); arrays have 4 entries. */
#define SA_MSG_MESSAGE_HIGHEST_PRIORITY 0
#define SA_MSG_MESSAGE_LOWEST_PRIORITY  3

/* ------------------------------------------------------------------------ */
/* Enums                                                                    */
/* ------------------------------------------------------------------------ */

/** Only ROUND_ROBIN is mandatory; BROADCAST is the one multicast policy. */
typedef enum {
	SA_MSG_QUEUE_GROUP_ROUND_ROBIN = 1,
	SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN = 2,
	SA_MSG_QUEUE_GROUP_LOCAL_BEST_QUEUE = 3,
	SA_MSG_QUEUE_GROUP_BROADCAST = 4
} SaMsgQueueGroupPolicyT;

typedef enum {
	SA_MSG_QUEUE_GROUP_NO_CHANGE = 1,
	SA_MSG_QUEUE_GROUP_ADDED = 2,
	SA_MSG_QUEUE_GROUP_REMOVED = 3,
	SA_MSG_QUEUE_GROUP_STATE_CHANGED = 4	/* reserved since B.02.01 */
} SaMsgQueueGroupChangesT;

/* B.02.01 */
typedef enum {
	SA_MSG_QUEUE_CAPACITY_REACHED = 1,
	SA_MSG_QUEUE_CAPACITY_AVAILABLE = 2,
	SA_MSG_QUEUE_GROUP_CAPACITY_REACHED = 3,
	SA_MSG_QUEUE_GROUP_CAPACITY_AVAILABLE = 4
} SaMsgMessageCapacityStatusT;

/* B.02.01 */
typedef enum {
	SA_MSG_DEST_CAPACITY_STATUS = 1
} SaMsgStateT;

/* B.03.01: ids for saMsgLimitGet(); the value is returned in uint64Value. */
typedef enum {
	SA_MSG_MAX_PRIORITY_AREA_SIZE_ID = 1,
	SA_MSG_MAX_QUEUE_SIZE_ID = 2,
	SA_MSG_MAX_NUM_QUEUES_ID = 3,
	SA_MSG_MAX_NUM_QUEUE_GROUPS_ID = 4,
	SA_MSG_MAX_NUM_QUEUES_PER_GROUP_ID = 5,
	SA_MSG_MAX_MESSAGE_SIZE_ID = 6,
	SA_MSG_MAX_REPLY_SIZE_ID = 7
} SaMsgLimitIdT;

/* ------------------------------------------------------------------------ */
/* Structs                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * A message.  On send: @c size bytes at @c data, @c senderName may be NULL,
 * priority 0..3.  On receive (Get, SendReceive reply) it is in/out: @c data
 * NULL lets the library allocate the buffer, otherwise @c size is its
 * capacity; @c size, @c type, @c version, @c priority and, if non-NULL,
 * @c *senderName (length 0 when the sender gave none) are written.
 * 40 bytes on LP64.  See SA_MSG_VERSION_IS_SAVERSION above for @c version.
 */
typedef struct {
	SaUint32T type;
#ifdef SA_MSG_VERSION_IS_SAVERSION
	SaVersionT version;
#else
	SaUint32T version;
#endif
	SaSizeT size;
	SaNameT *senderName;
	void *data;
	SaUint8T priority;
} SaMsgMessageT;

/** size[p] is the byte capacity of priority area p; retentionTime is a duration. */
typedef struct {
	SaMsgQueueCreationFlagsT creationFlags;
	SaSizeT size[SA_MSG_MESSAGE_LOWEST_PRIORITY + 1];
	SaTimeT retentionTime;
} SaMsgQueueCreationAttributesT;

typedef struct {
	SaSizeT queueSize;
	SaSizeT queueUsed;
	SaUint32T numberOfMessages;
} SaMsgQueueUsageT;

/** closeTime is absolute, 0 while the queue is open. */
typedef struct {
	SaMsgQueueCreationFlagsT creationFlags;
	SaTimeT retentionTime;
	SaTimeT closeTime;
	SaMsgQueueUsageT saMsgQueueUsage[SA_MSG_MESSAGE_LOWEST_PRIORITY + 1];
} SaMsgQueueStatusT;

typedef struct {
	SaNameT queueName;
} SaMsgQueueGroupMemberT;

typedef struct {
	SaMsgQueueGroupMemberT member;
	SaMsgQueueGroupChangesT change;
} SaMsgQueueGroupNotificationT;

/**
 * notification == NULL on input lets saMsgQueueGroupTrack() allocate the
 * array.  queueGroupPolicy reports the group's policy.
 */
typedef struct {
	SaUint32T numberOfItems;
	SaMsgQueueGroupNotificationT *notification;
	SaMsgQueueGroupPolicyT queueGroupPolicy;
} SaMsgQueueGroupNotificationBufferT;

/**
 * B.03.01: per priority area, in bytes.  Requires
 * capacityAvailable[p] <= capacityReached[p] <= size[p].
 */
typedef struct {
	SaSizeT capacityReached[SA_MSG_MESSAGE_LOWEST_PRIORITY + 1];
	SaSizeT capacityAvailable[SA_MSG_MESSAGE_LOWEST_PRIORITY + 1];
} SaMsgQueueThresholdsT;

/* ------------------------------------------------------------------------ */
/* Callbacks (run only inside saMsgDispatch)                                */
/* ------------------------------------------------------------------------ */

typedef void (*SaMsgQueueOpenCallbackT)(SaInvocationT invocation,
	SaMsgQueueHandleT queueHandle, SaAisErrorT error);

/**
 * error SA_AIS_ERR_NOT_EXIST: the group was deleted and tracking stopped.
 * NO_MEMORY / NO_RESOURCES: notifications may have been lost; restart
 * tracking.  numberOfItems may exceed numberOfMembers (removed members).
 */
typedef void (*SaMsgQueueGroupTrackCallbackT)(const SaNameT *queueGroupName,
	const SaMsgQueueGroupNotificationBufferT *notificationBuffer,
	SaUint32T numberOfMembers, SaAisErrorT error);

/** Outcome of SendAsync / ReplyAsync with SA_MSG_MESSAGE_DELIVERED_ACK. */
typedef void (*SaMsgMessageDeliveredCallbackT)(SaInvocationT invocation,
	SaAisErrorT error);

/** One call per arriving message on a queue opened with RECEIVE_CALLBACK. */
typedef void (*SaMsgMessageReceivedCallbackT)(SaMsgQueueHandleT queueHandle);

/** Unchanged since B.01.01.  NULL members register nothing. */
typedef struct {
	SaMsgQueueOpenCallbackT saMsgQueueOpenCallback;
	SaMsgQueueGroupTrackCallbackT saMsgQueueGroupTrackCallback;
	SaMsgMessageDeliveredCallbackT saMsgMessageDeliveredCallback;
	SaMsgMessageReceivedCallbackT saMsgMessageReceivedCallback;
} SaMsgCallbacksT;

/* ------------------------------------------------------------------------ */
/* Library life cycle                                                       */
/* ------------------------------------------------------------------------ */

/**
 * Opens a handle.  @p msgCallbacks may be NULL; a missing callback is only an
 * error (SA_AIS_ERR_INIT) when a later call needs it.  @p version is in/out,
 * see SaVersionT.  Errors: INVALID_PARAM, NO_MEMORY, NO_RESOURCES, VERSION.
 */
SaAisErrorT saMsgInitialize(SaMsgHandleT *msgHandle,
	const SaMsgCallbacksT *msgCallbacks, SaVersionT *version);

SaAisErrorT saMsgSelectionObjectGet(SaMsgHandleT msgHandle,
	SaSelectionObjectT *selectionObject);

SaAisErrorT saMsgDispatch(SaMsgHandleT msgHandle,
	SaDispatchFlagsT dispatchFlags);

/** Closes every queue opened through the handle, stops tracking, drops callbacks. */
SaAisErrorT saMsgFinalize(SaMsgHandleT msgHandle);

/* ------------------------------------------------------------------------ */
/* Queues                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Opens (with SA_MSG_QUEUE_CREATE: creates if absent) a queue.  A queue has
 * at most one opener at a time.  creationAttributes must be non-NULL exactly
 * when CREATE is set.  Errors: INIT (RECEIVE_CALLBACK without a received
 * callback), INVALID_PARAM, NOT_EXIST (no CREATE, queue absent), EXIST
 * (creationFlags or size[] differ; retentionTime is ignored), BUSY (already
 * open), BAD_FLAGS, TOO_BIG, NO_MEMORY, NO_RESOURCES.
 */
SaAisErrorT saMsgQueueOpen(SaMsgHandleT msgHandle, const SaNameT *queueName,
	const SaMsgQueueCreationAttributesT *creationAttributes,
	SaMsgQueueOpenFlagsT openFlags, SaTimeT timeout,
	SaMsgQueueHandleT *queueHandle);

/** As saMsgQueueOpen(); the result arrives in the queue-open callback (INIT if none). */
SaAisErrorT saMsgQueueOpenAsync(SaMsgHandleT msgHandle,
	SaInvocationT invocation, const SaNameT *queueName,
	const SaMsgQueueCreationAttributesT *creationAttributes,
	SaMsgQueueOpenFlagsT openFlags);

/**
 * Invalidates the handle.  The queue is then deleted if it was unlinked, or
 * if it is non-persistent with retention time 0 (unread messages are lost);
 * a non-persistent queue with retention > 0 is deleted when that time
 * expires without a reopen; a persistent queue stays until unlinked.
 */
SaAisErrorT saMsgQueueClose(SaMsgQueueHandleT queueHandle);

/** Works on queues this process has not opened.  Errors: INVALID_PARAM, NOT_EXIST. */
SaAisErrorT saMsgQueueStatusGet(SaMsgHandleT msgHandle,
	const SaNameT *queueName, SaMsgQueueStatusT *queueStatus);

/**
 * B.02.  Applies at the next close.  @p retentionTime is input only.
 * Errors: INVALID_PARAM, BAD_OPERATION (persistent or unlinked queue).
 */
SaAisErrorT saMsgQueueRetentionTimeSet(SaMsgQueueHandleT queueHandle,
	SaTimeT *retentionTime);

/**
 * Frees the name at once; the queue is deleted now if nobody has it open,
 * else at its close.  Errors: INVALID_PARAM, NOT_EXIST.
 */
SaAisErrorT saMsgQueueUnlink(SaMsgHandleT msgHandle, const SaNameT *queueName);

/* ------------------------------------------------------------------------ */
/* Queue groups                                                             */
/* ------------------------------------------------------------------------ */

/** Errors: INVALID_PARAM, EXIST, NOT_SUPPORTED (policy), NO_MEMORY, NO_RESOURCES. */
SaAisErrorT saMsgQueueGroupCreate(SaMsgHandleT msgHandle,
	const SaNameT *queueGroupName,
	SaMsgQueueGroupPolicyT queueGroupPolicy);

/** Immediate; later sends to the group fail with NOT_EXIST. */
SaAisErrorT saMsgQueueGroupDelete(SaMsgHandleT msgHandle,
	const SaNameT *queueGroupName);

/** Errors: NOT_EXIST (queue or group), EXIST (already a member). */
SaAisErrorT saMsgQueueGroupInsert(SaMsgHandleT msgHandle,
	const SaNameT *queueGroupName, const SaNameT *queueName);

/** Errors: NOT_EXIST (queue or group missing, or not a member). */
SaAisErrorT saMsgQueueGroupRemove(SaMsgHandleT msgHandle,
	const SaNameT *queueGroupName, const SaNameT *queueName);

/**
 * SA_TRACK_CURRENT with a buffer fills it synchronously (NO_SPACE sets
 * numberOfItems to the count needed; a NULL notification array is allocated
 * by the library); CHANGES / CHANGES_ONLY report through the track callback.
 * Errors: INIT, INVALID_PARAM, NO_SPACE, NOT_EXIST, BAD_FLAGS.
 */
SaAisErrorT saMsgQueueGroupTrack(SaMsgHandleT msgHandle,
	const SaNameT *queueGroupName, SaUint8T trackFlags,
	SaMsgQueueGroupNotificationBufferT *notificationBuffer);

/** Errors: NOT_EXIST (no such group, or no changes tracking active). */
SaAisErrorT saMsgQueueGroupTrackStop(SaMsgHandleT msgHandle,
	const SaNameT *queueGroupName);

/** B.02.  Releases an array allocated by saMsgQueueGroupTrack(). */
SaAisErrorT saMsgQueueGroupNotificationFree(SaMsgHandleT msgHandle,
	SaMsgQueueGroupNotificationT *notification);

/* ------------------------------------------------------------------------ */
/* Messages                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * Returns once the message is stored in the destination queue (or in one
 * group member, or every member with room for BROADCAST).  Sending to a
 * closed but existing queue succeeds.  Errors: NOT_EXIST (no such queue or
 * group), QUEUE_FULL (no room in the priority area), QUEUE_NOT_AVAILABLE
 * (empty group), INVALID_PARAM (e.g. priority > 3), TOO_BIG, NO_MEMORY,
 * NO_RESOURCES.
 */
SaAisErrorT saMsgMessageSend(SaMsgHandleT msgHandle,
	const SaNameT *destination, const SaMsgMessageT *message,
	SaTimeT timeout);

/**
 * Returns at once.  With SA_MSG_MESSAGE_DELIVERED_ACK the outcome arrives in
 * the delivered callback (INIT if none) and the data buffer must stay valid
 * until then; with ackFlags 0 nothing is reported.  Errors: BAD_FLAGS,
 * INVALID_PARAM, NOT_EXIST.
 */
SaAisErrorT saMsgMessageSendAsync(SaMsgHandleT msgHandle,
	SaInvocationT invocation, const SaNameT *destination,
	const SaMsgMessageT *message, SaMsgAckFlagsT ackFlags);

/**
 * Takes the oldest message of the highest non-empty priority.  @p sendTime
 * may be NULL; @p senderId must not be (non-zero means answer with
 * saMsgMessageReply()).  timeout 0 polls, SA_TIME_MAX waits forever.
 * Errors: TIMEOUT, INTERRUPT (saMsgMessageCancel()), NO_SPACE (size set to
 * the size needed; the message stays queued), INVALID_PARAM, NO_MEMORY.
 */
SaAisErrorT saMsgMessageGet(SaMsgQueueHandleT queueHandle,
	SaMsgMessageT *message, SaTimeT *sendTime, SaMsgSenderIdT *senderId,
	SaTimeT timeout);

/** B.02.  Releases data allocated by Get or SendReceive. */
SaAisErrorT saMsgMessageDataFree(SaMsgHandleT msgHandle, void *data);

/** Wakes every Get blocked on the queue in this process (INTERRUPT); NOT_EXIST if none. */
SaAisErrorT saMsgMessageCancel(SaMsgQueueHandleT queueHandle);

/**
 * Sends a request to a queue or unicast group and waits for the reply, which
 * is written into @p receiveMessage (in/out as for Get).  Errors: TIMEOUT,
 * NO_SPACE (request delivered, reply too big), QUEUE_FULL, NOT_EXIST,
 * QUEUE_NOT_AVAILABLE, INVALID_PARAM (broadcast group).
 */
SaAisErrorT saMsgMessageSendReceive(SaMsgHandleT msgHandle,
	const SaNameT *destination, const SaMsgMessageT *sendMessage,
	SaMsgMessageT *receiveMessage, SaTimeT *replySendTime,
	SaTimeT timeout);

/**
 * Answers a SendReceive request once.  Errors: INVALID_PARAM (not a request),
 * NOT_EXIST (no waiter), NO_SPACE (reply bigger than the requester's buffer).
 */
SaAisErrorT saMsgMessageReply(SaMsgHandleT msgHandle,
	const SaMsgMessageT *replyMessage, const SaMsgSenderIdT *senderId,
	SaTimeT timeout);

SaAisErrorT saMsgMessageReplyAsync(SaMsgHandleT msgHandle,
	SaInvocationT invocation, const SaMsgMessageT *replyMessage,
	const SaMsgSenderIdT *senderId, SaMsgAckFlagsT ackFlags);

/* ------------------------------------------------------------------------ */
/* B.03.01 additions                                                        */
/* ------------------------------------------------------------------------ */

SaAisErrorT saMsgQueueCapacityThresholdsSet(SaMsgQueueHandleT queueHandle,
	const SaMsgQueueThresholdsT *thresholds);

SaAisErrorT saMsgQueueCapacityThresholdsGet(SaMsgQueueHandleT queueHandle,
	SaMsgQueueThresholdsT *thresholds);

/** The per-message overhead, in bytes, counted against queue capacity. */
SaAisErrorT saMsgMetadataSizeGet(SaMsgHandleT msgHandle,
	SaUint32T *metadataSize);

/** Errors: INVALID_PARAM (NULL, or limitId outside 1..7). */
SaAisErrorT saMsgLimitGet(SaMsgHandleT msgHandle, SaMsgLimitIdT limitId,
	SaLimitValueT *limitValue);

#ifdef __cplusplus
}
#endif

#endif /* SA_MSG_H */
