/*
 * safctl msg: message queues and queue groups as the local safd's replica
 * holds them (every node holds the same).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <saMsg.h>
#include <safd/ipc_msg.h>
#include "safctl.h"

static void print_name(const struct safd_name *n)
{
	uint16_t i, len = n->length <= 256 ? n->length : 256;

	for (i = 0; i < len; i++)
		putchar(n->value[i] >= 0x20 && n->value[i] < 0x7f ? n->value[i] : '?');
}

static void json_name(const struct safd_name *n)
{
	uint16_t i, len = n->length <= 256 ? n->length : 256;

	putchar('"');
	for (i = 0; i < len; i++) {
		uint8_t ch = n->value[i];

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch >= 0x20 && ch < 0x7f)
			putchar(ch);
		else
			printf("\\u%04x", ch);
	}
	putchar('"');
}

static int set_name(struct safd_name *n, const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0;

	memset(n, 0, sizeof(*n));
	if (len > sizeof(n->value)) {
		fprintf(stderr, "safctl: name longer than 256 bytes\n");
		return -1;
	}
	n->length = (uint16_t)len;
	if (len > 0)
		memcpy(n->value, s, len);	/* s may be NULL */
	return 0;
}

static const char *policy_name(uint32_t p)
{
	switch (p) {
	case SA_MSG_QUEUE_GROUP_ROUND_ROBIN: return "round-robin";
	case SA_MSG_QUEUE_GROUP_LOCAL_ROUND_ROBIN: return "local-round-robin";
	case SA_MSG_QUEUE_GROUP_LOCAL_BEST_QUEUE: return "local-best-queue";
	case SA_MSG_QUEUE_GROUP_BROADCAST: return "broadcast";
	}
	return "unknown";
}

static void format_duration(char *buf, size_t len, int64_t ns)
{
	if (ns == SA_TIME_MAX)
		snprintf(buf, len, "forever");
	else if (ns % 1000000000LL == 0)
		snprintf(buf, len, "%llds", (long long)(ns / 1000000000LL));
	else
		snprintf(buf, len, "%lldms", (long long)(ns / 1000000));
}

/* Asks for one page of a list; returns the response (malloc'd) or NULL. */
static void *list_page(struct safd_client *c, int32_t id, const char *name,
		       uint32_t first, size_t *len)
{
	struct req_lib_msg_list req = {
		.header = { .id = id, .size = sizeof(req) },
		.first = first,
	};
	SaAisErrorT err;
	void *buf;

	if (set_name(&req.name, name) < 0)
		return NULL;
	buf = malloc(SAFD_IPC_MAX_MSG);
	if (buf == NULL)
		return NULL;
	err = safd_client_request(c, &req, sizeof(req), buf, SAFD_IPC_MAX_MSG, len);
	if (err != SA_AIS_OK) {
		if (err == SA_AIS_ERR_NOT_EXIST)
			fprintf(stderr, "safctl: no such %s: %s\n",
				id == REQ_LIB_MSG_QUEUE_LIST ? "queue" : "group", name);
		else
			fprintf(stderr, "safctl: request failed (SaAisErrorT %d)\n", (int)err);
		free(buf);
		return NULL;
	}
	return buf;
}

static void queue_totals(const struct safd_queue_info *q, uint64_t *msgs, uint64_t *bytes,
			 uint64_t *size)
{
	int p;

	*msgs = *bytes = *size = 0;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		*msgs += q->usage[p].number_of_messages;
		*bytes += q->usage[p].queue_used;
		*size += q->usage[p].queue_size;
	}
}

static void queue_json(const struct safd_queue_info *q, bool first)
{
	uint64_t msgs, bytes, size;
	char t[64];
	int p;

	queue_totals(q, &msgs, &bytes, &size);
	printf("%s{\"name\":", first ? "" : ",");
	json_name(&q->name);
	printf(",\"id\":%llu,\"open\":%s,\"persistent\":%s,\"receive_callback\":%s,"
	       "\"retention_ms\":%lld,", (unsigned long long)q->queue_id,
	       yes(q->state & SAFD_QUEUE_OPEN),
	       yes(q->creation_flags & SA_MSG_QUEUE_PERSISTENT),
	       yes(q->state & SAFD_QUEUE_RECEIVE_CB), (long long)(q->retention / 1000000));
	if (q->state & SAFD_QUEUE_OPEN) {
		printf("\"owner_nodeid\":%u,\"owner_pid\":%u,\"close_time\":null,",
		       q->owner_nodeid, q->owner_pid);
	} else {
		format_time(t, sizeof(t), q->close_time);
		printf("\"owner_nodeid\":null,\"owner_pid\":null,\"close_time\":\"%s\",", t);
	}
	printf("\"messages\":%llu,\"bytes\":%llu,\"size\":%llu,\"priorities\":[",
	       (unsigned long long)msgs, (unsigned long long)bytes, (unsigned long long)size);
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		printf("%s{\"priority\":%d,\"size\":%llu,\"used\":%llu,\"messages\":%u}",
		       p ? "," : "", p, (unsigned long long)q->usage[p].queue_size,
		       (unsigned long long)q->usage[p].queue_used,
		       q->usage[p].number_of_messages);
	printf("]}");
}

