/*
 * amf_pg_tool: a protection-group tracking client for the AMF cluster tests
 * (tests/cluster/amf-pg.sh). It initializes libSaAmf, tracks one CSI and
 * writes one line per call, callback and member to stdout, in the format of
 * tests/amf_comp.c:
 *
 *   t=<wall clock ms> pid=<pid> <event> key=value ...
 *
 * Events:
 *   initialize err= version=        saAmfInitialize (-v 1) or _4
 *   track err= flags= items= array=  the track call; items and array
 *                                   (caller|library) when CURRENT went into a
 *                                   buffer, else items=- array=-
 *   retrack err= flags=             the second track call (-r)
 *   member cb= comp= ha= readiness= rank= change=
 *                                   one per notification entry; cb=0: the
 *                                   track call's buffer, cb=K: callback K;
 *                                   readiness=- for the B.01 type
 *   callback n= type=B01|B04 csi= members= items= err=
 *                                   the track callback (old type: B01)
 *   notification_free err=          after a library-allocated buffer
 *   track_stop err=                 saAmfProtectionGroupTrackStop
 *   exit status= callbacks=
 * Every err= is the SaAisErrorT number.
 *
 * Usage: amf_pg_tool [-v 1|4] [-f FLAGS] [-b N|alloc] [-r FLAGS] [-n N]
 *                    [-s N] [-x] CSI
 *   -v 1|4    saAmfInitialize with B.01.01 and the B.01 callbacks (the
 *             old track callback type; saAmfProtectionGroupTrack), or
 *             saAmfInitialize_4 with B.04.01 (_4 type and call; default)
 *   -f FLAGS  track flags joined by '+': current, changes, changes_only
 *             (default current)
 *   -b N      a notification buffer with the tool's array of N entries;
 *   -b alloc  a buffer whose notification is NULL (the library allocates;
 *             released with saAmfProtectionGroupNotificationFree*);
 *             default: no buffer (CURRENT comes as a callback)
 *   -r FLAGS  track again right away with FLAGS, no buffer (replaces the
 *             flags of the first call)
 *   -n N      exit after the N-th callback (default: CURRENT alone without a
 *             buffer 1, with a buffer 0; otherwise run until SIGTERM)
 *   -s N      after the N-th callback stop tracking, then stop again
 *             (SA_AIS_ERR_NOT_EXIST expected), and go on dispatching
 *   -x        only stop tracking (nothing tracked: NOT_EXIST) and exit
 * SIGTERM runs the callbacks already queued, then exits 0. Exit status 1
 * when the track call (or -x's stop) does not return SA_AIS_OK, 2 on usage
 * or setup errors.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <saAmf.h>

static SaAmfHandleT handle;
static volatile sig_atomic_t got_term;
static bool done;			/* -n reached */
static unsigned callbacks;
static unsigned exit_after;		/* 0: never */
static unsigned stop_after;		/* 0: never */

