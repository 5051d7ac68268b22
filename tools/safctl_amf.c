/*
 * safctl amf status: the AMF entities as this node's safd holds them (every
 * node holds the same): SGs with their SUs and components (admin,
 * operational, presence and readiness states, HA state, restarts, pid), SIs
 * with the SUs holding their CSIs, and the nodes.
 *
 * safctl amf lock|unlock|lock-in|unlock-in|shutdown|restart|repaired|
 * si-swap ENTITY: an admin operation; safd answers once every node applied
 * it, then safctl waits (up to 60 s) until what it set moving has settled:
 * no hand-over, termination or instantiation left under the entity.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <saAmf.h>
#include <safd/ipc_amf.h>
#include "safctl.h"

static const char *admin_name(uint32_t v)
{
	switch (v) {
	case SA_AMF_ADMIN_UNLOCKED: return "unlocked";
	case SA_AMF_ADMIN_LOCKED: return "locked";
	case SA_AMF_ADMIN_LOCKED_INSTANTIATION: return "locked-instantiation";
	case SA_AMF_ADMIN_SHUTTING_DOWN: return "shutting-down";
	}
	return "-";
}

static const char *oper_name(uint32_t v)
{
	return v == SA_AMF_OPERATIONAL_ENABLED ? "enabled" :
	       v == SA_AMF_OPERATIONAL_DISABLED ? "disabled" : "-";
}

static const char *presence_name(uint32_t v)
{
	switch (v) {
	case SA_AMF_PRESENCE_UNINSTANTIATED: return "uninstantiated";
	case SA_AMF_PRESENCE_INSTANTIATING: return "instantiating";
	case SA_AMF_PRESENCE_INSTANTIATED: return "instantiated";
	case SA_AMF_PRESENCE_TERMINATING: return "terminating";
	case SA_AMF_PRESENCE_RESTARTING: return "restarting";
	case SA_AMF_PRESENCE_INSTANTIATION_FAILED: return "instantiation-failed";
	case SA_AMF_PRESENCE_TERMINATION_FAILED: return "termination-failed";
	}
	return "-";
}

static const char *readiness_name(uint32_t v)
{
	return v == SA_AMF_READINESS_IN_SERVICE ? "in-service" :
	       v == SA_AMF_READINESS_OUT_OF_SERVICE ? "out-of-service" :
	       v == SA_AMF_READINESS_STOPPING ? "stopping" : "-";
}

static const char *ha_name(uint32_t v)
{
	switch (v) {
	case SA_AMF_HA_ACTIVE: return "active";
	case SA_AMF_HA_STANDBY: return "standby";
	case SA_AMF_HA_QUIESCED: return "quiesced";
	case SA_AMF_HA_QUIESCING: return "quiescing";
	}
	return NULL;
}

static void print_dn(const struct safd_name *n, bool json)
{
	uint16_t i, len = n->length <= 256 ? n->length : 256;

	if (json)
		putchar('"');
	for (i = 0; i < len; i++) {
		uint8_t ch = n->value[i];

		if (json && (ch == '"' || ch == '\\'))
			printf("\\%c", ch);
		else
			putchar(ch >= 0x20 && ch < 0x7f ? ch : '?');
	}
	if (json)
		putchar('"');
}

static bool same_dn(const struct safd_name *a, const struct safd_name *b)
{
	return a->length == b->length && memcmp(a->value, b->value, a->length) == 0;
}

/* The HA state of SU row `su` for the first CSI it holds, or 0. */
static uint32_t su_ha(const struct safd_amf_entity *e, uint32_t n, uint32_t su)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (e[i].kind == SAFD_AMF_SU && e[i].parent != UINT32_MAX &&
		    e[e[i].parent].kind == SAFD_AMF_CSI && same_dn(&e[i].dn, &e[su].dn))
			return e[i].ha_state;
	return 0;
}

