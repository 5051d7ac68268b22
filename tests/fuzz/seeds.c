/*
 * The seed corpora of fuzz_ipc and fuzz_cpg (corpus/fuzz_ipc/,
 * corpus/fuzz_cpg/), regenerated with
 *     FUZZ_WRITE_SEEDS=tests/fuzz/corpus build-fuzz/fuzz_ipc
 * IPC seeds: requests as the client libraries and safctl build them, one
 * scenario per file (daemon.h has the record format). CPG seeds: every
 * message node 1 sent while it ran an IPC seed, as node 2's, and sync
 * rounds (a node joins, a partition merges and node 1 takes the state of
 * another, a transfer is abandoned).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <saAmf.h>
#include <saMsg.h>
#include <safd/exec.h>
#include <safd/ipc_adm.h>
#include <safd/ipc_amf.h>
#include <safd/ipc_msg.h>
#include <safd/service.h>
#include <safd/util.h>
#include "../../services/core.h"
#include "daemon.h"

/* Connections (daemon.h): service in bits 0-1, slot in bits 2-4. */
#define ADM 0x00
#define MSG 0x01		/* slot 0: process A's main connection */
#define MSG_POOL 0x05		/* slot 1: process A, a pool connection */
#define MSG_B 0x09		/* slot 2: process B's main connection */
#define AMF 0x02
#define AMF_POOL 0x06
#define AMF_B 0x0a
#define USER 0x20		/* not admin */

struct seed {
	uint8_t data[1 << 16];
	size_t len;
};

static void record(struct seed *s, uint8_t op, uint8_t arg, const void *body, size_t len)
{
	if (s->len + 4 + len > sizeof(s->data))
		abort();
	s->data[s->len++] = op;
	s->data[s->len++] = arg;
	s->data[s->len++] = (uint8_t)(len & 0xff);
	s->data[s->len++] = (uint8_t)(len >> 8);
	if (body != NULL)
		memcpy(s->data + s->len, body, len);
	s->len += body != NULL ? len : 0;
}

static void req(struct seed *s, uint8_t conn, const void *r, size_t len)
{
	record(s, FUZZ_OP_REQ, conn, r, len);
}

static void op(struct seed *s, enum fuzz_op o, uint8_t arg, uint16_t value)
{
	record(s, (uint8_t)o, arg, NULL, value);
}

static void name(struct safd_name *n, const char *s)
{
	memset(n, 0, sizeof(*n));
	n->length = (uint16_t)strlen(s);
	memcpy(n->value, s, n->length);
}

#define HDR(r, req_id) do { memset(&(r), 0, sizeof(r)); \
	(r).header.id = (req_id); (r).header.size = sizeof(r); } while (0)

/* ---------------------------------------------------------------- msg */

static void msg_open(struct seed *s, uint8_t conn, const char *q, uint32_t flags, bool async)
{
	struct req_lib_msg_queue_open r;
	int p;

	HDR(r, REQ_LIB_MSG_QUEUE_OPEN);
	name(&r.name, q);
	r.open_flags = flags;
	r.has_attrs = (flags & SA_MSG_QUEUE_CREATE) != 0;
	r.attrs.creation_flags = 0;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++)
		r.attrs.size[p] = 4096;
	r.attrs.retention = 2000000000;
	r.async = async;
	r.invocation = 77;
	r.timeout = 1000000000;
	req(s, conn, &r, sizeof(r));
}

static void msg_queue_id(struct seed *s, uint8_t conn, int32_t id, uint64_t queue)
{
	struct req_lib_msg_queue_id r;

	HDR(r, id);
	r.queue_id = queue;
	req(s, conn, &r, sizeof(r));
}

static void msg_name_req(struct seed *s, uint8_t conn, int32_t id, const char *n)
{
	struct req_lib_msg_name r;

	HDR(r, id);
	name(&r.name, n);
	req(s, conn, &r, sizeof(r));
}

