/*
 * bad_peer: feeds safd malformed input from both sides it listens on and
 * checks it answers with errors instead of crashing:
 *   - IPC: raw libqb requests to each service (wrong sizes, unknown ids,
 *     short hellos, a wrong protocol, event fetches that are short or name
 *     no event, random bytes);
 *   - CPG: joins safd's process group as an extra process on this node and
 *     multicasts malformed exec messages (short, inconsistent sizes, unknown
 *     services and ids, wire versions from the future, hellos with absurd
 *     counts, state chunks and sync ends from a node that is no source,
 *     queue opens whose attributes a client could not send).
 * Exits 0 when every IPC answer was the expected error; whether safd
 * survived and kept its state is checked by tests/cluster/bad-input.sh.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <corosync/cpg.h>
#include <qb/qbipcc.h>

#include <saAis.h>
#include <safd/exec.h>
#include <safd/exec_msg.h>
#include <safd/ipc.h>

static int failures;

static void expect(const char *what, int got, int want)
{
	if (got != want) {
		fprintf(stderr, "FAIL %s: got %d, want %d\n", what, got, want);
		failures++;
	} else {
		printf("ok   %s: %d\n", what, got);
	}
}

/* Sends len bytes and returns the response's error, or -errno. */
static int request(qb_ipcc_connection_t *c, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union {
		struct qb_ipc_response_header h;
		uint8_t raw[4096];
	} res;
	ssize_t rc = qb_ipcc_sendv_recv(c, &iov, 1, &res, sizeof(res), 5000);

	if (rc < 0)
		return (int)rc;
	if ((size_t)rc < sizeof(res.h))
		return -1000;
	return res.h.error;
}

static void ipc_garbage(const char *svc)
{
	char name[64];
	qb_ipcc_connection_t *c;
	struct req_lib_hello hello = {
		.header = { .id = SAFD_REQ_HELLO, .size = sizeof(hello) },
		.protocol = SAFD_IPC_PROTOCOL,
	};
	struct req_lib_event_fetch fetch = {
		.header = { .id = SAFD_REQ_EVENT_FETCH },
	};
	struct qb_ipc_request_header h;
	uint8_t *big;
	char what[128];
	size_t i;

	snprintf(name, sizeof(name), "%s-%s",
		 getenv("SAFD_IPC_PREFIX") ? getenv("SAFD_IPC_PREFIX") : "safd", svc);
	c = qb_ipcc_connect(name, SAFD_IPC_MAX_MSG);
	if (c == NULL) {
		fprintf(stderr, "FAIL cannot connect to %s\n", name);
		failures++;
		return;
	}
#define CASE(desc) snprintf(what, sizeof(what), "%s: %s", svc, desc)
	CASE("hello");
	expect(what, request(c, &hello, sizeof(hello)), SA_AIS_OK);

	/* libqb hands the server the size the header claims; a claim beyond
	 * the connection's buffer must be refused (a smaller lie is bounded
	 * by the shared-memory ring and reads only stale bytes). */
	h.id = 1;
	h.size = 0x7ffffff0;
	CASE("header size beyond the IPC buffer");
	expect(what, request(c, &h, sizeof(h)), SA_AIS_ERR_MESSAGE_ERROR);
	h.size = -5;
	CASE("negative header size");
	expect(what, request(c, &h, sizeof(h)), SA_AIS_ERR_MESSAGE_ERROR);

	h.size = sizeof(h);
	h.id = 9999;
	CASE("unknown request id");
	expect(what, request(c, &h, sizeof(h)), SA_AIS_ERR_MESSAGE_ERROR);
	h.id = -1;
	CASE("negative request id");
	expect(what, request(c, &h, sizeof(h)), SA_AIS_ERR_MESSAGE_ERROR);
	h.id = SAFD_REQ_HELLO;
	CASE("hello shorter than its struct");
	expect(what, request(c, &h, sizeof(h)), SA_AIS_ERR_MESSAGE_ERROR);

	fetch.header.size = sizeof(h);
	CASE("event fetch shorter than its struct");
	expect(what, request(c, &fetch, sizeof(h)), SA_AIS_ERR_MESSAGE_ERROR);
	fetch.header.size = sizeof(fetch);
	fetch.token = 0x5eed;
	CASE("event fetch of an event nobody kept");
	expect(what, request(c, &fetch, sizeof(fetch)), SA_AIS_ERR_NOT_EXIST);

	hello.protocol = 0xdead;
	CASE("hello with a protocol from elsewhere");
	expect(what, request(c, &hello, sizeof(hello)), SA_AIS_ERR_LIBRARY);

	big = malloc(256 * 1024);
	if (big != NULL) {
		srand(42);
		for (i = 0; i < 256 * 1024; i++)
			big[i] = (uint8_t)rand();
		((struct qb_ipc_request_header *)big)->size = 256 * 1024;
		((struct qb_ipc_request_header *)big)->id = 77;
		CASE("256 KiB of random bytes");
		expect(what, request(c, big, 256 * 1024), SA_AIS_ERR_MESSAGE_ERROR);
		free(big);
	}
	CASE("hello still answered");
	hello.protocol = SAFD_IPC_PROTOCOL;
	expect(what, request(c, &hello, sizeof(hello)), SA_AIS_OK);
	qb_ipcc_disconnect(c);
#undef CASE
}

static cpg_handle_t cpg;

static void mcast(const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	cs_error_t err;

	do {
		err = cpg_mcast_joined(cpg, CPG_TYPE_AGREED, &iov, 1);
	} while (err == CS_ERR_TRY_AGAIN);
	if (err != CS_OK) {
		fprintf(stderr, "FAIL cpg_mcast_joined: %d\n", err);
		failures++;
	}
}

