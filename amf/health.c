/*
 * Health checks and passive monitoring of this node's components
 * (SAI-AIS-AMF-B.04.01: saAmfHealthcheckStart, saAmfHealthcheckConfirm,
 * saAmfHealthcheckStop, saAmfPmStart, saAmfPmStart_3, saAmfPmStop).
 *
 * Everything here is local state of the node that runs the component:
 * nothing is replicated. A failure goes to every node as an error report
 * (amf_send_error_report) carrying the recovery the component recommended
 * when it started the check or the monitor; the engine applies it, or a
 * stronger one (the configured recoveryOnError, the escalation). A report
 * is sent only about the instantiation the check or monitor was started in
 * and while that instantiation is INSTANTIATING, RESTARTING or
 * INSTANTIATED: once the engine has moved on (restart decided, the
 * component stopped or terminating), a late failure is dropped.
 *
 * Requests name a component that must be configured and run here (have a
 * process on this node), else SA_AIS_ERR_NOT_EXIST: only this node's safd
 * knows its processes (OpenSAF's node director answers the same). safd does
 * not check that the caller is one of the component's processes (it has no
 * proxies, and any process may register a component, see
 * saAmfComponentRegister(3)).
 *
 * HEALTH CHECKS. A check is (component, key, session): the key must be one
 * of the component's <healthcheck> elements (safd.conf(5): period,
 * max-duration), else NOT_EXIST; one session (one saAmfInitialize) starts a
 * key of a component once (else EXIST); only that session confirms or stops
 * it (another session gets INVALID_PARAM, a check nobody started NOT_EXIST),
 * and the check ends with the session. Each check is one state machine
 * (hc_next below, the table of what each event does):
 *
 *   AMF-invoked (SA_AMF_HEALTHCHECK_AMF_INVOKED):
 *     IDLE     period ends        -> WAITING  EV_AMF_HEALTHCHECK sent on the
 *                                             session's main connection,
 *                                             answer due within max-duration
 *     WAITING  saAmfResponse OK   -> IDLE
 *     WAITING  period ends        -> WAITING  (no second callback while one
 *                                             is unanswered)
 *     WAITING  answer not OK      -> FAILED
 *     WAITING  max-duration ends  -> FAILED
 *   Component-invoked (SA_AMF_HEALTHCHECK_COMPONENT_INVOKED):
 *     ARMED    confirm OK         -> ARMED    the next one due a period later
 *     ARMED    period ends        -> FAILED
 *   Either: confirm FAILED_OPERATION -> FAILED. (A confirm OK of an
 *   AMF-invoked check changes nothing.)
 *
 * The first callback, and the first confirmation deadline, come one period
 * after the start; callbacks keep their rhythm whatever the answer time.
 * FAILED: the error report is sent and the check is gone (the component is
 * being recovered; its new process starts its own checks). A callback that
 * cannot be delivered (no main connection) counts as unanswered.
 *
 * PASSIVE MONITORING. saAmfPmStart names a process, a depth and the errors
 * to watch (SA_AMF_PM_ZERO_EXIT, NON_ZERO_EXIT, ABNORMAL_END). safd takes
 * the process and its descendants down to the depth (0: the process, 1: and
 * its children, -1: all) as they are at the time of the call, from a scan
 * of /proc; processes born later are NOT added (call saAmfPmStart again for
 * them). A process that does not exist, or has already ended (a zombie), is
 * NOT_EXIST; a tree of more than PM_MAX_TREE processes is NO_RESOURCES, as
 * is running out of file descriptors. Each monitored process gets a pidfd
 * (pidfd_open(2)) polled by the main loop, so its end is seen at once,
 * never by polling /proc.
 * Monitors belong to the component, not to the session: any session may
 * stop them, and they end with the process, with saAmfPmStop, or when the
 * component's process is stopped or cleaned up (amf_health_comp_stopped).
 * Starting a process already monitored for the component adds the errors
 * and takes the new recovery. saAmfPmStop clears the given errors of the
 * process (PROC), of the process and of the descendants its PmStart added
 * (PROC_AND_DESCENDENTS), or of every monitored process of the component
 * (ALL_PROCESSES); a process left with no error to watch is dropped;
 * NOT_EXIST if nothing monitored matched.
 *
 * How a death is classified. Monitored processes are rarely safd's children
 * (a component's workers are the component's children) and waitid(2) works
 * only for one's own children, so safd reads the wait status through the
 * pidfd:
 *   1. ioctl PIDFD_GET_INFO with PIDFD_INFO_EXIT (Linux 6.15 and later)
 *      gives the status of any process once its parent has reaped it;
 *   2. until then it is a zombie and /proc/<pid>/stat holds its status
 *      (field 52, exit_code), provided safd may read it (CAP_SYS_PTRACE, or
 *      the process has safd's ids: else the kernel shows 0 there);
 *      pidfd_send_signal(2) with signal 0 afterwards proves it was not
 *      reaped (and the pid reused) in between;
 *   3. reaped meanwhile: 1 again.
 * On Linux 6.15 and later the status is therefore always known, except
 * for a process that safd may not inspect and whose parent has not reaped
 * it yet. On older kernels a process reaped by its parent before safd
 * reads /proc (a parent blocked in waitpid(2), or one ignoring SIGCHLD)
 * leaves no status either. Such a death counts as ABNORMAL_END: safd cannot
 * prove it was a clean exit.
 * Exit status 0: ZERO_EXIT; another exit status: NON_ZERO_EXIT; killed by a
 * signal: ABNORMAL_END. A death of a kind not watched ends the monitor
 * without a report.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <qb/qblog.h>

#include <safd/util.h>
#include "amf_int.h"

#define PM_ERRORS (SA_AMF_PM_ZERO_EXIT | SA_AMF_PM_NON_ZERO_EXIT | SA_AMF_PM_ABNORMAL_END)
#define REPORT_RETRY_NS (200ULL * 1000000ULL)	/* CPG busy: send again */
#define PM_MAX_TREE 1024	/* processes one saAmfPmStart may watch */

