/*
 * Protection group tracking (SAI-AIS-AMF-B.04.01 section 4.10). Not written
 * yet: every request is answered SA_AIS_ERR_NOT_SUPPORTED.
 */
#include "config.h"

#include <errno.h>

#include "amf_int.h"

int amf_h_pg_track(struct safd_conn *conn, const void *msg, size_t len)
{
	return -ENOTSUP;
}

int amf_h_pg_track_stop(struct safd_conn *conn, const void *msg, size_t len)
{
	return -ENOTSUP;
}

void amf_pg_update(void)
{
}

void amf_pg_session_gone(struct amf_session *s)
{
}

void amf_pg_fini(void)
{
}