/* How many SIs SU row `su` holds in each HA state (index: SaAmfHAStateT);
 * returns how many it holds in all. */
static uint32_t su_tally(const struct safd_amf_entity *e, uint32_t n, uint32_t su,
			 uint32_t tally[5])
{
	uint32_t i, k, total = 0;

	memset(tally, 0, 5 * sizeof(tally[0]));
	for (i = 0; i < n; i++) {
		if (e[i].kind != SAFD_AMF_SI)
			continue;
		/* the SI's first CSI that lists the SU says its HA state */
		for (k = i + 1; k < n && e[k].kind != SAFD_AMF_SI; k++)
			if (e[k].kind == SAFD_AMF_SU && same_dn(&e[k].dn, &e[su].dn) &&
			    e[k].ha_state < 5) {
				tally[e[k].ha_state]++;
				total++;
				break;
			}
	}
	return total;
}

/* An SU's roles for people: "active", or "active for 2 SIs, standby for 1"
 * when it holds SIs in different HA states (N+M shifts, N-Way). */
static void print_su_roles(const struct safd_amf_entity *e, uint32_t n, uint32_t su)
{
	uint32_t tally[5], h, shown = 0, total = su_tally(e, n, su, tally);

	for (h = 1; h < 5; h++) {
		if (tally[h] == 0)
			continue;
		if (tally[h] == total) {
			printf("%s", ha_name(h));
			return;
		}
		printf(shown == 0 ? "%s for %u SI%s" : ", %s for %u", ha_name(h), tally[h],
		       tally[h] == 1 ? "" : "s");
		shown++;
	}
	if (total == 0)
		printf("unassigned");
}

static void print_json(const struct safd_amf_entity *e, uint32_t n)
{
	uint32_t i, k, c, first, tally[5];

	printf("{\"configured\":true,\"nodes\":[");
	for (i = 0, first = 1; i < n; i++) {
		if (e[i].kind != SAFD_AMF_NODE)
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		print_dn(&e[i].dn, true);
		printf(",\"nodeid\":%u,\"member\":%s,\"admin\":\"%s\"}", e[i].nodeid,
		       yes(e[i].member), admin_name(e[i].admin));
		first = 0;
	}
	printf("],\"apps\":[");
	for (i = 0, first = 1; i < n; i++) {
		if (e[i].kind != SAFD_AMF_APP)
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		print_dn(&e[i].dn, true);
		printf(",\"admin\":\"%s\"}", admin_name(e[i].admin));
		first = 0;
	}
	printf("],\"sgs\":[");
	for (i = 0, first = 1; i < n; i++) {
		if (e[i].kind != SAFD_AMF_SG)
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		print_dn(&e[i].dn, true);
		printf(",\"admin\":\"%s\",\"sus\":[", admin_name(e[i].admin));
		first = 0;
		for (k = 0; k < n; k++) {
			const char *ha;

			if (e[k].kind != SAFD_AMF_SU || e[k].parent != i)
				continue;
			ha = ha_name(su_ha(e, n, k));
			su_tally(e, n, k, tally);
			printf("%s{\"name\":", e[k - 1].kind == SAFD_AMF_SG ? "" : ",");
			print_dn(&e[k].dn, true);
			printf(",\"nodeid\":%u,\"admin\":\"%s\",\"oper\":\"%s\",\"presence\":\"%s\","
			       "\"readiness\":\"%s\",\"restarts\":%u,\"ha_state\":%s%s%s,"
			       "\"sis\":{\"active\":%u,\"standby\":%u,\"quiesced\":%u,"
			       "\"quiescing\":%u},\"comps\":[",
			       e[k].nodeid, admin_name(e[k].admin), oper_name(e[k].oper),
			       presence_name(e[k].presence), readiness_name(e[k].readiness),
			       e[k].restarts, ha ? "\"" : "", ha ? ha : "null", ha ? "\"" : "",
			       tally[SA_AMF_HA_ACTIVE], tally[SA_AMF_HA_STANDBY],
			       tally[SA_AMF_HA_QUIESCED], tally[SA_AMF_HA_QUIESCING]);
			for (c = k + 1; c < n && e[c].kind == SAFD_AMF_COMP; c++) {
				printf("%s{\"name\":", c == k + 1 ? "" : ",");
				print_dn(&e[c].dn, true);
				printf(",\"oper\":\"%s\",\"presence\":\"%s\",\"readiness\":\"%s\","
				       "\"restarts\":%u,\"pid\":%u,\"ha_state\":%s%s%s}",
				       oper_name(e[c].oper), presence_name(e[c].presence),
				       readiness_name(e[c].readiness), e[c].restarts, e[c].pid,
				       ha ? "\"" : "", ha ? ha : "null", ha ? "\"" : "");
			}
			printf("]}");
		}
		printf("]}");
	}
	printf("],\"sis\":[");
	for (i = 0, first = 1; i < n; i++) {
		if (e[i].kind != SAFD_AMF_SI)
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		print_dn(&e[i].dn, true);
		printf(",\"admin\":\"%s\",\"csis\":[", admin_name(e[i].admin));
		first = 0;
		for (k = i + 1; k < n && e[k].kind != SAFD_AMF_SI; k++) {
			if (e[k].kind != SAFD_AMF_CSI)
				continue;
			printf("%s{\"name\":", e[k - 1].kind == SAFD_AMF_SI ? "" : ",");
			print_dn(&e[k].dn, true);
			printf(",\"assignments\":[");
			for (c = k + 1; c < n && e[c].kind == SAFD_AMF_SU; c++) {
				printf("%s{\"su\":", c == k + 1 ? "" : ",");
				print_dn(&e[c].dn, true);
				printf(",\"ha_state\":\"%s\"}", ha_name(e[c].ha_state) ?
				       ha_name(e[c].ha_state) : "-");
			}
			printf("]}");
		}
		printf("]}");
	}
	printf("]}\n");
}