static void msg_send(struct seed *s, uint8_t conn, const char *dest, const char *text,
		     bool async, uint8_t priority)
{
	uint8_t buf[sizeof(struct req_lib_msg_send) + 64] = { 0 };
	struct req_lib_msg_send *r = (void *)buf;
	size_t n = strlen(text), len = SAFD_ALIGN8(sizeof(*r) + n);

	r->header.id = REQ_LIB_MSG_SEND;
	r->header.size = (int32_t)len;
	name(&r->destination, dest);
	r->async = async;
	r->ack = async;
	r->invocation = 5;
	r->timeout = 1000000000;
	r->msg.type = 1;
	r->msg.size = n;
	r->msg.priority = priority;
	r->msg.has_sender_name = 1;
	name(&r->msg.sender_name, "fuzz-sender");
	memcpy(r + 1, text, n);
	req(s, conn, buf, len);
}

static void msg_get(struct seed *s, uint8_t conn, uint64_t queue, int64_t timeout)
{
	struct req_lib_msg_get r;

	HDR(r, REQ_LIB_MSG_GET);
	r.queue_id = queue;
	r.timeout = timeout;
	r.capacity = UINT64_MAX;
	req(s, conn, &r, sizeof(r));
}

static void msg_group(struct seed *s, uint8_t conn, int32_t id, const char *g, const char *q)
{
	struct req_lib_msg_group_member r;

	HDR(r, id);
	name(&r.group, g);
	name(&r.queue, q);
	req(s, conn, &r, sizeof(r));
}

static void msg_group_create(struct seed *s, uint8_t conn, const char *g, uint32_t policy)
{
	struct req_lib_msg_group_create r;

	HDR(r, REQ_LIB_MSG_GROUP_CREATE);
	name(&r.name, g);
	r.policy = policy;
	req(s, conn, &r, sizeof(r));
}

static void msg_track(struct seed *s, uint8_t conn, const char *g, uint32_t flags,
		      uint32_t want, uint32_t capacity)
{
	struct req_lib_msg_group_track r;

	HDR(r, REQ_LIB_MSG_GROUP_TRACK);
	name(&r.name, g);
	r.flags = flags;
	r.want_current = want;
	r.capacity = capacity;
	req(s, conn, &r, sizeof(r));
}

static void msg_list(struct seed *s, uint8_t conn, int32_t id, const char *n)
{
	struct req_lib_msg_list r;

	HDR(r, id);
	name(&r.name, n);
	req(s, conn, &r, sizeof(r));
}

static void msg_send_receive(struct seed *s, uint8_t conn, const char *dest)
{
	uint8_t buf[sizeof(struct req_lib_msg_send_receive) + 8] = { 0 };
	struct req_lib_msg_send_receive *r = (void *)buf;

	r->header.id = REQ_LIB_MSG_SEND_RECEIVE;
	r->header.size = sizeof(buf);
	name(&r->destination, dest);
	r->timeout = 2000000000;
	r->reply_capacity = UINT64_MAX;
	r->msg.size = 4;
	r->msg.priority = 1;
	memcpy(r + 1, "ping", 4);
	req(s, conn, buf, sizeof(buf));
}

static void msg_reply(struct seed *s, uint8_t conn, uint64_t sender_id)
{
	uint8_t buf[sizeof(struct req_lib_msg_reply) + 8] = { 0 };
	struct req_lib_msg_reply *r = (void *)buf;

	r->header.id = REQ_LIB_MSG_REPLY;
	r->header.size = sizeof(buf);
	r->sender_id = sender_id;
	r->timeout = 1000000000;
	r->msg.size = 4;
	memcpy(r + 1, "pong", 4);
	req(s, conn, buf, sizeof(buf));
}