/* ---------------------------------------------------------------- */
/* Reports                                                            */

/* A failure to report; kept only while CPG refuses it (then retried). */
struct report {
	struct qb_list_head list;
	uint32_t comp;
	uint32_t incarnation;
	SaAmfRecommendedRecoveryT recovery;
	int64_t detected;		/* CLOCK_REALTIME, ns */
	bool timer_set;
	qb_loop_timer_handle timer;
};

static QB_LIST_DECLARE(reports);

/* Timers are tracked with a flag, so that one that has expired (or was
 * never added) is never deleted. */
static void timer_stop(qb_loop_timer_handle *t, bool *set)
{
	if (*set)
		qb_loop_timer_del(safd_loop(), *t);
	*set = false;
}

static int timer_start(void *data, SaTimeT ns, qb_loop_timer_dispatch_fn fn,
		       qb_loop_timer_handle *t, bool *set)
{
	int rc;

	timer_stop(t, set);
	rc = qb_loop_timer_add(safd_loop(), QB_LOOP_MED, (uint64_t)ns, data, fn, t);
	*set = rc == 0;
	return rc;
}

/* The component of index comp if it is still the instantiation
 * `incarnation` on this node and may fail, else NULL. */
static struct amf_comp_rt *comp_current(uint32_t comp, uint32_t incarnation)
{
	struct amf_comp_rt *c;

	if (comp >= amf.n_comps)
		return NULL;
	c = &amf.comps[comp];
	if (!amf_comp_is_local(c) || c->incarnation != incarnation)
		return NULL;
	if (c->presence != SA_AMF_PRESENCE_INSTANTIATED &&
	    c->presence != SA_AMF_PRESENCE_INSTANTIATING &&
	    c->presence != SA_AMF_PRESENCE_RESTARTING)
		return NULL;
	return c;
}

static void report_retry(void *data);

static void report_send(struct report *r)
{
	struct amf_comp_rt *c = comp_current(r->comp, r->incarnation);

	if (c != NULL && amf_send_error_report(c, r->recovery, r->detected) < 0 &&
	    timer_start(r, REPORT_RETRY_NS, report_retry, &r->timer, &r->timer_set) == 0)
		return;		/* retried from the timer */
	qb_list_del(&r->list);
	free(r);
}

static void report_retry(void *data)
{
	struct report *r = data;

	r->timer_set = false;
	report_send(r);
}

/* Sends the error report about c (now, or as soon as CPG takes it). */
static void report_failure(struct amf_comp_rt *c, uint32_t incarnation,
			   SaAmfRecommendedRecoveryT recovery)
{
	struct report *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		(void)amf_send_error_report(c, recovery, 0);
		return;
	}
	r->detected = safd_time_ns(CLOCK_REALTIME);
	r->comp = amf_comp_index(c);
	r->incarnation = incarnation;
	r->recovery = recovery;
	qb_list_add_tail(&r->list, &reports);
	report_send(r);
}

static void reports_drop(uint32_t comp)
{
	struct report *r, *tmp;

	qb_list_for_each_entry_safe(r, tmp, &reports, list) {
		if (comp != UINT32_MAX && r->comp != comp)
			continue;
		timer_stop(&r->timer, &r->timer_set);
		qb_list_del(&r->list);
		free(r);
	}
}

/* ---------------------------------------------------------------- */
/* Health checks                                                      */

enum hc_state { HC_IDLE, HC_WAITING, HC_ARMED, HC_FAILED, HC_N_STATES };
enum hc_event { HC_PERIOD, HC_ANSWER_OK, HC_ANSWER_BAD, HC_DEADLINE, HC_CONFIRM_OK,
		HC_CONFIRM_FAILED, HC_N_EVENTS };

/* What each event does to a check in each state (the table of the header
 * comment). HC_FAILED: report and drop the check. */
