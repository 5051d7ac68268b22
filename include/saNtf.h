/*
 * saNtf.h - the part of the Notification Service API that AMF needs.
 *
 * Not the NTF service: only the identifier types that saAmf.h uses in error
 * reports and responses (as in OpenSAF's saNtf.h).
 */
#ifndef SA_NTF_H
#define SA_NTF_H

#include "saAis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Also declared by saAis.h for B.01.01 users; same guard. */
#ifndef SA_NTF_IDENTIFIER_T_DEFINED
#define SA_NTF_IDENTIFIER_T_DEFINED
typedef SaUint64T SaNtfIdentifierT;
#endif

/** Pass this when no notification was sent or none is correlated. */
#define SA_NTF_IDENTIFIER_UNUSED ((SaNtfIdentifierT) 0ULL)

/** Ties a notification to the one that caused it (B.04 AMF _4 calls). 24 bytes. */
typedef struct {
	SaNtfIdentifierT rootCorrelationId;
	SaNtfIdentifierT parentCorrelationId;
	SaNtfIdentifierT notificationId;
} SaNtfCorrelationIdsT;

#ifdef __cplusplus
}
#endif

#endif /* SA_NTF_H */
