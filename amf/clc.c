/*
 * Component life cycle on this node (SAI-AIS-AMF-B.04.01 section 4.6, CLC):
 * what the local safd does about its own components once the replicated
 * state says what should be:
 *   - a component whose presence is INSTANTIATING or RESTARTING in an
 *     incarnation this node has not started yet: kill what runs of the old
 *     one (its process group; then the cleanup command if configured) and
 *     launch the instantiate command with SA_AMF_COMPONENT_NAME and the
 *     configured environment, stdout and stderr to <state dir>/<name>.log;
 *     an SA-aware component must register within the instantiate timeout;
 *   - a component that should not run: kill it;
 *   - a registered component whose CSI assignments differ from what it was
 *     told: one callback at a time (CSI set, CSI remove), each answered
 *     within its timeout.
 * Process death is seen at once through SIGCHLD (never by polling); what
 * happened goes back to every node as a REQ_EXEC_AMF_COMP_EVENT.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <qb/qblog.h>
#include <qb/qbloop.h>

#include <safd/util.h>
#include "amf_int.h"

static qb_loop_signal_handle sigchld;
static uint64_t next_invocation = 1;

/* An event about c as this node runs it. The fields that do not apply to
 * `event` are 0. */
static int send_event(struct amf_comp_rt *c, struct req_exec_amf_comp_event *e,
		      uint32_t incarnation, int64_t time)
{
	e->comp = amf_comp_index(c);
	e->incarnation = incarnation;
	e->o.time = time > 0 ? time : safd_time_ns(CLOCK_REALTIME);
	return safd_cpg_send(SAFD_SVC_AMF, REQ_EXEC_AMF_COMP_EVENT, e, sizeof(*e));
}

/* token: a pending answer amf.c completes when the event is applied. */
void amf_send_comp_event_token(struct amf_comp_rt *c, uint32_t event, uint32_t pid,
			       uint64_t token)
{
	struct req_exec_amf_comp_event e = { .event = event, .pid = pid };

	e.o.token = token;
	send_event(c, &e, c->local_incarnation, 0);
}

void amf_send_comp_event(struct amf_comp_rt *c, uint32_t event, uint32_t pid)
{
	amf_send_comp_event_token(c, event, pid, 0);
}

/* detection_time 0: now. Sent about the current incarnation, from any node. */
int amf_send_error_report(struct amf_comp_rt *c, SaAmfRecommendedRecoveryT recovery,
			  int64_t detection_time)
{
	struct req_exec_amf_comp_event e = { .event = AMF_EV_ERROR_REPORT,
					     .recovery = recovery };

	return send_event(c, &e, c->incarnation, detection_time);
}

void amf_send_ha_acked(struct amf_comp_rt *c, uint32_t csi, uint32_t ha)
{
	struct req_exec_amf_comp_event e = { .event = AMF_EV_HA_ACKED, .ha = ha, .csi = csi };

	send_event(c, &e, c->local_incarnation, 0);
}

uint64_t amf_next_invocation(void)
{
	return next_invocation++;
}

static void name_set(struct safd_name *n, const char *s)
{
	size_t len = strlen(s);

	memset(n, 0, sizeof(*n));
	n->length = (uint16_t)(len < sizeof(n->value) ? len : sizeof(n->value));
	memcpy(n->value, s, n->length);
}

/* In the child: never returns. */
static void exec_command(const struct amf_comp_rt *c, const struct amf_command *cmd)
{
	char path[4096];
	uint32_t i;
	int fd;

	setsid();
	signal(SIGPIPE, SIG_DFL);
	snprintf(path, sizeof(path), "%s/%s.log", safd_state_dir(), c->cfg->name);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, STDIN_FILENO);
	setenv("SA_AMF_COMPONENT_NAME", c->cfg->dn, 1);
	for (i = 0; i < cmd->n_env; i++)
		setenv(cmd->env[i].name, cmd->env[i].value, 1);
	execvp(cmd->argv[0], cmd->argv);
	fprintf(stderr, "safd: cannot run %s for %s: %s\n", cmd->argv[0], c->cfg->dn,
		strerror(errno));
	_exit(127);
}