static const uint8_t hc_next[HC_N_STATES][HC_N_EVENTS] = {
	[HC_IDLE] = {
		[HC_PERIOD] = HC_WAITING, [HC_ANSWER_OK] = HC_IDLE,
		[HC_ANSWER_BAD] = HC_IDLE, [HC_DEADLINE] = HC_IDLE,
		[HC_CONFIRM_OK] = HC_IDLE, [HC_CONFIRM_FAILED] = HC_FAILED,
	},
	[HC_WAITING] = {
		[HC_PERIOD] = HC_WAITING, [HC_ANSWER_OK] = HC_IDLE,
		[HC_ANSWER_BAD] = HC_FAILED, [HC_DEADLINE] = HC_FAILED,
		[HC_CONFIRM_OK] = HC_WAITING, [HC_CONFIRM_FAILED] = HC_FAILED,
	},
	[HC_ARMED] = {
		[HC_PERIOD] = HC_FAILED, [HC_ANSWER_OK] = HC_ARMED,
		[HC_ANSWER_BAD] = HC_ARMED, [HC_DEADLINE] = HC_ARMED,
		[HC_CONFIRM_OK] = HC_ARMED, [HC_CONFIRM_FAILED] = HC_FAILED,
	},
	[HC_FAILED] = {
		[HC_PERIOD] = HC_FAILED, [HC_ANSWER_OK] = HC_FAILED,
		[HC_ANSWER_BAD] = HC_FAILED, [HC_DEADLINE] = HC_FAILED,
		[HC_CONFIRM_OK] = HC_FAILED, [HC_CONFIRM_FAILED] = HC_FAILED,
	},
};

static const char *const hc_why[HC_N_EVENTS] = {
	[HC_PERIOD] = "no confirmation within its period",
	[HC_ANSWER_BAD] = "the callback was answered with an error",
	[HC_DEADLINE] = "the callback was not answered within its max-duration",
	[HC_CONFIRM_FAILED] = "confirmed with SA_AIS_ERR_FAILED_OPERATION",
};

struct hc {
	struct qb_list_head list;
	struct amf_session *s;		/* the session that started it */
	uint32_t comp;			/* index */
	uint32_t incarnation;		/* of the component, at the start */
	const struct amf_healthcheck *cfg;
	bool amf_invoked;
	SaAmfRecommendedRecoveryT recovery;
	enum hc_state state;
	uint64_t invocation;		/* WAITING: the callback's */
	bool period_set, deadline_set;
	qb_loop_timer_handle period;	/* AMF-invoked: the next callback;
					 * component-invoked: the deadline */
	qb_loop_timer_handle deadline;	/* WAITING: max-duration */
};

static QB_LIST_DECLARE(checks);

/* printf arguments of a check's key, for "%.*s" (keys are text from the
 * configuration file). */
#define HC_KEY(h) (int)(h)->cfg->key.keyLen, (const char *)(h)->cfg->key.key

static void hc_drop(struct hc *h)
{
	timer_stop(&h->period, &h->period_set);
	timer_stop(&h->deadline, &h->deadline_set);
	qb_list_del(&h->list);
	free(h);
}

static void hc_period_expired(void *data);
static void hc_deadline_expired(void *data);

static void name_set(struct safd_name *n, const char *s)
{
	size_t len = strlen(s);

	memset(n, 0, sizeof(*n));
	n->length = (uint16_t)(len < sizeof(n->value) ? len : sizeof(n->value));
	memcpy(n->value, s, n->length);
}

/* IDLE -> WAITING: the callback, due within max-duration. */
static void hc_callback(struct hc *h, struct amf_comp_rt *c)
{
	struct safd_conn *conn = amf_session_main(h->s);
	struct ev_amf_healthcheck ev = {
		.header = { .id = EV_AMF_HEALTHCHECK, .size = sizeof(ev), .error = SA_AIS_OK },
		.invocation = amf_next_invocation(),
	};

	name_set(&ev.comp, c->cfg->dn);
	memcpy(ev.key, h->cfg->key.key, h->cfg->key.keyLen);
	ev.key_len = h->cfg->key.keyLen;
	h->invocation = ev.invocation;
	if (conn == NULL || safd_conn_event(conn, &ev, sizeof(ev)) < 0)
		qb_log(LOG_DEBUG, "%s: healthcheck %.*s: callback %llu not delivered",
		       c->cfg->dn, HC_KEY(h),
		       (unsigned long long)ev.invocation);
	if (timer_start(h, h->cfg->max_duration, hc_deadline_expired, &h->deadline,
			&h->deadline_set) < 0)
		qb_log(LOG_ERR, "%s: healthcheck %.*s: no timer for its max-duration",
		       c->cfg->dn, HC_KEY(h));
}

