/*
 * Protection group tracking (SAI-AIS-AMF-B.04.01 section 4.10, with the
 * track flags of the Overview): the components that hold a CSI, reported to
 * the local sessions that track it.
 *
 * The protection group of a CSI is every component that holds it, whatever
 * its HA state: for each SU of the CSI's SG with an HA state for the CSI's
 * SI (amf.sis[].ha, replicated), the SU's component that takes the CSI
 * (amf_su_comp_for()). A member's rank is its SU's configured rank; its HA
 * readiness is what its process last set (saAmfHAReadinessStateSet(); a
 * change of it alone is not reported). A component that restarts keeps its SU's HA
 * state, so a restart alone is no change of the group; a failover is.
 *
 * Owns the tracks: local state, one per (session, CSI) that asked for
 * SA_TRACK_CHANGES or SA_TRACK_CHANGES_ONLY, each with the membership it
 * reported last (`reported`, the HA state per SU slot of the SG, 0 for
 * none). amf_pg_update() runs after every change of the replicated state,
 * on every node in the same agreed order, and compares: a member that
 * appears is ADDED, one that goes is REMOVED (reported with the HA state it
 * had), one whose HA state differs is STATE_CHANGE. If anything differs the
 * session gets one EV_AMF_PG_TRACK: CHANGES lists every member (NO_CHANGE
 * for the others) and then the removed ones, CHANGES_ONLY the changed ones.
 * If the event cannot be queued, `reported` stays as it was, so the next
 * update reports everything since the last event that went out.
 *
 * A track's life: PG_TRACK with CHANGES or CHANGES_ONLY creates it (or,
 * from the same session on the same CSI, replaces its flags; CURRENT alone
 * leaves it as it is); PG_TRACK_STOP, the session's finalize or end
 * (amf_pg_session_gone()) and amf_pg_fini() end it. The model is static,
 * so a tracked CSI never disappears and the callback's error is always OK.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qb/qblog.h>

#include "amf_int.h"

#define TRACK_FLAGS (SA_TRACK_CURRENT | SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY)
#define CHANGE_FLAGS (SA_TRACK_CHANGES | SA_TRACK_CHANGES_ONLY)

struct pg_track {
	struct qb_list_head list;
	struct amf_session *session;
	uint32_t csi;			/* global CSI index */
	uint32_t flags;			/* SA_TRACK_CHANGES or SA_TRACK_CHANGES_ONLY */
	uint8_t *reported;		/* per SU slot of the CSI's SG: HA state, or 0 */
};

static QB_LIST_DECLARE(tracks);

static const struct amf_sg_rt *csi_sg(uint32_t csi)
{
	return &amf.sgs[amf.sis[amf.csis[csi].si].sg];
}

static uint32_t csi_slots(uint32_t csi)
{
	return csi_sg(csi)->cfg->n_sus;
}

/* The HA state of the CSI on the component of SU slot `slot`, 0 if that
 * component is not a member. */
static uint8_t member_ha(uint32_t csi, uint32_t slot)
{
	const struct amf_si_rt *si = &amf.sis[amf.csis[csi].si];

	if (amf_su_comp_for(csi_sg(csi)->first_su + slot, csi) == NULL)
		return 0;
	return si->ha[slot];
}

static uint32_t members_count(uint32_t csi)
{
	uint32_t slot, n = 0;

	for (slot = 0; slot < csi_slots(csi); slot++)
		n += member_ha(csi, slot) != 0;
	return n;
}

static void snapshot(uint32_t csi, uint8_t *out)
{
	uint32_t slot;

	for (slot = 0; slot < csi_slots(csi); slot++)
		out[slot] = member_ha(csi, slot);
}

static uint32_t change_of(uint8_t was, uint8_t now)
{
	if (was == now)
		return SA_AMF_PROTECTION_GROUP_NO_CHANGE;
	if (was == 0)
		return SA_AMF_PROTECTION_GROUP_ADDED;
	if (now == 0)
		return SA_AMF_PROTECTION_GROUP_REMOVED;
	return SA_AMF_PROTECTION_GROUP_STATE_CHANGE;
}

/* A model DN (at most 256 bytes, model.h) as a wire name. */
static void name_set(struct safd_name *n, const char *dn)
{
	size_t len = strlen(dn);

	n->length = (uint16_t)(len < sizeof(n->value) ? len : sizeof(n->value));
	memcpy(n->value, dn, n->length);
}

/* Called only for slots whose component exists (member_ha() != 0, or was). */
static void item_fill(struct safd_amf_pg_item *item, uint32_t csi, uint32_t slot, uint8_t ha,
		      uint32_t change)
{
	uint32_t su = csi_sg(csi)->first_su + slot;

	memset(item, 0, sizeof(*item));
	name_set(&item->comp, amf_su_comp_for(su, csi)->cfg->dn);
	item->ha_state = ha;
	item->ha_readiness = amf_comp_csi_readiness(amf_su_comp_for(su, csi), csi);
	item->rank = amf.sus[su].cfg->rank;
	item->change = change;
}

