/*
 * Message Service engine (SAI-AIS-MSG-B.03.01), daemon side.
 *
 * So far the service accepts libSaMsg connections (the common hello, which
 * refuses clients with TRY_AGAIN until the node is synced). Queues, messages,
 * groups and their replication are the MSG issue's work; requests are added
 * to msg_lib[] with ids from include/safd/ipc_msg.h.
 */
#include "config.h"

#include <safd/ipc_msg.h>
#include <safd/service.h>

const struct safd_service safd_msg_service = {
	.name = "msg",
	.id = SAFD_SVC_MSG,
};