/* Applies event ev to h; h may be gone afterwards. */
static void hc_event(struct hc *h, enum hc_event ev)
{
	struct amf_comp_rt *c = comp_current(h->comp, h->incarnation);
	enum hc_state from = h->state;

	if (c == NULL) {
		hc_drop(h);	/* the component moved on: nothing to check */
		return;
	}
	h->state = (enum hc_state)hc_next[from][ev];
	switch (h->state) {
	case HC_FAILED:
		qb_log(LOG_WARNING, "%s: healthcheck %.*s failed: %s; error report, "
		       "recommended recovery %s", c->cfg->dn, HC_KEY(h),
		       hc_why[ev], amf_recovery_name(h->recovery));
		report_failure(c, h->incarnation, h->recovery);
		hc_drop(h);
		return;
	case HC_WAITING:
		if (from == HC_IDLE)
			hc_callback(h, c);
		break;
	case HC_IDLE:
		if (from == HC_WAITING) {
			h->invocation = 0;
			timer_stop(&h->deadline, &h->deadline_set);
		}
		break;
	case HC_ARMED:
	case HC_N_STATES:
		break;
	}
	/* the period runs again after each tick, and after each confirm */
	if (ev == HC_PERIOD || (ev == HC_CONFIRM_OK && h->state == HC_ARMED)) {
		if (timer_start(h, h->cfg->period, hc_period_expired, &h->period,
				&h->period_set) < 0)
			qb_log(LOG_ERR, "%s: healthcheck %.*s: no timer for its period",
			       c->cfg->dn, HC_KEY(h));
	}
}

static void hc_period_expired(void *data)
{
	struct hc *h = data;

	h->period_set = false;
	hc_event(h, HC_PERIOD);
}

static void hc_deadline_expired(void *data)
{
	struct hc *h = data;

	h->deadline_set = false;
	hc_event(h, HC_DEADLINE);
}

static int name_check(const struct safd_name *n)
{
	return n->length == 0 || n->length > sizeof(n->value) ? -EINVAL : 0;
}

/* The component named by a request: configured and running on this node
 * (a process of its current instantiation), else NULL. */
static struct amf_comp_rt *comp_here(const struct safd_name *name)
{
	struct amf_comp_rt *c = amf_comp_by_dn(name);

	if (c == NULL || !amf_comp_is_local(c) || c->local_pid <= 0 ||
	    c->local_incarnation != c->incarnation)
		return NULL;
	return c;
}

static const struct amf_healthcheck *hc_config(const struct amf_comp_rt *c,
					      const struct req_lib_amf_healthcheck *r)
{
	uint32_t i;

	for (i = 0; i < c->cfg->n_healthchecks; i++) {
		const SaAmfHealthcheckKeyT *k = &c->cfg->healthchecks[i].key;

		if (k->keyLen == r->key_len && memcmp(k->key, r->key, r->key_len) == 0)
			return &c->cfg->healthchecks[i];
	}
	return NULL;
}

/* The check of (c, cfg) started by session s; with s NULL, by any. */
static struct hc *hc_find(const struct amf_comp_rt *c, const struct amf_healthcheck *cfg,
			  const struct amf_session *s)
{
	struct hc *h;

	qb_list_for_each_entry(h, &checks, list)
		if (h->comp == amf_comp_index(c) && h->cfg == cfg && (s == NULL || h->s == s))
			return h;
	return NULL;
}

/* The checks common to the three requests: *c and *cfg, or -errno. */
static int hc_request(struct safd_conn *conn, const struct req_lib_amf_healthcheck *r,
		      struct amf_comp_rt **c, const struct amf_healthcheck **cfg)
{
	if (name_check(&r->comp) < 0 || r->key_len == 0 || r->key_len > sizeof(r->key))
		return -EINVAL;
	if (amf_conn_session(conn) == NULL)
		return -ENOMEM;
	*c = comp_here(&r->comp);
	if (*c == NULL)
		return -ENOENT;
	*cfg = hc_config(*c, r);
	return *cfg != NULL ? 0 : -ENOENT;
}

int amf_h_hc_start(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_healthcheck *r = msg;
	const struct amf_healthcheck *cfg;
	struct amf_session *s = amf_conn_session(conn);
	struct amf_comp_rt *c;
	struct hc *h;
	int rc;

	if (r->invocation_type < SA_AMF_HEALTHCHECK_AMF_INVOKED ||
	    r->invocation_type > SA_AMF_HEALTHCHECK_COMPONENT_INVOKED ||
	    r->recovery < SA_AMF_NO_RECOMMENDATION || r->recovery > SA_AMF_CONTAINER_RESTART)
		return -EINVAL;
	rc = hc_request(conn, r, &c, &cfg);
	if (rc < 0)
		return rc;
	if (hc_find(c, cfg, s) != NULL)
		return -EEXIST;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	h->s = s;
	h->comp = amf_comp_index(c);
	h->incarnation = c->incarnation;
	h->cfg = cfg;
	h->amf_invoked = r->invocation_type == SA_AMF_HEALTHCHECK_AMF_INVOKED;
	h->recovery = (SaAmfRecommendedRecoveryT)r->recovery;
	h->state = h->amf_invoked ? HC_IDLE : HC_ARMED;
	if (timer_start(h, cfg->period, hc_period_expired, &h->period, &h->period_set) < 0) {
		free(h);
		return -ENOMEM;
	}
	qb_list_add_tail(&h->list, &checks);
	qb_log(LOG_INFO, "%s: healthcheck %.*s started by pid %d (%s, period %lld ms, "
	       "max-duration %lld ms, recommended recovery %s)", c->cfg->dn, HC_KEY(h),
	       (int)amf_session_pid(s),
	       h->amf_invoked ? "AMF-invoked" : "component-invoked",
	       (long long)(cfg->period / 1000000), (long long)(cfg->max_duration / 1000000),
	       amf_recovery_name(h->recovery));
	return safd_conn_respond_error(conn, REQ_LIB_AMF_HC_START, SA_AIS_OK);
}

