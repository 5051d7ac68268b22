/*
 * check_headers.c - the public headers against the AIS interface reference
 * (ais-api.md: saAis section 1, saMsg section 2, saAmf/saNtf section 4).
 *
 * Everything is checked from const tables, one loop test per row, so a
 * failure names the exact type, field, constant or function:
 *   - sizes and alignments of every type, LP64 (reference "LP64 off/size");
 *   - offset, size and declared type of every struct field;
 *   - the numeric value of every enum member and macro;
 *   - the exact type of every callback typedef and function prototype
 *     (parameter types and order, return type), via
 *     __builtin_types_compatible_p, which needs no library to link against.
 *
 * Built twice: check_headers (standard SaMsgMessageT.version, SaUint32T) and
 * check_headers_saversion (-DSA_MSG_VERSION_IS_SAVERSION, SaVersionT); the
 * layout must be identical in both.  On a non-LP64 target the layout cases
 * are left out and the program exits 77 (SKIP) after the other cases pass.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

/* saAis.h before saNtf.h: SaNtfIdentifierT must be declared only once. */
#include <saAis.h>
#include <saNtf.h>
#include <saMsg.h>
#include <saAmf.h>
/* Included twice on purpose: the include guards must hold. */
#include <saAis.h>
#include <saMsg.h>
#include <saAmf.h>
#include <saNtf.h>

#define CASE_TIMEOUT 10

#define IS_LP64 (sizeof(void *) == 8 && sizeof(long) == 8)

#if defined(__GNUC__) || defined(__clang__)
#define HAVE_TYPES_COMPATIBLE 1
#define TYPES_COMPATIBLE(a, ...) __builtin_types_compatible_p(a, __VA_ARGS__)
#define TYPEOF(x) __typeof__(x)
#else
#define HAVE_TYPES_COMPATIBLE 0
#define TYPES_COMPATIBLE(a, ...) 1
#define TYPEOF(x) int
#endif

#define ALIGNOF(T) offsetof(struct { char c; T x; }, x)
#define FIELD_SIZE(T, f) sizeof(((T *)0)->f)
#define FIELD_TYPE(T, f) TYPEOF(((T *)0)->f)

/* ------------------------------------------------------------------------ */
/* Sizes and alignments                                                     */
/* ------------------------------------------------------------------------ */

struct size_row {
	const char *name;
	size_t size, want_size;
	size_t align, want_align;	/* want_align 0: not checked */
};

#define SIZE(T, sz, al) { #T, sizeof(T), (sz), ALIGNOF(T), (al) }

/* Independent of the data model. */
static const struct size_row scalar_sizes[] = {
	SIZE(SaInt8T, 1, 1),
	SIZE(SaInt16T, 2, 2),
	SIZE(SaInt32T, 4, 4),
	SIZE(SaInt64T, 8, 0),
	SIZE(SaUint8T, 1, 1),
	SIZE(SaUint16T, 2, 2),
	SIZE(SaUint32T, 4, 4),
	SIZE(SaUint64T, 8, 0),
	SIZE(SaFloatT, 4, 4),
	SIZE(SaDoubleT, 8, 0),
	SIZE(SaTimeT, 8, 0),
	SIZE(SaInvocationT, 8, 0),
	SIZE(SaSizeT, 8, 0),
	SIZE(SaOffsetT, 8, 0),
	SIZE(SaSelectionObjectT, 8, 0),
	SIZE(SaNtfIdentifierT, 8, 0),
	SIZE(SaMsgHandleT, 8, 0),
	SIZE(SaMsgQueueHandleT, 8, 0),
	SIZE(SaMsgSenderIdT, 8, 0),
	SIZE(SaAmfHandleT, 8, 0),
	SIZE(SaMsgAckFlagsT, 4, 4),
	SIZE(SaMsgQueueCreationFlagsT, 4, 4),
	SIZE(SaMsgQueueOpenFlagsT, 4, 4),
	SIZE(SaAmfPmErrorsT, 4, 4),
	SIZE(SaAmfCSIFlagsT, 4, 4),
	SIZE(SaAmfCompCategoryT, 4, 4),
	SIZE(saAmfCompCategoryT, 4, 4),
	/* enums: 4 bytes, or every struct layout below moves */
	SIZE(SaBoolT, 4, 4),
	SIZE(SaDispatchFlagsT, 4, 4),
	SIZE(SaServicesT, 4, 4),
	SIZE(SaAisErrorT, 4, 4),
	SIZE(SaMsgQueueGroupPolicyT, 4, 4),
	SIZE(SaMsgQueueGroupChangesT, 4, 4),
	SIZE(SaMsgMessageCapacityStatusT, 4, 4),
	SIZE(SaMsgStateT, 4, 4),
	SIZE(SaMsgLimitIdT, 4, 4),
	SIZE(SaAmfPmStopQualifierT, 4, 4),
	SIZE(SaAmfHealthcheckInvocationT, 4, 4),
	SIZE(SaAmfHAStateT, 4, 4),
	SIZE(SaAmfReadinessStateT, 4, 4),
	SIZE(SaAmfPresenceStateT, 4, 4),
	SIZE(SaAmfOperationalStateT, 4, 4),
	SIZE(SaAmfAdminStateT, 4, 4),
	SIZE(SaAmfAssignmentStateT, 4, 4),
	SIZE(SaAmfHAReadinessStateT, 4, 4),
	SIZE(SaAmfProxyStatusT, 4, 4),
	SIZE(SaAmfStateT, 4, 4),
	SIZE(SaAmfCSITransitionDescriptorT, 4, 4),
	SIZE(SaAmfProtectionGroupChangesT, 4, 4),
	SIZE(SaAmfRecommendedRecoveryT, 4, 4),
	SIZE(SaAmfRedundancyModelT, 4, 4),
	SIZE(saAmfRedundancyModelT, 4, 4),
	SIZE(SaAmfCompCapabilityModelT, 4, 4),
	SIZE(SaAmfAdditionalInfoIdT, 4, 4),
	SIZE(SaAmfAdminOperationIdT, 4, 4),
	SIZE(SaAmfNotificationMinorIdT, 4, 4),
	/* structs without pointers or 8-byte members */
	SIZE(SaNameT, 258, 2),
	SIZE(SaVersionT, 3, 1),
	SIZE(SaAmfHealthcheckKeyT, 34, 2),
	SIZE(SaMsgQueueGroupMemberT, 258, 2),
	SIZE(SaMsgQueueGroupNotificationT, 264, 4),
	SIZE(SaAmfCSIActiveDescriptorT, 264, 4),
	SIZE(SaAmfCSIStandbyDescriptorT, 264, 4),
	SIZE(SaAmfCSIStateDescriptorT, 264, 4),
	SIZE(SaAmfProtectionGroupMemberT, 268, 4),
	SIZE(SaAmfProtectionGroupNotificationT, 272, 4),
	SIZE(SaAmfProtectionGroupMemberT_4, 272, 4),
	SIZE(SaAmfProtectionGroupNotificationT_4, 276, 4),
};

/* LP64 (x86-64, aarch64 ...): pointers and 64-bit integers are 8-aligned. */
static const struct size_row lp64_sizes[] = {
	SIZE(SaStringT, 8, 8),
	SIZE(SaConstStringT, 8, 8),
	SIZE(SaInt64T, 8, 8),
	SIZE(SaUint64T, 8, 8),
	SIZE(SaTimeT, 8, 8),
	SIZE(SaAnyT, 16, 8),
	SIZE(SaLimitValueT, 8, 8),
	SIZE(SaNtfCorrelationIdsT, 24, 8),
	SIZE(SaMsgMessageT, 40, 8),
	SIZE(SaMsgQueueCreationAttributesT, 48, 8),
	SIZE(SaMsgQueueUsageT, 24, 8),
	SIZE(SaMsgQueueStatusT, 120, 8),
	SIZE(SaMsgQueueGroupNotificationBufferT, 24, 8),
	SIZE(SaMsgQueueThresholdsT, 64, 8),
	SIZE(SaMsgCallbacksT, 32, 8),
	SIZE(SaAmfCSIAttributeT, 16, 8),
	SIZE(SaAmfCSIAttributeListT, 16, 8),
	SIZE(SaAmfCSIDescriptorT, 544, 8),
	SIZE(SaAmfProtectionGroupNotificationBufferT, 16, 8),
	SIZE(SaAmfProtectionGroupNotificationBufferT_4, 16, 8),
	SIZE(SaAmfCallbacksT, 56, 8),
	SIZE(SaAmfCallbacksT_3, 72, 8),
	SIZE(SaAmfCallbacksT_4, 72, 8),
};

