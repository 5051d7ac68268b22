/*
 * csa104: messaging through process failure (the SAFplus evaluation sample
 * csa104, written afresh on the standard AMF B.01.01 and MSG B.01.01 calls).
 *
 * Two instances run as the two components of a 2N service group. AMF makes
 * one ACTIVE and the other STANDBY for the one CSI:
 *
 *   ACTIVE    opens the well-known queue "csa104msgqueue" (creating it if
 *             needed) and starts a receiver thread that prints every message;
 *   STANDBY   starts a sender thread that sends "Msg N from NAME" to that
 *             queue every CSA104_INTERVAL_MS milliseconds (default 2000);
 *             while no active has created the queue the send fails with
 *             SA_AIS_ERR_NOT_EXIST (0xC) and the next one is tried anyway;
 *   QUIESCED, QUIESCING
 *             stop sending and receiving (the queue is closed, so the new
 *             active can open it);
 *   CSI remove, terminate
 *             stop everything; terminate also unregisters and exits 0.
 *
 * When the active dies, AMF restarts it (or, after repeated failures, fails
 * the service group over to the standby); the new active reopens the queue
 * and gets the messages that were sent meanwhile.
 *
 * Every line of output starts with a timestamp, the component name and the
 * pid, as the SAFplus logs do; stdout is line buffered, so AMF's log file
 * for the component (its stdout) is always up to date.
 *
 * Environment:
 *   SA_AMF_COMPONENT_NAME  set by AMF (needed by saAmfComponentNameGet)
 *   CSA104_INTERVAL_MS     the standby's sending period (1 .. 3600000)
 *   CSA104_ROLE            active | standby: test mode without AMF (only
 *                          MSG): the process starts in that role at once;
 *                          SIGUSR1 makes it active, SIGUSR2 standby, SIGHUP
 *                          quiesced; SIGTERM or SIGINT stop it (exit 0).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <saAmf.h>
#include <saMsg.h>

#define ACTIVE_COMP_QUEUE "csa104msgqueue"
#define QUEUE_AREA_SIZE 2048		/* bytes per priority area */

/*
 * The seed creates its queue with retention time 0: the queue is deleted,
 * with whatever it still holds, the moment its opener closes it or dies.
 * Messages the standby sends while the active is being restarted then fail
 * with NOT_EXIST, and one already stored but not yet taken is lost with the
 * queue. With a retention time the closed queue outlives its opener: sends
 * succeed and wait in it, and the restarted (or failed-over) active reopens
 * the same queue and receives them. 10 s covers a restart and an escalation
 * to failover with room to spare; if no active comes back in time, the queue
 * goes and the sends fail again with NOT_EXIST.
 */
#define QUEUE_RETENTION (10 * SA_TIME_ONE_SECOND)

/* How long a new active keeps trying to open the queue in the CSI set
 * callback: the previous active's queue may still be closing (BUSY), or the
 * node still syncing (TRY_AGAIN). After that the receiver thread retries on
 * its own, so that the callback is always answered in time. */
#define OPEN_DEADLINE_MS 5000
#define OPEN_RETRY_MS 100

static SaAmfHandleT amf_handle;
static SaMsgHandleT msg_handle;
static SaNameT comp_name;		/* the component's DN, NUL-terminated */
static char comp_short[SA_MAX_NAME_LENGTH + 1] = "csa104"; /* its safComp= value */
static long interval_ms = 2000;
static atomic_uint log_seq;

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

static void say(const char *severity, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * One line: "Sat Nov 22 14:38:45.215 2026 (csa104CompI0.3301 : csa104.00009 :
 * INFO) text". Built in one buffer and written with one call, so that lines
 * from the two threads never mix.
 */