/* Confirm and stop: the session's own check, else INVALID_PARAM when
 * another session has one (only the starting process may), else
 * NOT_EXIST. */
static int hc_own(struct safd_conn *conn, const struct req_lib_amf_healthcheck *r,
		  struct hc **out)
{
	const struct amf_healthcheck *cfg;
	struct amf_comp_rt *c;
	int rc = hc_request(conn, r, &c, &cfg);

	if (rc < 0)
		return rc;
	*out = hc_find(c, cfg, amf_conn_session(conn));
	if (*out != NULL)
		return 0;
	return hc_find(c, cfg, NULL) != NULL ? -EINVAL : -ENOENT;
}

int amf_h_hc_confirm(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_healthcheck *r = msg;
	struct hc *h;
	int rc;

	if (r->result != SA_AIS_OK && r->result != SA_AIS_ERR_FAILED_OPERATION)
		return -EINVAL;
	rc = hc_own(conn, r, &h);
	if (rc < 0)
		return rc;
	hc_event(h, r->result == SA_AIS_OK ? HC_CONFIRM_OK : HC_CONFIRM_FAILED);
	return safd_conn_respond_error(conn, REQ_LIB_AMF_HC_CONFIRM, SA_AIS_OK);
}

int amf_h_hc_stop(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_healthcheck *r = msg;
	struct hc *h;
	int rc = hc_own(conn, r, &h);

	if (rc < 0)
		return rc;
	qb_log(LOG_INFO, "%s: healthcheck %.*s stopped",
	       amf.comps[h->comp].cfg->dn, HC_KEY(h));
	hc_drop(h);
	return safd_conn_respond_error(conn, REQ_LIB_AMF_HC_STOP, SA_AIS_OK);
}

/* saAmfResponse to a healthcheck callback: only the session it was sent to
 * answers it. */
bool amf_health_response(struct amf_session *s, uint64_t invocation, SaAisErrorT err)
{
	struct hc *h;

	if (invocation == 0)
		return false;
	qb_list_for_each_entry(h, &checks, list) {
		if (h->invocation != invocation || h->s != s || h->state != HC_WAITING)
			continue;
		hc_event(h, err == SA_AIS_OK ? HC_ANSWER_OK : HC_ANSWER_BAD);
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------- */
/* Passive monitoring                                                 */

struct pm {
	struct qb_list_head list;
	uint32_t comp;			/* index */
	uint32_t incarnation;
	pid_t pid;
	pid_t root;			/* the processId of the PmStart that added it */
	int fd;				/* its pidfd, in the main loop */
	uint32_t errors;		/* SaAmfPmErrorsT still watched */
	SaAmfRecommendedRecoveryT recovery;
};

static QB_LIST_DECLARE(monitors);

/* PIDFD_GET_INFO (Linux 6.13; exit_code with PIDFD_INFO_EXIT since 6.15):
 * its first published layout, defined here because older kernel headers
 * lack it; the kernel takes the size from the ioctl number. */
struct pidfd_info_v0 {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
};
#define PM_PIDFD_INFO_EXIT (1ULL << 3)
#define PM_PIDFD_GET_INFO _IOWR(0xFF, 11, struct pidfd_info_v0)
#define PM_CAP_SYS_PTRACE 19	/* linux/capability.h */

static int pidfd_open_pid(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static bool pidfd_not_reaped(int fd)
{
#ifdef SYS_pidfd_send_signal
	return syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) == 0;
#else
	return false;
#endif
}

/* What /proc/<pid>/stat says: the state letter, the parent and the wait
 * status (exit_code, meaningful for a zombie). -1 if unreadable. */
static int proc_stat(pid_t pid, char *state, pid_t *ppid, int *exit_code)
{
	char path[64], buf[1024], *p, *save = NULL, *tok;
	int field = 2;		/* the last ')' ends field 2, comm */
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL)
		return -1;
	*exit_code = -1;
	for (tok = strtok_r(p + 1, " \n", &save); tok != NULL; tok = strtok_r(NULL, " \n", &save)) {
		field++;
		if (field == 3)
			*state = tok[0];
		else if (field == 4)
			*ppid = (pid_t)atoi(tok);
		else if (field == 52)
			*exit_code = atoi(tok);
	}
	return field >= 4 ? 0 : -1;
}

static bool pidfd_exit_info(int fd, int *status)
{
	struct pidfd_info_v0 info;

	memset(&info, 0, sizeof(info));
	info.mask = PM_PIDFD_INFO_EXIT;
	if (ioctl(fd, PM_PIDFD_GET_INFO, &info) < 0 || !(info.mask & PM_PIDFD_INFO_EXIT))
		return false;
	*status = info.exit_code;
	return true;
}

/*
 * Whether /proc shows safd the exit_code of process pid: the kernel writes
 * 0 there instead unless safd may read it as ptrace would, i.e. safd has
 * CAP_SYS_PTRACE, or the process's real, effective and saved user and
 * group ids are safd's (a zombie has no memory map left, so whether it was
 * dumpable no longer matters). Without this check a process safd may not
 * inspect would seem to exit 0 whatever happened to it.
 */
static bool proc_exit_code_visible(pid_t pid)
{
	char path[64], line[256];
	unsigned long long cap;
	unsigned int r, e, sv;
	bool uid_ok = false, gid_ok = false, cap_ok = false;
	FILE *f = fopen("/proc/self/status", "re");

	while (f != NULL && !cap_ok && fgets(line, sizeof(line), f) != NULL)
		cap_ok = sscanf(line, "CapEff: %llx", &cap) == 1 &&
			 (cap & (1ULL << PM_CAP_SYS_PTRACE)) != 0;
	if (f != NULL)
		fclose(f);
	if (cap_ok)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "Uid: %u %u %u", &r, &e, &sv) == 3)
			uid_ok = r == geteuid() && e == geteuid() && sv == geteuid();
		else if (sscanf(line, "Gid: %u %u %u", &r, &e, &sv) == 3)
			gid_ok = r == getegid() && e == getegid() && sv == getegid();
	}
	fclose(f);
	return uid_ok && gid_ok;
}