static void check_size_row(const struct size_row *r)
{
	ck_assert_msg(r->size == r->want_size, "sizeof(%s) = %zu, want %zu",
		r->name, r->size, r->want_size);
	if (r->want_align != 0)
		ck_assert_msg(r->align == r->want_align,
			"alignof(%s) = %zu, want %zu",
			r->name, r->align, r->want_align);
}

START_TEST(test_scalar_size)
{
	check_size_row(&scalar_sizes[_i]);
}
END_TEST

START_TEST(test_lp64_size)
{
	check_size_row(&lp64_sizes[_i]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Struct fields: offset, size, declared type (LP64)                        */
/* ------------------------------------------------------------------------ */

struct field_row {
	const char *name;
	size_t off, want_off;
	size_t size, want_size;
	int type_ok;
	const char *want_type;
};

#define FIELD(T, f, FT, off, sz) { #T "." #f, offsetof(T, f), (off), \
	FIELD_SIZE(T, f), (sz), TYPES_COMPATIBLE(FIELD_TYPE(T, f), FT), #FT }

#ifdef SA_MSG_VERSION_IS_SAVERSION
#define MSG_VERSION_TYPE SaVersionT
#define MSG_VERSION_SIZE 3
#else
#define MSG_VERSION_TYPE SaUint32T
#define MSG_VERSION_SIZE 4
#endif

static const struct field_row fields[] = {
	/* saAis.h */
	FIELD(SaNameT, length, SaUint16T, 0, 2),
	FIELD(SaNameT, value, SaUint8T[SA_MAX_NAME_LENGTH], 2, 256),
	FIELD(SaVersionT, releaseCode, SaUint8T, 0, 1),
	FIELD(SaVersionT, majorVersion, SaUint8T, 1, 1),
	FIELD(SaVersionT, minorVersion, SaUint8T, 2, 1),
	FIELD(SaAnyT, bufferSize, SaSizeT, 0, 8),
	FIELD(SaAnyT, bufferAddr, SaUint8T *, 8, 8),
	FIELD(SaLimitValueT, int64Value, SaInt64T, 0, 8),
	FIELD(SaLimitValueT, uint64Value, SaUint64T, 0, 8),
	FIELD(SaLimitValueT, timeValue, SaTimeT, 0, 8),
	FIELD(SaLimitValueT, floatValue, SaFloatT, 0, 4),
	FIELD(SaLimitValueT, doubleValue, SaDoubleT, 0, 8),
	/* saNtf.h */
	FIELD(SaNtfCorrelationIdsT, rootCorrelationId, SaNtfIdentifierT, 0, 8),
	FIELD(SaNtfCorrelationIdsT, parentCorrelationId, SaNtfIdentifierT, 8, 8),
	FIELD(SaNtfCorrelationIdsT, notificationId, SaNtfIdentifierT, 16, 8),
	/* saMsg.h */
	FIELD(SaMsgMessageT, type, SaUint32T, 0, 4),
	FIELD(SaMsgMessageT, version, MSG_VERSION_TYPE, 4, MSG_VERSION_SIZE),
	FIELD(SaMsgMessageT, size, SaSizeT, 8, 8),
	FIELD(SaMsgMessageT, senderName, SaNameT *, 16, 8),
	FIELD(SaMsgMessageT, data, void *, 24, 8),
	FIELD(SaMsgMessageT, priority, SaUint8T, 32, 1),
	FIELD(SaMsgQueueCreationAttributesT, creationFlags, SaMsgQueueCreationFlagsT, 0, 4),
	FIELD(SaMsgQueueCreationAttributesT, size, SaSizeT[4], 8, 32),
	FIELD(SaMsgQueueCreationAttributesT, retentionTime, SaTimeT, 40, 8),
	FIELD(SaMsgQueueUsageT, queueSize, SaSizeT, 0, 8),
	FIELD(SaMsgQueueUsageT, queueUsed, SaSizeT, 8, 8),
	FIELD(SaMsgQueueUsageT, numberOfMessages, SaUint32T, 16, 4),
	FIELD(SaMsgQueueStatusT, creationFlags, SaMsgQueueCreationFlagsT, 0, 4),
	FIELD(SaMsgQueueStatusT, retentionTime, SaTimeT, 8, 8),
	FIELD(SaMsgQueueStatusT, closeTime, SaTimeT, 16, 8),
	FIELD(SaMsgQueueStatusT, saMsgQueueUsage, SaMsgQueueUsageT[4], 24, 96),
	FIELD(SaMsgQueueGroupMemberT, queueName, SaNameT, 0, 258),
	FIELD(SaMsgQueueGroupNotificationT, member, SaMsgQueueGroupMemberT, 0, 258),
	FIELD(SaMsgQueueGroupNotificationT, change, SaMsgQueueGroupChangesT, 260, 4),
	FIELD(SaMsgQueueGroupNotificationBufferT, numberOfItems, SaUint32T, 0, 4),
	FIELD(SaMsgQueueGroupNotificationBufferT, notification, SaMsgQueueGroupNotificationT *, 8, 8),
	FIELD(SaMsgQueueGroupNotificationBufferT, queueGroupPolicy, SaMsgQueueGroupPolicyT, 16, 4),
	FIELD(SaMsgQueueThresholdsT, capacityReached, SaSizeT[4], 0, 32),
	FIELD(SaMsgQueueThresholdsT, capacityAvailable, SaSizeT[4], 32, 32),
	FIELD(SaMsgCallbacksT, saMsgQueueOpenCallback, SaMsgQueueOpenCallbackT, 0, 8),
	FIELD(SaMsgCallbacksT, saMsgQueueGroupTrackCallback, SaMsgQueueGroupTrackCallbackT, 8, 8),
	FIELD(SaMsgCallbacksT, saMsgMessageDeliveredCallback, SaMsgMessageDeliveredCallbackT, 16, 8),
	FIELD(SaMsgCallbacksT, saMsgMessageReceivedCallback, SaMsgMessageReceivedCallbackT, 24, 8),
	/* saAmf.h */
	FIELD(SaAmfHealthcheckKeyT, key, SaUint8T[SA_AMF_HEALTHCHECK_KEY_MAX], 0, 32),
	FIELD(SaAmfHealthcheckKeyT, keyLen, SaUint16T, 32, 2),
	FIELD(SaAmfCSIActiveDescriptorT, transitionDescriptor, SaAmfCSITransitionDescriptorT, 0, 4),
	FIELD(SaAmfCSIActiveDescriptorT, activeCompName, SaNameT, 4, 258),
	FIELD(SaAmfCSIStandbyDescriptorT, activeCompName, SaNameT, 0, 258),
	FIELD(SaAmfCSIStandbyDescriptorT, standbyRank, SaUint32T, 260, 4),
	FIELD(SaAmfCSIStateDescriptorT, activeDescriptor, SaAmfCSIActiveDescriptorT, 0, 264),
	FIELD(SaAmfCSIStateDescriptorT, standbyDescriptor, SaAmfCSIStandbyDescriptorT, 0, 264),
	FIELD(SaAmfCSIAttributeT, attrName, SaUint8T *, 0, 8),
	FIELD(SaAmfCSIAttributeT, attrValue, SaUint8T *, 8, 8),
	FIELD(SaAmfCSIAttributeListT, attr, SaAmfCSIAttributeT *, 0, 8),
	FIELD(SaAmfCSIAttributeListT, number, SaUint32T, 8, 4),
	FIELD(SaAmfCSIDescriptorT, csiFlags, SaAmfCSIFlagsT, 0, 4),
	FIELD(SaAmfCSIDescriptorT, csiName, SaNameT, 4, 258),
	FIELD(SaAmfCSIDescriptorT, csiStateDescriptor, SaAmfCSIStateDescriptorT, 264, 264),
	FIELD(SaAmfCSIDescriptorT, csiAttr, SaAmfCSIAttributeListT, 528, 16),
	FIELD(SaAmfProtectionGroupMemberT, compName, SaNameT, 0, 258),
	FIELD(SaAmfProtectionGroupMemberT, haState, SaAmfHAStateT, 260, 4),
	FIELD(SaAmfProtectionGroupMemberT, rank, SaUint32T, 264, 4),
	FIELD(SaAmfProtectionGroupNotificationT, member, SaAmfProtectionGroupMemberT, 0, 268),
	FIELD(SaAmfProtectionGroupNotificationT, change, SaAmfProtectionGroupChangesT, 268, 4),
	FIELD(SaAmfProtectionGroupNotificationBufferT, numberOfItems, SaUint32T, 0, 4),
	FIELD(SaAmfProtectionGroupNotificationBufferT, notification, SaAmfProtectionGroupNotificationT *, 8, 8),
	FIELD(SaAmfProtectionGroupMemberT_4, compName, SaNameT, 0, 258),
	FIELD(SaAmfProtectionGroupMemberT_4, haState, SaAmfHAStateT, 260, 4),
	FIELD(SaAmfProtectionGroupMemberT_4, haReadinessState, SaAmfHAReadinessStateT, 264, 4),
	FIELD(SaAmfProtectionGroupMemberT_4, rank, SaUint32T, 268, 4),
	FIELD(SaAmfProtectionGroupNotificationT_4, member, SaAmfProtectionGroupMemberT_4, 0, 272),
	FIELD(SaAmfProtectionGroupNotificationT_4, change, SaAmfProtectionGroupChangesT, 272, 4),
	FIELD(SaAmfProtectionGroupNotificationBufferT_4, numberOfItems, SaUint32T, 0, 4),
	FIELD(SaAmfProtectionGroupNotificationBufferT_4, notification, SaAmfProtectionGroupNotificationT_4 *, 8, 8),
#define AMF_CB_COMMON(T) \
	FIELD(T, saAmfHealthcheckCallback, SaAmfHealthcheckCallbackT, 0, 8), \
	FIELD(T, saAmfComponentTerminateCallback, SaAmfComponentTerminateCallbackT, 8, 8), \
	FIELD(T, saAmfCSISetCallback, SaAmfCSISetCallbackT, 16, 8), \
	FIELD(T, saAmfCSIRemoveCallback, SaAmfCSIRemoveCallbackT, 24, 8), \
	FIELD(T, saAmfProxiedComponentInstantiateCallback, SaAmfProxiedComponentInstantiateCallbackT, 40, 8), \
	FIELD(T, saAmfProxiedComponentCleanupCallback, SaAmfProxiedComponentCleanupCallbackT, 48, 8)
	AMF_CB_COMMON(SaAmfCallbacksT),
	FIELD(SaAmfCallbacksT, saAmfProtectionGroupTrackCallback, SaAmfProtectionGroupTrackCallbackT, 32, 8),
	AMF_CB_COMMON(SaAmfCallbacksT_3),
	FIELD(SaAmfCallbacksT_3, saAmfProtectionGroupTrackCallback, SaAmfProtectionGroupTrackCallbackT, 32, 8),
	FIELD(SaAmfCallbacksT_3, saAmfContainedComponentInstantiateCallback, SaAmfContainedComponentInstantiateCallbackT, 56, 8),
	FIELD(SaAmfCallbacksT_3, saAmfContainedComponentCleanupCallback, SaAmfContainedComponentCleanupCallbackT, 64, 8),
	AMF_CB_COMMON(SaAmfCallbacksT_4),
	FIELD(SaAmfCallbacksT_4, saAmfProtectionGroupTrackCallback, SaAmfProtectionGroupTrackCallbackT_4, 32, 8),
	FIELD(SaAmfCallbacksT_4, saAmfContainedComponentInstantiateCallback, SaAmfContainedComponentInstantiateCallbackT, 56, 8),
	FIELD(SaAmfCallbacksT_4, saAmfContainedComponentCleanupCallback, SaAmfContainedComponentCleanupCallbackT, 64, 8),
#undef AMF_CB_COMMON
};

START_TEST(test_field)
{
	const struct field_row *r = &fields[_i];

	ck_assert_msg(r->off == r->want_off, "offsetof(%s) = %zu, want %zu",
		r->name, r->off, r->want_off);
	ck_assert_msg(r->size == r->want_size, "sizeof(%s) = %zu, want %zu",
		r->name, r->size, r->want_size);
	ck_assert_msg(r->type_ok, "%s is not declared as %s",
		r->name, r->want_type);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Enum members and macros                                                  */
/* ------------------------------------------------------------------------ */

struct value_row {
	const char *name;
	unsigned long long value, want;
};

#define VALUE(name, v) { #name, (unsigned long long)(name), (v) }

static const struct value_row values[] = {
	/* saAis.h: SaAisErrorT, all 40 */
	VALUE(SA_AIS_OK, 1),
	VALUE(SA_AIS_ERR_LIBRARY, 2),
	VALUE(SA_AIS_ERR_VERSION, 3),
	VALUE(SA_AIS_ERR_INIT, 4),
	VALUE(SA_AIS_ERR_TIMEOUT, 5),
	VALUE(SA_AIS_ERR_TRY_AGAIN, 6),
	VALUE(SA_AIS_ERR_INVALID_PARAM, 7),
	VALUE(SA_AIS_ERR_NO_MEMORY, 8),
	VALUE(SA_AIS_ERR_BAD_HANDLE, 9),
	VALUE(SA_AIS_ERR_BUSY, 10),
	VALUE(SA_AIS_ERR_ACCESS, 11),
	VALUE(SA_AIS_ERR_NOT_EXIST, 12),
	VALUE(SA_AIS_ERR_NAME_TOO_LONG, 13),
	VALUE(SA_AIS_ERR_EXIST, 14),
	VALUE(SA_AIS_ERR_NO_SPACE, 15),
	VALUE(SA_AIS_ERR_INTERRUPT, 16),
	VALUE(SA_AIS_ERR_NAME_NOT_FOUND, 17),
	VALUE(SA_AIS_ERR_NO_RESOURCES, 18),
	VALUE(SA_AIS_ERR_NOT_SUPPORTED, 19),
	VALUE(SA_AIS_ERR_BAD_OPERATION, 20),
	VALUE(SA_AIS_ERR_FAILED_OPERATION, 21),
	VALUE(SA_AIS_ERR_MESSAGE_ERROR, 22),
	VALUE(SA_AIS_ERR_QUEUE_FULL, 23),
	VALUE(SA_AIS_ERR_QUEUE_NOT_AVAILABLE, 24),
	VALUE(SA_AIS_ERR_BAD_FLAGS, 25),
	VALUE(SA_AIS_ERR_TOO_BIG, 26),
	VALUE(SA_AIS_ERR_NO_SECTIONS, 27),
	VALUE(SA_AIS_ERR_NO_OP, 28),
	VALUE(SA_AIS_ERR_REPAIR_PENDING, 29),
	VALUE(SA_AIS_ERR_NO_BINDINGS, 30),
	VALUE(SA_AIS_ERR_UNAVAILABLE, 31),
	VALUE(SA_AIS_ERR_CAMPAIGN_ERROR_DETECTED, 32),
	VALUE(SA_AIS_ERR_CAMPAIGN_PROC_FAILED, 33),
	VALUE(SA_AIS_ERR_CAMPAIGN_CANCELED, 34),
	VALUE(SA_AIS_ERR_CAMPAIGN_FAILED, 35),
	VALUE(SA_AIS_ERR_CAMPAIGN_SUSPENDED, 36),
	VALUE(SA_AIS_ERR_CAMPAIGN_SUSPENDING, 37),
	VALUE(SA_AIS_ERR_ACCESS_DENIED, 38),
	VALUE(SA_AIS_ERR_NOT_READY, 39),
	VALUE(SA_AIS_ERR_DEPLOYMENT, 40),
	/* saAis.h: the rest */
	VALUE(SA_FALSE, 0),
	VALUE(SA_TRUE, 1),
	VALUE(SA_DISPATCH_ONE, 1),
	VALUE(SA_DISPATCH_ALL, 2),
	VALUE(SA_DISPATCH_BLOCKING, 3),
	VALUE(SA_TRACK_CURRENT, 0x01),
	VALUE(SA_TRACK_CHANGES, 0x02),
	VALUE(SA_TRACK_CHANGES_ONLY, 0x04),
	VALUE(SA_TRACK_LOCAL, 0x08),
	VALUE(SA_TRACK_START_STEP, 0x10),
	VALUE(SA_TRACK_VALIDATE_STEP, 0x20),
	VALUE(SA_SVC_HPI, 1),
	VALUE(SA_SVC_AMF, 2),
	VALUE(SA_SVC_CLM, 3),
	VALUE(SA_SVC_CKPT, 4),
	VALUE(SA_SVC_EVT, 5),
	VALUE(SA_SVC_MSG, 6),
	VALUE(SA_SVC_LCK, 7),
	VALUE(SA_SVC_IMMS, 8),
	VALUE(SA_SCV_LOG, 9),
	VALUE(SA_SVC_LOG, 9),
	VALUE(SA_SVC_NTF, 10),
	VALUE(SA_SVC_NAM, 11),
	VALUE(SA_SVC_TMR, 12),
	VALUE(SA_SVC_SMF, 13),
	VALUE(SA_SVC_SEC, 14),
	VALUE(SA_SVC_PLM, 15),
	VALUE(SA_MAX_NAME_LENGTH, 256),
	VALUE(SA_TIME_BEGIN, 0x0ULL),
	VALUE(SA_TIME_END, 0x7FFFFFFFFFFFFFFFULL),
	VALUE(SA_TIME_UNKNOWN, 0x8000000000000000ULL),
	VALUE(SA_TIME_ONE_MICROSECOND, 1000ULL),
	VALUE(SA_TIME_ONE_MILLISECOND, 1000000ULL),
	VALUE(SA_TIME_ONE_SECOND, 1000000000ULL),
	VALUE(SA_TIME_ONE_MINUTE, 60000000000ULL),
	VALUE(SA_TIME_ONE_HOUR, 3600000000000ULL),
	VALUE(SA_TIME_ONE_DAY, 86400000000000ULL),
	VALUE(SA_TIME_MAX, 0x7FFFFFFFFFFFFFFFULL),
	/* saNtf.h */
	VALUE(SA_NTF_IDENTIFIER_UNUSED, 0),
	/* saMsg.h */
	VALUE(SA_MSG_MESSAGE_DELIVERED_ACK, 0x1),
	VALUE(SA_MSG_QUEUE_PERSISTENT, 0x1),
	VALUE(SA_MSG_QUEUE_CREATE, 0x1),
	VALUE(SA_MSG_QUEUE_RECEIVE_CALLBACK, 0x2),
	VALUE(SA_MSG_QUEUE_EMPTY, 0x4),
	VALUE(SA_MSG_MESSAGE_HIGHEST_PRIORITY, 0),
	VALUE(SA_MSG_MESSAGE_LOWEST_PRIORITY, 3),
	VALUE(SA_MSG_QUEUE_GROUP_ROUND_ROBIN, 1),
	VALUE(SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN, 2),
	VALUE(SA_MSG_QUEUE_GROUP_LOCAL_BEST_QUEUE, 3),
	VALUE(SA_MSG_QUEUE_GROUP_BROADCAST, 4),
	VALUE(SA_MSG_QUEUE_GROUP_NO_CHANGE, 1),
	VALUE(SA_MSG_QUEUE_GROUP_ADDED, 2),
	VALUE(SA_MSG_QUEUE_GROUP_REMOVED, 3),
	VALUE(SA_MSG_QUEUE_GROUP_STATE_CHANGED, 4),
	VALUE(SA_MSG_QUEUE_CAPACITY_REACHED, 1),
	VALUE(SA_MSG_QUEUE_CAPACITY_AVAILABLE, 2),
	VALUE(SA_MSG_QUEUE_GROUP_CAPACITY_REACHED, 3),
	VALUE(SA_MSG_QUEUE_GROUP_CAPACITY_AVAILABLE, 4),
	VALUE(SA_MSG_DEST_CAPACITY_STATUS, 1),
	VALUE(SA_MSG_MAX_PRIORITY_AREA_SIZE_ID, 1),
	VALUE(SA_MSG_MAX_QUEUE_SIZE_ID, 2),
	VALUE(SA_MSG_MAX_NUM_QUEUES_ID, 3),
	VALUE(SA_MSG_MAX_NUM_QUEUE_GROUPS_ID, 4),
	VALUE(SA_MSG_MAX_NUM_QUEUES_PER_GROUP_ID, 5),
	VALUE(SA_MSG_MAX_MESSAGE_SIZE_ID, 6),
	VALUE(SA_MSG_MAX_REPLY_SIZE_ID, 7),
	/* saAmf.h */
	VALUE(SA_AMF_PM_ZERO_EXIT, 0x1),
	VALUE(SA_AMF_PM_NON_ZERO_EXIT, 0x2),
	VALUE(SA_AMF_PM_ABNORMAL_END, 0x4),
	VALUE(SA_AMF_PM_PROC, 1),
	VALUE(SA_AMF_PM_PROC_AND_DESCENDENTS, 2),
	VALUE(SA_AMF_PM_ALL_PROCESSES, 3),
	VALUE(SA_AMF_HEALTHCHECK_AMF_INVOKED, 1),
	VALUE(SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, 2),
	VALUE(SA_AMF_HEALTHCHECK_KEY_MAX, 32),
	VALUE(SA_AMF_HA_ACTIVE, 1),
	VALUE(SA_AMF_HA_STANDBY, 2),
	VALUE(SA_AMF_HA_QUIESCED, 3),
	VALUE(SA_AMF_HA_QUIESCING, 4),
	VALUE(SA_AMF_READINESS_OUT_OF_SERVICE, 1),
	VALUE(SA_AMF_READINESS_IN_SERVICE, 2),
	VALUE(SA_AMF_READINESS_STOPPING, 3),
	VALUE(SA_AMF_PRESENCE_UNINSTANTIATED, 1),
	VALUE(SA_AMF_PRESENCE_INSTANTIATING, 2),
	VALUE(SA_AMF_PRESENCE_INSTANTIATED, 3),
	VALUE(SA_AMF_PRESENCE_TERMINATING, 4),
	VALUE(SA_AMF_PRESENCE_RESTARTING, 5),
	VALUE(SA_AMF_PRESENCE_INSTANTIATION_FAILED, 6),
	VALUE(SA_AMF_PRESENCE_TERMINATION_FAILED, 7),
	VALUE(SA_AMF_OPERATIONAL_ENABLED, 1),
	VALUE(SA_AMF_OPERATIONAL_DISABLED, 2),
	VALUE(SA_AMF_ADMIN_UNLOCKED, 1),
	VALUE(SA_AMF_ADMIN_LOCKED, 2),
	VALUE(SA_AMF_ADMIN_LOCKED_INSTANTIATION, 3),
	VALUE(SA_AMF_ADMIN_SHUTTING_DOWN, 4),
	VALUE(SA_AMF_ASSIGNMENT_UNASSIGNED, 1),
	VALUE(SA_AMF_ASSIGNMENT_FULLY_ASSIGNED, 2),
	VALUE(SA_AMF_ASSIGNMENT_PARTIALLY_ASSIGNED, 3),
	VALUE(SA_AMF_HARS_READY_FOR_ASSIGNMENT, 1),
	VALUE(SA_AMF_HARS_READY_FOR_ACTIVE_DEGRADED, 2),
	VALUE(SA_AMF_HARS_NOT_READY_FOR_ACTIVE, 3),
	VALUE(SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT, 4),
	VALUE(SA_AMF_PROXY_STATUS_UNPROXIED, 1),
	VALUE(SA_AMF_PROXY_STATUS_PROXIED, 2),
	VALUE(SA_AMF_READINESS_STATE, 1),
	VALUE(SA_AMF_HA_STATE, 2),
	VALUE(SA_AMF_PRESENCE_STATE, 3),
	VALUE(SA_AMF_OP_STATE, 4),
	VALUE(SA_AMF_ADMIN_STATE, 5),
	VALUE(SA_AMF_ASSIGNMENT_STATE, 6),
	VALUE(SA_AMF_PROXY_STATUS, 7),
	VALUE(SA_AMF_HA_READINESS_STATE, 8),
	VALUE(SA_AMF_CSI_ADD_ONE, 0x1),
	VALUE(SA_AMF_CSI_TARGET_ONE, 0x2),
	VALUE(SA_AMF_CSI_TARGET_ALL, 0x4),
	VALUE(SA_AMF_CSI_NEW_ASSIGN, 1),
	VALUE(SA_AMF_CSI_QUIESCED, 2),
	VALUE(SA_AMF_CSI_NOT_QUIESCED, 3),
	VALUE(SA_AMF_CSI_STILL_ACTIVE, 4),
	VALUE(SA_AMF_PROTECTION_GROUP_NO_CHANGE, 1),
	VALUE(SA_AMF_PROTECTION_GROUP_ADDED, 2),
	VALUE(SA_AMF_PROTECTION_GROUP_REMOVED, 3),
	VALUE(SA_AMF_PROTECTION_GROUP_STATE_CHANGE, 4),
	VALUE(SA_AMF_NO_RECOMMENDATION, 1),
	VALUE(SA_AMF_COMPONENT_RESTART, 2),
	VALUE(SA_AMF_COMPONENT_FAILOVER, 3),
	VALUE(SA_AMF_NODE_SWITCHOVER, 4),
	VALUE(SA_AMF_NODE_FAILOVER, 5),
	VALUE(SA_AMF_NODE_FAILFAST, 6),
	VALUE(SA_AMF_CLUSTER_RESET, 7),
	VALUE(SA_AMF_APPLICATION_RESTART, 8),
	VALUE(SA_AMF_CONTAINER_RESTART, 9),
	VALUE(SA_AMF_COMP_SA_AWARE, 0x1),
	VALUE(SA_AMF_COMP_PROXY, 0x2),
	VALUE(SA_AMF_COMP_PROXIED, 0x4),
	VALUE(SA_AMF_COMP_LOCAL, 0x8),
	VALUE(SA_AMF_COMP_CONTAINER, 0x10),
	VALUE(SA_AMF_COMP_CONTAINED, 0x20),
	VALUE(SA_AMF_COMP_PROXIED_NPI, 0x40),
	VALUE(SA_AMF_2N_REDUNDANCY_MODEL, 1),
	VALUE(SA_AMF_NPM_REDUNDANCY_MODEL, 2),
	VALUE(SA_AMF_N_WAY_REDUNDANCY_MODEL, 3),
	VALUE(SA_AMF_N_WAY_ACTIVE_REDUNDANCY_MODEL, 4),
	VALUE(SA_AMF_N_WAY_ACTIVE_REDUNDACY_MODEL, 4),
	VALUE(SA_AMF_NO_REDUNDANCY_MODEL, 5),
	VALUE(SA_AMF_COMP_X_ACTIVE_AND_Y_STANDBY, 1),
	VALUE(SA_AMF_COMP_X_ACTIVE_OR_Y_STANDBY, 2),
	VALUE(SA_AMF_COMP_ONE_ACTIVE_OR_Y_STANDBY, 3),
	VALUE(SA_AMF_COMP_ONE_ACTIVE_OR_ONE_STANDBY, 4),
	VALUE(SA_AMF_COMP_X_ACTIVE, 5),
	VALUE(SA_AMF_COMP_1_ACTIVE, 6),
	VALUE(SA_AMF_COMP_NON_PRE_INSTANTIABLE, 7),
	VALUE(SA_AMF_NODE_NAME, 1),
	VALUE(SA_AMF_SI_NAME, 2),
	VALUE(SA_AMF_MAINTENANCE_CAMPAIGN_DN, 3),
	VALUE(SA_AMF_AI_RECOMMENDED_RECOVERY, 4),
	VALUE(SA_AMF_AI_APPLIED_RECOVERY, 5),
	VALUE(SA_AMF_ADMIN_UNLOCK, 1),
	VALUE(SA_AMF_ADMIN_LOCK, 2),
	VALUE(SA_AMF_ADMIN_LOCK_INSTANTIATION, 3),
	VALUE(SA_AMF_ADMIN_UNLOCK_INSTANTIATION, 4),
	VALUE(SA_AMF_ADMIN_SHUTDOWN, 5),
	VALUE(SA_AMF_ADMIN_RESTART, 6),
	VALUE(SA_AMF_ADMIN_SI_SWAP, 7),
	VALUE(SA_AMF_ADMIN_SG_ADJUST, 8),
	VALUE(SA_AMF_ADMIN_REPAIRED, 9),
	VALUE(SA_AMF_ADMIN_EAM_START, 10),
	VALUE(SA_AMF_ADMIN_EAM_STOP, 11),
	VALUE(SA_AMF_NTFID_COMP_INSTANTIATION_FAILED, 0x02),
	VALUE(SA_AMF_NTFID_COMP_CLEANUP_FAILED, 0x03),
	VALUE(SA_AMF_NTFID_CLUSTER_RESET, 0x04),
	VALUE(SA_AMF_NTFID_SI_UNASSIGNED, 0x05),
	VALUE(SA_AMF_NTFID_COMP_UNPROXIED, 0x06),
	VALUE(SA_AMF_NTFID_NODE_ADMIN_STATE, 0x65),
	VALUE(SA_AMF_NTFID_SU_ADMIN_STATE, 0x66),
	VALUE(SA_AMF_NTFID_SG_ADMIN_STATE, 0x67),
	VALUE(SA_AMF_NTFID_SI_ADMIN_STATE, 0x68),
	VALUE(SA_AMF_NTFID_APP_ADMIN_STATE, 0x69),
	VALUE(SA_AMF_NTFID_CLUSTER_ADMIN_STATE, 0x6A),
	VALUE(SA_AMF_NTFID_NODE_OP_STATE, 0x6B),
	VALUE(SA_AMF_NTFID_SU_OP_STATE, 0x6C),
	VALUE(SA_AMF_NTFID_SU_PRESENCE_STATE, 0x6D),
	VALUE(SA_AMF_NTFID_SU_SI_HA_STATE, 0x6E),
	VALUE(SA_AMF_NTFID_SI_ASSIGNMENT_STATE, 0x6F),
	VALUE(SA_AMF_NTFID_COMP_PROXY_STATUS, 0x70),
	VALUE(SA_AMF_NTFID_SU_SI_HA_READINESS_STATE, 0x71),
	VALUE(SA_AMF_NTFID_ERROR_REPORT, 0x191),
	VALUE(SA_AMF_NTFID_ERROR_CLEAR, 0x192),
};

START_TEST(test_value)
{
	const struct value_row *r = &values[_i];

	ck_assert_msg(r->value == r->want, "%s = %#llx, want %#llx",
		r->name, r->value, r->want);
}
END_TEST

/*
 * Time constants are SaTimeT values written with an LL suffix: each must be
 * an 8-byte integer constant, and SA_TIME_UNKNOWN must read back as -2^63.
 */
struct time_row {
	const char *name;
	size_t size;
	SaTimeT as_time;
	long long want;
};

#define TIME(name, w) { #name, sizeof(name), (SaTimeT)(name), (w) }

static const struct time_row times[] = {
	TIME(SA_TIME_BEGIN, 0LL),
	TIME(SA_TIME_END, LLONG_MAX),
	TIME(SA_TIME_UNKNOWN, LLONG_MIN),
	TIME(SA_TIME_ONE_MICROSECOND, 1000LL),
	TIME(SA_TIME_ONE_MILLISECOND, 1000LL * 1000),
	TIME(SA_TIME_ONE_SECOND, 1000LL * 1000 * 1000),
	TIME(SA_TIME_ONE_MINUTE, 60LL * 1000 * 1000 * 1000),
	TIME(SA_TIME_ONE_HOUR, 60LL * 60 * 1000 * 1000 * 1000),
	TIME(SA_TIME_ONE_DAY, 24LL * 60 * 60 * 1000 * 1000 * 1000),
	TIME(SA_TIME_MAX, LLONG_MAX),
};

START_TEST(test_time)
{
	const struct time_row *r = &times[_i];

	ck_assert_msg(r->size == sizeof(long long),
		"%s is a %zu-byte constant; want a long long (LL suffix)",
		r->name, r->size);
	ck_assert_msg(r->as_time == r->want, "(SaTimeT)%s = %lld, want %lld",
		r->name, (long long)r->as_time, r->want);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Typedefs, callback types and function prototypes                         */
/* ------------------------------------------------------------------------ */

struct type_row {
	const char *name;
	int ok;
	const char *want;
};

#define TYPE_IS(T, ...) { #T, TYPES_COMPATIBLE(T, __VA_ARGS__), #__VA_ARGS__ }
#define PROTO(fn, ...) { #fn, TYPES_COMPATIBLE(TYPEOF(fn), __VA_ARGS__), #__VA_ARGS__ }

static const struct type_row types[] = {
	/* saAis.h scalars, as in the official header */
	TYPE_IS(SaInt8T, char),
	TYPE_IS(SaInt16T, short),
	TYPE_IS(SaInt32T, int),
	TYPE_IS(SaInt64T, long long),
	TYPE_IS(SaUint8T, unsigned char),
	TYPE_IS(SaUint16T, unsigned short),
	TYPE_IS(SaUint32T, unsigned int),
	TYPE_IS(SaUint64T, unsigned long long),
	TYPE_IS(SaFloatT, float),
	TYPE_IS(SaDoubleT, double),
	TYPE_IS(SaStringT, char *),
	TYPE_IS(SaConstStringT, const char *),
	TYPE_IS(SaTimeT, SaInt64T),
	TYPE_IS(SaInvocationT, SaUint64T),
	TYPE_IS(SaSizeT, SaUint64T),
	TYPE_IS(SaOffsetT, SaUint64T),
	TYPE_IS(SaSelectionObjectT, SaUint64T),
	TYPE_IS(SaNtfIdentifierT, SaUint64T),
	TYPE_IS(TYPEOF(SA_NTF_IDENTIFIER_UNUSED), SaNtfIdentifierT),
	/* saMsg.h */
	TYPE_IS(SaMsgHandleT, SaUint64T),
	TYPE_IS(SaMsgQueueHandleT, SaUint64T),
	TYPE_IS(SaMsgSenderIdT, SaUint64T),
	TYPE_IS(SaMsgAckFlagsT, SaUint32T),
	TYPE_IS(SaMsgQueueCreationFlagsT, SaUint32T),
	TYPE_IS(SaMsgQueueOpenFlagsT, SaUint32T),
	TYPE_IS(SaMsgQueueOpenCallbackT,
		void (*)(SaInvocationT, SaMsgQueueHandleT, SaAisErrorT)),
	TYPE_IS(SaMsgQueueGroupTrackCallbackT,
		void (*)(const SaNameT *, const SaMsgQueueGroupNotificationBufferT *,
			SaUint32T, SaAisErrorT)),
	TYPE_IS(SaMsgMessageDeliveredCallbackT,
		void (*)(SaInvocationT, SaAisErrorT)),
	TYPE_IS(SaMsgMessageReceivedCallbackT, void (*)(SaMsgQueueHandleT)),
	/* saAmf.h */
	TYPE_IS(SaAmfHandleT, SaUint64T),
	TYPE_IS(SaAmfPmErrorsT, SaUint32T),
	TYPE_IS(SaAmfCSIFlagsT, SaUint32T),
	TYPE_IS(SaAmfCompCategoryT, SaUint32T),
	TYPE_IS(saAmfCompCategoryT, SaAmfCompCategoryT),
	TYPE_IS(saAmfRedundancyModelT, SaAmfRedundancyModelT),
	TYPE_IS(SaAmfHealthcheckCallbackT,
		void (*)(SaInvocationT, const SaNameT *, SaAmfHealthcheckKeyT *)),
	TYPE_IS(SaAmfComponentTerminateCallbackT,
		void (*)(SaInvocationT, const SaNameT *)),
	TYPE_IS(SaAmfCSISetCallbackT,
		void (*)(SaInvocationT, const SaNameT *, SaAmfHAStateT,
			SaAmfCSIDescriptorT)),
	TYPE_IS(SaAmfCSIRemoveCallbackT,
		void (*)(SaInvocationT, const SaNameT *, const SaNameT *,
			SaAmfCSIFlagsT)),
	TYPE_IS(SaAmfProtectionGroupTrackCallbackT,
		void (*)(const SaNameT *, SaAmfProtectionGroupNotificationBufferT *,
			SaUint32T, SaAisErrorT)),
	TYPE_IS(SaAmfProtectionGroupTrackCallbackT_4,
		void (*)(const SaNameT *, SaAmfProtectionGroupNotificationBufferT_4 *,
			SaUint32T, SaAisErrorT)),
	TYPE_IS(SaAmfProxiedComponentInstantiateCallbackT,
		void (*)(SaInvocationT, const SaNameT *)),
	TYPE_IS(SaAmfProxiedComponentCleanupCallbackT,
		void (*)(SaInvocationT, const SaNameT *)),
	TYPE_IS(SaAmfContainedComponentInstantiateCallbackT,
		void (*)(SaInvocationT, const SaNameT *)),
	TYPE_IS(SaAmfContainedComponentCleanupCallbackT,
		void (*)(SaInvocationT, const SaNameT *)),
};

static const struct type_row protos[] = {
	/* saMsg.h, reference 2.5 */
	PROTO(saMsgInitialize, SaAisErrorT (SaMsgHandleT *,
		const SaMsgCallbacksT *, SaVersionT *)),
	PROTO(saMsgSelectionObjectGet, SaAisErrorT (SaMsgHandleT,
		SaSelectionObjectT *)),
	PROTO(saMsgDispatch, SaAisErrorT (SaMsgHandleT, SaDispatchFlagsT)),
	PROTO(saMsgFinalize, SaAisErrorT (SaMsgHandleT)),
	PROTO(saMsgQueueOpen, SaAisErrorT (SaMsgHandleT, const SaNameT *,
		const SaMsgQueueCreationAttributesT *, SaMsgQueueOpenFlagsT,
		SaTimeT, SaMsgQueueHandleT *)),
	PROTO(saMsgQueueOpenAsync, SaAisErrorT (SaMsgHandleT, SaInvocationT,
		const SaNameT *, const SaMsgQueueCreationAttributesT *,
		SaMsgQueueOpenFlagsT)),
	PROTO(saMsgQueueClose, SaAisErrorT (SaMsgQueueHandleT)),
	PROTO(saMsgQueueStatusGet, SaAisErrorT (SaMsgHandleT, const SaNameT *,
		SaMsgQueueStatusT *)),
	PROTO(saMsgQueueRetentionTimeSet, SaAisErrorT (SaMsgQueueHandleT,
		SaTimeT *)),
	PROTO(saMsgQueueUnlink, SaAisErrorT (SaMsgHandleT, const SaNameT *)),
	PROTO(saMsgQueueGroupCreate, SaAisErrorT (SaMsgHandleT, const SaNameT *,
		SaMsgQueueGroupPolicyT)),
	PROTO(saMsgQueueGroupDelete, SaAisErrorT (SaMsgHandleT,
		const SaNameT *)),
	PROTO(saMsgQueueGroupInsert, SaAisErrorT (SaMsgHandleT, const SaNameT *,
		const SaNameT *)),
	PROTO(saMsgQueueGroupRemove, SaAisErrorT (SaMsgHandleT, const SaNameT *,
		const SaNameT *)),
	PROTO(saMsgQueueGroupTrack, SaAisErrorT (SaMsgHandleT, const SaNameT *,
		SaUint8T, SaMsgQueueGroupNotificationBufferT *)),
	PROTO(saMsgQueueGroupTrackStop, SaAisErrorT (SaMsgHandleT,
		const SaNameT *)),
	PROTO(saMsgQueueGroupNotificationFree, SaAisErrorT (SaMsgHandleT,
		SaMsgQueueGroupNotificationT *)),
	PROTO(saMsgMessageSend, SaAisErrorT (SaMsgHandleT, const SaNameT *,
		const SaMsgMessageT *, SaTimeT)),
	PROTO(saMsgMessageSendAsync, SaAisErrorT (SaMsgHandleT, SaInvocationT,
		const SaNameT *, const SaMsgMessageT *, SaMsgAckFlagsT)),
	PROTO(saMsgMessageGet, SaAisErrorT (SaMsgQueueHandleT, SaMsgMessageT *,
		SaTimeT *, SaMsgSenderIdT *, SaTimeT)),
	PROTO(saMsgMessageDataFree, SaAisErrorT (SaMsgHandleT, void *)),
	PROTO(saMsgMessageCancel, SaAisErrorT (SaMsgQueueHandleT)),
	PROTO(saMsgMessageSendReceive, SaAisErrorT (SaMsgHandleT,
		const SaNameT *, const SaMsgMessageT *, SaMsgMessageT *,
		SaTimeT *, SaTimeT)),
	PROTO(saMsgMessageReply, SaAisErrorT (SaMsgHandleT,
		const SaMsgMessageT *, const SaMsgSenderIdT *, SaTimeT)),
	PROTO(saMsgMessageReplyAsync, SaAisErrorT (SaMsgHandleT, SaInvocationT,
		const SaMsgMessageT *, const SaMsgSenderIdT *, SaMsgAckFlagsT)),
	PROTO(saMsgQueueCapacityThresholdsSet, SaAisErrorT (SaMsgQueueHandleT,
		const SaMsgQueueThresholdsT *)),
	PROTO(saMsgQueueCapacityThresholdsGet, SaAisErrorT (SaMsgQueueHandleT,
		SaMsgQueueThresholdsT *)),
	PROTO(saMsgMetadataSizeGet, SaAisErrorT (SaMsgHandleT, SaUint32T *)),
	PROTO(saMsgLimitGet, SaAisErrorT (SaMsgHandleT, SaMsgLimitIdT,
		SaLimitValueT *)),
	/* saAmf.h, reference 4.5 */
	PROTO(saAmfInitialize, SaAisErrorT (SaAmfHandleT *,
		const SaAmfCallbacksT *, SaVersionT *)),
	PROTO(saAmfInitialize_3, SaAisErrorT (SaAmfHandleT *,
		const SaAmfCallbacksT_3 *, SaVersionT *)),
	PROTO(saAmfInitialize_4, SaAisErrorT (SaAmfHandleT *,
		const SaAmfCallbacksT_4 *, SaVersionT *)),
	PROTO(saAmfSelectionObjectGet, SaAisErrorT (SaAmfHandleT,
		SaSelectionObjectT *)),
	PROTO(saAmfDispatch, SaAisErrorT (SaAmfHandleT, SaDispatchFlagsT)),
	PROTO(saAmfFinalize, SaAisErrorT (SaAmfHandleT)),
	PROTO(saAmfComponentRegister, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, const SaNameT *)),
	PROTO(saAmfComponentUnregister, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, const SaNameT *)),
	PROTO(saAmfComponentNameGet, SaAisErrorT (SaAmfHandleT, SaNameT *)),
	PROTO(saAmfPmStart, SaAisErrorT (SaAmfHandleT, const SaNameT *,
		SaUint64T, SaInt32T, SaAmfPmErrorsT, SaAmfRecommendedRecoveryT)),
	PROTO(saAmfPmStart_3, SaAisErrorT (SaAmfHandleT, const SaNameT *,
		SaInt64T, SaInt32T, SaAmfPmErrorsT, SaAmfRecommendedRecoveryT)),
	PROTO(saAmfPmStop, SaAisErrorT (SaAmfHandleT, const SaNameT *,
		SaAmfPmStopQualifierT, SaInt64T, SaAmfPmErrorsT)),
	PROTO(saAmfHealthcheckStart, SaAisErrorT (SaAmfHandleT, const SaNameT *,
		const SaAmfHealthcheckKeyT *, SaAmfHealthcheckInvocationT,
		SaAmfRecommendedRecoveryT)),
	PROTO(saAmfHealthcheckConfirm, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, const SaAmfHealthcheckKeyT *, SaAisErrorT)),
	PROTO(saAmfHealthcheckStop, SaAisErrorT (SaAmfHandleT, const SaNameT *,
		const SaAmfHealthcheckKeyT *)),
	PROTO(saAmfHAStateGet, SaAisErrorT (SaAmfHandleT, const SaNameT *,
		const SaNameT *, SaAmfHAStateT *)),
	PROTO(saAmfHAReadinessStateSet, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, const SaNameT *, SaAmfHAReadinessStateT,
		SaNtfCorrelationIdsT *)),
	PROTO(saAmfCSIQuiescingComplete, SaAisErrorT (SaAmfHandleT,
		SaInvocationT, SaAisErrorT)),
	PROTO(saAmfProtectionGroupTrack, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, SaUint8T,
		SaAmfProtectionGroupNotificationBufferT *)),
	PROTO(saAmfProtectionGroupTrack_4, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, SaUint8T,
		SaAmfProtectionGroupNotificationBufferT_4 *)),
	PROTO(saAmfProtectionGroupTrackStop, SaAisErrorT (SaAmfHandleT,
		const SaNameT *)),
	PROTO(saAmfProtectionGroupNotificationFree, SaAisErrorT (SaAmfHandleT,
		SaAmfProtectionGroupNotificationT *)),
	PROTO(saAmfProtectionGroupNotificationFree_4, SaAisErrorT (SaAmfHandleT,
		SaAmfProtectionGroupNotificationT_4 *)),
	PROTO(saAmfComponentErrorReport, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, SaTimeT, SaAmfRecommendedRecoveryT,
		SaNtfIdentifierT)),
	PROTO(saAmfComponentErrorReport_4, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, SaTimeT, SaAmfRecommendedRecoveryT,
		SaNtfCorrelationIdsT *)),
	PROTO(saAmfComponentErrorClear, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, SaNtfIdentifierT)),
	PROTO(saAmfComponentErrorClear_4, SaAisErrorT (SaAmfHandleT,
		const SaNameT *, SaNtfCorrelationIdsT *)),
	PROTO(saAmfCorrelationIdsGet, SaAisErrorT (SaAmfHandleT, SaInvocationT,
		SaNtfCorrelationIdsT *)),
	PROTO(saAmfResponse, SaAisErrorT (SaAmfHandleT, SaInvocationT,
		SaAisErrorT)),
	PROTO(saAmfResponse_4, SaAisErrorT (SaAmfHandleT, SaInvocationT,
		SaNtfCorrelationIdsT *, SaAisErrorT)),
};

