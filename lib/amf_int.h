/*
 * libSaAmf internals shared by amf.c (handles, life cycle, dispatch, shared
 * helpers), amf_comp.c (component life cycle, responses, errors),
 * amf_monitor.c (health checks, passive monitoring), amf_pg.c (protection
 * groups), amf_b04.c (HA readiness, correlation ids) and amf_event.c (the
 * callbacks). Not installed; none of this is exported (libSaAmf.versions).
 */
#ifndef SAFD_LIB_AMF_INT_H
#define SAFD_LIB_AMF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <saAmf.h>
#include <safd/ipc_amf.h>
#include "client.h"

/* One saAmfInitialize*(): the session with safd and the callbacks. The
 * callbacks are kept as the B.04 9-slot struct whichever initialize was
 * called; slots an older struct does not have stay NULL, and the B.01-B.03
 * protection-group callback, whose type differs, is kept apart. Both are
 * written once, before the handle is handed out, and only read afterwards. */
struct amf_instance {
	struct safd_client client;	/* first: see client.h */
	SaAmfCallbacksT_4 callbacks;
	SaAmfProtectionGroupTrackCallbackT pg_track_old;	/* B.01-B.03 type */
	int closing;			/* atomic; set once, by saAmfFinalize() */
};

/* Handles (amf.c). Each get that succeeds is matched by one put; a handle
 * being finalized is already SA_AIS_ERR_BAD_HANDLE. */
SaAisErrorT amf_get(SaAmfHandleT handle, struct amf_instance **inst);
void amf_put(SaAmfHandleT handle);

/* The one place where codes above SA_AIS_ERR_NO_SECTIONS become
 * SA_AIS_ERR_LIBRARY for handles initialized with major 1; every call
 * returns through it once it has an instance. */
SaAisErrorT amf_result(const struct amf_instance *inst, SaAisErrorT err);

/* Names (amf.c). check: non-NULL, length 1..256 after dropping the trailing
 * NULs some legacy code counts in `length`, no NUL inside; SaNameT.length is
 * never trusted further. optional_check: as check, but NULL and length 0
 * mean "none" (a proxy name). to_wire copies a checked name, or none for
 * NULL; from_wire refuses a length above 256 and NUL-terminates when
 * length < 256. */
SaAisErrorT amf_name_optional_check(const SaNameT *name);

/* Argument ranges shared by several calls (amf.c). */
bool amf_recovery_valid(SaAmfRecommendedRecoveryT recovery);

/* Sends a request whose answer is only an error code, with the ordinary
 * timeout (amf.c). */
SaAisErrorT amf_call(struct amf_instance *inst, const void *req, size_t len);

/* The callback a call needs, checked once the handle is known. */
enum amf_need {
	NEED_NOTHING,
	NEED_HEALTHCHECK,
	NEED_PG_TRACK,		/* the B.01-B.03 type (saAmfInitialize, _3) */
	NEED_PG_TRACK_4		/* the B.04 type (saAmfInitialize_4) */
};
bool amf_callback_registered(const struct amf_instance *inst, enum amf_need need);
SaAisErrorT amf_checked_call(SaAmfHandleT handle, enum amf_need need, const void *req,
			     size_t len);

/* Sends REQ_LIB_AMF_RESPONSE (amf_comp.c): saAmfResponse*(),
 * saAmfCSIQuiescingComplete(), and the library's own answer to a callback
 * event it cannot deliver (amf_event.c). */
SaAisErrorT amf_response_send(struct amf_instance *inst, SaInvocationT invocation,
			      SaAisErrorT error, bool quiescing_complete);

/* Runs the callback an event from safd asks for (amf.c: checks the id and
 * the fixed size, then calls one of the handlers below, amf_event.c, which
 * check the rest). Not static so that a test can feed it events. */
void amf_event(void *instance, const void *event, size_t len);
void amf_csi_set_event(struct amf_instance *inst, const void *ev, size_t len);
void amf_csi_remove_event(struct amf_instance *inst, const void *ev, size_t len);
void amf_terminate_event(struct amf_instance *inst, const void *ev, size_t len);
void amf_healthcheck_event(struct amf_instance *inst, const void *ev, size_t len);
void amf_pg_track_event(struct amf_instance *inst, const void *ev, size_t len);

/* Protection-group members from safd (amf_event.c), for the track calls'
 * CURRENT answer and the track callback. valid: each name fits an SaNameT
 * and each HA state, HA readiness and change is a value of its enum;
 * to_old / to_4 copy n valid items into the B.01-B.03 or the B.04 type. */
bool amf_pg_items_valid(const struct safd_amf_pg_item *items, uint32_t n);
void amf_pg_items_to_old(SaAmfProtectionGroupNotificationT *out,
			 const struct safd_amf_pg_item *items, uint32_t n);
void amf_pg_items_to_4(SaAmfProtectionGroupNotificationT_4 *out,
		       const struct safd_amf_pg_item *items, uint32_t n);

#endif /* SAFD_LIB_AMF_INT_H */
