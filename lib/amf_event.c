/*
 * libSaAmf callbacks (SAI-AIS-AMF-B.04.01 sections 4.3 and 4.6): the
 * EV_AMF_CSI_SET, EV_AMF_CSI_REMOVE, EV_AMF_TERMINATE, EV_AMF_HEALTHCHECK
 * and EV_AMF_PG_TRACK events safd sends on a session's main connection,
 * decoded into the arguments of the application's callbacks.
 *
 * amf.c's event table has checked the id and that the event is at least its
 * fixed struct; each handler here checks the rest before it reads it: every
 * name's length (<= 256), the enums and flags the callback will see, and a
 * CSI set's attributes (n_attrs pairs of NUL-terminated strings in the
 * attrs_len bytes that follow the struct, each terminated inside them;
 * bytes after them, such as safd's padding to 8, are ignored). The event is
 * the caller's private copy (client.c), so the attributes are handed to the
 * application in place, as an array of pointers into it, and are valid
 * during the callback only. safd sends attributes only with ADD_ONE; the
 * library passes on whatever the event carries.
 *
 * Every name given to a callback is NUL-terminated when shorter than 256
 * bytes (csa104 prints them with %s). A CSI name is an empty SaNameT, never
 * NULL, with SA_AMF_CSI_TARGET_ALL.
 *
 * An event whose callback the application did not register is ignored. An
 * event that fails its checks, or that needs memory the library cannot get,
 * is answered by the library with SA_AIS_ERR_FAILED_OPERATION on its
 * invocation (as the component would answer a callback it cannot carry
 * out), so that AMF applies its recovery now rather than when its timer
 * runs out.
 *
 * A protection-group track event has no invocation: a malformed one is
 * dropped; one whose items the library cannot allocate reaches the callback
 * with SA_AIS_ERR_NO_MEMORY and no items (a change was missed). It goes to
 * the B.01-B.03 track callback (saAmfInitialize, _3) or to the B.04 one
 * (_4), whichever the handle has; the notification array is the library's
 * and is freed when the callback returns.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "amf_int.h"

#define CSI_FLAGS (SA_AMF_CSI_ADD_ONE | SA_AMF_CSI_TARGET_ONE | SA_AMF_CSI_TARGET_ALL)

/* The library's answer to an event it cannot deliver. */
static void refuse(struct amf_instance *inst, uint64_t invocation)
{
	(void)amf_response_send(inst, invocation, SA_AIS_ERR_FAILED_OPERATION, false);
}

/* Exactly one flag of `allowed`. */
static bool csi_flags_valid(uint32_t flags, uint32_t allowed)
{
	return (flags & ~allowed) == 0 && flags != 0 && (flags & (flags - 1)) == 0;
}

/* The CSI name of a set or remove event: empty with TARGET_ALL whatever the
 * event carries, else 1..256 bytes. */
static bool csi_name_from_wire(SaNameT *csi, const struct safd_name *w, uint32_t flags)
{
	if (flags == SA_AMF_CSI_TARGET_ALL) {
		csi->length = 0;
		csi->value[0] = '\0';
		return true;
	}
	return w->length > 0 && safd_name_from_wire(csi, w);
}

/* ------------------------------------------------------------------------ */
/* CSI set                                                                  */
/* ------------------------------------------------------------------------ */

/* Points attrs[0..n) at the n (name, value) pairs of NUL-terminated
 * strings in p[0..len) (the caller has checked n <= len / 2). False if a
 * string is not terminated inside. */
static bool attrs_parse(SaAmfCSIAttributeT *attrs, uint32_t n, const uint8_t *p,
			size_t len)
{
	const uint8_t *s, *end;
	size_t off = 0;
	uint32_t i;

	for (i = 0; i < 2 * n; i++) {
		s = p + off;		/* off <= len: at worst, nothing is left */
		end = memchr(s, '\0', len - off);
		if (end == NULL)
			return false;
		/* The event is the caller's writable copy (client.c). */
		if (i % 2 == 0)
			attrs[i / 2].attrName = (SaUint8T *)s;
		else
			attrs[i / 2].attrValue = (SaUint8T *)s;
		off = (size_t)(end - p) + 1;
	}
	return true;
}

/* Fills everything of the descriptor but the attributes; false if the
 * event's fixed part is not valid. */