static pid_t spawn(const struct amf_comp_rt *c, const struct amf_command *cmd)
{
	pid_t pid = fork();

	if (pid == 0)
		exec_command(c, cmd);
	return pid;
}

/* Kills what runs of the component, then runs its cleanup command. */
static void cleanup(struct amf_comp_rt *c)
{
	if (c->local_pid > 0) {
		kill(-c->local_pid, SIGKILL);
		kill(c->local_pid, SIGKILL);
		qb_log(LOG_INFO, "%s: killed pid %d", c->cfg->dn, (int)c->local_pid);
		c->local_pid = 0;
	}
	if (c->cfg->cleanup.argv != NULL && spawn(c, &c->cfg->cleanup) < 0)
		qb_log(LOG_ERR, "%s: cannot run the cleanup command: %s", c->cfg->dn,
		       strerror(errno));
	if (c->timer_set) {
		qb_loop_timer_del(safd_loop(), c->timer);
		c->timer_set = false;
	}
	if (c->cb_timer_set) {
		qb_loop_timer_del(safd_loop(), c->cb_timer);
		c->cb_timer_set = false;
	}
	c->invocation = 0;
	c->pending_terminate = false;
	c->quiescing = 0;
	memset(c->delivered, 0, amf.n_csis);
	amf_health_comp_stopped(c);
}

static void register_timeout(void *data)
{
	struct amf_comp_rt *c = data;

	c->timer_set = false;
	if (c->registered || c->local_incarnation != c->incarnation)
		return;
	qb_log(LOG_WARNING, "%s: did not register within %lld ms", c->cfg->dn,
	       (long long)(c->cfg->instantiate.timeout / 1000000));
	amf_send_comp_event(c, AMF_EV_INSTANTIATE_FAILED, 0);
}

static void launch(struct amf_comp_rt *c)
{
	pid_t pid;

	cleanup(c);
	c->local_incarnation = c->incarnation;
	pid = spawn(c, &c->cfg->instantiate);
	if (pid < 0) {
		qb_log(LOG_ERR, "%s: cannot start: %s", c->cfg->dn, strerror(errno));
		amf_send_comp_event(c, AMF_EV_INSTANTIATE_FAILED, 0);
		return;
	}
	c->local_pid = pid;
	qb_log(LOG_NOTICE, "%s: started %s as pid %d", c->cfg->dn, c->cfg->instantiate.argv[0],
	       (int)pid);
	amf_send_comp_event(c, AMF_EV_LAUNCHED, (uint32_t)pid);
	if (c->cfg->sa_aware) {
		c->timer_set = true;
		qb_loop_timer_add(safd_loop(), QB_LOOP_MED, (uint64_t)c->cfg->instantiate.timeout,
				  c, register_timeout, &c->timer);
	}
}

/* The termination took too long (or its callback failed): cleanup. */
static void terminated_by_force(struct amf_comp_rt *c, const char *why)
{
	qb_log(LOG_WARNING, "%s: %s; cleaning up", c->cfg->dn, why);
	cleanup(c);
	amf_send_comp_event(c, AMF_EV_TERMINATED, 0);
}

static void terminate_deadline(void *data)
{
	struct amf_comp_rt *c = data;

	c->timer_set = false;
	if (c->presence == SA_AMF_PRESENCE_TERMINATING &&
	    c->local_incarnation == c->incarnation)
		terminated_by_force(c, "did not terminate in time");
}

/*
 * An orderly termination (admin lock-in or restart): the terminate
 * callback for a registered SA-aware component, else the terminate
 * command, else SIGTERM to its process group. The process's exit ends it
 * (AMF_EV_DIED, which the engine takes as the end of the termination);
 * past the timeout, or when the callback fails, cleanup ends it.
 */