/* The wait status of the ended process m watched, and where it was read;
 * NULL if unknown (see the header comment). */
static const char *pm_status(const struct pm *m, int *status)
{
	pid_t ppid;
	char state = 0;
	int code;

	if (pidfd_exit_info(m->fd, status))
		return "pidfd exit info";
	/* both reads are about m's zombie if it is not reaped after them */
	if (proc_stat(m->pid, &state, &ppid, &code) == 0 && state == 'Z' && code >= 0 &&
	    proc_exit_code_visible(m->pid) && pidfd_not_reaped(m->fd)) {
		*status = code;
		return "/proc (zombie)";
	}
	return pidfd_exit_info(m->fd, status) ? "pidfd exit info" : NULL;
}

static void pm_drop(struct pm *m)
{
	qb_loop_poll_del(safd_loop(), m->fd);
	close(m->fd);
	qb_list_del(&m->list);
	free(m);
}

static int32_t pm_ended(int32_t fd, int32_t revents, void *data)
{
	struct pm *m = data;
	struct amf_comp_rt *c = comp_current(m->comp, m->incarnation);
	uint32_t kind = SA_AMF_PM_ABNORMAL_END;
	char how[64] = "ended, status unknown";
	int status = 0;
	const char *from = pm_status(m, &status);

	qb_log(LOG_DEBUG, "monitored pid %d ended; wait status %s", (int)m->pid,
	       from != NULL ? from : "unknown");
	if (from != NULL) {
		if (WIFEXITED(status)) {
			kind = WEXITSTATUS(status) == 0 ? SA_AMF_PM_ZERO_EXIT :
			       SA_AMF_PM_NON_ZERO_EXIT;
			snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
		} else if (WIFSIGNALED(status)) {
			snprintf(how, sizeof(how), "was killed by signal %d", WTERMSIG(status));
		}
	}
	if (c == NULL) {
		qb_log(LOG_DEBUG, "monitored pid %d %s; its component moved on", (int)m->pid,
		       how);
	} else if (m->errors & kind) {
		qb_log(LOG_WARNING, "%s: monitored pid %d %s (%s); error report, recommended "
		       "recovery %s", c->cfg->dn, (int)m->pid, how,
		       kind == SA_AMF_PM_ZERO_EXIT ? "SA_AMF_PM_ZERO_EXIT" :
		       kind == SA_AMF_PM_NON_ZERO_EXIT ? "SA_AMF_PM_NON_ZERO_EXIT" :
		       "SA_AMF_PM_ABNORMAL_END", amf_recovery_name(m->recovery));
		report_failure(c, m->incarnation, m->recovery);
	} else {
		qb_log(LOG_INFO, "%s: monitored pid %d %s, not an error it is watched for",
		       c->cfg->dn, (int)m->pid, how);
	}
	pm_drop(m);
	return 0;
}

static struct pm *pm_find(uint32_t comp, pid_t pid)
{
	struct pm *m;

	qb_list_for_each_entry(m, &monitors, list)
		if (m->comp == comp && m->pid == pid)
			return m;
	return NULL;
}

/* Watches pid for component c (merging with a monitor it has already).
 * 0, or -errno: ESRCH when the process does not exist or has ended. */