static void queue_line(const struct safd_queue_info *q)
{
	uint64_t msgs, bytes, size;
	char owner[48], ret[32];

	queue_totals(q, &msgs, &bytes, &size);
	if (q->state & SAFD_QUEUE_OPEN)
		snprintf(owner, sizeof(owner), "node %u pid %u", q->owner_nodeid, q->owner_pid);
	else
		snprintf(owner, sizeof(owner), "-");
	format_duration(ret, sizeof(ret), q->retention);
	printf("  %-6s  %-20s  %-10s  %-9s  %8llu  %10llu  ",
	       q->state & SAFD_QUEUE_OPEN ? "open" : "closed", owner,
	       q->creation_flags & SA_MSG_QUEUE_PERSISTENT ? "persistent" : "no",
	       q->creation_flags & SA_MSG_QUEUE_PERSISTENT ? "-" : ret,
	       (unsigned long long)msgs, (unsigned long long)bytes);
	print_name(&q->name);
	putchar('\n');
}

int cmd_msg_queues(struct safd_client *c, bool json, const char *arg)
{
	const struct res_lib_msg_queue_list *res;
	uint32_t first = 0, i, total = 0;
	size_t len;

	if (json)
		printf("{\"queues\":[");
	else
		printf("  %-6s  %-20s  %-10s  %-9s  %8s  %10s  %s\n", "STATE", "OWNER",
		       "PERSIST", "RETENTION", "MESSAGES", "BYTES", "QUEUE");
	do {
		const struct safd_queue_info *q;

		res = list_page(c, REQ_LIB_MSG_QUEUE_LIST, NULL, first, &len);
		if (res == NULL)
			return 1;
		if (len != sizeof(*res) + res->count * sizeof(*q)) {
			fprintf(stderr, "safctl: malformed answer from safd\n");
			free((void *)res);
			return 1;
		}
		q = (const void *)(res + 1);
		for (i = 0; i < res->count; i++, total++) {
			if (json)
				queue_json(&q[i], total == 0);
			else
				queue_line(&q[i]);
		}
		first += res->count;
		i = res->more;
		free((void *)res);
	} while (i);
	if (json)
		printf("]}\n");
	else if (total == 0)
		printf("  (no queues)\n");
	return 0;
}

int cmd_msg_queue(struct safd_client *c, bool json, const char *name)
{
	const struct res_lib_msg_queue_list *res;
	const struct safd_queue_info *q;
	char t[64], ret[32];
	size_t len;
	int p;

	res = list_page(c, REQ_LIB_MSG_QUEUE_LIST, name, 0, &len);
	if (res == NULL)
		return 1;
	if (res->count != 1 || len != sizeof(*res) + sizeof(*q)) {
		fprintf(stderr, "safctl: malformed answer from safd\n");
		free((void *)res);
		return 1;
	}
	q = (const void *)(res + 1);
	if (json) {
		queue_json(q, true);
		putchar('\n');
		free((void *)res);
		return 0;
	}
	printf("Queue:      ");
	print_name(&q->name);
	printf("\nState:      ");
	if (q->state & SAFD_QUEUE_OPEN) {
		printf("open by pid %u on node %u%s\n", q->owner_pid, q->owner_nodeid,
		       q->state & SAFD_QUEUE_RECEIVE_CB ? " (receive callback)" : "");
	} else {
		format_time(t, sizeof(t), q->close_time);
		printf("closed since %s\n", t);
	}
	format_duration(ret, sizeof(ret), q->retention);
	printf("Kept:       %s\n", q->creation_flags & SA_MSG_QUEUE_PERSISTENT ?
	       "persistent (until unlinked)" : ret);
	printf("\n  %8s  %12s  %12s  %8s\n", "PRIORITY", "SIZE", "USED", "MESSAGES");
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		printf("  %8d  %12llu  %12llu  %8u\n", p,
		       (unsigned long long)q->usage[p].queue_size,
		       (unsigned long long)q->usage[p].queue_used,
		       q->usage[p].number_of_messages);
	free((void *)res);
	return 0;
}

int cmd_msg_groups(struct safd_client *c, bool json, const char *arg)
{
	const struct res_lib_msg_group_list *res;
	uint32_t first = 0, i, k, total = 0, more;
	size_t len;

	if (json)
		printf("{\"groups\":[");
	do {
		const uint8_t *p, *end;

		res = list_page(c, REQ_LIB_MSG_GROUP_LIST, NULL, first, &len);
		if (res == NULL)
			return 1;
		p = (const uint8_t *)(res + 1);
		end = (const uint8_t *)res + len;
		for (i = 0; i < res->count; i++, total++) {
			const struct safd_group_info *g = (const void *)p;
			const struct safd_name *m = (const void *)(g + 1);

			if ((size_t)(end - p) < sizeof(*g) ||
			    (size_t)(end - p) < sizeof(*g) + g->member_count * sizeof(*m)) {
				fprintf(stderr, "safctl: malformed answer from safd\n");
				free((void *)res);
				return 1;
			}
			if (json) {
				printf("%s{\"name\":", total ? "," : "");
				json_name(&g->name);
				printf(",\"policy\":\"%s\",\"members\":[", policy_name(g->policy));
			} else {
				printf("%s", total ? "\n" : "");
				print_name(&g->name);
				printf("  (%s, %u member%s)\n", policy_name(g->policy),
				       g->member_count, g->member_count == 1 ? "" : "s");
			}
			for (k = 0; k < g->member_count; k++) {
				if (json) {
					printf("%s", k ? "," : "");
					json_name(&m[k]);
				} else {
					printf("  ");
					print_name(&m[k]);
					putchar('\n');
				}
			}
			if (json)
				printf("]}");
			p += sizeof(*g) + g->member_count * sizeof(*m);
		}
		first += res->count;
		more = res->more;
		free((void *)res);
	} while (more);
	if (json)
		printf("]}\n");
	else if (total == 0)
		printf("(no queue groups)\n");
	return 0;
}
