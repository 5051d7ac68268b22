/*
 * The services safd runs: the table every part of the daemon walks (start,
 * stop, sync, the gatekeepers), in one place for safd and the fuzz daemon.
 */
#include "config.h"

#include <safd/util.h>
#include "core.h"

extern const struct safd_service safd_msg_service;
extern const struct safd_service safd_amf_service;

/* Indexed by enum safd_service_id (SAFD_SVC_CORE has no module). */
static const struct safd_service *const by_id[SAFD_SVC_COUNT] = {
	[SAFD_SVC_ADM] = &safd_adm_service,
	[SAFD_SVC_MSG] = &safd_msg_service,
	[SAFD_SVC_AMF] = &safd_amf_service,
};
const struct safd_service *const safd_services[] = {
	&safd_adm_service, &safd_msg_service, &safd_amf_service,
};
const size_t safd_service_count = SAFD_ARRAY_SIZE(safd_services);

const struct safd_service *safd_service_get(enum safd_service_id id)
{
	return (unsigned)id < SAFD_SVC_COUNT ? by_id[id] : NULL;
}
