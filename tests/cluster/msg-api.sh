#!/bin/bash
# msg-api.sh: the Message Service API against a real safd in a private
# one-node cluster: runs the live cases of every check_msg_* program
# (SAFD_TEST_LIVE=1), then checks safd survived them and still answers.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-240}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

bindir=${TESTS_BINDIR:-${top_builddir:-$HARNESS_LIB/../..}/tests}
cluster_start 1 || fail "the node did not start"

failed=()
for p in check_msg_args check_msg_queue check_msg_message check_msg_reply \
	check_msg_group check_msg_b01; do
	[ -x "$bindir/$p" ] || { echo "ERROR: $bindir/$p is not built" >&2; exit 99; }
	t0=$(harness_now_ms)
	node_exec 1 timeout -k 5 200 env SAFD_TEST_LIVE=1 "$bindir/$p"
	rc=$?
	echo "$p: exit $rc after $(( $(harness_now_ms) - t0 )) ms"
	[ "$rc" -eq 0 ] || failed+=("$p")
	safd_status 1 >/dev/null || fail "safd on node 1 stopped answering during $p"
done
[ ${#failed[@]} -eq 0 ] || fail "failed against a live safd: ${failed[*]}"
echo "msg-api: PASS"
