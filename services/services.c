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

/* Whether some service writes a journal (its commits then decide when
 * answers may go out). */
bool safd_services_journaling(void)
{
	size_t i;

	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->journaling != NULL && safd_services[i]->journaling())
			return true;
	return false;
}

void safd_services_commit(void)
{
	size_t i;

	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->commit != NULL)
			safd_services[i]->commit();
}

/* The highest generation a service's journal holds (0: none). */
uint64_t safd_services_journal_gen(void)
{
	uint64_t gen = 0, g;
	size_t i;

	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->journal_gen != NULL &&
		    (g = safd_services[i]->journal_gen()) > gen)
			gen = g;
	return gen;
}

void safd_services_journal_reset(void)
{
	size_t i;

	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->journal_reset != NULL)
			safd_services[i]->journal_reset();
}

/* Every service with a journal loads it into its reset state. */
int safd_services_journal_load(void)
{
	size_t i;
	int rc;

	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->journal_load != NULL &&
		    (rc = safd_services[i]->journal_load()) < 0)
			return rc;
	return 0;
}
