/*
 * safctl: the operator's tool. Asks the local safd (adm service) and prints
 * for people, or one JSON object with --json for scripts. Errors go to
 * stderr with a non-zero exit: 1 when safd cannot answer, 2 for bad usage.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <safd/ipc_adm.h>
#include "../lib/client.h"
#include "safctl.h"


static void usage(FILE *out)
{
	fprintf(out,
"Usage: safctl [--json] COMMAND\n"
"Inspect and operate the safd cluster from this node.\n"
"\n"
"Commands:\n"
"  status             nodes, membership, quorum and the recent cluster log\n"
"  msg queues         message queues: state, owner, depth and bytes\n"
"  msg queue NAME     one queue, per priority area\n"
"  msg groups         queue groups: policy and members\n"
"  config check FILE  validate a configuration file (no safd needed)\n"
"  amf status         AMF: service groups, units, components, assignments\n"
"  amf OP ENTITY      AMF admin operation, OP one of lock, unlock, lock-in,\n"
"                     unlock-in, shutdown, restart, repaired, si-swap; ENTITY\n"
"                     a DN or its start (safSu=su1); waits until it settled\n"
"  version            print safctl's version\n"
"\n"
"Options:\n"
"  -j, --json          print one JSON object instead of text\n"
"  -p, --ipc-prefix P  talk to the safd started with --ipc-prefix P\n"
"  -h, --help          print this help\n");
}

static const char *event_name(uint32_t kind)
{
	switch (kind) {
	case SAFD_EVENT_FORMED: return "formed";
	case SAFD_EVENT_JOINED: return "joined";
	case SAFD_EVENT_LEFT: return "left";
	}
	return "unknown";
}

/* ISO 8601 UTC with milliseconds. */
void format_time(char *buf, size_t len, int64_t ns)
{
	time_t s = (time_t)(ns / 1000000000LL);
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(ns / 1000000 % 1000));
}

/* Strings from the wire (versions) are printed only as safe characters:
 * printable ASCII without quotes or backslashes. */
static bool safe_char(char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Prints "-" for an empty string. */
void print_wire_string(const char *s, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < max && s[i] != '\0'; i++)
		if (safe_char(s[i]))
			putchar(s[i]), n++;
	if (n == 0)
		putchar('-');
}

void json_string(const char *s, size_t max)
{
	size_t i;

	putchar('"');
	for (i = 0; i < max && s[i] != '\0'; i++)
		if (safe_char(s[i]))
			putchar(s[i]);
	putchar('"');
}

const char *yes(bool b)
{
	return b ? "true" : "false";
}

static const char *journal_name(uint32_t v)
{
	return v == SAFD_ADM_JOURNAL_WRITING ? "writing" :
	       v == SAFD_ADM_JOURNAL_GIVEN_UP ? "given-up" : "none";
}

static void print_status_json(const struct res_lib_adm_status *res,
			      const struct safd_adm_node *nodes,
			      const struct safd_adm_event *events)
{
	char t[64];
	uint32_t i;

	printf("{\"local_nodeid\":%u,\"quorate\":%s,\"synced\":%s,\"journal\":\"%s\","
	       "\"journal_generation\":%llu,\"version\":",
	       res->local_nodeid, yes(res->quorate), yes(res->synced), journal_name(res->journal),
	       (unsigned long long)res->journal_gen);
	json_string(res->version, sizeof(res->version));
	printf(",\"nodes\":[");
	for (i = 0; i < res->node_count; i++) {
		const struct safd_adm_node *n = &nodes[i];

		printf("%s{\"nodeid\":%u,\"member\":%s,\"corosync_member\":%s,"
		       "\"configured\":%s,\"synced\":%s,\"version\":",
		       i ? "," : "", n->nodeid, yes(n->flags & SAFD_ADM_NODE_MEMBER),
		       yes(n->flags & SAFD_ADM_NODE_COROSYNC),
		       yes(n->flags & SAFD_ADM_NODE_CONFIGURED),
		       yes(n->flags & SAFD_ADM_NODE_SYNCED));
		json_string(n->version, sizeof(n->version));
		printf("}");
	}
	printf("],\"events\":[");
	for (i = 0; i < res->event_count; i++) {
		const struct safd_adm_event *e = &events[i];

		format_time(t, sizeof(t), e->time);
		printf("%s{\"seq\":%llu,\"time\":\"%s\",\"time_ms\":%lld,"
		       "\"event\":\"%s\",\"nodeid\":%u}",
		       i ? "," : "", (unsigned long long)e->seq, t, (long long)(e->time / 1000000),
		       event_name(e->kind), e->nodeid);
	}
	printf("]}\n");
}