static void terminate(struct amf_comp_rt *c)
{
	struct amf_session *s = amf_session_find((pid_t)c->reg_pid, c->reg_session);
	struct safd_conn *conn = s != NULL && c->registered ? amf_session_main(s) : NULL;
	SaTimeT timeout = c->cfg->terminate.timeout;

	c->local_incarnation = c->incarnation;
	if (c->cb_timer_set) {
		qb_loop_timer_del(safd_loop(), c->cb_timer);
		c->cb_timer_set = false;
	}
	c->invocation = 0;
	c->quiescing = 0;
	if (c->local_pid <= 0) {
		cleanup(c);
		amf_send_comp_event(c, AMF_EV_TERMINATED, 0);
		return;
	}
	if (c->cfg->sa_aware && conn != NULL) {
		struct ev_amf_terminate ev = {
			.header = { .id = EV_AMF_TERMINATE, .size = sizeof(ev),
				    .error = SA_AIS_OK },
			.invocation = amf_next_invocation(),
		};

		name_set(&ev.comp, c->cfg->dn);
		if (safd_conn_event(conn, &ev, sizeof(ev)) == 0) {
			c->invocation = ev.invocation;
			c->pending_terminate = true;
		}
		timeout = c->cfg->terminate_callback_timeout;
		qb_log(LOG_NOTICE, "%s: terminate callback", c->cfg->dn);
	} else if (c->cfg->terminate.argv != NULL) {
		if (spawn(c, &c->cfg->terminate) < 0)
			qb_log(LOG_ERR, "%s: cannot run the terminate command: %s", c->cfg->dn,
			       strerror(errno));
	} else {
		kill(-c->local_pid, SIGTERM);
		kill(c->local_pid, SIGTERM);
	}
	if (c->timer_set)
		qb_loop_timer_del(safd_loop(), c->timer);
	c->timer_set = true;
	qb_loop_timer_add(safd_loop(), QB_LOOP_MED, (uint64_t)timeout, c, terminate_deadline,
			  &c->timer);
}

static int32_t on_sigchld(int32_t sig, void *data)
{
	uint32_t i;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < amf.n_comps; i++) {
			struct amf_comp_rt *c = &amf.comps[i];

			if (c->local_pid != pid)
				continue;
			c->local_pid = 0;
			qb_log(LOG_NOTICE, "%s: pid %d %s %d", c->cfg->dn, (int)pid,
			       WIFSIGNALED(status) ? "killed by signal" : "exited with status",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			if (c->local_incarnation == c->incarnation)
				amf_send_comp_event(c, AMF_EV_DIED, (uint32_t)pid);
		}
	}
	safd_cpg_flush();	/* a recovery starts: before this turn's IPC work */
	return 0;
}

static void callback_timeout(void *data)
{
	struct amf_comp_rt *c = data;

	c->cb_timer_set = false;
	if (c->invocation == 0 && c->quiescing == 0)
		return;
	qb_log(LOG_WARNING, "%s: no answer to callback %llu in time", c->cfg->dn,
	       (unsigned long long)(c->invocation != 0 ? c->invocation : c->quiescing));
	c->invocation = 0;
	c->quiescing = 0;
	amf_send_comp_event(c, AMF_EV_CALLBACK_FAILED, 0);
}

/* The component holding CSI csi ACTIVE, for a standby's descriptor. */
static const char *active_comp(uint32_t csi)
{
	const struct amf_csi_rt *cr = &amf.csis[csi];
	uint32_t i;

	for (i = 0; i < amf.n_comps; i++)
		if (amf.comps[i].cfg->type == cr->cfg->type &&
		    amf_comp_csi_ha(&amf.comps[i], csi) == SA_AMF_HA_ACTIVE)
			return amf.comps[i].cfg->dn;
	return "";
}

/* The HA state component c is to have for CSI csi: the engine's, except
 * that a QUIESCING it has completed counts as done (its confirmation may
 * not have gone round the cluster yet). */
static uint32_t wanted(const struct amf_comp_rt *c, uint32_t csi)
{
	uint32_t ha = amf_comp_csi_ha(c, csi);

	return ha == SA_AMF_HA_QUIESCING && c->delivered[csi] == SA_AMF_HA_QUIESCED ?
	       SA_AMF_HA_QUIESCED : ha;
}

/* Sends one CSI set: ADD_ONE (with attributes) for a new assignment,
 * TARGET_ALL for a change of HA state of everything the component has,
 * TARGET_ONE when its other CSIs keep another state (N-Way, where an SU
 * can be active for one SI and standby for another). */