static long long wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	printf("t=%lld pid=%ld ", wall_ms(), (long)getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A name as printable text without blanks (at most 256 bytes + NUL). */
static const char *name_str(const SaNameT *n, char *buf)
{
	uint16_t i, len;

	if (n == NULL)
		return "(null)";
	len = n->length <= SA_MAX_NAME_LENGTH ? n->length : SA_MAX_NAME_LENGTH;
	for (i = 0; i < len; i++) {
		uint8_t ch = n->value[i];

		buf[i] = ch > 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	buf[len] = '\0';
	return buf;
}

static const char *ha_str(SaAmfHAStateT ha)
{
	switch (ha) {
	case SA_AMF_HA_ACTIVE: return "ACTIVE";
	case SA_AMF_HA_STANDBY: return "STANDBY";
	case SA_AMF_HA_QUIESCED: return "QUIESCED";
	case SA_AMF_HA_QUIESCING: return "QUIESCING";
	}
	return "INVALID";
}

static const char *readiness_str(SaAmfHAReadinessStateT r)
{
	switch (r) {
	case SA_AMF_HARS_READY_FOR_ASSIGNMENT: return "READY_FOR_ASSIGNMENT";
	case SA_AMF_HARS_READY_FOR_ACTIVE_DEGRADED: return "READY_FOR_ACTIVE_DEGRADED";
	case SA_AMF_HARS_NOT_READY_FOR_ACTIVE: return "NOT_READY_FOR_ACTIVE";
	case SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT: return "NOT_READY_FOR_ASSIGNMENT";
	}
	return "INVALID";
}

static const char *change_str(SaAmfProtectionGroupChangesT c)
{
	switch (c) {
	case SA_AMF_PROTECTION_GROUP_NO_CHANGE: return "NO_CHANGE";
	case SA_AMF_PROTECTION_GROUP_ADDED: return "ADDED";
	case SA_AMF_PROTECTION_GROUP_REMOVED: return "REMOVED";
	case SA_AMF_PROTECTION_GROUP_STATE_CHANGE: return "STATE_CHANGE";
	}
	return "INVALID";
}

/* "current+changes" -> flags; 0 if a word is unknown. */
static SaUint8T flags_parse(const char *s)
{
	SaUint8T flags = 0;
	char *copy = strdup(s), *word, *save = NULL;

	if (copy == NULL)
		return 0;
	for (word = strtok_r(copy, "+", &save); word != NULL; word = strtok_r(NULL, "+", &save)) {
		if (strcmp(word, "current") == 0)
			flags |= SA_TRACK_CURRENT;
		else if (strcmp(word, "changes") == 0)
			flags |= SA_TRACK_CHANGES;
		else if (strcmp(word, "changes_only") == 0)
			flags |= SA_TRACK_CHANGES_ONLY;
		else {
			flags = 0;
			break;
		}
	}
	free(copy);
	return flags;
}

static void member_old(unsigned cb, const SaAmfProtectionGroupNotificationT *n)
{
	char comp[SA_MAX_NAME_LENGTH + 1];

	say("member cb=%u comp=%s ha=%s readiness=- rank=%u change=%s", cb,
	    name_str(&n->member.compName, comp), ha_str(n->member.haState),
	    (unsigned)n->member.rank, change_str(n->change));
}

static void member_4(unsigned cb, const SaAmfProtectionGroupNotificationT_4 *n)
{
	char comp[SA_MAX_NAME_LENGTH + 1];

	say("member cb=%u comp=%s ha=%s readiness=%s rank=%u change=%s", cb,
	    name_str(&n->member.compName, comp), ha_str(n->member.haState),
	    readiness_str(n->member.haReadinessState), (unsigned)n->member.rank,
	    change_str(n->change));
}

static void counted(void)
{
	if (exit_after != 0 && callbacks >= exit_after)
		done = true;
}

static void track_cb_old(const SaNameT *csiName,
			 SaAmfProtectionGroupNotificationBufferT *buf,
			 SaUint32T numberOfMembers, SaAisErrorT error)
{
	char csi[SA_MAX_NAME_LENGTH + 1];
	SaUint32T i;

	callbacks++;
	say("callback n=%u type=B01 csi=%s members=%u items=%u err=%d", callbacks,
	    name_str(csiName, csi), (unsigned)numberOfMembers, (unsigned)buf->numberOfItems,
	    (int)error);
	for (i = 0; i < buf->numberOfItems && buf->notification != NULL; i++)
		member_old(callbacks, &buf->notification[i]);
	counted();
}

static void track_cb_4(const SaNameT *csiName, SaAmfProtectionGroupNotificationBufferT_4 *buf,
		       SaUint32T numberOfMembers, SaAisErrorT error)
{
	char csi[SA_MAX_NAME_LENGTH + 1];
	SaUint32T i;

	callbacks++;
	say("callback n=%u type=B04 csi=%s members=%u items=%u err=%d", callbacks,
	    name_str(csiName, csi), (unsigned)numberOfMembers, (unsigned)buf->numberOfItems,
	    (int)error);
	for (i = 0; i < buf->numberOfItems && buf->notification != NULL; i++)
		member_4(callbacks, &buf->notification[i]);
	counted();
}

static void on_term(int sig)
{
	got_term = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: amf_pg_tool [-v 1|4] [-f FLAGS] [-b N|alloc] [-r FLAGS] "
		"[-n N] [-s N] [-x] CSI\n");
	exit(2);
}

/* The track call of the handle's version, logged with what CURRENT put
 * into the buffer (b_size < 0: no buffer, 0: the library's array, else the
 * tool's array of b_size entries). */
static SaAisErrorT track(int version, const SaNameT *csi, SaUint8T flags, long b_size,
			 const char *flags_text)
{
	SaAmfProtectionGroupNotificationBufferT old = { 0, NULL };
	SaAmfProtectionGroupNotificationBufferT_4 b4 = { 0, NULL };
	SaAmfProtectionGroupNotificationT *old_array = NULL;
	SaAmfProtectionGroupNotificationT_4 *array_4 = NULL;
	bool to_buffer = b_size >= 0 && (flags & SA_TRACK_CURRENT);
	SaAisErrorT err, ferr;
	SaUint32T i;

	if (b_size > 0) {
		old_array = calloc((size_t)b_size, sizeof(*old_array));
		array_4 = calloc((size_t)b_size, sizeof(*array_4));
		if (old_array == NULL || array_4 == NULL) {
			say("track err=- flags=%s (out of memory)", flags_text);
			exit(2);
		}
		old.notification = old_array;
		old.numberOfItems = (SaUint32T)b_size;
		b4.notification = array_4;
		b4.numberOfItems = (SaUint32T)b_size;
	}
	if (version == 1)
		err = saAmfProtectionGroupTrack(handle, csi, flags, b_size >= 0 ? &old : NULL);
	else
		err = saAmfProtectionGroupTrack_4(handle, csi, flags, b_size >= 0 ? &b4 : NULL);
	if (!to_buffer || (err != SA_AIS_OK && err != SA_AIS_ERR_NO_SPACE)) {
		say("track err=%d flags=%s items=- array=-", (int)err, flags_text);
	} else if (version == 1) {
		say("track err=%d flags=%s items=%u array=%s", (int)err, flags_text,
		    (unsigned)old.numberOfItems,
		    old.notification == old_array ? "caller" : "library");
		for (i = 0; err == SA_AIS_OK && i < old.numberOfItems; i++)
			member_old(0, &old.notification[i]);
		if (err == SA_AIS_OK && old.notification != old_array) {
			ferr = saAmfProtectionGroupNotificationFree(handle, old.notification);
			say("notification_free err=%d", (int)ferr);
		}
	} else {
		say("track err=%d flags=%s items=%u array=%s", (int)err, flags_text,
		    (unsigned)b4.numberOfItems, b4.notification == array_4 ? "caller" : "library");
		for (i = 0; err == SA_AIS_OK && i < b4.numberOfItems; i++)
			member_4(0, &b4.notification[i]);
		if (err == SA_AIS_OK && b4.notification != array_4) {
			ferr = saAmfProtectionGroupNotificationFree_4(handle, b4.notification);
			say("notification_free err=%d", (int)ferr);
		}
	}
	free(old_array);
	free(array_4);
	return err;
}

int main(int argc, char **argv)
{
	const char *flags_text = "current", *retrack_text = NULL;
	SaUint8T flags, retrack = 0;
	SaSelectionObjectT so = 0;
	long b_size = -1;
	bool stop_only = false, stopped = false;
	int version = 4, opt, status = 0;
	struct sigaction sa;
	SaNameT csi;
	SaAisErrorT err;
	size_t len;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "v:f:b:r:n:s:x")) != -1) {
		switch (opt) {
		case 'v':
			version = atoi(optarg);
			if (version != 1 && version != 4)
				usage();
			break;
		case 'f':
			flags_text = optarg;
			break;
		case 'b':
			b_size = strcmp(optarg, "alloc") == 0 ? 0 : atol(optarg);
			if (b_size < 0)
				usage();
			break;
		case 'r':
			retrack_text = optarg;
			retrack = flags_parse(optarg);
			if (retrack == 0)
				usage();
			break;
		case 'n':
			exit_after = (unsigned)atoi(optarg);
			break;
		case 's':
			stop_after = (unsigned)atoi(optarg);
			break;
		case 'x':
			stop_only = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	flags = flags_parse(flags_text);
	len = strlen(argv[optind]);
	if (flags == 0 || len == 0 || len > SA_MAX_NAME_LENGTH)
		usage();
	memset(&csi, 0, sizeof(csi));
	csi.length = (SaUint16T)len;
	memcpy(csi.value, argv[optind], len);
	if (exit_after == 0 && flags == SA_TRACK_CURRENT && retrack == 0)
		exit_after = b_size < 0 ? 1 : 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (version == 1) {
		SaAmfCallbacksT cb;
		SaVersionT v = { 'B', 1, 1 };

		memset(&cb, 0, sizeof(cb));
		cb.saAmfProtectionGroupTrackCallback = track_cb_old;
		err = saAmfInitialize(&handle, &cb, &v);
		say("initialize err=%d version=%c.%02u.%02u", (int)err, v.releaseCode,
		    (unsigned)v.majorVersion, (unsigned)v.minorVersion);
	} else {
		SaAmfCallbacksT_4 cb;
		SaVersionT v = { 'B', 4, 1 };

		memset(&cb, 0, sizeof(cb));
		cb.saAmfProtectionGroupTrackCallback = track_cb_4;
		err = saAmfInitialize_4(&handle, &cb, &v);
		say("initialize err=%d version=%c.%02u.%02u", (int)err, v.releaseCode,
		    (unsigned)v.majorVersion, (unsigned)v.minorVersion);
	}
	if (err != SA_AIS_OK)
		return 2;
	err = saAmfSelectionObjectGet(handle, &so);
	if (err != SA_AIS_OK) {
		say("selection_object err=%d", (int)err);
		return 2;
	}

	if (stop_only) {
		err = saAmfProtectionGroupTrackStop(handle, &csi);
		say("track_stop err=%d", (int)err);
		status = err == SA_AIS_OK ? 0 : 1;
		goto out_finalize;
	}
	err = track(version, &csi, flags, b_size, flags_text);
	if (err != SA_AIS_OK) {
		status = 1;
		goto out_finalize;
	}
	if (retrack != 0) {
		err = version == 1 ? saAmfProtectionGroupTrack(handle, &csi, retrack, NULL) :
				     saAmfProtectionGroupTrack_4(handle, &csi, retrack, NULL);
		say("retrack err=%d flags=%s", (int)err, retrack_text);
		if (err != SA_AIS_OK) {
			status = 1;
			goto out_finalize;
		}
	}
	if (flags == SA_TRACK_CURRENT && b_size >= 0 && retrack == 0)
		goto out_finalize;	/* answered in the call: nothing to wait for */

	while (!got_term && !done) {
		struct pollfd pfd = { .fd = (int)so, .events = POLLIN };
		int rc = poll(&pfd, 1, 1000);

		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0) {
			err = saAmfDispatch(handle, SA_DISPATCH_ALL);
			if (err != SA_AIS_OK) {
				say("dispatch err=%d", (int)err);
				status = 4;	/* safd went away */
				goto out_finalize;
			}
		}
		if (stop_after != 0 && callbacks >= stop_after && !stopped) {
			stopped = true;
			err = saAmfProtectionGroupTrackStop(handle, &csi);
			say("track_stop err=%d", (int)err);
			err = saAmfProtectionGroupTrackStop(handle, &csi);
			say("track_stop err=%d", (int)err);
		}
	}
	/* What was queued before the signal still runs (the test counts it). */
	if (!done && saAmfDispatch(handle, SA_DISPATCH_ALL) != SA_AIS_OK)
		status = 4;

out_finalize:
	say("exit status=%d callbacks=%u", status, callbacks);
	saAmfFinalize(handle);
	return status;
}
