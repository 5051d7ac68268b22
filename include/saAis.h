/*
 * saAis.h - SA Forum AIS common types (Overview B.03.01, error codes up to 40).
 *
 * Source compatible with the SA Forum header and binary compatible (LP64) with
 * OpenSAF, openais and SAFplus.  Later additions (error codes 32..40, services
 * 13..15, the extra track flags) are additive; an implementation never returns
 * a value newer than the version a client initialized with.
 */
#ifndef SA_AIS_H
#define SA_AIS_H

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Scalar types                                                             */
/* ------------------------------------------------------------------------ */

typedef char SaInt8T;
typedef short SaInt16T;
typedef int SaInt32T;
typedef long long SaInt64T;
typedef unsigned char SaUint8T;
typedef unsigned short SaUint16T;
typedef unsigned int SaUint32T;
typedef unsigned long long SaUint64T;
typedef float SaFloatT;
typedef double SaDoubleT;
typedef char *SaStringT;
typedef const char *SaConstStringT;

/**
 * Nanoseconds, signed.  Holds either an absolute time (since 1970-01-01 UTC)
 * or a duration; where an API does not say which, it is a duration.
 */
typedef SaInt64T SaTimeT;
/** Matches an asynchronous request to its callback; chosen by the caller. */
typedef SaUint64T SaInvocationT;
typedef SaUint64T SaSizeT;
typedef SaUint64T SaOffsetT;
/** A file descriptor: readable while callbacks are pending, valid until finalize. */
typedef SaUint64T SaSelectionObjectT;

/*
 * B.01.01 declared SaNtfIdentifierT here; B.02 moved it to saNtf.h.  Both
 * headers declare it under the same guard, so either or both may be included.
 */
#ifndef SA_NTF_IDENTIFIER_T_DEFINED
#define SA_NTF_IDENTIFIER_T_DEFINED
typedef SaUint64T SaNtfIdentifierT;
#endif

/* ------------------------------------------------------------------------ */
/* Time constants (SaTimeT values, nanoseconds)                             */
/* ------------------------------------------------------------------------ */

#define SA_TIME_END              0x7FFFFFFFFFFFFFFFLL
#define SA_TIME_BEGIN            0x0LL
/** -2^63 ns as an SaTimeT; the literal itself is unsigned long long. */
#define SA_TIME_UNKNOWN          0x8000000000000000LL

#define SA_TIME_ONE_MICROSECOND  1000LL
#define SA_TIME_ONE_MILLISECOND  1000000LL
#define SA_TIME_ONE_SECOND       1000000000LL
#define SA_TIME_ONE_MINUTE       60000000000LL
#define SA_TIME_ONE_HOUR         3600000000000LL
#define SA_TIME_ONE_DAY          86400000000000LL
/** As a timeout: wait forever. */
#define SA_TIME_MAX              SA_TIME_END

/* ------------------------------------------------------------------------ */
/* Names and versions                                                       */
/* ------------------------------------------------------------------------ */

#define SA_MAX_NAME_LENGTH 256

/**
 * A name of up to 256 bytes.  @c length counts the bytes of @c value and
 * excludes any NUL; @c value need not be NUL-terminated.  Calls reject
 * length > SA_MAX_NAME_LENGTH with SA_AIS_ERR_INVALID_PARAM.  Names written by
 * the library carry a NUL after @c length bytes when there is room.
 * 258 bytes, alignment 2.
 */
typedef struct {
	SaUint16T length;
	SaUint8T value[SA_MAX_NAME_LENGTH];
} SaNameT;

/**
 * Interface version, in and out of sa<Area>Initialize().  Field order is
 * release, major, minor: a positional initializer is {'B', 1, 1}.  On input
 * minorVersion is ignored; on output (also on SA_AIS_ERR_VERSION) the
 * implementation writes the version it offers for that release.
 */
typedef struct {
	SaUint8T releaseCode;
	SaUint8T majorVersion;
	SaUint8T minorVersion;
} SaVersionT;

/* ------------------------------------------------------------------------ */
/* Small enums, flags and structs                                           */
/* ------------------------------------------------------------------------ */

typedef enum {
	SA_FALSE = 0,
	SA_TRUE = 1
} SaBoolT;

/**
 * ONE runs at most one pending callback, ALL runs every pending one; both
 * return SA_AIS_OK at once when nothing is pending.  BLOCKING runs callbacks
 * as they arrive until the handle is finalized.  Callbacks always run in the
 * dispatching thread.  Other values: SA_AIS_ERR_INVALID_PARAM.
 */
typedef enum {
	SA_DISPATCH_ONE = 1,
	SA_DISPATCH_ALL = 2,
	SA_DISPATCH_BLOCKING = 3
} SaDispatchFlagsT;

/*
 * Track flags, passed as SaUint8T.  CHANGES together with CHANGES_ONLY is
 * SA_AIS_ERR_BAD_FLAGS.  LOCAL, START_STEP and VALIDATE_STEP are post-B.03.
 */