static void send_csi_set(struct amf_comp_rt *c, struct safd_conn *conn, uint32_t csi,
			 uint32_t ha)
{
	const struct amf_csi *cfg = amf.csis[csi].cfg;
	bool add = c->delivered[csi] == 0, all = !add;
	struct ev_amf_csi_set *ev;
	size_t attrs_len = 0, len, off = 0;
	uint32_t i;

	for (i = 0; all && i < amf.n_csis; i++)
		if (c->delivered[i] != 0 && wanted(c, i) != ha)
			all = false;

	for (i = 0; add && i < cfg->n_attrs; i++)
		attrs_len += strlen(cfg->attrs[i].name) + strlen(cfg->attrs[i].value) + 2;
	len = sizeof(*ev) + SAFD_ALIGN8(attrs_len);
	ev = calloc(1, len);
	if (ev == NULL)
		return;
	ev->header.id = EV_AMF_CSI_SET;
	ev->header.size = (int32_t)len;
	ev->header.error = SA_AIS_OK;
	ev->invocation = amf_next_invocation();
	name_set(&ev->comp, c->cfg->dn);
	if (!all)
		name_set(&ev->csi, cfg->dn);
	ev->ha_state = ha;
	ev->flags = add ? SA_AMF_CSI_ADD_ONE : all ? SA_AMF_CSI_TARGET_ALL :
		    SA_AMF_CSI_TARGET_ONE;
	ev->transition = add || c->delivered[csi] != SA_AMF_HA_STANDBY ? SA_AMF_CSI_NEW_ASSIGN :
			 amf.sis[amf.csis[csi].si].handed_over ? SA_AMF_CSI_QUIESCED :
			 SA_AMF_CSI_NOT_QUIESCED;
	ev->standby_rank = ha == SA_AMF_HA_STANDBY ?
			   amf_standby_rank(c->su, amf.csis[csi].si) : 1;
	if (ha != SA_AMF_HA_ACTIVE) {
		name_set(&ev->active_comp, active_comp(csi));
	} else if (ev->transition != SA_AMF_CSI_NEW_ASSIGN) {
		/* a takeover names the active it replaces */
		uint32_t prev = amf.sis[amf.csis[csi].si].prev_active;
		const struct amf_comp_rt *p = prev != UINT32_MAX ? amf_su_comp_for(prev, csi) : NULL;

		name_set(&ev->active_comp, p != NULL ? p->cfg->dn : "");
	} else {
		name_set(&ev->active_comp, c->cfg->dn);
	}
	if (add) {
		char *p = (char *)(ev + 1);

		ev->n_attrs = cfg->n_attrs;
		for (i = 0; i < cfg->n_attrs; i++) {
			size_t n = strlen(cfg->attrs[i].name) + 1, v = strlen(cfg->attrs[i].value) + 1;

			memcpy(p + off, cfg->attrs[i].name, n);
			memcpy(p + off + n, cfg->attrs[i].value, v);
			off += n + v;
		}
		ev->attrs_len = (uint32_t)attrs_len;
	}
	if (safd_conn_event(conn, ev, len) == 0) {
		c->invocation = ev->invocation;
		c->pending_csi = csi;
		c->pending_ha = ha;
		c->pending_all = all;
		c->cb_timer_set = true;
		qb_loop_timer_add(safd_loop(), QB_LOOP_MED, (uint64_t)c->cfg->csi_set_timeout, c,
				  callback_timeout, &c->cb_timer);
		qb_log(LOG_NOTICE, "%s: CSI set %s %s", c->cfg->dn,
		       ha == SA_AMF_HA_ACTIVE ? "ACTIVE" : ha == SA_AMF_HA_STANDBY ? "STANDBY" :
		       ha == SA_AMF_HA_QUIESCED ? "QUIESCED" : "QUIESCING",
		       all ? "(all its CSIs)" : cfg->dn);
	}
	free(ev);
}

static void send_csi_remove(struct amf_comp_rt *c, struct safd_conn *conn, uint32_t csi)
{
	struct ev_amf_csi_remove ev = {
		.header = { .id = EV_AMF_CSI_REMOVE, .size = sizeof(ev), .error = SA_AIS_OK },
		.invocation = amf_next_invocation(),
		.flags = SA_AMF_CSI_TARGET_ONE,
	};

	name_set(&ev.comp, c->cfg->dn);
	name_set(&ev.csi, amf.csis[csi].cfg->dn);
	if (safd_conn_event(conn, &ev, sizeof(ev)) == 0) {
		c->invocation = ev.invocation;
		c->pending_csi = csi;
		c->pending_ha = 0;
		c->pending_all = false;
		c->cb_timer_set = true;
		qb_loop_timer_add(safd_loop(), QB_LOOP_MED,
				  (uint64_t)c->cfg->csi_remove_timeout, c, callback_timeout,
				  &c->cb_timer);
	}
}