static bool csi_descriptor(SaAmfCSIDescriptorT *d, const struct ev_amf_csi_set *ev)
{
	SaAmfCSIActiveDescriptorT *active = &d->csiStateDescriptor.activeDescriptor;
	SaAmfCSIStandbyDescriptorT *standby = &d->csiStateDescriptor.standbyDescriptor;

	if (!csi_flags_valid(ev->flags, CSI_FLAGS) ||
	    !csi_name_from_wire(&d->csiName, &ev->csi, ev->flags))
		return false;
	d->csiFlags = ev->flags;
	switch (ev->ha_state) {
	case SA_AMF_HA_ACTIVE:
		if (ev->transition < SA_AMF_CSI_NEW_ASSIGN ||
		    ev->transition > SA_AMF_CSI_STILL_ACTIVE)
			return false;
		active->transitionDescriptor = (SaAmfCSITransitionDescriptorT)ev->transition;
		return safd_name_from_wire(&active->activeCompName, &ev->active_comp);
	case SA_AMF_HA_STANDBY:
		standby->standbyRank = ev->standby_rank;
		return safd_name_from_wire(&standby->activeCompName, &ev->active_comp);
	case SA_AMF_HA_QUIESCED:
	case SA_AMF_HA_QUIESCING:
		return true;	/* the state descriptor is unused */
	default:
		return false;
	}
}

void amf_csi_set_event(struct amf_instance *inst, const void *event, size_t len)
{
	const struct ev_amf_csi_set *ev = event;
	SaAmfCSISetCallbackT cb = inst->callbacks.saAmfCSISetCallback;
	const uint8_t *strings = (const uint8_t *)(ev + 1);
	SaAmfCSIAttributeT *attrs = NULL;
	SaAmfCSIDescriptorT d;
	SaNameT comp;

	if (cb == NULL)
		return;
	memset(&d, 0, sizeof(d));

	/* Each pair takes at least its two NULs: n_attrs is bounded by the
	 * event's size before anything is allocated for it. */
	if (!safd_name_from_wire(&comp, &ev->comp) || !csi_descriptor(&d, ev) ||
	    ev->attrs_len > len - sizeof(*ev) || ev->n_attrs > ev->attrs_len / 2)
		goto out_refuse;
	if (ev->n_attrs > 0) {
		attrs = malloc(ev->n_attrs * sizeof(*attrs));
		if (attrs == NULL ||
		    !attrs_parse(attrs, ev->n_attrs, strings, ev->attrs_len))
			goto out_refuse;
		d.csiAttr.attr = attrs;
		d.csiAttr.number = ev->n_attrs;
	}
	cb(ev->invocation, &comp, (SaAmfHAStateT)ev->ha_state, d);
	free(attrs);
	return;

out_refuse:
	free(attrs);
	refuse(inst, ev->invocation);
}

/* ------------------------------------------------------------------------ */
/* CSI remove, terminate, health check                                      */
/* ------------------------------------------------------------------------ */

void amf_csi_remove_event(struct amf_instance *inst, const void *event, size_t len)
{
	const struct ev_amf_csi_remove *ev = event;
	SaAmfCSIRemoveCallbackT cb = inst->callbacks.saAmfCSIRemoveCallback;
	const uint32_t allowed = SA_AMF_CSI_TARGET_ONE | SA_AMF_CSI_TARGET_ALL;
	SaNameT comp, csi;

	if (cb == NULL)
		return;
	if (!safd_name_from_wire(&comp, &ev->comp) ||
	    !csi_flags_valid(ev->flags, allowed) ||
	    !csi_name_from_wire(&csi, &ev->csi, ev->flags)) {
		refuse(inst, ev->invocation);
		return;
	}
	cb(ev->invocation, &comp, &csi, ev->flags);
}

void amf_terminate_event(struct amf_instance *inst, const void *event, size_t len)
{
	const struct ev_amf_terminate *ev = event;
	SaAmfComponentTerminateCallbackT cb = inst->callbacks.saAmfComponentTerminateCallback;
	SaNameT comp;

	if (cb == NULL)
		return;
	if (!safd_name_from_wire(&comp, &ev->comp)) {
		refuse(inst, ev->invocation);
		return;
	}
	cb(ev->invocation, &comp);
}

void amf_healthcheck_event(struct amf_instance *inst, const void *event, size_t len)
{
	const struct ev_amf_healthcheck *ev = event;
	SaAmfHealthcheckCallbackT cb = inst->callbacks.saAmfHealthcheckCallback;
	SaAmfHealthcheckKeyT key;
	SaNameT comp;

	_Static_assert(sizeof(ev->key) == sizeof(key.key), "health-check keys match");
	if (cb == NULL)
		return;
	if (!safd_name_from_wire(&comp, &ev->comp) || ev->key_len == 0 ||
	    ev->key_len > sizeof(key.key)) {
		refuse(inst, ev->invocation);
		return;
	}
	memset(&key, 0, sizeof(key));
	memcpy(key.key, ev->key, ev->key_len);
	key.keyLen = ev->key_len;
	cb(ev->invocation, &comp, &key);
}