static const char *node_state(uint32_t flags)
{
	if (flags & SAFD_ADM_NODE_SYNCED)
		return "online";
	if (flags & SAFD_ADM_NODE_MEMBER)
		return "syncing";
	if (flags & SAFD_ADM_NODE_COROSYNC)
		return "no safd";
	return "offline";
}

static void print_status_text(const struct res_lib_adm_status *res,
			      const struct safd_adm_node *nodes,
			      const struct safd_adm_event *events)
{
	uint32_t i, first, online = 0;
	char t[64];

	for (i = 0; i < res->node_count; i++)
		online += !!(nodes[i].flags & SAFD_ADM_NODE_SYNCED);
	printf("Cluster:  %s, %u of %u nodes online\n",
	       res->quorate ? "quorate" : "NOT QUORATE (changes refused)",
	       online, res->node_count);
	printf("This node: %u, %s, safd ", res->local_nodeid,
	       res->synced ? "synced" : "NOT SYNCED (waiting for the cluster state)");
	print_wire_string(res->version, sizeof(res->version));
	printf("\n");
	if (res->journal == SAFD_ADM_JOURNAL_WRITING)
		printf("Journal:  persistent queues on disk, generation %llu\n",
		       (unsigned long long)res->journal_gen);
	else if (res->journal == SAFD_ADM_JOURNAL_GIVEN_UP)
		printf("Journal:  GIVEN UP after a write failed (memory only; see the log, "
		       "restart safd once it can be written)\n");
	printf("\n");
	printf("  %6s  %-8s  %-8s  %-8s  %s\n", "NODE", "STATE", "COROSYNC", "SAFD", "VERSION");
	for (i = 0; i < res->node_count; i++) {
		const struct safd_adm_node *n = &nodes[i];

		printf("  %6u  %-8s  %-8s  %-8s  ", n->nodeid, node_state(n->flags),
		       n->flags & SAFD_ADM_NODE_COROSYNC ? "member" : "-",
		       n->flags & SAFD_ADM_NODE_MEMBER ? "member" : "-");
		print_wire_string(n->version, sizeof(n->version));
		printf("%s\n", n->nodeid == res->local_nodeid ? "  (this node)" : "");
	}
	if (res->event_count == 0)
		return;
	first = res->event_count > 10 ? res->event_count - 10 : 0;
	printf("\nCluster log (newest last):\n");
	for (i = first; i < res->event_count; i++) {
		format_time(t, sizeof(t), events[i].time);
		printf("  %s  node %u %s\n", t, events[i].nodeid,
		       events[i].kind == SAFD_EVENT_FORMED ? "formed the cluster" :
		       event_name(events[i].kind));
	}
}

static int cmd_status(struct safd_client *c, bool json, const char *arg)
{
	struct req_lib_adm_status req = {
		.header = { .id = REQ_LIB_ADM_STATUS, .size = sizeof(req) },
	};
	const struct res_lib_adm_status *res;
	const struct safd_adm_node *nodes;
	SaAisErrorT err;
	size_t len;
	void *buf;

	buf = malloc(SAFD_IPC_MAX_MSG);
	if (buf == NULL) {
		fprintf(stderr, "safctl: out of memory\n");
		return 1;
	}
	err = safd_client_request(c, &req, sizeof(req), buf, SAFD_IPC_MAX_MSG, &len);
	res = buf;
	if (err != SA_AIS_OK || len < sizeof(*res) ||
	    len != sizeof(*res) + res->node_count * sizeof(*nodes) +
		   (size_t)res->event_count * sizeof(struct safd_adm_event)) {
		fprintf(stderr, "safctl: status request failed (SaAisErrorT %d)\n",
			err != SA_AIS_OK ? (int)err : (int)SA_AIS_ERR_MESSAGE_ERROR);
		free(buf);
		return 1;
	}
	nodes = (const void *)(res + 1);
	if (json)
		print_status_json(res, nodes, (const void *)(nodes + res->node_count));
	else
		print_status_text(res, nodes, (const void *)(nodes + res->node_count));
	free(buf);
	return 0;
}