#define SA_TRACK_CURRENT        0x01
#define SA_TRACK_CHANGES        0x02
#define SA_TRACK_CHANGES_ONLY   0x04
#define SA_TRACK_LOCAL          0x08
#define SA_TRACK_START_STEP     0x10
#define SA_TRACK_VALIDATE_STEP  0x20

typedef enum {
	SA_SVC_HPI = 1,
	SA_SVC_AMF = 2,
	SA_SVC_CLM = 3,
	SA_SVC_CKPT = 4,
	SA_SVC_EVT = 5,
	SA_SVC_MSG = 6,
	SA_SVC_LCK = 7,
	SA_SVC_IMMS = 8,
	SA_SCV_LOG = 9,		/* sic: the standard header's spelling */
	SA_SVC_LOG = SA_SCV_LOG,
	SA_SVC_NTF = 10,
	SA_SVC_NAM = 11,
	SA_SVC_TMR = 12,
	SA_SVC_SMF = 13,
	SA_SVC_SEC = 14,
	SA_SVC_PLM = 15
} SaServicesT;

typedef struct {
	SaSizeT bufferSize;
	SaUint8T *bufferAddr;
} SaAnyT;

/** An implementation limit, e.g. from saMsgLimitGet(); the id says which member. */
typedef union {
	SaInt64T int64Value;
	SaUint64T uint64Value;
	SaTimeT timeValue;
	SaFloatT floatValue;
	SaDoubleT doubleValue;
} SaLimitValueT;

/* ------------------------------------------------------------------------ */
/* Error codes                                                              */
/* ------------------------------------------------------------------------ */

/**
 * Return code of every AIS call.  0 is not a valid code.  B.01.01 ends at
 * SA_AIS_ERR_NO_SECTIONS (27): clients that initialized with major version 1
 * never see a higher value.  After SA_AIS_ERR_TIMEOUT or SA_AIS_ERR_LIBRARY it
 * is unknown whether the operation took place; after any other error it did
 * not.
 */
typedef enum {
	SA_AIS_OK = 1,
	SA_AIS_ERR_LIBRARY = 2,			/**< library unusable */
	SA_AIS_ERR_VERSION = 3,
	SA_AIS_ERR_INIT = 4,			/**< needed callback not registered */
	SA_AIS_ERR_TIMEOUT = 5,			/**< outcome unknown */
	SA_AIS_ERR_TRY_AGAIN = 6,		/**< transient; retry later */
	SA_AIS_ERR_INVALID_PARAM = 7,
	SA_AIS_ERR_NO_MEMORY = 8,
	SA_AIS_ERR_BAD_HANDLE = 9,
	SA_AIS_ERR_BUSY = 10,
	SA_AIS_ERR_ACCESS = 11,
	SA_AIS_ERR_NOT_EXIST = 12,
	SA_AIS_ERR_NAME_TOO_LONG = 13,
	SA_AIS_ERR_EXIST = 14,
	SA_AIS_ERR_NO_SPACE = 15,		/**< caller's buffer too small */
	SA_AIS_ERR_INTERRUPT = 16,		/**< call was cancelled */
	SA_AIS_ERR_NAME_NOT_FOUND = 17,
	SA_AIS_ERR_NO_RESOURCES = 18,
	SA_AIS_ERR_NOT_SUPPORTED = 19,
	SA_AIS_ERR_BAD_OPERATION = 20,
	SA_AIS_ERR_FAILED_OPERATION = 21,
	SA_AIS_ERR_MESSAGE_ERROR = 22,
	SA_AIS_ERR_QUEUE_FULL = 23,
	SA_AIS_ERR_QUEUE_NOT_AVAILABLE = 24,
	SA_AIS_ERR_BAD_FLAGS = 25,
	SA_AIS_ERR_TOO_BIG = 26,
	SA_AIS_ERR_NO_SECTIONS = 27,
	/* B.02.01 */
	SA_AIS_ERR_NO_OP = 28,
	SA_AIS_ERR_REPAIR_PENDING = 29,
	/* B.03.01 */
	SA_AIS_ERR_NO_BINDINGS = 30,
	SA_AIS_ERR_UNAVAILABLE = 31,		/**< node is not a cluster member */
	/* later (B.05.01 header) */
	SA_AIS_ERR_CAMPAIGN_ERROR_DETECTED = 32,
	SA_AIS_ERR_CAMPAIGN_PROC_FAILED = 33,
	SA_AIS_ERR_CAMPAIGN_CANCELED = 34,
	SA_AIS_ERR_CAMPAIGN_FAILED = 35,
	SA_AIS_ERR_CAMPAIGN_SUSPENDED = 36,
	SA_AIS_ERR_CAMPAIGN_SUSPENDING = 37,
	SA_AIS_ERR_ACCESS_DENIED = 38,
	SA_AIS_ERR_NOT_READY = 39,
	SA_AIS_ERR_DEPLOYMENT = 40
} SaAisErrorT;

#ifdef __cplusplus
}
#endif

#endif /* SA_AIS_H */