/* Each SI, then each of its CSIs with the SUs holding it. */
static void print_text_sis(const struct safd_amf_entity *e, uint32_t n)
{
	uint32_t i, k, c;

	for (i = 0; i < n; i++) {
		if (e[i].kind != SAFD_AMF_SI)
			continue;
		printf("\n");
		print_dn(&e[i].dn, false);
		printf("  %s\n", admin_name(e[i].admin));
		for (k = i + 1; k < n && e[k].kind != SAFD_AMF_SI; k++) {
			if (e[k].kind != SAFD_AMF_CSI)
				continue;
			printf("  ");
			print_dn(&e[k].dn, false);
			printf("\n");
			if (k + 1 >= n || e[k + 1].kind != SAFD_AMF_SU)
				printf("    unassigned\n");
			for (c = k + 1; c < n && e[c].kind == SAFD_AMF_SU; c++) {
				printf("    %-10s ", ha_name(e[c].ha_state) ?
				       ha_name(e[c].ha_state) : "-");
				print_dn(&e[c].dn, false);
				printf("\n");
			}
		}
	}
}

static void print_text(const struct safd_amf_entity *e, uint32_t n)
{
	uint32_t i, k, c;

	printf("Nodes:");
	for (i = 0; i < n; i++)
		if (e[i].kind == SAFD_AMF_NODE) {
			printf("  ");
			print_dn(&e[i].dn, false);
			printf(" (node %u, %s%s%s)", e[i].nodeid, e[i].member ? "up" : "DOWN",
			       e[i].admin != SA_AMF_ADMIN_UNLOCKED ? ", " : "",
			       e[i].admin != SA_AMF_ADMIN_UNLOCKED ? admin_name(e[i].admin) : "");
		}
	printf("\n");
	for (i = 0; i < n; i++) {
		if (e[i].kind != SAFD_AMF_SG)
			continue;
		printf("\n");
		print_dn(&e[i].dn, false);
		if (e[i].admin != SA_AMF_ADMIN_UNLOCKED)
			printf("  (%s)", admin_name(e[i].admin));
		printf("\n");
		for (k = 0; k < n; k++) {
			if (e[k].kind != SAFD_AMF_SU || e[k].parent != i)
				continue;
			printf("  ");
			print_dn(&e[k].dn, false);
			printf("\n    node %u  %s %s %s %s  ", e[k].nodeid,
			       admin_name(e[k].admin), oper_name(e[k].oper),
			       presence_name(e[k].presence), readiness_name(e[k].readiness));
			print_su_roles(e, n, k);
			printf("  restarts %u\n", e[k].restarts);
			for (c = k + 1; c < n && e[c].kind == SAFD_AMF_COMP; c++) {
				printf("    ");
				print_dn(&e[c].dn, false);
				printf("\n      %s %s", oper_name(e[c].oper),
				       presence_name(e[c].presence));
				if (e[c].pid != 0)
					printf("  pid %u", e[c].pid);
				printf("  restarts %u\n", e[c].restarts);
			}
		}
	}
	print_text_sis(e, n);
}