static void msg_seeds(void (*emit)(const char *, struct seed *))
{
	static struct seed s;
	struct req_lib_msg_queue_retention_set ret;
	struct req_lib_msg_thresholds_set th;
	struct req_lib_msg_finalize fin;
	int p;

	memset(&s, 0, sizeof(s));
	msg_open(&s, MSG, "q1", SA_MSG_QUEUE_CREATE, false);
	msg_name_req(&s, MSG_POOL, REQ_LIB_MSG_QUEUE_STATUS_GET, "q1");
	msg_send(&s, MSG_B, "q1", "hello", false, 0);
	msg_send(&s, MSG_B, "q1", "async", true, 3);
	msg_get(&s, MSG_POOL, 1, 0);
	msg_get(&s, MSG_POOL, 1, 1000000000);
	msg_queue_id(&s, MSG, REQ_LIB_MSG_QUEUE_CLOSE, 1);
	msg_name_req(&s, MSG_B, REQ_LIB_MSG_QUEUE_UNLINK, "q1");
	emit("msg-queue", &s);

	memset(&s, 0, sizeof(s));
	msg_open(&s, MSG, "q2", SA_MSG_QUEUE_CREATE | SA_MSG_QUEUE_RECEIVE_CALLBACK, true);
	HDR(ret, REQ_LIB_MSG_QUEUE_RETENTION_SET);
	ret.queue_id = 1;
	ret.retention = 5000000;
	req(&s, MSG_POOL, &ret, sizeof(ret));
	HDR(th, REQ_LIB_MSG_THRESHOLDS_SET);
	th.queue_id = 1;
	for (p = 0; p < SAFD_MSG_PRIORITIES; p++) {
		th.reached[p] = 2048;
		th.available[p] = 1024;
	}
	req(&s, MSG_POOL, &th, sizeof(th));
	msg_queue_id(&s, MSG_POOL, REQ_LIB_MSG_THRESHOLDS_GET, 1);
	msg_send(&s, MSG_B, "q2", "0123456789012345678901234567890123456789", false, 2);
	msg_get(&s, MSG_POOL, 1, 5000000000);
	msg_queue_id(&s, MSG, REQ_LIB_MSG_CANCEL, 1);
	op(&s, FUZZ_OP_CLOSE, MSG, 0);
	op(&s, FUZZ_OP_CLOSE, MSG_POOL, 0);
	op(&s, FUZZ_OP_TIME, 0, 10);
	msg_name_req(&s, MSG_B, REQ_LIB_MSG_QUEUE_STATUS_GET, "q2");
	emit("msg-retention", &s);

	memset(&s, 0, sizeof(s));
	msg_open(&s, MSG, "qa", SA_MSG_QUEUE_CREATE, false);
	msg_open(&s, MSG_B, "qb", SA_MSG_QUEUE_CREATE, false);
	msg_group_create(&s, MSG, "g1", SA_MSG_QUEUE_GROUP_ROUND_ROBIN);
	msg_track(&s, MSG_B, "g1", SA_TRACK_CURRENT | SA_TRACK_CHANGES, 1, 0);
	msg_group(&s, MSG, REQ_LIB_MSG_GROUP_INSERT, "g1", "qa");
	msg_group(&s, MSG, REQ_LIB_MSG_GROUP_INSERT, "g1", "qb");
	msg_send(&s, MSG_POOL, "g1", "to the group", false, 1);
	msg_send(&s, MSG_POOL, "g1", "again", true, 1);
	msg_list(&s, MSG_B, REQ_LIB_MSG_GROUP_LIST, "");
	msg_list(&s, MSG, REQ_LIB_MSG_QUEUE_LIST, "");
	msg_list(&s, MSG, REQ_LIB_MSG_QUEUE_LIST, "qa");
	msg_group(&s, MSG, REQ_LIB_MSG_GROUP_REMOVE, "g1", "qa");
	msg_name_req(&s, MSG_B, REQ_LIB_MSG_GROUP_TRACK_STOP, "g1");
	msg_name_req(&s, MSG, REQ_LIB_MSG_GROUP_DELETE, "g1");
	emit("msg-group", &s);

	memset(&s, 0, sizeof(s));
	msg_open(&s, MSG, "qc", SA_MSG_QUEUE_CREATE, false);
	msg_group_create(&s, MSG, "bc", SA_MSG_QUEUE_GROUP_BROADCAST);
	msg_group(&s, MSG, REQ_LIB_MSG_GROUP_INSERT, "bc", "qc");
	msg_track(&s, MSG_B, "bc", SA_TRACK_CHANGES_ONLY, 0, 0);
	msg_track(&s, MSG_B, "bc", SA_TRACK_CURRENT, 1, 1);
	msg_send(&s, MSG_B, "bc", "all", false, 0);
	msg_list(&s, MSG, REQ_LIB_MSG_GROUP_LIST, "bc");
	HDR(fin, REQ_LIB_MSG_FINALIZE);
	req(&s, MSG, &fin, sizeof(fin));
	emit("msg-broadcast", &s);

	memset(&s, 0, sizeof(s));
	msg_open(&s, MSG, "srv", SA_MSG_QUEUE_CREATE, false);
	msg_send_receive(&s, MSG_B, "srv");
	msg_get(&s, MSG_POOL, 1, 0);
	msg_reply(&s, MSG_POOL, (1ULL << 32) | 1);
	msg_reply(&s, MSG_POOL, (1ULL << 32) | 0);
	msg_send_receive(&s, MSG_B, "srv");
	op(&s, FUZZ_OP_TIME, 0, 3000);
	emit("msg-send-receive", &s);

	memset(&s, 0, sizeof(s));
	op(&s, FUZZ_OP_QUORUM, 0, 0);
	msg_open(&s, MSG, "nq", SA_MSG_QUEUE_CREATE, false);
	op(&s, FUZZ_OP_QUORUM, 1, 0);
	op(&s, FUZZ_OP_CONGEST, 3, 0);
	msg_open(&s, MSG, "cq", SA_MSG_QUEUE_CREATE, false);
	msg_send(&s, MSG_B, "cq", "late", true, 0);
	op(&s, FUZZ_OP_CONGEST, 0, 0);
	op(&s, FUZZ_OP_TIME, 0, 5);
	msg_get(&s, MSG, 1, 0);
	emit("msg-quorum-congest", &s);
}