START_TEST(test_type)
{
	ck_assert_msg(types[_i].ok, "%s is not %s", types[_i].name,
		types[_i].want);
}
END_TEST

START_TEST(test_proto)
{
	ck_assert_msg(protos[_i].ok, "%s is not declared as %s",
		protos[_i].name, protos[_i].want);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Single checks                                                            */
/* ------------------------------------------------------------------------ */

START_TEST(test_signedness)
{
	ck_assert_msg((SaTimeT)-1 < 0, "SaTimeT must be signed");
	ck_assert_msg((SaInt64T)-1 < 0, "SaInt64T must be signed");
	ck_assert_msg((SaUint64T)-1 > 0, "SaUint64T must be unsigned");
	ck_assert_msg((SaSizeT)-1 > 0, "SaSizeT must be unsigned");
	ck_assert_msg((SaUint32T)-1 > 0, "SaUint32T must be unsigned");
	ck_assert_msg((SaUint16T)-1 > 0, "SaUint16T must be unsigned");
	ck_assert_msg((SaUint8T)-1 > 0, "SaUint8T must be unsigned");
}
END_TEST

/* Array bounds the reference gives as numbers. */
START_TEST(test_array_lengths)
{
	SaMsgQueueCreationAttributesT ca;
	SaMsgQueueStatusT st;
	SaMsgQueueThresholdsT th;
	SaNameT n;
	SaAmfHealthcheckKeyT k;

	ck_assert_uint_eq(sizeof(ca.size) / sizeof(ca.size[0]), 4);
	ck_assert_uint_eq(sizeof(st.saMsgQueueUsage) / sizeof(st.saMsgQueueUsage[0]), 4);
	ck_assert_uint_eq(sizeof(th.capacityReached) / sizeof(th.capacityReached[0]), 4);
	ck_assert_uint_eq(sizeof(th.capacityAvailable) / sizeof(th.capacityAvailable[0]), 4);
	ck_assert_uint_eq(sizeof(n.value), 256);
	ck_assert_uint_eq(sizeof(k.key), 32);
}
END_TEST

/* Field order of SaVersionT: a positional initializer is {'B', 1, 1}. */
START_TEST(test_version_positional)
{
	SaVersionT v = { 'B', 3, 1 };

	ck_assert_int_eq(v.releaseCode, 'B');
	ck_assert_int_eq(v.majorVersion, 3);
	ck_assert_int_eq(v.minorVersion, 1);
}
END_TEST

/*
 * SaMsgMessageT.version in both modes: the value must land in the 4 bytes at
 * offset 4 and leave its neighbours alone.
 */
START_TEST(test_msg_version_field)
{
	SaMsgMessageT m;
	unsigned char raw[sizeof(SaMsgMessageT)];

	memset(&m, 0xAA, sizeof(m));
	m.type = 0x11223344u;
	m.size = 0x5566778899AABBCCULL;
#ifdef SA_MSG_VERSION_IS_SAVERSION
	/* csa104 (SAFplus 5/6) style: this line must compile in this mode. */
	m.version.releaseCode = 0;
	m.version.majorVersion = 0;
	m.version.minorVersion = 0;
	memcpy(raw, &m, sizeof(m));
	ck_assert_int_eq(raw[4], 0);
	ck_assert_int_eq(raw[5], 0);
	ck_assert_int_eq(raw[6], 0);
	m.version.releaseCode = 'B';
	m.version.majorVersion = 1;
	m.version.minorVersion = 2;
	memcpy(raw, &m, sizeof(m));
	ck_assert_int_eq(raw[4], 'B');
	ck_assert_int_eq(raw[5], 1);
	ck_assert_int_eq(raw[6], 2);
#else
	m.version = 0;
	memcpy(raw, &m, sizeof(m));
	ck_assert_int_eq(raw[4] | raw[5] | raw[6] | raw[7], 0);
	m.version = 0xFFFFFFFFu;
	memcpy(raw, &m, sizeof(m));
	ck_assert_int_eq(raw[4] & raw[5] & raw[6] & raw[7], 0xFF);
#endif
	{
		SaUint32T type;
		SaSizeT size;

		memcpy(&type, raw + offsetof(SaMsgMessageT, type), sizeof(type));
		memcpy(&size, raw + offsetof(SaMsgMessageT, size), sizeof(size));
		ck_assert_uint_eq(type, 0x11223344u);
		ck_assert_msg(size == 0x5566778899AABBCCULL,
			"version write spilled into size");
	}
}
END_TEST

/*
 * Non-standard macros from other implementations must not leak in (enum
 * members such as openais' SA_AIS_ERR_SECURITY cannot be tested for absence;
 * the value table pins the enum instead).
 */
START_TEST(test_no_deviations)
{
#ifdef SA_HANDLE_INVALID
	ck_abort_msg("SA_HANDLE_INVALID is openais-only");
#endif
#ifdef SA_AMF_PM_ALL_ERRORS
	ck_abort_msg("SA_AMF_PM_ALL_ERRORS is openais-only");
#endif
	ck_assert_msg(HAVE_TYPES_COMPATIBLE, "this compiler lacks "
		"__builtin_types_compatible_p: type and prototype checks are void");
}
END_TEST

/* ------------------------------------------------------------------------ */

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static TCase *tcase_new(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, CASE_TIMEOUT);
	suite_add_tcase(s, tc);
	return tc;
}

