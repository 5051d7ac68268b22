/*
 * fuzz_cpg: CPG messages from the peers, through services/cpg.c's exec
 * gatekeeper into every exec handler and services/sync.c's hello, state
 * transfer and ACKs, with configuration changes and client requests in
 * between. Nodes 1, 2 and 3 are members at the start (node 1 is local).
 * Input: records as in daemon.h, every op.
 */
#include "config.h"

#include "daemon.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_daemon_init(FUZZ_THREE);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_daemon_run(data, size, FUZZ_OP_COUNT);
	return 0;
}