/* The status into buf (SAFD_IPC_MAX_MSG bytes), or NULL after a message. */
static const struct res_lib_amf_status *fetch_status(struct safd_client *c, void *buf)
{
	struct req_lib_amf_status req = {
		.header = { .id = REQ_LIB_AMF_STATUS, .size = sizeof(req) },
	};
	const struct res_lib_amf_status *res = buf;
	SaAisErrorT err;
	size_t len;

	err = safd_client_request(c, &req, sizeof(req), buf, SAFD_IPC_MAX_MSG, &len);
	if (err != SA_AIS_OK || len < sizeof(*res) ||
	    len != sizeof(*res) + res->n_entities * sizeof(struct safd_amf_entity)) {
		fprintf(stderr, "safctl: amf status request failed (SaAisErrorT %d)\n", (int)err);
		return NULL;
	}
	return res;
}

int cmd_amf_status(struct safd_client *c, bool json, const char *arg)
{
	const struct res_lib_amf_status *res;
	void *buf;

	buf = malloc(SAFD_IPC_MAX_MSG);
	if (buf == NULL)
		return 1;
	res = fetch_status(c, buf);
	if (res == NULL) {
		free(buf);
		return 1;
	}
	if (!res->configured) {
		if (json)
			printf("{\"configured\":false,\"nodes\":[],\"apps\":[],\"sgs\":[],\"sis\":[]}\n");
		else
			printf("safd runs without an AMF configuration (safd -c FILE)\n");
	} else if (json) {
		print_json((const void *)(res + 1), res->n_entities);
	} else {
		print_text((const void *)(res + 1), res->n_entities);
	}
	free(buf);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Admin operations                                                     */

static const char *op_word(uint32_t op)
{
	switch (op) {
	case SA_AMF_ADMIN_LOCK: return "lock";
	case SA_AMF_ADMIN_UNLOCK: return "unlock";
	case SA_AMF_ADMIN_LOCK_INSTANTIATION: return "lock-in";
	case SA_AMF_ADMIN_UNLOCK_INSTANTIATION: return "unlock-in";
	case SA_AMF_ADMIN_SHUTDOWN: return "shutdown";
	case SA_AMF_ADMIN_RESTART: return "restart";
	case SA_AMF_ADMIN_REPAIRED: return "repaired";
	case SA_AMF_ADMIN_SI_SWAP: return "si-swap";
	}
	return "?";
}

static const char *ais_error_name(SaAisErrorT err)
{
	switch (err) {
	case SA_AIS_OK: return "SA_AIS_OK";
	case SA_AIS_ERR_TRY_AGAIN: return "SA_AIS_ERR_TRY_AGAIN";
	case SA_AIS_ERR_INVALID_PARAM: return "SA_AIS_ERR_INVALID_PARAM";
	case SA_AIS_ERR_NOT_EXIST: return "SA_AIS_ERR_NOT_EXIST";
	case SA_AIS_ERR_NO_OP: return "SA_AIS_ERR_NO_OP";
	case SA_AIS_ERR_BAD_OPERATION: return "SA_AIS_ERR_BAD_OPERATION";
	case SA_AIS_ERR_NOT_SUPPORTED: return "SA_AIS_ERR_NOT_SUPPORTED";
	case SA_AIS_ERR_ACCESS: return "SA_AIS_ERR_ACCESS";
	case SA_AIS_ERR_TIMEOUT: return "SA_AIS_ERR_TIMEOUT";
	default: return "SA_AIS_ERR";
	}
}

/* Whether row r is the entity, or inside it: its SU row (for a component),
 * its SG row or application row, or an SU on its node. */
static bool covered(const struct safd_amf_entity *e, uint32_t r, uint32_t target)
{
	uint32_t p;

	if (e[target].kind == SAFD_AMF_NODE)
		return e[r].kind == SAFD_AMF_SU && e[r].nodeid == e[target].nodeid;
	for (p = r; p != UINT32_MAX; p = e[p].parent)
		if (p == target || (e[target].kind == SAFD_AMF_COMP && e[p].kind == SAFD_AMF_SU &&
				    e[target].parent == p))
			return true;
	return false;
}

/* What still moves under row target, as text, or NULL when it settled. */
static const char *unsettled(const struct safd_amf_entity *e, uint32_t n, uint32_t target)
{
	uint32_t i, k;

	if (e[target].admin == SA_AMF_ADMIN_SHUTTING_DOWN)
		return "shutting down";
	for (i = 0; i < n; i++) {
		bool assignment = e[i].kind == SAFD_AMF_SU && e[i].parent != UINT32_MAX &&
				  e[e[i].parent].kind == SAFD_AMF_CSI;

		if (assignment && (e[i].ha_state == SA_AMF_HA_QUIESCED ||
				   e[i].ha_state == SA_AMF_HA_QUIESCING)) {
			if (covered(e, e[i].parent, target))
				return "a service instance is being handed over";
			for (k = 0; k < n; k++)
				if (e[k].kind == SAFD_AMF_SU && !(e[k].parent != UINT32_MAX &&
				    e[e[k].parent].kind == SAFD_AMF_CSI) &&
				    same_dn(&e[k].dn, &e[i].dn) && covered(e, k, target))
					return "a service instance is being handed over";
		}
		if (e[i].kind == SAFD_AMF_COMP && covered(e, i, target) &&
		    (e[i].presence == SA_AMF_PRESENCE_TERMINATING ||
		     e[i].presence == SA_AMF_PRESENCE_INSTANTIATING ||
		     e[i].presence == SA_AMF_PRESENCE_RESTARTING))
			return "a component is starting or stopping";
	}
	return NULL;
}

/* The row of the entity named like `name` (whole DN, or its first RDNs). */
static uint32_t find_row(const struct safd_amf_entity *e, uint32_t n, const char *name)
{
	size_t len = strlen(name);
	uint32_t i;

	for (i = 0; i < n; i++)
		if (!(e[i].kind == SAFD_AMF_SU && e[i].parent != UINT32_MAX &&
		      e[e[i].parent].kind == SAFD_AMF_CSI) &&
		    e[i].dn.length >= len && memcmp(e[i].dn.value, name, len) == 0 &&
		    (e[i].dn.length == len || e[i].dn.value[len] == ','))
			return i;
	return UINT32_MAX;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define SETTLE_TIMEOUT_S 60

static int amf_admin(struct safd_client *c, bool json, const char *name, uint32_t op)
{
	struct req_lib_amf_admin req = {
		.header = { .id = REQ_LIB_AMF_ADMIN, .size = sizeof(req) },
		.op = op,
	};
	struct res_lib_amf_admin res = { 0 };
	const struct res_lib_amf_status *st = NULL;
	const char *moving = "no answer";
	double t0 = now_s();
	SaAisErrorT err;
	uint32_t row;
	size_t len = strlen(name);
	void *buf;

	if (len == 0 || len > 256) {
		fprintf(stderr, "safctl: amf %s: '%s' is not an entity name\n", op_word(op), name);
		return 2;
	}
	req.dn.length = (uint16_t)len;
	memcpy(req.dn.value, name, len);
	err = safd_client_request(c, &req, sizeof(req), &res, sizeof(res), NULL);
	res.reason[sizeof(res.reason) - 1] = '\0';
	if (err == SA_AIS_ERR_ACCESS && res.reason[0] == '\0')
		snprintf(res.reason, sizeof(res.reason), "admin operations need the admin "
			 "permission (safd --admin-allow; default root)");
	if (err != SA_AIS_OK) {
		if (json) {
			printf("{\"entity\":");
			json_string(name, 256);
			printf(",\"operation\":\"%s\",\"result\":\"%s\",\"reason\":", op_word(op),
			       ais_error_name(err));
			json_string(res.reason, sizeof(res.reason));
			printf("}\n");
		}
		fprintf(stderr, "safctl: amf %s %s: %s%s%s\n", op_word(op), name,
			ais_error_name(err), res.reason[0] ? ": " : "", res.reason);
		return 1;
	}
	buf = malloc(SAFD_IPC_MAX_MSG);
	if (buf == NULL)
		return 1;
	while (now_s() - t0 < SETTLE_TIMEOUT_S) {
		const struct safd_amf_entity *e;

		st = fetch_status(c, buf);
		if (st == NULL)
			break;
		e = (const void *)(st + 1);
		row = find_row(e, st->n_entities, name);
		moving = row == UINT32_MAX ? NULL : unsettled(e, st->n_entities, row);
		if (moving == NULL)
			break;
		usleep(20000);
	}
	free(buf);
	if (json) {
		printf("{\"entity\":");
		json_string(name, 256);
		printf(",\"operation\":\"%s\",\"result\":\"%s\",\"settled\":%s,\"seconds\":%.3f}\n",
		       op_word(op), ais_error_name(SA_AIS_OK), yes(moving == NULL), now_s() - t0);
	} else if (moving == NULL) {
		printf("%s: %s done in %.2f s\n", name, op_word(op), now_s() - t0);
	} else {
		printf("%s: %s accepted; not settled after %d s (%s): see safctl amf status\n",
		       name, op_word(op), SETTLE_TIMEOUT_S, moving);
	}
	return moving == NULL ? 0 : 1;
}

#define ADMIN_CMD(fn, op) \
	int fn(struct safd_client *c, bool json, const char *name) \
	{ \
		return amf_admin(c, json, name, op); \
	}

ADMIN_CMD(cmd_amf_lock, SA_AMF_ADMIN_LOCK)
ADMIN_CMD(cmd_amf_unlock, SA_AMF_ADMIN_UNLOCK)
ADMIN_CMD(cmd_amf_lock_in, SA_AMF_ADMIN_LOCK_INSTANTIATION)
ADMIN_CMD(cmd_amf_unlock_in, SA_AMF_ADMIN_UNLOCK_INSTANTIATION)
ADMIN_CMD(cmd_amf_shutdown, SA_AMF_ADMIN_SHUTDOWN)
ADMIN_CMD(cmd_amf_restart, SA_AMF_ADMIN_RESTART)
ADMIN_CMD(cmd_amf_repaired, SA_AMF_ADMIN_REPAIRED)
ADMIN_CMD(cmd_amf_si_swap, SA_AMF_ADMIN_SI_SWAP)
