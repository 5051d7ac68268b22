/*
 * Health checks and passive monitoring of this node's components
 * (SAI-AIS-AMF-B.04.01 sections 4.8 and 4.9). Not written yet: every
 * request is answered SA_AIS_ERR_NOT_SUPPORTED.
 */
#include "config.h"

#include <errno.h>

#include "amf_int.h"

int amf_h_hc_start(struct safd_conn *conn, const void *msg, size_t len)
{
	return -ENOTSUP;
}

int amf_h_hc_confirm(struct safd_conn *conn, const void *msg, size_t len)
{
	return -ENOTSUP;
}

int amf_h_hc_stop(struct safd_conn *conn, const void *msg, size_t len)
{
	return -ENOTSUP;
}

int amf_h_pm_start(struct safd_conn *conn, const void *msg, size_t len)
{
	return -ENOTSUP;
}

int amf_h_pm_stop(struct safd_conn *conn, const void *msg, size_t len)
{
	return -ENOTSUP;
}

bool amf_health_response(struct amf_session *s, uint64_t invocation, SaAisErrorT err)
{
	return false;
}

void amf_health_comp_stopped(struct amf_comp_rt *c)
{
}

void amf_health_session_gone(struct amf_session *s)
{
}

void amf_health_fini(void)
{
}
