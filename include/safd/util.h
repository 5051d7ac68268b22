/*
 * Small helpers shared by the daemon, the client libraries and safctl.
 * Not installed.
 */
#ifndef SAFD_UTIL_H
#define SAFD_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define SAFD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SAFD_ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

static inline int64_t safd_time_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Copies the IPC service name "<prefix>-<svc>" into buf; the prefix comes
 * from SAFD_IPC_PREFIX or the default. Returns buf. */
static inline char *safd_ipc_name(char *buf, size_t len, const char *prefix,
				  const char *svc)
{
	snprintf(buf, len, "%s-%s", prefix, svc);
	return buf;
}

#endif /* SAFD_UTIL_H */
