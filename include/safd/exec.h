/*
 * Wire format of daemon <-> daemon messages over CPG (AGREED order).
 * Not installed.
 *
 * Every message starts with struct safd_exec_header. Structs are fixed-width
 * and 8-byte aligned; ids and enum values are explicit and never renumbered.
 * A receiver drops (and logs) any message whose header does not check out:
 * size different from what CPG delivered, unknown service or id, shorter
 * than the handler's minimum, or a wire version newer than it knows.
 */
#ifndef SAFD_EXEC_H
#define SAFD_EXEC_H

#include <stdint.h>

/* 2: REQ_EXEC_CORE_BATCH (a version 1 node drops a version 2 node's
 * messages: do not mix them in one cluster). */
#define SAFD_EXEC_VERSION 2

struct safd_exec_header {
	uint16_t svc;		/* enum safd_service_id */
	uint16_t version;	/* SAFD_EXEC_VERSION of the sender */
	uint32_t id;		/* per-service message id */
	uint32_t size;		/* whole message, header included */
	uint32_t reserved;	/* 0 */
};

/* Core (svc SAFD_SVC_CORE) messages: the hello round and the state sync
 * that follow every CPG configuration change (see services/sync.c). */
enum req_exec_core_id {
	REQ_EXEC_CORE_HELLO = 1,
	REQ_EXEC_CORE_SYNC_DATA = 2,
	REQ_EXEC_CORE_SYNC_END = 3,
	REQ_EXEC_CORE_ACK = 4,
	REQ_EXEC_CORE_BATCH = 5
};

/* ACK: the sender has delivered `delivered` service messages since the
 * configuration began (see services/cpg.c, "safe answers"). */
struct req_exec_core_ack {
	struct safd_exec_header header;
	uint64_t delivered;
};

/* BATCH: several messages of one sender in one CPG message, in the order
 * they were sent. The header is followed by the messages, each starting
 * at a multiple of 8 from the batch's start; none is a BATCH. Receivers
 * handle them one by one, as if CPG had delivered them in a row. */
#define SAFD_BATCH_MAX (64 * 1024)

#define SAFD_HELLO_SYNCED	0x1	/* the sender holds the cluster state */
#define SAFD_HELLO_QUORATE	0x2	/* ... and its partition was quorate */
#define SAFD_HELLO_JOURNAL	0x4	/* the sender keeps a journal */
#define SAFD_HELLO_GEN		0x8	/* a generation (uint64_t) follows the
					 * member ids: of the sender's state
					 * when synced, else of its journal */

#define SAFD_MAX_MEMBERS	384	/* corosync's PROCESSOR_COUNT_MAX */

/* Followed by member_count uint32_t node ids (the configuration the sender
 * answers), then prev_count node ids (the configuration of the sender's last
 * completed sync), then padding to a multiple of 8. */
struct req_exec_core_hello {
	struct safd_exec_header header;
	uint64_t round;		/* sender's count of configuration changes */
	int64_t time;		/* sender's clock, ns since the epoch */
	uint32_t flags;		/* SAFD_HELLO_* */
	uint32_t member_count;
	uint32_t prev_count;
	uint32_t reserved;
	char version[16];	/* sender's safd version, NUL-terminated */
};

/* One chunk of one service's state. Followed by `len` bytes, padded to 8. */
struct req_exec_core_sync_data {
	struct safd_exec_header header;
	uint64_t round;		/* the sender's hello round */
	uint32_t svc;		/* whose state */
	uint32_t len;		/* bytes in this chunk */
	uint64_t offset;	/* of this chunk in the service's state */
	uint64_t total;		/* size of the service's whole state */
};

struct req_exec_core_sync_end {
	struct safd_exec_header header;
	uint64_t round;
	uint64_t chunks;	/* sync_data messages sent in this round */
};

#define SAFD_SYNC_CHUNK (64 * 1024)

#endif /* SAFD_EXEC_H */
