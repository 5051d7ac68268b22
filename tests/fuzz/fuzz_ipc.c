/*
 * fuzz_ipc: client requests, through services/ipc.c's gatekeeper into the
 * handlers of every service (adm, msg, amf), on node 1 alone and synced.
 * Input: records as in daemon.h, ops REQ, REQ_RAW, CLOSE, TIME, QUORUM,
 * CONGEST. $FUZZ_WRITE_SEEDS=DIR writes the seeds of fuzz_ipc and fuzz_cpg
 * (seeds.c) and exits.
 */
#include "config.h"

#include <stdlib.h>

#include "daemon.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("FUZZ_WRITE_SEEDS");

	fuzz_daemon_init(FUZZ_SINGLE);
	if (seeds != NULL && seeds[0] != '\0') {
		fuzz_seeds_write(seeds);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_daemon_run(data, size, FUZZ_OP_IPC_COUNT);
	return 0;
}