static Suite *headers_suite(int lp64)
{
	Suite *s = suite_create(
#ifdef SA_MSG_VERSION_IS_SAVERSION
		"headers (SA_MSG_VERSION_IS_SAVERSION)"
#else
		"headers"
#endif
	);
	TCase *tc;

	tc = tcase_new(s, "values");
	tcase_add_loop_test(tc, test_value, 0, N(values));
	tcase_add_loop_test(tc, test_time, 0, N(times));

	tc = tcase_new(s, "types");
	tcase_add_loop_test(tc, test_type, 0, N(types));
	tcase_add_loop_test(tc, test_proto, 0, N(protos));
	tcase_add_test(tc, test_signedness);
	tcase_add_test(tc, test_no_deviations);

	tc = tcase_new(s, "sizes");
	tcase_add_loop_test(tc, test_scalar_size, 0, N(scalar_sizes));
	tcase_add_test(tc, test_array_lengths);
	tcase_add_test(tc, test_version_positional);
	tcase_add_test(tc, test_msg_version_field);

	if (lp64) {
		tc = tcase_new(s, "lp64 layout");
		tcase_add_loop_test(tc, test_lp64_size, 0, N(lp64_sizes));
		tcase_add_loop_test(tc, test_field, 0, N(fields));
	}
	return s;
}

int main(void)
{
	int lp64 = IS_LP64;
	SRunner *sr = srunner_create(headers_suite(lp64));
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	if (!lp64) {
		fprintf(stderr, "SKIP: the reference specifies struct layouts "
			"for LP64 only; layout cases not run on this target\n");
		return 77;
	}
	return EXIT_SUCCESS;
}