/* ------------------------------------------------------------------------ */
/* Protection group track                                                   */
/* ------------------------------------------------------------------------ */

bool amf_pg_items_valid(const struct safd_amf_pg_item *items, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (items[i].comp.length == 0 || items[i].comp.length > SA_MAX_NAME_LENGTH ||
		    items[i].ha_state < SA_AMF_HA_ACTIVE ||
		    items[i].ha_state > SA_AMF_HA_QUIESCING ||
		    items[i].ha_readiness < SA_AMF_HARS_READY_FOR_ASSIGNMENT ||
		    items[i].ha_readiness > SA_AMF_HARS_NOT_READY_FOR_ASSIGNMENT ||
		    items[i].change < SA_AMF_PROTECTION_GROUP_NO_CHANGE ||
		    items[i].change > SA_AMF_PROTECTION_GROUP_STATE_CHANGE)
			return false;
	}
	return true;
}

void amf_pg_items_to_old(SaAmfProtectionGroupNotificationT *out,
			 const struct safd_amf_pg_item *items, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		(void)safd_name_from_wire(&out[i].member.compName, &items[i].comp);
		out[i].member.haState = (SaAmfHAStateT)items[i].ha_state;
		out[i].member.rank = items[i].rank;
		out[i].change = (SaAmfProtectionGroupChangesT)items[i].change;
	}
}

void amf_pg_items_to_4(SaAmfProtectionGroupNotificationT_4 *out,
		       const struct safd_amf_pg_item *items, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		(void)safd_name_from_wire(&out[i].member.compName, &items[i].comp);
		out[i].member.haState = (SaAmfHAStateT)items[i].ha_state;
		out[i].member.haReadinessState = (SaAmfHAReadinessStateT)items[i].ha_readiness;
		out[i].member.rank = items[i].rank;
		out[i].change = (SaAmfProtectionGroupChangesT)items[i].change;
	}
}

void amf_pg_track_event(struct amf_instance *inst, const void *event, size_t len)
{
	const struct ev_amf_pg_track *ev = event;
	const struct safd_amf_pg_item *items = (const void *)(ev + 1);
	SaAmfProtectionGroupTrackCallbackT_4 cb4 =
		inst->callbacks.saAmfProtectionGroupTrackCallback;
	SaAmfProtectionGroupTrackCallbackT cb = inst->pg_track_old;
	SaAisErrorT err = (SaAisErrorT)ev->error;
	SaNameT csi;

	if (cb == NULL && cb4 == NULL)
		return;
	if (ev->n_items > (len - sizeof(*ev)) / sizeof(*items) ||
	    !amf_pg_items_valid(items, ev->n_items) || ev->csi.length == 0 ||
	    !safd_name_from_wire(&csi, &ev->csi) ||
	    ev->error < SA_AIS_OK || ev->error > SA_AIS_ERR_DEPLOYMENT)
		return;		/* malformed: dropped */
	if (cb != NULL) {
		SaAmfProtectionGroupNotificationBufferT buf = { 0, NULL };

		if (ev->n_items > 0) {
			buf.notification = malloc(ev->n_items * sizeof(*buf.notification));
			if (buf.notification == NULL) {
				err = SA_AIS_ERR_NO_MEMORY;	/* a change was missed */
			} else {
				amf_pg_items_to_old(buf.notification, items, ev->n_items);
				buf.numberOfItems = ev->n_items;
			}
		}
		cb(&csi, &buf, ev->n_members, amf_result(inst, err));
		free(buf.notification);
	} else {
		SaAmfProtectionGroupNotificationBufferT_4 buf = { 0, NULL };

		if (ev->n_items > 0) {
			buf.notification = malloc(ev->n_items * sizeof(*buf.notification));
			if (buf.notification == NULL) {
				err = SA_AIS_ERR_NO_MEMORY;
			} else {
				amf_pg_items_to_4(buf.notification, items, ev->n_items);
				buf.numberOfItems = ev->n_items;
			}
		}
		cb4(&csi, &buf, ev->n_members, amf_result(inst, err));
		free(buf.notification);
	}
}
