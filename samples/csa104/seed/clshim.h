/*
 * clshim.h: the few OpenClovis SAFplus calls and types the csa104 fragments
 * use, mapped to stdio, so that the fragments build against the standard
 * SA Forum headers alone. Not part of any SA Forum API.
 *
 *   clprintf(sev, fmt, ...)      one log line on stdout, in the same form as
 *                                ../csa104.c prints (time, component, pid,
 *                                severity); the trailing "\n" and "\n\r" of
 *                                the seed's formats are dropped
 *   CL_LOG_SEV_*                 severities
 *   clEvalAppLogStreamOpen()     no stream to open: stdout is the log
 *                                (AMF writes it to <component>.log)
 *   clEoMyEoIocPortGet()         the "IOC port": the pid here
 *   clIocLocalAddressGet()       the "IOC address": the node, 1 here
 *   ClCharT, ClRcT, CL_OK, ClIocPortT, ClIocNodeAddressT, ClPidT,
 *   ClLogStreamHandleT           the types and constants they need
 *
 * Everything is static inline, so that each file including this header is
 * self-contained. The component name printed in each line is taken from
 * SA_AMF_COMPONENT_NAME (the value of its first RDN, e.g. csa104CompI0), as
 * AMF sets it for every component it starts.
 */
#ifndef CSA104_CLSHIM_H
#define CSA104_CLSHIM_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

typedef char ClCharT;
typedef unsigned int ClRcT;
typedef unsigned int ClUint32T;
typedef unsigned int ClIocPortT;
typedef unsigned int ClIocNodeAddressT;
typedef pid_t ClPidT;
typedef void *ClLogStreamHandleT;

#define CL_OK 0U

typedef enum {
	CL_LOG_SEV_EMERGENCY = 1,
	CL_LOG_SEV_ALERT,
	CL_LOG_SEV_CRITICAL,
	CL_LOG_SEV_ERROR,
	CL_LOG_SEV_WARNING,
	CL_LOG_SEV_NOTICE,
	CL_LOG_SEV_INFO,
	CL_LOG_SEV_DEBUG,
	CL_LOG_SEV_TRACE
} ClLogSeverityT;

static inline const char *clshim_severity(ClLogSeverityT sev)
{
	static const char *const names[] = {
		"", "EMRGN", "ALERT", "CRITIC", "ERROR", "WARN", "NOTICE", "INFO",
		"DEBUG", "TRACE"
	};

	return sev >= CL_LOG_SEV_EMERGENCY && sev <= CL_LOG_SEV_TRACE ? names[sev] : "?";
}

static inline void clshim_printf(ClLogSeverityT sev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void clshim_printf(ClLogSeverityT sev, const char *fmt, ...)
{
	const char *dn = getenv("SA_AMF_COMPONENT_NAME");
	char stamp[64], year[8], comp[64], text[1200];
	const char *s;
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n;

	/* The value of the first RDN of the DN ("safComp=X,..." -> "X"). */
	s = dn != NULL ? strchr(dn, '=') : NULL;
	s = s != NULL ? s + 1 : dn != NULL ? dn : "csa104";
	n = strcspn(s, ",");
	if (n >= sizeof(comp))
		n = sizeof(comp) - 1;
	memcpy(comp, s, n);
	comp[n] = '\0';

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%a %b %d %H:%M:%S", &tm);
	strftime(year, sizeof(year), "%Y", &tm);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	/* One call per line: lines from several threads never mix. */
	printf("%s.%03ld %s (%s.%ld : csa104.---.--- : %6s) %s\n", stamp,
	       ts.tv_nsec / 1000000, year, comp, (long)getpid(),
	       clshim_severity(sev), text);
}

#define clprintf(severity, ...) clshim_printf((severity), __VA_ARGS__)

static inline ClRcT clEvalAppLogStreamOpen(ClCharT *compName, ClLogStreamHandleT *stream)
{
	(void)compName;
	*stream = NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	return CL_OK;
}

static inline ClRcT clEoMyEoIocPortGet(ClIocPortT *port)
{
	*port = (ClIocPortT)getpid();
	return CL_OK;
}

static inline ClIocNodeAddressT clIocLocalAddressGet(void)
{
	return 1;
}

#endif /* CSA104_CLSHIM_H */