/* ---------------------------------------------------------------- amf */

#define COMP_HTTPD "safComp=httpd,safSu=w1,safSg=web,safApp=web"
#define COMP_LOG "safComp=log,safSu=w1,safSg=web,safApp=web"
#define COMP_DB "safComp=db,safSu=d1,safSg=db,safApp=db"
#define CSI_HTTP "safCsi=http,safSi=front,safApp=web"

static void amf_comp_req(struct seed *s, uint8_t conn, int32_t id, const char *comp)
{
	struct req_lib_amf_register r;

	HDR(r, id);
	name(&r.comp, comp);
	req(s, conn, &r, sizeof(r));
}

static void amf_admin(struct seed *s, uint8_t conn, const char *dn, uint32_t opid)
{
	struct req_lib_amf_admin r;

	HDR(r, REQ_LIB_AMF_ADMIN);
	name(&r.dn, dn);
	r.op = opid;
	req(s, conn, &r, sizeof(r));
}

static void amf_response(struct seed *s, uint8_t conn, uint64_t invocation, bool quiescing)
{
	struct req_lib_amf_response r;

	HDR(r, REQ_LIB_AMF_RESPONSE);
	r.invocation = invocation;
	r.error = SA_AIS_OK;
	r.quiescing_complete = quiescing;
	req(s, conn, &r, sizeof(r));
}

static void amf_hc(struct seed *s, uint8_t conn, int32_t id, const char *comp,
		   const char *key, uint32_t type, uint32_t result)
{
	struct req_lib_amf_healthcheck r;

	HDR(r, id);
	name(&r.comp, comp);
	r.key_len = (uint16_t)strlen(key);
	memcpy(r.key, key, r.key_len);
	r.invocation_type = type;
	r.recovery = SA_AMF_COMPONENT_RESTART;
	r.result = result;
	req(s, conn, &r, sizeof(r));
}

static void amf_pm(struct seed *s, uint8_t conn, int32_t id, const char *comp, int64_t pid)
{
	struct req_lib_amf_pm r;

	HDR(r, id);
	name(&r.comp, comp);
	r.pid = pid;
	r.depth = -1;
	r.errors = SA_AMF_PM_NON_ZERO_EXIT | SA_AMF_PM_ZERO_EXIT;
	r.recovery = SA_AMF_COMPONENT_RESTART;
	r.stop_qualifier = SA_AMF_PM_PROC;
	req(s, conn, &r, sizeof(r));
}

static void amf_pg(struct seed *s, uint8_t conn, int32_t id, const char *csi,
		   uint32_t flags, uint32_t capacity)
{
	struct req_lib_amf_pg_track r;

	HDR(r, id);
	name(&r.csi, csi);
	r.flags = flags;
	r.capacity = capacity;
	req(s, conn, &r, sizeof(r));
}