/* Tells a registered component the next difference between its
 * assignments and what it was told, one callback at a time, SIs in
 * assignment order (the removals of dependent SIs first). Nothing while
 * it is quiescing: what comes next (a lock, another SI to quiesce) waits
 * for its saAmfCSIQuiescingComplete or the quiescing timeout. */
static void deliver(struct amf_comp_rt *c)
{
	struct amf_session *s;
	struct safd_conn *conn;
	uint32_t pass, r, k, csi, ha;

	if (c->invocation != 0 || c->quiescing != 0 || !c->registered ||
	    c->presence != SA_AMF_PRESENCE_INSTANTIATED)
		return;
	s = amf_session_find((pid_t)c->reg_pid, c->reg_session);
	conn = s != NULL ? amf_session_main(s) : NULL;
	if (conn == NULL)
		return;
	/* the removals of SIs that depend on others first: a dependent is
	 * gone before its sponsor is quiesced */
	for (pass = 0; pass < 2; pass++) {
		for (r = 0; r < amf.n_sis; r++) {
			const struct amf_si_rt *si = &amf.sis[amf.si_order[r]];

			if (pass == 0 && si->cfg->n_depends == 0)
				continue;
			for (k = 0, csi = si->first_csi; k < si->cfg->n_csis; k++, csi++) {
				ha = wanted(c, csi);
				if (ha == c->delivered[csi] || (pass == 0 && ha != 0))
					continue;
				if (ha == 0)
					send_csi_remove(c, conn, csi);
				else
					send_csi_set(c, conn, csi, ha);
				return;
			}
		}
	}
}

void amf_clc_reconcile(void)
{
	uint32_t i;

	if (amf.model == NULL || amf.local_node == UINT32_MAX)
		return;
	for (i = 0; i < amf.n_comps; i++) {
		struct amf_comp_rt *c = &amf.comps[i];

		if (!amf_comp_is_local(c))
			continue;
		switch (c->presence) {
		case SA_AMF_PRESENCE_INSTANTIATING:
		case SA_AMF_PRESENCE_RESTARTING:
			if (c->local_incarnation != c->incarnation)
				launch(c);
			break;
		case SA_AMF_PRESENCE_TERMINATING:
			if (c->local_incarnation != c->incarnation)
				terminate(c);
			break;
		case SA_AMF_PRESENCE_INSTANTIATED:
			if (c->registered && c->timer_set) {
				qb_loop_timer_del(safd_loop(), c->timer);
				c->timer_set = false;
			}
			deliver(c);
			break;
		default:
			if (c->local_pid > 0 || c->local_incarnation != c->incarnation) {
				cleanup(c);
				c->local_incarnation = c->incarnation;
			}
			break;
		}
	}
}

static void cb_timer_stop(struct amf_comp_rt *c)
{
	if (c->cb_timer_set) {
		qb_loop_timer_del(safd_loop(), c->cb_timer);
		c->cb_timer_set = false;
	}
}

/* saAmfCSIQuiescingComplete: every CSI it was quiescing is QUIESCED. */
static void quiescing_complete(struct amf_comp_rt *c, SaAisErrorT err)
{
	uint32_t csi;

	cb_timer_stop(c);
	c->quiescing = 0;
	if (err != SA_AIS_OK) {
		qb_log(LOG_WARNING, "%s: quiescing completed with error %d", c->cfg->dn, err);
		amf_send_comp_event(c, AMF_EV_CALLBACK_FAILED, 0);
		return;
	}
	qb_log(LOG_NOTICE, "%s: quiescing complete", c->cfg->dn);
	for (csi = 0; csi < amf.n_csis; csi++)
		if (c->delivered[csi] == SA_AMF_HA_QUIESCING) {
			c->delivered[csi] = SA_AMF_HA_QUIESCED;
			amf_send_ha_acked(c, csi, SA_AMF_HA_QUIESCED);
		}
	deliver(c);
}