static const struct cmd commands[] = {
	{ { "status" }, 0, "adm", cmd_status },
	{ { "msg", "queues" }, 0, "msg", cmd_msg_queues },
	{ { "msg", "queue" }, 1, "msg", cmd_msg_queue },
	{ { "msg", "groups" }, 0, "msg", cmd_msg_groups },
	{ { "config", "check" }, 1, NULL, cmd_config_check },
	{ { "amf", "status" }, 0, "amf", cmd_amf_status },
	{ { "amf", "lock" }, 1, "amf", cmd_amf_lock },
	{ { "amf", "unlock" }, 1, "amf", cmd_amf_unlock },
	{ { "amf", "lock-in" }, 1, "amf", cmd_amf_lock_in },
	{ { "amf", "unlock-in" }, 1, "amf", cmd_amf_unlock_in },
	{ { "amf", "shutdown" }, 1, "amf", cmd_amf_shutdown },
	{ { "amf", "restart" }, 1, "amf", cmd_amf_restart },
	{ { "amf", "repaired" }, 1, "amf", cmd_amf_repaired },
	{ { "amf", "si-swap" }, 1, "amf", cmd_amf_si_swap },
};

/* The command whose words start `words`, or NULL. */
static const struct cmd *find_command(char **words, int n)
{
	size_t i;
	int k;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct cmd *c = &commands[i];

		for (k = 0; k < 2 && c->words[k] != NULL; k++)
			if (k >= n || strcmp(words[k], c->words[k]) != 0)
				break;
		if (k == 2 || c->words[k] == NULL)
			return c;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "ipc-prefix", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct safd_client client = { 0 };
	const struct cmd *cmd;
	char *words[8];
	bool json = false;
	SaAisErrorT err;
	int c, rc, i, n = 0, n_words;

	while ((c = getopt_long(argc, argv, "+jp:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'p': setenv("SAFD_IPC_PREFIX", optarg, 1); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	/* Options may also follow the command: safctl status --json */
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0) {
			json = true;
		} else if (n == (int)(sizeof(words) / sizeof(words[0]))) {
			fprintf(stderr, "safctl: too many arguments\n");
			return 2;
		} else {
			words[n++] = argv[i];
		}
	}
	if (n == 0) {
		usage(stderr);
		return 2;
	}
	if (strcmp(words[0], "version") == 0) {
		if (n > 1) {
			fprintf(stderr, "safctl: version: unexpected argument '%s'\n", words[1]);
			return 2;
		}
		if (json)
			printf("{\"version\":\"%s\"}\n", PACKAGE_VERSION);
		else
			printf("safctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	cmd = find_command(words, n);
	if (cmd == NULL) {
		fprintf(stderr, "safctl: unknown command '%s%s%s'\n", words[0],
			n > 1 ? " " : "", n > 1 ? words[1] : "");
		usage(stderr);
		return 2;
	}
	n_words = cmd->words[1] != NULL ? 2 : 1;
	if (n != n_words + cmd->args) {
		fprintf(stderr, "safctl: %s%s%s: %s\n", cmd->words[0], n_words > 1 ? " " : "",
			n_words > 1 ? cmd->words[1] : "",
			n < n_words + cmd->args ? "missing argument" : "unexpected argument");
		return 2;
	}
	if (cmd->svc == NULL)
		return cmd->fn(NULL, json, cmd->args ? words[n_words] : NULL);

	/* its answers (status, lists) take up to the largest message */
	client.main_size = SAFD_IPC_MAX_MSG;
	err = safd_client_connect(&client, cmd->svc, 0);
	if (err == SA_AIS_ERR_ACCESS) {
		fprintf(stderr, "safctl: safd refused this user (SA_AIS_ERR_ACCESS): run it as "
			"a user or group of safd's --ipc-allow (default root and group safd)\n");
		return 1;
	}
	if (err != SA_AIS_OK) {
		fprintf(stderr, "safctl: cannot reach safd on this node (%s); is safd running?\n",
			err == SA_AIS_ERR_TRY_AGAIN ? "no answer on its IPC socket" :
			"connection failed");
		return 1;
	}
	rc = cmd->fn(&client, json, cmd->args ? words[n_words] : NULL);
	safd_client_disconnect(&client);
	return rc;
}