static void amf_seeds(void (*emit)(const char *, struct seed *))
{
	static const struct { const char *file; const char *dn; uint32_t op; } admin[] = {
		{ "amf-admin-lock-sg", "safSg=web,safApp=web", SA_AMF_ADMIN_LOCK },
		{ "amf-admin-shutdown-su", "safSu=d1,safSg=db,safApp=db", SA_AMF_ADMIN_SHUTDOWN },
		{ "amf-admin-lock-in-su", "safSu=a,safSg=nway,safApp=nway",
		  SA_AMF_ADMIN_LOCK_INSTANTIATION },
		{ "amf-admin-restart-comp", COMP_DB, SA_AMF_ADMIN_RESTART },
		{ "amf-admin-swap-si", "safSi=front,safApp=web", SA_AMF_ADMIN_SI_SWAP },
		{ "amf-admin-lock-node", "safAmfNode=n1,safAmfCluster=fuzz", SA_AMF_ADMIN_LOCK },
		{ "amf-admin-repaired-su", "safSu=s1,safSg=solo,safApp=solo", SA_AMF_ADMIN_REPAIRED },
		{ "amf-admin-lock-app", "safApp=active", SA_AMF_ADMIN_LOCK },
	};
	static struct seed s;
	struct req_lib_amf_status st;
	struct req_lib_amf_ha_state_get ha;
	struct req_lib_amf_error_report er;
	struct req_lib_amf_ha_readiness rd;
	struct req_lib_amf_correlation_ids ci;
	struct req_lib_amf_finalize fin;
	size_t i;

	for (i = 0; i < SAFD_ARRAY_SIZE(admin); i++) {
		memset(&s, 0, sizeof(s));
		amf_admin(&s, AMF, admin[i].dn, admin[i].op);
		op(&s, FUZZ_OP_TIME, 0, 1500);
		HDR(st, REQ_LIB_AMF_STATUS);
		req(&s, AMF, &st, sizeof(st));
		amf_admin(&s, AMF, admin[i].dn,
			  admin[i].op == SA_AMF_ADMIN_LOCK_INSTANTIATION ?
			  SA_AMF_ADMIN_UNLOCK_INSTANTIATION : SA_AMF_ADMIN_UNLOCK);
		amf_admin(&s, AMF | USER | 0x10, admin[i].dn, admin[i].op);
		emit(admin[i].file, &s);
	}

	memset(&s, 0, sizeof(s));
	amf_comp_req(&s, AMF, REQ_LIB_AMF_REGISTER, COMP_HTTPD);
	amf_comp_req(&s, AMF_B, REQ_LIB_AMF_REGISTER, COMP_LOG);
	amf_response(&s, AMF_POOL, 1, false);
	amf_response(&s, AMF_POOL, 2, false);
	amf_response(&s, AMF_B, 3, false);
	amf_response(&s, AMF_B, 4, true);
	HDR(ha, REQ_LIB_AMF_HA_STATE_GET);
	name(&ha.comp, COMP_HTTPD);
	name(&ha.csi, CSI_HTTP);
	req(&s, AMF_POOL, &ha, sizeof(ha));
	HDR(er, REQ_LIB_AMF_ERROR_REPORT);
	name(&er.comp, COMP_LOG);
	er.recovery = SA_AMF_COMPONENT_FAILOVER;
	req(&s, AMF_B, &er, sizeof(er));
	amf_comp_req(&s, AMF_B, REQ_LIB_AMF_ERROR_CLEAR, COMP_LOG);
	op(&s, FUZZ_OP_TIME, 0, 1200);
	amf_comp_req(&s, AMF, REQ_LIB_AMF_UNREGISTER, COMP_HTTPD);
	emit("amf-register", &s);

	memset(&s, 0, sizeof(s));
	amf_comp_req(&s, AMF, REQ_LIB_AMF_REGISTER, COMP_HTTPD);
	amf_hc(&s, AMF, REQ_LIB_AMF_HC_START, COMP_HTTPD, "hc",
	       SA_AMF_HEALTHCHECK_COMPONENT_INVOKED, 0);
	amf_hc(&s, AMF_POOL, REQ_LIB_AMF_HC_CONFIRM, COMP_HTTPD, "hc", 0, SA_AIS_OK);
	op(&s, FUZZ_OP_TIME, 0, 400);
	amf_hc(&s, AMF_POOL, REQ_LIB_AMF_HC_CONFIRM, COMP_HTTPD, "hc", 0,
	       SA_AIS_ERR_FAILED_OPERATION);
	amf_hc(&s, AMF, REQ_LIB_AMF_HC_STOP, COMP_HTTPD, "hc", 0, 0);
	amf_hc(&s, AMF, REQ_LIB_AMF_HC_START, COMP_HTTPD, "hc",
	       SA_AMF_HEALTHCHECK_AMF_INVOKED, 0);
	op(&s, FUZZ_OP_TIME, 0, 600);
	amf_response(&s, AMF_POOL, 5, false);
	op(&s, FUZZ_OP_TIME, 0, 2000);
	emit("amf-healthcheck", &s);

	memset(&s, 0, sizeof(s));
	amf_comp_req(&s, AMF, REQ_LIB_AMF_REGISTER, COMP_DB);
	amf_pm(&s, AMF, REQ_LIB_AMF_PM_START, COMP_DB, 1);
	amf_pm(&s, AMF, REQ_LIB_AMF_PM_STOP, COMP_DB, 1);
	amf_pm(&s, AMF, REQ_LIB_AMF_PM_START, COMP_DB, 8388609);
	op(&s, FUZZ_OP_CLOSE, AMF, 0);
	emit("amf-pm", &s);

	memset(&s, 0, sizeof(s));
	amf_pg(&s, AMF, REQ_LIB_AMF_PG_TRACK, CSI_HTTP, SA_TRACK_CURRENT, SAFD_AMF_PG_ALLOCATE);
	amf_pg(&s, AMF, REQ_LIB_AMF_PG_TRACK, CSI_HTTP, SA_TRACK_CURRENT, 1);
	amf_pg(&s, AMF, REQ_LIB_AMF_PG_TRACK, CSI_HTTP, SA_TRACK_CURRENT | SA_TRACK_CHANGES, 0);
	amf_pg(&s, AMF_B, REQ_LIB_AMF_PG_TRACK, "safCsi=db,safSi=shard1,safApp=db",
	       SA_TRACK_CHANGES_ONLY, 0);
	amf_admin(&s, AMF_B, "safSu=w1,safSg=web,safApp=web", SA_AMF_ADMIN_LOCK);
	op(&s, FUZZ_OP_TIME, 0, 1000);
	amf_pg(&s, AMF, REQ_LIB_AMF_PG_TRACK_STOP, CSI_HTTP, 0, 0);
	emit("amf-pg", &s);

	memset(&s, 0, sizeof(s));
	amf_comp_req(&s, AMF, REQ_LIB_AMF_REGISTER, COMP_HTTPD);
	HDR(rd, REQ_LIB_AMF_HA_READINESS);
	name(&rd.comp, COMP_HTTPD);
	rd.state = 1;
	req(&s, AMF_POOL, &rd, sizeof(rd));
	HDR(ci, REQ_LIB_AMF_CORRELATION_IDS);
	ci.invocation = 1;
	req(&s, AMF_POOL, &ci, sizeof(ci));
	HDR(fin, REQ_LIB_AMF_FINALIZE);
	req(&s, AMF, &fin, sizeof(fin));
	HDR(st, REQ_LIB_AMF_STATUS);
	req(&s, AMF_B, &st, sizeof(st));
	emit("amf-misc", &s);

	memset(&s, 0, sizeof(s));
	op(&s, FUZZ_OP_TIME, 0, 2500);
	op(&s, FUZZ_OP_TIME, 0, 2500);
	HDR(st, REQ_LIB_AMF_STATUS);
	req(&s, AMF | USER, &st, sizeof(st));
	emit("amf-timeouts", &s);
}

