/*
 * Availability Management Framework engine (SAI-AIS-AMF-B.04.01), daemon side.
 *
 * So far the service accepts libSaAmf connections (the common hello, which
 * refuses clients with TRY_AGAIN until the node is synced). The model,
 * life cycle, assignments and escalation are the AMF issue's work; requests
 * are added to an amf_lib[] table with ids from include/safd/ipc_amf.h.
 */
#include "config.h"

#include <safd/ipc_amf.h>
#include <safd/service.h>

const struct safd_service safd_amf_service = {
	.name = "amf",
	.id = SAFD_SVC_AMF,
};