void amf_clc_response(struct amf_session *s, uint64_t invocation, SaAisErrorT err,
		      bool quiescing)
{
	uint32_t i, csi;

	for (i = 0; i < amf.n_comps && invocation != 0; i++) {
		struct amf_comp_rt *c = &amf.comps[i];

		if (quiescing && c->quiescing == invocation) {
			quiescing_complete(c, err);
			return;
		}
		if (quiescing || c->invocation != invocation)
			continue;
		cb_timer_stop(c);
		c->invocation = 0;
		if (c->pending_terminate) {
			c->pending_terminate = false;
			if (err != SA_AIS_OK)
				terminated_by_force(c, "the terminate callback failed");
			return;		/* its exit, or the deadline, ends it */
		}
		if (err != SA_AIS_OK) {
			qb_log(LOG_WARNING, "%s: callback answered with error %d", c->cfg->dn, err);
			amf_send_comp_event(c, AMF_EV_CALLBACK_FAILED, 0);
			return;
		}
		/* confirmed: the CSIs the callback covered, each by name (the
		 * engine may have assigned more meanwhile, not told yet) */
		for (csi = 0; csi < amf.n_csis; csi++) {
			if (c->pending_all ? c->delivered[csi] == 0 : csi != c->pending_csi)
				continue;
			c->delivered[csi] = (uint8_t)c->pending_ha;
			amf_send_ha_acked(c, csi, c->pending_ha);
		}
		if (c->pending_ha == SA_AMF_HA_QUIESCING) {
			/* the work goes on until saAmfCSIQuiescingComplete */
			c->quiescing = invocation;
			c->cb_timer_set = true;
			qb_loop_timer_add(safd_loop(), QB_LOOP_MED,
					  (uint64_t)c->cfg->quiescing_timeout, c,
					  callback_timeout, &c->cb_timer);
			return;
		}
		deliver(c);
		return;
	}
}

/* Whether `invocation` is a callback waiting for s's answer. */
bool amf_clc_invocation_known(struct amf_session *s, uint64_t invocation)
{
	uint32_t i;

	for (i = 0; i < amf.n_comps; i++)
		if ((amf.comps[i].invocation == invocation ||
		     amf.comps[i].quiescing == invocation) && invocation != 0 &&
		    amf.comps[i].reg_session == amf_session_token(s))
			return true;
	return false;
}

/* A session ended: a component it had registered and that still runs
 * failed (the standard counts unregistering as an error). */
void amf_clc_session_gone(struct amf_session *s)
{
	uint32_t i;

	for (i = 0; i < amf.n_comps; i++) {
		struct amf_comp_rt *c = &amf.comps[i];

		if (c->registered && amf_comp_is_local(c) &&
		    c->reg_session == amf_session_token(s) &&
		    c->reg_pid == (uint32_t)amf_session_pid(s))
			amf_send_comp_event(c, AMF_EV_UNREGISTERED, 0);
	}
}

int amf_clc_init(void)
{
	return qb_loop_signal_add(safd_loop(), QB_LOOP_HIGH, SIGCHLD, NULL, on_sigchld,
				  &sigchld);
}

/* The state is about to be replaced (a partition merge): nothing of this
 * node's may point into it any more. Its processes belong to the old
 * state: they are stopped (the new state says what runs), and every timer
 * and health check goes. */
void amf_clc_reset(void)
{
	uint32_t i;

	for (i = 0; i < amf.n_comps; i++) {
		struct amf_comp_rt *c = &amf.comps[i];

		if (c->local_pid > 0) {
			cleanup(c);
			continue;
		}
		if (c->timer_set)
			qb_loop_timer_del(safd_loop(), c->timer);
		if (c->cb_timer_set)
			qb_loop_timer_del(safd_loop(), c->cb_timer);
		c->timer_set = false;
		c->cb_timer_set = false;
		amf_health_comp_stopped(c);
	}
}

/* safd stops: its components go with it. */
void amf_clc_fini(void)
{
	uint32_t i;

	for (i = 0; i < amf.n_comps; i++)
		if (amf.comps[i].local_pid > 0)
			cleanup(&amf.comps[i]);
}