/* ---------------------------------------------------------- the rest */

static void other_seeds(void (*emit)(const char *, struct seed *))
{
	static struct seed s;
	struct req_lib_adm_status st;
	struct req_lib_hello hello;

	memset(&s, 0, sizeof(s));
	HDR(st, REQ_LIB_ADM_STATUS);
	req(&s, ADM, &st, sizeof(st));
	req(&s, ADM | USER | 0x04, &st, sizeof(st));
	emit("adm-status", &s);

	/* A connection that says hello itself, twice, and asks before it. */
	memset(&s, 0, sizeof(s));
	HDR(st, REQ_LIB_ADM_STATUS);
	req(&s, ADM | 0x80, &st, sizeof(st));
	HDR(hello, SAFD_REQ_HELLO);
	hello.protocol = SAFD_IPC_PROTOCOL;
	hello.major_version = 3;
	hello.session = 9;
	hello.flags = SAFD_HELLO_MAIN_CONN;
	req(&s, MSG | 0x80, &hello, sizeof(hello));
	req(&s, MSG | 0x80, &hello, sizeof(hello));
	record(&s, FUZZ_OP_REQ_RAW, ADM | 0x80, &hello, sizeof(hello) - 4);
	emit("hello", &s);
}

/* ---------------------------------------------------------- fuzz_cpg */