/*
 * Writes the items of one report into items[] (room for every slot of the
 * SG) and returns how many. `was` is the membership reported before (NULL:
 * none, a CURRENT report: every member, NO_CHANGE). CHANGES_ONLY in flags:
 * only the changed members; otherwise every member, then the removed ones.
 */
static uint32_t items_build(uint32_t csi, const uint8_t *was, uint32_t flags,
			    struct safd_amf_pg_item *items)
{
	uint32_t slot, n = 0;

	for (slot = 0; slot < csi_slots(csi); slot++) {
		uint8_t now = member_ha(csi, slot);
		uint32_t change = change_of(was != NULL ? was[slot] : now, now);

		if (now == 0 || ((flags & SA_TRACK_CHANGES_ONLY) &&
				 change == SA_AMF_PROTECTION_GROUP_NO_CHANGE))
			continue;
		item_fill(&items[n++], csi, slot, now, change);
	}
	for (slot = 0; was != NULL && slot < csi_slots(csi); slot++)
		if (was[slot] != 0 && member_ha(csi, slot) == 0)
			item_fill(&items[n++], csi, slot, was[slot],
				  SA_AMF_PROTECTION_GROUP_REMOVED);
	return n;
}

/* One EV_AMF_PG_TRACK to session s: a CURRENT report (was NULL) or the
 * changes since `was`. 0 once queued, else -errno. */
static int event_send(struct amf_session *s, uint32_t csi, const uint8_t *was, uint32_t flags)
{
	struct safd_conn *conn = amf_session_main(s);
	struct ev_amf_pg_track *ev;
	uint32_t n;
	size_t len;
	int rc;

	if (conn == NULL)
		return -ENOTCONN;
	len = sizeof(*ev) + csi_slots(csi) * sizeof(struct safd_amf_pg_item);
	if (len > SAFD_IPC_MAX_MSG)
		return -E2BIG;
	ev = calloc(1, len);
	if (ev == NULL)
		return -ENOMEM;
	n = items_build(csi, was, flags, (struct safd_amf_pg_item *)(ev + 1));
	ev->header.id = EV_AMF_PG_TRACK;
	ev->header.size = (int32_t)(sizeof(*ev) + n * sizeof(struct safd_amf_pg_item));
	ev->header.error = SA_AIS_OK;
	name_set(&ev->csi, amf.csis[csi].cfg->dn);
	ev->n_members = members_count(csi);
	ev->n_items = n;
	ev->error = SA_AIS_OK;
	rc = safd_conn_event(conn, ev, (size_t)ev->header.size);
	free(ev);
	return rc;
}

static struct pg_track *track_find(struct amf_session *s, uint32_t csi)
{
	struct pg_track *t;

	qb_list_for_each_entry(t, &tracks, list)
		if (t->session == s && t->csi == csi)
			return t;
	return NULL;
}

static void track_free(struct pg_track *t)
{
	qb_list_del(&t->list);
	free(t->reported);
	free(t);
}

/* Starts tracking changes of csi for s, or replaces the flags of the track
 * s has. `reset`: the current membership was just reported, it is the new
 * base (a new track always starts from it). */
static int track_start(struct amf_session *s, uint32_t csi, uint32_t flags, bool reset)
{
	struct pg_track *t = track_find(s, csi);

	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return -ENOMEM;
		t->reported = calloc(csi_slots(csi) + 1, 1);
		if (t->reported == NULL) {
			free(t);
			return -ENOMEM;
		}
		t->session = s;
		t->csi = csi;
		qb_list_add_tail(&t->list, &tracks);
		reset = true;
	}
	t->flags = flags;
	if (reset)
		snapshot(csi, t->reported);
	return 0;
}

static int name_check(const struct safd_name *n)
{
	return n->length == 0 || n->length > sizeof(n->value) ? -EINVAL : 0;
}

/*
 * PG_TRACK. Everything that can fail is tried before anything is started
 * (but the CURRENT event: once queued it stays). A NO_SPACE answer starts
 * nothing.
 */
