#!/bin/bash
# lib-api.sh: the client library core against a real safd in a private
# one-node cluster (check_lib_core's live cases), then the same library when
# safd dies under open handles: a blocking dispatch returns, calls return
# SA_AIS_ERR_LIBRARY (2), finalize still works, and a new initialize fails
# within a second with SA_AIS_ERR_TRY_AGAIN (6).
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

cluster_start 1 || fail "the node did not start"
node_exec 1 env SAFD_TEST_LIVE=1 "$TESTS_BINDIR/check_lib_core" ||
	fail "check_lib_core failed against a live safd"

coproc PROBE { node_exec 1 "$TESTS_BINDIR/lib_probe"; }
read -r -t 10 line <&"${PROBE[0]}" || fail "lib_probe did not start"
[ "$line" = ready ] || fail "lib_probe said '$line'"
node_kill_safd 1 || fail "cannot kill safd"
echo go >&"${PROBE[1]}"
read -r -t 15 result <&"${PROBE[0]}" || fail "lib_probe did not report"
echo "after safd was killed: $result"
case "$result" in
"blocking=2 dispatch=2 finalize=1 reinit=6 "*) ;;
*) fail "unexpected results after safd died: $result" ;;
esac
ms=${result##*ms=}
[ "$ms" -lt 1000 ] || fail "initialize took $ms ms with safd down"
echo "lib-api: PASS"
