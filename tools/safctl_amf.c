/*
 * safctl amf status: the AMF entities as this node's safd holds them (every
 * node holds the same): SGs with their SUs and components (admin,
 * operational, presence and readiness states, HA state, restarts, pid), SIs
 * with the SUs holding their CSIs, and the nodes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void print_json(const struct safd_amf_entity *e, uint32_t n)
{
	uint32_t i, k, c, first;

	printf("{\"configured\":true,\"nodes\":[");
	for (i = 0, first = 1; i < n; i++) {
		if (e[i].kind != SAFD_AMF_NODE)
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		print_dn(&e[i].dn, true);
		printf(",\"nodeid\":%u,\"member\":%s}", e[i].nodeid, yes(e[i].member));
		first = 0;
	}
	printf("],\"sgs\":[");
	for (i = 0, first = 1; i < n; i++) {
		if (e[i].kind != SAFD_AMF_SG)
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		print_dn(&e[i].dn, true);
		printf(",\"sus\":[");
		first = 0;
		for (k = 0; k < n; k++) {
			const char *ha;

			if (e[k].kind != SAFD_AMF_SU || e[k].parent != i)
				continue;
			ha = ha_name(su_ha(e, n, k));
			printf("%s{\"name\":", e[k - 1].kind == SAFD_AMF_SG ? "" : ",");
			print_dn(&e[k].dn, true);
			printf(",\"nodeid\":%u,\"admin\":\"%s\",\"oper\":\"%s\",\"presence\":\"%s\","
			       "\"readiness\":\"%s\",\"restarts\":%u,\"ha_state\":%s%s%s,\"comps\":[",
			       e[k].nodeid, admin_name(e[k].admin), oper_name(e[k].oper),
			       presence_name(e[k].presence), readiness_name(e[k].readiness),
			       e[k].restarts, ha ? "\"" : "", ha ? ha : "null", ha ? "\"" : "");
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
		printf(",\"csis\":[");
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

static void print_text(const struct safd_amf_entity *e, uint32_t n)
{
	uint32_t i, k, c;

	printf("Nodes:");
	for (i = 0; i < n; i++)
		if (e[i].kind == SAFD_AMF_NODE) {
			printf("  ");
			print_dn(&e[i].dn, false);
			printf(" (node %u, %s)", e[i].nodeid, e[i].member ? "up" : "DOWN");
		}
	printf("\n");
	for (i = 0; i < n; i++) {
		if (e[i].kind != SAFD_AMF_SG)
			continue;
		printf("\n");
		print_dn(&e[i].dn, false);
		printf("\n");
		for (k = 0; k < n; k++) {
			const char *ha;

			if (e[k].kind != SAFD_AMF_SU || e[k].parent != i)
				continue;
			ha = ha_name(su_ha(e, n, k));
			printf("  ");
			print_dn(&e[k].dn, false);
			printf("\n    node %u  %s %s %s %s  %s  restarts %u\n", e[k].nodeid,
			       admin_name(e[k].admin), oper_name(e[k].oper),
			       presence_name(e[k].presence), readiness_name(e[k].readiness),
			       ha ? ha : "unassigned", e[k].restarts);
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
}

int cmd_amf_status(struct safd_client *c, bool json, const char *arg)
{
	struct req_lib_amf_status req = {
		.header = { .id = REQ_LIB_AMF_STATUS, .size = sizeof(req) },
	};
	const struct res_lib_amf_status *res;
	SaAisErrorT err;
	size_t len;
	void *buf;

	buf = malloc(SAFD_IPC_MAX_MSG);
	if (buf == NULL)
		return 1;
	err = safd_client_request(c, &req, sizeof(req), buf, SAFD_IPC_MAX_MSG, &len);
	res = buf;
	if (err != SA_AIS_OK || len < sizeof(*res) ||
	    len != sizeof(*res) + res->n_entities * sizeof(struct safd_amf_entity)) {
		fprintf(stderr, "safctl: amf status request failed (SaAisErrorT %d)\n", (int)err);
		free(buf);
		return 1;
	}
	if (!res->configured) {
		if (json)
			printf("{\"configured\":false,\"nodes\":[],\"sgs\":[],\"sis\":[]}\n");
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