static struct seed cpg;
static unsigned n_captured;

/* Node 1's service messages become node 2's (EXEC from arg 1). */
static void capture(const void *msg, size_t len)
{
	const struct safd_exec_header *h = msg;

	if (len < sizeof(*h) || h->svc == SAFD_SVC_CORE || n_captured >= 64 ||
	    cpg.len + 4 + len > sizeof(cpg.data))
		return;
	record(&cpg, FUZZ_OP_EXEC, 1, msg, len);
	n_captured++;
}

static void hello_from(struct seed *s, uint8_t arg, const uint32_t *m, size_t n_m,
		       uint32_t flags, uint64_t round, const uint32_t *prev, size_t n_prev)
{
	uint8_t buf[sizeof(struct req_exec_core_hello) + 16 * sizeof(uint32_t)] = { 0 };
	struct req_exec_core_hello *h = (void *)buf;
	uint32_t *ids = (uint32_t *)(h + 1);
	size_t len = SAFD_ALIGN8(sizeof(*h) + (n_m + n_prev) * sizeof(uint32_t));

	h->header = (struct safd_exec_header){ .svc = SAFD_SVC_CORE, .id = REQ_EXEC_CORE_HELLO };
	h->round = round;
	h->time = 1700000000000000000LL;
	h->flags = flags;
	h->member_count = (uint32_t)n_m;
	h->prev_count = (uint32_t)n_prev;
	snprintf(h->version, sizeof(h->version), "0.1.0");
	memcpy(ids, m, n_m * sizeof(*ids));
	if (n_prev > 0)
		memcpy(ids + n_m, prev, n_prev * sizeof(*ids));
	record(s, FUZZ_OP_EXEC, arg, buf, len);
}

/* Node 4 streams the state `states` to the members. */
static void state_from_4(struct seed *s, uint64_t round, void *const *states,
			 const size_t *lens)
{
	struct req_exec_core_sync_end end = {
		.header = { .svc = SAFD_SVC_CORE, .id = REQ_EXEC_CORE_SYNC_END },
		.round = round,
	};
	size_t i, off;

	for (i = 0; i < safd_service_count; i++) {
		for (off = 0; off < lens[i]; ) {
			size_t n = lens[i] - off > 4096 ? 4096 : lens[i] - off;
			size_t len = SAFD_ALIGN8(sizeof(struct req_exec_core_sync_data) + n);
			struct req_exec_core_sync_data *d = calloc(1, len);

			if (d == NULL)
				abort();
			d->header = (struct safd_exec_header){ .svc = SAFD_SVC_CORE,
							       .id = REQ_EXEC_CORE_SYNC_DATA };
			d->round = round;
			d->svc = safd_services[i]->id;
			d->len = (uint32_t)n;
			d->offset = off;
			d->total = lens[i];
			memcpy(d + 1, (uint8_t *)states[i] + off, n);
			record(s, FUZZ_OP_EXEC, 3, d, len);
			free(d);
			off += n;
			end.chunks++;
		}
	}
	record(s, FUZZ_OP_EXEC, 3, &end, sizeof(end));
}