static int pm_add(struct amf_comp_rt *c, pid_t pid, pid_t root, pid_t want_ppid,
		  const struct req_lib_amf_pm *r)
{
	struct pm *m = pm_find(amf_comp_index(c), pid);
	char state = 0;
	pid_t ppid = 0;
	int code, fd;

	if (m != NULL) {
		m->errors |= r->errors;
		m->recovery = (SaAmfRecommendedRecoveryT)r->recovery;
		m->incarnation = c->incarnation;
		return 0;
	}
	fd = pidfd_open_pid(pid);
	if (fd < 0)
		return -errno;
	/* After the pidfd: the pid is that process's until the pidfd says it
	 * ended, so what /proc says now is about it. */
	if (proc_stat(pid, &state, &ppid, &code) < 0 || state == 'Z' || state == 'X' ||
	    (want_ppid != 0 && ppid != want_ppid)) {
		close(fd);
		return -ESRCH;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		close(fd);
		return -ENOMEM;
	}
	m->comp = amf_comp_index(c);
	m->incarnation = c->incarnation;
	m->pid = pid;
	m->root = root;
	m->fd = fd;
	m->errors = r->errors;
	m->recovery = (SaAmfRecommendedRecoveryT)r->recovery;
	if (qb_loop_poll_add(safd_loop(), QB_LOOP_MED, fd, POLLIN, m, pm_ended) < 0) {
		close(fd);
		free(m);
		return -ENOMEM;
	}
	qb_list_add_tail(&m->list, &monitors);
	return 0;
}

struct proc_link {
	pid_t pid, ppid;
};

/* Every process of /proc with its parent: *out (free it), *n. */
static int proc_links(struct proc_link **out, size_t *n)
{
	struct proc_link *v = NULL, *tmp;
	size_t cap = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc");

	*n = 0;
	if (dir == NULL)
		return -errno;
	while ((d = readdir(dir)) != NULL) {
		char state, *end;
		pid_t ppid;
		int code;
		long pid = strtol(d->d_name, &end, 10);

		if (*end != '\0' || pid <= 0 || proc_stat((pid_t)pid, &state, &ppid, &code) < 0)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			tmp = realloc(v, cap * sizeof(*v));
			if (tmp == NULL) {
				free(v);
				closedir(dir);
				return -ENOMEM;
			}
			v = tmp;
		}
		v[*n].pid = (pid_t)pid;
		v[*n].ppid = ppid;
		(*n)++;
	}
	closedir(dir);
	*out = v;
	return 0;
}

/* The descendants of root down to depth (-1: all), as they are now. The
 * root's own monitor is already there; a descendant that ended meanwhile is
 * skipped. */
static int pm_add_descendants(struct amf_comp_rt *c, pid_t root,
			      const struct req_lib_amf_pm *r)
{
	struct proc_link *links = NULL;
	pid_t *tree;		/* root, then each generation: [lo, hi) the last */
	size_t n_links, n_tree = 1, lo = 0, hi = 1, i, k;
	int32_t depth;
	int rc = proc_links(&links, &n_links);

	if (rc < 0)
		return rc;
	tree = malloc((n_links + 1) * sizeof(*tree));
	if (tree == NULL) {
		free(links);
		return -ENOMEM;
	}
	tree[0] = root;
	/* Each link is taken at most once (its ppid then set to 0), so the
	 * tree never holds more than n_links + 1 pids. */
	for (depth = 0; lo < hi && (r->depth < 0 || depth < r->depth); depth++) {
		for (i = 0; i < n_links; i++) {
			for (k = lo; k < hi && links[i].ppid != 0; k++) {
				if (links[i].ppid != tree[k])
					continue;
				if (n_tree >= PM_MAX_TREE) {
					rc = -ENOBUFS;	/* NO_RESOURCES */
					goto out;
				}
				rc = pm_add(c, links[i].pid, root, links[i].ppid, r);
				if (rc < 0 && rc != -ESRCH)
					goto out;
				rc = 0;
				links[i].ppid = 0;
				tree[n_tree++] = links[i].pid;
			}
		}
		lo = hi;
		hi = n_tree;
	}
out:
	free(tree);
	free(links);
	return rc;
}

static const char *pm_errors_text(uint32_t errors, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s",
		 errors & SA_AMF_PM_ZERO_EXIT ? " zero-exit" : "",
		 errors & SA_AMF_PM_NON_ZERO_EXIT ? " non-zero-exit" : "",
		 errors & SA_AMF_PM_ABNORMAL_END ? " abnormal-end" : "");
	return buf;
}

/* The last monitor now, so that a failed start can drop what it added. */
static struct pm *pm_last(void)
{
	return qb_list_empty(&monitors) ? NULL :
	       qb_list_entry(monitors.prev, struct pm, list);
}

static void pm_drop_after(struct pm *last)
{
	struct pm *m;

	while (pm_last() != last && (m = pm_last()) != NULL)
		pm_drop(m);
}