static void say(const char *severity, const char *fmt, ...)
{
	char stamp[64], year[8], text[1200];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t n;

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
	printf("%s.%03ld %s (%s.%ld : csa104.%05u : %6s) %s\n", stamp,
	       ts.tv_nsec / 1000000, year, comp_short, (long)getpid(),
	       atomic_fetch_add(&log_seq, 1) + 1, severity, text);
}

#define INFO(...) say("INFO", __VA_ARGS__)
#define ERROR(...) say("ERROR", __VA_ARGS__)

/* The value of the first RDN of a DN ("safComp=X,safSu=..." -> "X"), or the
 * whole name if it is not a DN. */
static void short_name(char *out, size_t len, const char *dn)
{
	const char *s = strchr(dn, '=');
	size_t n;

	s = s != NULL ? s + 1 : dn;
	n = strcspn(s, ",");
	if (n >= len)
		n = len - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static const char *ha_state_name(SaAmfHAStateT s)
{
	switch (s) {
	case SA_AMF_HA_ACTIVE: return "Active";
	case SA_AMF_HA_STANDBY: return "Standby";
	case SA_AMF_HA_QUIESCED: return "Quiesced";
	case SA_AMF_HA_QUIESCING: return "Quiescing";
	}
	return "Unknown";
}

static const char *csi_flags_name(SaAmfCSIFlagsT f)
{
	switch (f) {
	case SA_AMF_CSI_ADD_ONE: return "Add One";
	case SA_AMF_CSI_TARGET_ONE: return "Target One";
	case SA_AMF_CSI_TARGET_ALL: return "Target All";
	}
	return "Unknown";
}

/* A name from the library, printable whatever its length field says. */
static int name_len(const SaNameT *n)
{
	return n->length > SA_MAX_NAME_LENGTH ? SA_MAX_NAME_LENGTH : n->length;
}

/* ------------------------------------------------------------------------ */
/* The queue and the receiver (ACTIVE)                                      */
/* ------------------------------------------------------------------------ */

/*
 * `lock` guards the queue handle and the threads' run flags. The receiver
 * blocks in saMsgMessageGet() without it; stopping it closes the queue, which
 * makes that Get return, and then joins the thread.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;		/* signalled when a run flag drops */
static SaMsgQueueHandleT queue_handle;
static bool queue_open;
static bool receiving, receiver_started;
static pthread_t receiver_thread;
static bool sending, sender_started;
static pthread_t sender_thread;
static unsigned sent_count;		/* numbers the messages of this process */

static void fill_name(SaNameT *n, const char *s)
{
	memset(n, 0, sizeof(*n));
	n->length = (SaUint16T)strlen(s);
	memcpy(n->value, s, n->length);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* One attempt to open (and if need be create) the queue; lock held. */
static SaAisErrorT queue_open_once(SaTimeT timeout)
{
	SaMsgQueueCreationAttributesT attrs = {
		.creationFlags = 0,	/* not persistent: see QUEUE_RETENTION */
		.size = { QUEUE_AREA_SIZE, QUEUE_AREA_SIZE, QUEUE_AREA_SIZE,
			  QUEUE_AREA_SIZE },
		.retentionTime = QUEUE_RETENTION,
	};
	SaNameT name;
	SaAisErrorT rc;

	fill_name(&name, ACTIVE_COMP_QUEUE);
	rc = saMsgQueueOpen(msg_handle, &name, &attrs, SA_MSG_QUEUE_CREATE, timeout,
			    &queue_handle);
	if (rc == SA_AIS_ERR_EXIST)
		/* It exists with other attributes (say the seed's variant of
		 * this program made it): take it over as it is. */
		rc = saMsgQueueOpen(msg_handle, &name, NULL, 0, timeout, &queue_handle);
	if (rc == SA_AIS_OK)
		queue_open = true;
	return rc;
}

static bool open_retryable(SaAisErrorT rc)
{
	return rc == SA_AIS_ERR_BUSY || rc == SA_AIS_ERR_TRY_AGAIN ||
	       rc == SA_AIS_ERR_TIMEOUT;
}

/*
 * Opens the queue, retrying BUSY and TRY_AGAIN until deadline_ms (absolute,
 * now_ms() clock; -1: until the receiver is told to stop). Lock held; it is
 * released while waiting between attempts.
 */
static SaAisErrorT queue_open_retry(int64_t deadline_ms)
{
	SaAisErrorT rc, last = SA_AIS_OK;
	int64_t left;

	for (;;) {
		left = deadline_ms < 0 ? 1000 : deadline_ms - now_ms();
		if (left > 1000)
			left = 1000;
		if (left < 1)
			left = 1;
		rc = queue_open_once(left * SA_TIME_ONE_MILLISECOND);
		if (rc == SA_AIS_OK || !open_retryable(rc))
			return rc;
		if (rc != last)
			INFO("csa104: queue [%s] not available yet [0x%X], retrying",
			     ACTIVE_COMP_QUEUE, rc);
		last = rc;
		if (deadline_ms >= 0 && now_ms() + OPEN_RETRY_MS > deadline_ms)
			return rc;
		pthread_mutex_unlock(&lock);
		sleep_ms(OPEN_RETRY_MS);
		pthread_mutex_lock(&lock);
		if (!receiving)
			return SA_AIS_ERR_INTERRUPT;
	}
}

static void *receiver_main(void *unused)
{
	char data[1024];
	SaNameT sender_name;
	SaMsgSenderIdT sender_id;
	SaTimeT send_time;
	SaMsgQueueHandleT qh;
	SaAisErrorT rc;

	pthread_mutex_lock(&lock);
	while (receiving && !queue_open) {
		rc = queue_open_retry(-1);
		if (rc != SA_AIS_OK && rc != SA_AIS_ERR_INTERRUPT) {
			ERROR("csa104: Msg QueueOpen failed [0x%X]", rc);
			pthread_mutex_unlock(&lock);
			sleep_ms(1000);
			pthread_mutex_lock(&lock);
		}
	}
	if (!receiving) {
		pthread_mutex_unlock(&lock);
		return NULL;
	}
	qh = queue_handle;
	pthread_mutex_unlock(&lock);

	for (;;) {
		SaMsgMessageT message = {
			.size = sizeof(data) - 1,
			.senderName = &sender_name,
			.data = data,
		};

		rc = saMsgMessageGet(qh, &message, &send_time, &sender_id, SA_TIME_MAX);
		if (rc == SA_AIS_OK) {
			data[message.size < sizeof(data) ? message.size : sizeof(data) - 1] = '\0';
			if (sender_name.length != 0)
				INFO("Sender Name   : %.*s", name_len(&sender_name),
				     (const char *)sender_name.value);
			INFO("Received Message  : %s", data);
			continue;
		}
		pthread_mutex_lock(&lock);
		if (!receiving) {		/* stopped: the queue was closed */
			pthread_mutex_unlock(&lock);
			break;
		}
		pthread_mutex_unlock(&lock);
		ERROR("Msg saMsgMessageGet failed [0x%X]", rc);
		if (rc == SA_AIS_ERR_BAD_HANDLE || rc == SA_AIS_ERR_NO_SPACE)
			break;			/* retrying cannot help */
		sleep_ms(OPEN_RETRY_MS);
	}
	return NULL;
}

/* ACTIVE: open the queue (waiting up to OPEN_DEADLINE_MS for the previous
 * opener to let go) and start the receiver. */
static void receiver_start(void)
{
	SaAisErrorT rc;

	pthread_mutex_lock(&lock);
	if (receiver_started) {
		pthread_mutex_unlock(&lock);
		return;
	}
	receiving = true;
	rc = queue_open_retry(now_ms() + OPEN_DEADLINE_MS);
	if (rc != SA_AIS_OK)
		ERROR("csa104: Msg QueueOpen failed [0x%X]; the receiver keeps trying", rc);
	else
		INFO("csa104: queue [%s] open", ACTIVE_COMP_QUEUE);
	if (pthread_create(&receiver_thread, NULL, receiver_main, NULL) != 0) {
		ERROR("csa104: cannot start the receiver thread");
		receiving = false;
	} else {
		receiver_started = true;
	}
	pthread_mutex_unlock(&lock);
}

/* Closes the queue (messages stay in it for the next active, see
 * QUEUE_RETENTION) and joins the receiver. */
static void receiver_stop(void)
{
	SaAisErrorT rc;
	bool join;

	pthread_mutex_lock(&lock);
	receiving = false;
	if (queue_open) {
		rc = saMsgQueueClose(queue_handle);
		if (rc != SA_AIS_OK)
			ERROR("Msg Queue Close failed [0x%X]", rc);
		else
			INFO("csa104: queue [%s] closed", ACTIVE_COMP_QUEUE);
		queue_open = false;
	}
	join = receiver_started;
	receiver_started = false;
	pthread_mutex_unlock(&lock);
	if (join)
		pthread_join(receiver_thread, NULL);
}

/* ------------------------------------------------------------------------ */
/* The sender (STANDBY)                                                     */
/* ------------------------------------------------------------------------ */

static SaAisErrorT send_text(const char *text)
{
	SaMsgMessageT message;
	SaNameT queue;

	fill_name(&queue, ACTIVE_COMP_QUEUE);
	memset(&message, 0, sizeof(message));
	message.type = 0;
	message.version = 0;
	message.senderName = NULL;
	message.size = strlen(text) + 1;	/* with its NUL, as the seed */
	message.data = (void *)text;
	message.priority = SA_MSG_MESSAGE_HIGHEST_PRIORITY;
	return saMsgMessageSend(msg_handle, &queue, &message, SA_TIME_MAX);
}

static void *sender_main(void *unused)
{
	char text[SA_MAX_NAME_LENGTH + 32];
	struct timespec until;
	SaAisErrorT rc;

	pthread_mutex_lock(&lock);
	while (sending) {
		snprintf(text, sizeof(text), "Msg %4u from %s", ++sent_count, comp_short);
		pthread_mutex_unlock(&lock);

		INFO("csa104: Sending Message: %s", text);
		rc = send_text(text);
		if (rc != SA_AIS_OK)
			/* 0xC (NOT_EXIST): no active has created the queue. */
			ERROR("csa104: Msg saMsgMessageSend of [%s] to queue [%s] failed [0x%X]",
			      text, ACTIVE_COMP_QUEUE, rc);

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += interval_ms / 1000;
		until.tv_nsec += (interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&lock);
		while (sending &&
		       pthread_cond_timedwait(&wake, &lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void sender_start(void)
{
	pthread_mutex_lock(&lock);
	if (!sender_started) {
		sending = true;
		if (pthread_create(&sender_thread, NULL, sender_main, NULL) != 0) {
			ERROR("csa104: cannot start the sender thread");
			sending = false;
		} else {
			sender_started = true;
		}
	}
	pthread_mutex_unlock(&lock);
}

/* Stops the sender; a send in progress completes first. */
static void sender_stop(void)
{
	bool join;

	pthread_mutex_lock(&lock);
	sending = false;
	pthread_cond_broadcast(&wake);
	join = sender_started;
	sender_started = false;
	pthread_mutex_unlock(&lock);
	if (join) {
		pthread_join(sender_thread, NULL);
		INFO("csa104: sender stopped");
	}
}

static void become(SaAmfHAStateT state)
{
	switch (state) {
	case SA_AMF_HA_ACTIVE:
		sender_stop();
		receiver_start();
		break;
	case SA_AMF_HA_STANDBY:
		receiver_stop();
		sender_start();
		break;
	case SA_AMF_HA_QUIESCED:
	case SA_AMF_HA_QUIESCING:
		sender_stop();
		receiver_stop();
		break;
	}
}

/* ------------------------------------------------------------------------ */
/* AMF callbacks                                                            */
/* ------------------------------------------------------------------------ */

static void print_csi(SaAmfHAStateT ha_state, const SaAmfCSIDescriptorT *csi)
{
	const SaAmfCSIActiveDescriptorT *act = &csi->csiStateDescriptor.activeDescriptor;
	const SaAmfCSIStandbyDescriptorT *sby = &csi->csiStateDescriptor.standbyDescriptor;
	SaUint32T i;

	INFO("CSI Flags : [%s]", csi_flags_name(csi->csiFlags));
	if (csi->csiFlags != SA_AMF_CSI_TARGET_ALL)
		INFO("CSI Name : [%.*s]", name_len(&csi->csiName),
		     (const char *)csi->csiName.value);
	if (csi->csiFlags == SA_AMF_CSI_ADD_ONE) {
		INFO("Name value pairs :");
		for (i = 0; i < csi->csiAttr.number; i++)
			INFO("Name : [%s] Value : [%s]",
			     (const char *)csi->csiAttr.attr[i].attrName,
			     (const char *)csi->csiAttr.attr[i].attrValue);
	}
	INFO("HA state : [%s]", ha_state_name(ha_state));
	if (ha_state == SA_AMF_HA_ACTIVE) {
		INFO("Active Descriptor :");
		INFO("Transition Descriptor : [%d]", (int)act->transitionDescriptor);
		INFO("Active Component : [%.*s]", name_len(&act->activeCompName),
		     (const char *)act->activeCompName.value);
	} else if (ha_state == SA_AMF_HA_STANDBY) {
		INFO("Standby Descriptor :");
		INFO("Standby Rank : [%u]", sby->standbyRank);
		INFO("Active Component : [%.*s]", name_len(&sby->activeCompName),
		     (const char *)sby->activeCompName.value);
	}
}

static void respond(SaInvocationT invocation, SaAisErrorT error)
{
	SaAisErrorT rc = saAmfResponse(amf_handle, invocation, error);

	if (rc != SA_AIS_OK)
		ERROR("csa104: saAmfResponse failed [0x%X]", rc);
}

static void csi_set(SaInvocationT invocation, const SaNameT *comp,
		    SaAmfHAStateT ha_state, SaAmfCSIDescriptorT csi)
{
	SaAisErrorT rc;

	INFO("Component [%.*s] : PID [%ld]. CSI Set Received", name_len(comp),
	     (const char *)comp->value, (long)getpid());
	print_csi(ha_state, &csi);

	switch (ha_state) {
	case SA_AMF_HA_ACTIVE:
		INFO("csa104: ACTIVE state requested; activating message queue receiver service");
		become(ha_state);
		respond(invocation, SA_AIS_OK);
		break;
	case SA_AMF_HA_STANDBY:
		INFO("csa104: Standby state requested");
		become(ha_state);
		respond(invocation, SA_AIS_OK);
		break;
	case SA_AMF_HA_QUIESCED:
		INFO("csa104: Acknowledging new state quiesced");
		become(ha_state);
		respond(invocation, SA_AIS_OK);
		break;
	case SA_AMF_HA_QUIESCING:
		INFO("csa104: Quiescing requested; stopping, then signalling completion");
		respond(invocation, SA_AIS_OK);
		become(ha_state);
		rc = saAmfCSIQuiescingComplete(amf_handle, invocation, SA_AIS_OK);
		if (rc != SA_AIS_OK)
			ERROR("csa104: saAmfCSIQuiescingComplete failed [0x%X]", rc);
		break;
	default:
		ERROR("csa104: unknown HA state %d", (int)ha_state);
		respond(invocation, SA_AIS_OK);
		break;
	}
}

static void csi_remove(SaInvocationT invocation, const SaNameT *comp,
		       const SaNameT *csi_name, SaAmfCSIFlagsT flags)
{
	INFO("Component [%.*s] : PID [%ld]. CSI Remove Received", name_len(comp),
	     (const char *)comp->value, (long)getpid());
	INFO("CSI Flags : [%s]", csi_flags_name(flags));
	if (flags != SA_AMF_CSI_TARGET_ALL)
		INFO("CSI Name : [%.*s]", name_len(csi_name), (const char *)csi_name->value);
	/* One CSI: removing it (or all) stops all the work. */
	sender_stop();
	receiver_stop();
	respond(invocation, SA_AIS_OK);
}

static void terminate(SaInvocationT invocation, const SaNameT *comp)
{
	SaAisErrorT rc;

	INFO("Component [%.*s] : PID [%ld]. Terminating", name_len(comp),
	     (const char *)comp->value, (long)getpid());
	sender_stop();
	receiver_stop();
	rc = saAmfComponentUnregister(amf_handle, &comp_name, NULL);
	if (rc != SA_AIS_OK)
		ERROR("csa104: saAmfComponentUnregister failed [0x%X]", rc);
	respond(invocation, SA_AIS_OK);
	saMsgFinalize(msg_handle);
	saAmfFinalize(amf_handle);
	INFO("csa104: Unregistered; exiting");
	exit(0);
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

static int msg_init(void)
{
	SaVersionT version = { .releaseCode = 'B', .majorVersion = 1, .minorVersion = 1 };
	SaAisErrorT rc;

	/* No callbacks: this program blocks in threads instead, so it never
	 * needs saMsgDispatch(). */
	rc = saMsgInitialize(&msg_handle, NULL, &version);
	if (rc != SA_AIS_OK) {
		ERROR("csa104: saMsgInitialize failed [0x%X]", rc);
		return -1;
	}
	return 0;
}

static void set_name(const SaNameT *n)
{
	comp_name = *n;
	if (comp_name.length > SA_MAX_NAME_LENGTH - 1)
		comp_name.length = SA_MAX_NAME_LENGTH - 1;
	comp_name.value[comp_name.length] = '\0';
	short_name(comp_short, sizeof(comp_short), (const char *)comp_name.value);
}

/* Runs under AMF: registers, then dispatches callbacks until terminated. */
static int run_amf(void)
{
	SaAmfCallbacksT callbacks;
	SaVersionT version = { .releaseCode = 'B', .majorVersion = 1, .minorVersion = 1 };
	SaSelectionObjectT sel;
	SaNameT name;
	SaAisErrorT rc;
	struct pollfd pfd;

	/* As in the seed: five of the seven B.01.01 slots are set; the
	 * proxied-component slots are deliberately left as they are on the
	 * stack (uninitialized). A component that is not a proxy never gets
	 * those callbacks, and the library must not look at them. */
	callbacks.saAmfHealthcheckCallback = NULL;
	callbacks.saAmfComponentTerminateCallback = terminate;
	callbacks.saAmfCSISetCallback = csi_set;
	callbacks.saAmfCSIRemoveCallback = csi_remove;
	callbacks.saAmfProtectionGroupTrackCallback = NULL;

	rc = saAmfInitialize(&amf_handle, &callbacks, &version);
	if (rc != SA_AIS_OK) {
		ERROR("csa104: saAmfInitialize failed [0x%X]", rc);
		return 1;
	}
	rc = saAmfSelectionObjectGet(amf_handle, &sel);
	if (rc != SA_AIS_OK) {
		ERROR("csa104: saAmfSelectionObjectGet failed [0x%X]", rc);
		return 1;
	}
	rc = saAmfComponentNameGet(amf_handle, &name);
	if (rc != SA_AIS_OK) {
		ERROR("csa104: saAmfComponentNameGet failed [0x%X]", rc);
		return 1;
	}
	set_name(&name);
	INFO("Component [%s] : PID [%ld]. Initializing", (const char *)comp_name.value,
	     (long)getpid());
	if (msg_init() != 0)
		return 1;
	rc = saAmfComponentRegister(amf_handle, &comp_name, NULL);
	if (rc != SA_AIS_OK) {
		ERROR("csa104: saAmfComponentRegister failed [0x%X]", rc);
		return 1;
	}
	INFO("csa104: Instantiated as component instance %s.", comp_short);
	INFO("%s: Waiting for CSI assignment...", comp_short);

	pfd.fd = (int)sel;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			ERROR("csa104: poll: %s", strerror(errno));
			return 1;
		}
		rc = saAmfDispatch(amf_handle, SA_DISPATCH_ALL);
		if (rc != SA_AIS_OK && rc != SA_AIS_ERR_TRY_AGAIN) {
			ERROR("csa104: saAmfDispatch failed [0x%X]; exiting", rc);
			return 1;
		}
	}
}

/* CSA104_ROLE test mode: MSG only, roles switched by signals. */
static int run_test(const char *role)
{
	const char *env = getenv("SA_AMF_COMPONENT_NAME");
	sigset_t set;
	SaNameT name;
	int sig;

	if (env == NULL || *env == '\0' || strlen(env) >= SA_MAX_NAME_LENGTH) {
		ERROR("csa104: CSA104_ROLE needs SA_AMF_COMPONENT_NAME");
		return 2;
	}
	fill_name(&name, env);
	set_name(&name);
	if (strcmp(role, "active") != 0 && strcmp(role, "standby") != 0) {
		ERROR("csa104: CSA104_ROLE must be active or standby, not '%s'", role);
		return 2;
	}
	/* Blocked here, so that the threads inherit the mask and sigwait()
	 * gets them all. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	INFO("Component [%s] : PID [%ld]. Test mode (no AMF), role %s",
	     (const char *)comp_name.value, (long)getpid(), role);
	if (msg_init() != 0)
		return 1;
	if (strcmp(role, "active") == 0) {
		INFO("csa104: ACTIVE state requested; activating message queue receiver service");
		become(SA_AMF_HA_ACTIVE);
	} else {
		INFO("csa104: Standby state requested");
		become(SA_AMF_HA_STANDBY);
	}
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		switch (sig) {
		case SIGUSR1:
			INFO("csa104: ACTIVE state requested; activating message queue receiver service");
			become(SA_AMF_HA_ACTIVE);
			break;
		case SIGUSR2:
			INFO("csa104: Standby state requested");
			become(SA_AMF_HA_STANDBY);
			break;
		case SIGHUP:
			INFO("csa104: Acknowledging new state quiesced");
			become(SA_AMF_HA_QUIESCED);
			break;
		default:
			INFO("csa104: signal %d; stopping", sig);
			sender_stop();
			receiver_stop();
			saMsgFinalize(msg_handle);
			INFO("csa104: exiting");
			return 0;
		}
	}
}

int main(void)
{
	const char *env;
	pthread_condattr_t ca;
	char *end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The name for the first lines, until saAmfComponentNameGet(). */
	env = getenv("SA_AMF_COMPONENT_NAME");
	if (env != NULL && *env != '\0')
		short_name(comp_short, sizeof(comp_short), env);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wake, &ca);
	pthread_condattr_destroy(&ca);

	env = getenv("CSA104_INTERVAL_MS");
	if (env != NULL && *env != '\0') {
		errno = 0;
		interval_ms = strtol(env, &end, 10);
		if (errno != 0 || *end != '\0' || interval_ms < 1 || interval_ms > 3600000) {
			ERROR("csa104: CSA104_INTERVAL_MS must be 1 to 3600000, not '%s'", env);
			return 2;
		}
	}
	env = getenv("CSA104_ROLE");
	if (env != NULL && *env != '\0')
		return run_test(env);
	return run_amf();
}