static void sync_seeds(void (*emit)(const char *, struct seed *), void *const *states,
		       const size_t *lens)
{
	static const uint32_t all[] = { 1, 2, 3, 4 }, lineage[] = { 1, 2, 3 },
		other[] = { 4, 5, 6, 7 };
	static struct seed s;

	/* Node 4 joins; node 1 (lowest of the equals) sends it the state. */
	memset(&s, 0, sizeof(s));
	op(&s, FUZZ_OP_CONFCHG, 7, 0);
	hello_from(&s, 1, all, 4, SAFD_HELLO_SYNCED | SAFD_HELLO_QUORATE, 2, lineage, 3);
	hello_from(&s, 2, all, 4, SAFD_HELLO_SYNCED | SAFD_HELLO_QUORATE, 2, lineage, 3);
	hello_from(&s, 3, all, 4, 0, 1, NULL, 0);
	emit("sync-join", &s);

	/* A merge: node 4's lineage is larger; node 1 takes its state. */
	memset(&s, 0, sizeof(s));
	op(&s, FUZZ_OP_CONFCHG, 7, 0);
	hello_from(&s, 1, all, 4, 0, 2, NULL, 0);
	hello_from(&s, 2, all, 4, 0, 2, NULL, 0);
	hello_from(&s, 3, all, 4, SAFD_HELLO_SYNCED | SAFD_HELLO_QUORATE, 9, other, 4);
	state_from_4(&s, 9, states, lens);
	emit("sync-merge", &s);

	/* The same, and the transfer is cut by a configuration change. */
	memset(&s, 0, sizeof(s));
	op(&s, FUZZ_OP_CONFCHG, 7, 0);
	hello_from(&s, 1, all, 4, 0, 2, NULL, 0);
	hello_from(&s, 2, all, 4, 0, 2, NULL, 0);
	hello_from(&s, 3, all, 4, SAFD_HELLO_SYNCED | SAFD_HELLO_QUORATE, 9, other, 4);
	op(&s, FUZZ_OP_CONFCHG, 3, 0);
	hello_from(&s, 1, lineage, 3, 0, 3, NULL, 0);
	hello_from(&s, 2, lineage, 3, 0, 3, NULL, 0);
	emit("sync-abandon", &s);

	/* Nodes 2 and 3 leave, come back, leave. */
	memset(&s, 0, sizeof(s));
	op(&s, FUZZ_OP_CONFCHG, 0, 0);
	op(&s, FUZZ_OP_CONFCHG, 1, 0);
	hello_from(&s, 1, all, 2, 0, 1, NULL, 0);
	op(&s, FUZZ_OP_CONFCHG, 0, 0);
	emit("sync-leave", &s);
}

/* ---------------------------------------------------------- writing */

static char out_ipc[4096], out_cpg[4096];

static void write_file(const char *dir, const char *name_, const struct seed *s)
{
	char path[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name_);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(s->data, 1, s->len, f) != s->len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* An IPC seed; run, with node 1's messages captured as a CPG seed. */
static void emit_ipc(const char *name_, struct seed *s)
{
	write_file(out_ipc, name_, s);
	memset(&cpg, 0, sizeof(cpg));
	n_captured = 0;
	fuzz_capture_fn = capture;
	fuzz_daemon_play(s->data, s->len, FUZZ_OP_IPC_COUNT);
	fuzz_capture_fn = NULL;
	fuzz_daemon_reset();
	if (cpg.len > 0)
		write_file(out_cpg, name_, &cpg);
}

static void emit_cpg(const char *name_, struct seed *s)
{
	write_file(out_cpg, name_, s);
}

void fuzz_seeds_write(const char *dir)
{
	static struct seed s;
	void *states[3] = { NULL };
	size_t lens[3] = { 0 }, i;

	snprintf(out_ipc, sizeof(out_ipc), "%s/fuzz_ipc", dir);
	snprintf(out_cpg, sizeof(out_cpg), "%s/fuzz_cpg", dir);
	mkdir(dir, 0755);
	mkdir(out_ipc, 0755);
	mkdir(out_cpg, 0755);
	other_seeds(emit_ipc);
	msg_seeds(emit_ipc);
	amf_seeds(emit_ipc);

	/* A state worth sending: a queue with a message, a group, AMF with an
	 * SU locked. */
	memset(&s, 0, sizeof(s));
	msg_open(&s, MSG, "kept", SA_MSG_QUEUE_CREATE, false);
	msg_send(&s, MSG_B, "kept", "stays", false, 0);
	msg_group_create(&s, MSG, "kg", SA_MSG_QUEUE_GROUP_ROUND_ROBIN);
	msg_group(&s, MSG, REQ_LIB_MSG_GROUP_INSERT, "kg", "kept");
	amf_admin(&s, AMF, "safSu=w2,safSg=web,safApp=web", SA_AMF_ADMIN_LOCK);
	fuzz_daemon_play(s.data, s.len, FUZZ_OP_IPC_COUNT);
	for (i = 0; i < safd_service_count; i++)
		if (safd_services[i]->sync_save != NULL &&
		    safd_services[i]->sync_save(&states[i], &lens[i]) < 0)
			abort();
	fuzz_daemon_reset();
	sync_seeds(emit_cpg, states, lens);
	for (i = 0; i < safd_service_count; i++)
		free(states[i]);
}
