/*
 * The fuzz daemon: safd's services (adm, msg, amf), its IPC gatekeeper
 * (services/ipc.c), its exec gatekeeper (services/cpg.c) and its state sync
 * (services/sync.c), unchanged, in one process with libFuzzer, around fakes
 * of what would touch the outside: libqb's IPC server, libcpg, the main
 * loop (timers run on a virtual clock), quorum and fork() (see daemon.c).
 *
 * An input is a sequence of records, each
 *     uint8_t op; uint8_t arg; uint16_t len (little endian); [len bytes]
 * where only REQ, REQ_RAW, EXEC and EXEC_RAW carry the len bytes (a record
 * cut short by the end of the input gets what is left). The ops:
 *
 *   REQ       send the bytes as a request on connection `arg`, with the
 *             header's size set to len (the connection is opened first,
 *             with a hello, if it is not open)
 *   REQ_RAW   the same, the header as it is
 *   CLOSE     the client of connection `arg` goes away
 *   TIME      the virtual clock moves len milliseconds; due timers fire
 *   QUORUM    the partition is quorate if arg & 1
 *   CONGEST   corosync refuses the next arg sends (CS_ERR_TRY_AGAIN)
 *   EXEC      deliver the bytes as a CPG message from node arg % 4 + 1
 *             (ignored unless that node is a member other than node 1),
 *             the exec header's size and version set (fuzz_cpg only)
 *   EXEC_RAW  the same, the header as it is (fuzz_cpg only)
 *   CONFCHG   CPG configuration change: node 1 and the nodes 2..4 whose
 *             bit (1 << (n - 2)) is set in arg are members (fuzz_cpg only)
 *
 * The op is op % (number of ops of the target). Connection `arg`: service
 * (arg & 3: 0 adm, 1 and 3 msg, 2 amf), slot (arg >> 2) & 7; the two slots
 * 2k and 2k+1 belong to one client process and session, 2k is the main
 * (event) connection; bit 0x20 opens it as a user without the admin
 * permission, bit 0x40 as a user not allowed at all (refused), bit 0x80
 * without a hello.
 *
 * After every record the CPG messages it caused are delivered (the local
 * node's own sends come back to it, as from corosync). After the input every
 * connection is closed and the cluster goes back to its starting state:
 * node 1 alone with the state a new cluster has (fuzz_ipc), or nodes 1, 2
 * and 3 (fuzz_cpg), so that each input runs on the same state.
 *
 * Findings beyond ASan and UBSan: a response or event whose header does not
 * match its length or that exceeds the IPC buffer, a storm of CPG messages
 * or timers that does not end, abort().
 */
#ifndef SAFD_FUZZ_DAEMON_H
#define SAFD_FUZZ_DAEMON_H

#include <stddef.h>
#include <stdint.h>

enum fuzz_op {
	FUZZ_OP_REQ,
	FUZZ_OP_REQ_RAW,
	FUZZ_OP_CLOSE,
	FUZZ_OP_TIME,
	FUZZ_OP_QUORUM,
	FUZZ_OP_CONGEST,
	FUZZ_OP_IPC_COUNT,	/* fuzz_ipc: the ops before this one */
	FUZZ_OP_EXEC = FUZZ_OP_IPC_COUNT,
	FUZZ_OP_EXEC_RAW,
	FUZZ_OP_CONFCHG,
	FUZZ_OP_COUNT
};

enum fuzz_cluster {
	FUZZ_SINGLE,		/* fuzz_ipc: node 1 alone */
	FUZZ_THREE		/* fuzz_cpg: nodes 1, 2, 3; node 1 was the source */
};

/* Loads the model ($FUZZ_MODEL or tests/fuzz/model.xml), starts the
 * services and brings the cluster to its starting state. $FUZZ_LOG=1 logs
 * at debug level to stderr (for reading a reproducer). */
void fuzz_daemon_init(enum fuzz_cluster cluster);

/* Runs one input (op numbers wrap at n_ops), then resets. */
void fuzz_daemon_run(const uint8_t *data, size_t size, unsigned n_ops);
/* The two halves of fuzz_daemon_run(), for seeds.c. */
void fuzz_daemon_play(const uint8_t *data, size_t size, unsigned n_ops);
void fuzz_daemon_reset(void);

/* Seeds (seeds.c): $FUZZ_WRITE_SEEDS=DIR writes DIR/fuzz_ipc/ and
 * DIR/fuzz_cpg/ and exits. The CPG seeds are the messages the IPC seeds
 * made node 1 send, replayed as node 2's, and a few sync rounds. */
void fuzz_seeds_write(const char *dir);

/* While set (seeds.c), every message node 1 sends is passed to this. */
extern void (*fuzz_capture_fn)(const void *msg, size_t len);

#endif /* SAFD_FUZZ_DAEMON_H */