int amf_h_pg_track(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_pg_track *r = msg;
	struct amf_session *s = amf_conn_session(conn);
	uint32_t flags = r->flags, csi;
	bool current = (flags & SA_TRACK_CURRENT) != 0;
	bool to_buffer = current && r->capacity != 0;
	struct res_lib_amf_pg *res;
	struct amf_csi_rt *c;
	size_t size;
	int rc;

	if (s == NULL)
		return -ENOMEM;
	if (name_check(&r->csi) < 0)
		return -EINVAL;
	if ((flags & ~TRACK_FLAGS) != 0 || (flags & TRACK_FLAGS) == 0 ||
	    (flags & CHANGE_FLAGS) == CHANGE_FLAGS)
		return safd_conn_respond_error(conn, REQ_LIB_AMF_PG_TRACK, SA_AIS_ERR_BAD_FLAGS);
	c = amf_csi_by_dn(&r->csi);
	if (c == NULL)
		return -ENOENT;
	csi = (uint32_t)(c - amf.csis);

	if (to_buffer && r->capacity != SAFD_AMF_PG_ALLOCATE &&
	    members_count(csi) > r->capacity) {
		struct res_lib_amf_pg small = {
			.header = { .id = REQ_LIB_AMF_PG_TRACK, .size = sizeof(small),
				    .error = SA_AIS_ERR_NO_SPACE },
			.n_items = members_count(csi),
		};

		return safd_conn_respond(conn, &small, sizeof(small));
	}
	size = sizeof(*res) + (to_buffer ? csi_slots(csi) : 0) * sizeof(struct safd_amf_pg_item);
	if (size > SAFD_IPC_MAX_MSG)
		return -E2BIG;
	res = calloc(1, size);
	if (res == NULL)
		return -ENOMEM;
	if (current && !to_buffer) {
		rc = event_send(s, csi, NULL, SA_TRACK_CURRENT);
		if (rc < 0 && rc != -ENOMEM)
			rc = -EAGAIN;	/* the client's event queue is full or closing */
		if (rc < 0)
			goto out_free;
	}
	if (flags & CHANGE_FLAGS) {
		rc = track_start(s, csi, flags & CHANGE_FLAGS, current);
		if (rc < 0)
			goto out_free;
	}
	qb_log(LOG_DEBUG, "amf: pid %d: protection group track of %s (flags 0x%x, capacity %u)",
	       (int)amf_session_pid(s), c->cfg->dn, flags, r->capacity);
	if (to_buffer)
		res->n_items = items_build(csi, NULL, SA_TRACK_CURRENT,
					   (struct safd_amf_pg_item *)(res + 1));
	res->header.id = REQ_LIB_AMF_PG_TRACK;
	res->header.size = (int32_t)(sizeof(*res) +
				     res->n_items * sizeof(struct safd_amf_pg_item));
	res->header.error = SA_AIS_OK;
	rc = safd_conn_respond(conn, res, (size_t)res->header.size);
out_free:
	free(res);
	return rc;
}

int amf_h_pg_track_stop(struct safd_conn *conn, const void *msg, size_t len)
{
	const struct req_lib_amf_pg_track *r = msg;
	struct amf_session *s = amf_conn_session(conn);
	struct amf_csi_rt *c;
	struct pg_track *t;

	if (name_check(&r->csi) < 0)
		return -EINVAL;
	c = amf_csi_by_dn(&r->csi);
	if (s == NULL || c == NULL)
		return -ENOENT;
	t = track_find(s, (uint32_t)(c - amf.csis));
	if (t == NULL)
		return -ENOENT;
	track_free(t);
	qb_log(LOG_DEBUG, "amf: pid %d stops tracking %s", (int)amf_session_pid(s), c->cfg->dn);
	return safd_conn_respond_error(conn, REQ_LIB_AMF_PG_TRACK_STOP, SA_AIS_OK);
}

void amf_pg_update(void)
{
	struct pg_track *t;
	uint32_t slot;
	bool changed;
	int rc;

	qb_list_for_each_entry(t, &tracks, list) {
		if (t->csi >= amf.n_csis)
			continue;	/* no model (cannot happen once tracked) */
		changed = false;
		for (slot = 0; slot < csi_slots(t->csi) && !changed; slot++)
			changed = member_ha(t->csi, slot) != t->reported[slot];
		if (!changed)
			continue;
		rc = event_send(t->session, t->csi, t->reported, t->flags);
		if (rc < 0) {
			qb_log(LOG_WARNING, "amf: pid %d: protection group change of %s not "
			       "sent (%s); it goes with the next one",
			       (int)amf_session_pid(t->session), amf.csis[t->csi].cfg->dn,
			       strerror(-rc));
			continue;
		}
		snapshot(t->csi, t->reported);
	}
}

void amf_pg_session_gone(struct amf_session *s)
{
	struct pg_track *t, *tmp;

	qb_list_for_each_entry_safe(t, tmp, &tracks, list)
		if (t->session == s)
			track_free(t);
}

void amf_pg_fini(void)
{
	struct pg_track *t, *tmp;

	qb_list_for_each_entry_safe(t, tmp, &tracks, list)
		track_free(t);
}