int amf_h_pm_start(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_pm *r = msg;
	struct pm *last = pm_last(), *m;
	struct amf_comp_rt *c;
	uint32_t n = 0;
	char errors[64];
	int rc;

	if (name_check(&r->comp) < 0 || r->pid <= 0 || r->depth < -1 || r->errors == 0 ||
	    (r->errors & ~(uint32_t)PM_ERRORS) != 0 || r->recovery < SA_AMF_NO_RECOMMENDATION ||
	    r->recovery > SA_AMF_CONTAINER_RESTART)
		return -EINVAL;
	c = comp_here(&r->comp);
	if (c == NULL || r->pid > INT32_MAX)
		return -ENOENT;		/* no such component here, no such process */
	rc = pm_add(c, (pid_t)r->pid, (pid_t)r->pid, 0, r);
	if (rc == 0 && r->depth != 0)
		rc = pm_add_descendants(c, (pid_t)r->pid, r);
	switch (rc) {
	case 0:
		break;
	case -ESRCH:
	case -EINVAL:		/* pidfd_open: a thread, not a process */
		return -ENOENT;
	case -ENOSYS:
		return -ENOTSUP;
	case -EMFILE:
	case -ENFILE:
	case -ENOMEM:
	case -ENOBUFS:
		pm_drop_after(last);
		return safd_conn_respond_error(conn, REQ_LIB_AMF_PM_START,
					       SA_AIS_ERR_NO_RESOURCES);
	default:
		pm_drop_after(last);
		return rc;
	}
	qb_list_for_each_entry(m, &monitors, list)
		n += m->comp == amf_comp_index(c) && m->root == (pid_t)r->pid;
	qb_log(LOG_INFO, "%s: pid %d monitored with depth %d (%u processes) for%s, "
	       "recommended recovery %s", c->cfg->dn, (int)r->pid, (int)r->depth, n,
	       pm_errors_text(r->errors, errors, sizeof(errors)),
	       amf_recovery_name((SaAmfRecommendedRecoveryT)r->recovery));
	return safd_conn_respond_error(conn, REQ_LIB_AMF_PM_START, SA_AIS_OK);
}

int amf_h_pm_stop(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_pm *r = msg;
	struct amf_comp_rt *c;
	struct pm *m, *tmp;
	uint32_t n = 0;
	char errors[64];

	if (name_check(&r->comp) < 0 || r->stop_qualifier < SA_AMF_PM_PROC ||
	    r->stop_qualifier > SA_AMF_PM_ALL_PROCESSES ||
	    (r->stop_qualifier != SA_AMF_PM_ALL_PROCESSES && r->pid <= 0) || r->errors == 0 ||
	    (r->errors & ~(uint32_t)PM_ERRORS) != 0)
		return -EINVAL;
	c = amf_comp_by_dn(&r->comp);
	if (c == NULL || !amf_comp_is_local(c))
		return -ENOENT;
	qb_list_for_each_entry_safe(m, tmp, &monitors, list) {
		if (m->comp != amf_comp_index(c) || (m->errors & r->errors) == 0)
			continue;
		if (r->stop_qualifier != SA_AMF_PM_ALL_PROCESSES && m->pid != r->pid &&
		    (r->stop_qualifier != SA_AMF_PM_PROC_AND_DESCENDENTS || m->root != r->pid))
			continue;
		n++;
		m->errors &= ~r->errors;
		if (m->errors == 0)
			pm_drop(m);
	}
	if (n == 0)
		return -ENOENT;
	qb_log(LOG_INFO, "%s: monitoring of %u processes stopped for%s", c->cfg->dn, n,
	       pm_errors_text(r->errors, errors, sizeof(errors)));
	return safd_conn_respond_error(conn, REQ_LIB_AMF_PM_STOP, SA_AIS_OK);
}

/* ---------------------------------------------------------------- */
/* Life cycle                                                         */

/* c's process was killed or cleaned up: its checks and monitors end (a
 * monitored process dying with it is no new error). */
void amf_health_comp_stopped(struct amf_comp_rt *c)
{
	uint32_t i = amf_comp_index(c);
	struct hc *h, *htmp;
	struct pm *m, *mtmp;

	qb_list_for_each_entry_safe(h, htmp, &checks, list)
		if (h->comp == i)
			hc_drop(h);
	qb_list_for_each_entry_safe(m, mtmp, &monitors, list)
		if (m->comp == i)
			pm_drop(m);
	reports_drop(i);
}

void amf_health_session_gone(struct amf_session *s)
{
	struct hc *h, *tmp;

	qb_list_for_each_entry_safe(h, tmp, &checks, list)
		if (h->s == s)
			hc_drop(h);
}

void amf_health_fini(void)
{
	struct hc *h, *htmp;
	struct pm *m, *mtmp;

	qb_list_for_each_entry_safe(h, htmp, &checks, list)
		hc_drop(h);
	qb_list_for_each_entry_safe(m, mtmp, &monitors, list)
		pm_drop(m);
	reports_drop(UINT32_MAX);
}