static void header(void *buf, uint16_t svc, uint32_t id, size_t len)
{
	struct safd_exec_header *h = buf;

	h->svc = svc;
	h->version = SAFD_EXEC_VERSION;
	h->id = id;
	h->size = (uint32_t)len;
	h->reserved = 0;
}

static void ignore_deliver(cpg_handle_t handle, const struct cpg_name *group,
			   uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
}

static void ignore_confchg(cpg_handle_t handle, const struct cpg_name *group,
			   const struct cpg_address *m, size_t nm,
			   const struct cpg_address *l, size_t nl,
			   const struct cpg_address *j, size_t nj)
{
}

/* Opens that create queues "bad-peer-attrs-N" with attributes safd refuses
 * from a client: a negative retention, unknown creation flags, an area
 * larger than a queue may be. bad-input.sh checks no node created it. */
static void bad_opens(void)
{
	struct req_exec_msg_open o;
	int i;

	for (i = 0; i < 3; i++) {
		memset(&o, 0, sizeof(o));
		header(&o, SAFD_SVC_MSG, REQ_EXEC_MSG_OPEN, sizeof(o));
		o.o.time = -9000000000000000000;
		o.name.length = (uint16_t)snprintf((char *)o.name.value, sizeof(o.name.value),
						   "bad-peer-attrs-%d", i);
		o.open_flags = 1;	/* SA_MSG_QUEUE_CREATE */
		o.has_attrs = 1;
		o.attrs.size[0] = 1024;
		o.attrs.retention = i == 0 ? -1 : 3600000000000;	/* 1 h */
		o.attrs.creation_flags = i == 1 ? 0x80 : 0;
		if (i == 2)
			o.attrs.size[1] = UINT64_MAX;
		mcast(&o, sizeof(o));
	}
}

static void cpg_garbage(void)
{
	cpg_callbacks_t callbacks = {
		.cpg_deliver_fn = ignore_deliver,
		.cpg_confchg_fn = ignore_confchg,
	};
	const char *group = getenv("SAFD_CPG_GROUP") ? getenv("SAFD_CPG_GROUP") : "safd";
	struct cpg_name name;
	uint8_t buf[4096];
	struct req_exec_core_hello *hello = (void *)buf;
	struct req_exec_core_sync_data *data = (void *)buf;
	struct req_exec_core_sync_end *end = (void *)buf;
	int i;

	if (cpg_initialize(&cpg, &callbacks) != CS_OK) {
		fprintf(stderr, "FAIL cpg_initialize\n");
		failures++;
		return;
	}
	name.length = (uint32_t)strlen(group);
	memcpy(name.value, group, name.length);
	if (cpg_join(cpg, &name) != CS_OK) {
		fprintf(stderr, "FAIL cpg_join %s\n", group);
		failures++;
		return;
	}
	memset(buf, 0, sizeof(buf));
	mcast(buf, 8);						/* shorter than a header */
	header(buf, SAFD_SVC_CORE, REQ_EXEC_CORE_HELLO, 9999);	/* size lies */
	mcast(buf, 64);
	header(buf, SAFD_SVC_MSG, 0, 64);
	((struct safd_exec_header *)buf)->version = 0;
	mcast(buf, 64);
	((struct safd_exec_header *)buf)->version = 200;	/* from the future */
	mcast(buf, 64);
	header(buf, 77, 1, 64);					/* unknown service */
	mcast(buf, 64);
	header(buf, SAFD_SVC_ADM, 5, 64);			/* no exec handlers */
	mcast(buf, 64);
	header(buf, SAFD_SVC_CORE, 99, 64);			/* unknown core id */
	mcast(buf, 64);

	memset(buf, 0, sizeof(buf));
	header(buf, SAFD_SVC_CORE, REQ_EXEC_CORE_HELLO, sizeof(*hello));
	hello->member_count = 1000000;				/* absurd counts */
	hello->prev_count = 3;
	hello->flags = 0xff;
	mcast(buf, sizeof(*hello));
	hello->member_count = 0x7fffffff;
	hello->prev_count = 0x7fffffff;
	mcast(buf, sizeof(*hello));
	hello->member_count = 1;				/* too short for 1 id */
	hello->prev_count = 0;
	mcast(buf, sizeof(*hello));

	memset(buf, 0, sizeof(buf));
	header(buf, SAFD_SVC_CORE, REQ_EXEC_CORE_SYNC_DATA, sizeof(*data) + 64);
	data->svc = SAFD_SVC_ADM;
	data->len = 64;
	data->offset = 1ULL << 62;
	data->total = 1ULL << 63;
	mcast(buf, sizeof(*data) + 64);
	data->svc = 1000;
	mcast(buf, sizeof(*data) + 64);
	memset(buf, 0, sizeof(buf));
	header(buf, SAFD_SVC_CORE, REQ_EXEC_CORE_SYNC_END, sizeof(*end));
	end->round = 1;
	mcast(buf, sizeof(*end));

	bad_opens();

	srand(7);
	for (i = 0; i < 500; i++) {
		size_t len = 1 + (size_t)rand() % sizeof(buf);
		size_t k;

		for (k = 0; k < len; k++)
			buf[k] = (uint8_t)rand();
		if (i % 2 && len >= sizeof(struct safd_exec_header))
			header(buf, (uint16_t)(rand() % 5), (uint32_t)(rand() % 5), len);
		mcast(buf, len);
	}
	cpg_leave(cpg, &name);
	cpg_finalize(cpg);
	printf("ok   cpg: sent 518 malformed messages to group %s\n", group);
}

int main(void)
{
	ipc_garbage("adm");
	ipc_garbage("msg");
	ipc_garbage("amf");
	cpg_garbage();
	return failures == 0 ? 0 : 1;
}
