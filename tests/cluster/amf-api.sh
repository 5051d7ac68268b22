#!/bin/bash
# amf-api.sh: libSaAmf against a real safd in a private one-node cluster:
# check_amf's live cases (SAFD_TEST_LIVE=1) with safd running
# amf-tests/amf-api.xml, then safd must still answer and every component of
# the model must be back (AMF restarts those whose registering test process
# ended).
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

[ -x "$TESTS_BINDIR/check_amf" ] || { echo "ERROR: $TESTS_BINDIR/check_amf is not built" >&2; exit 99; }
amf_config amf-api.xml || fail "amf-api.xml does not check"
cluster_start 1 || fail "the node did not start"
amf_wait 10 1 '[.sgs[].sus[].comps[] | select(.presence == "instantiating" and .pid > 0)] | length == 4' \
	"AMF started the four components of amf-api.xml (none registers itself)"

t0=$(harness_now_ms)
node_exec 1 timeout -k 5 120 env SAFD_TEST_LIVE=1 "$TESTS_BINDIR/check_amf"
rc=$?
echo "check_amf (live): exit $rc after $(( $(harness_now_ms) - t0 )) ms"
[ "$rc" -eq 0 ] || fail "check_amf failed against a live safd (exit $rc)"

amf_status 1 >/dev/null || fail "safd stopped answering during check_amf"
# A component stays registered only as long as the process that registered
# it: c1, c2 and c3 were registered by test processes that ended (c2 also
# unregistered), so AMF restarted them (the standard counts this as an
# error); c4 was never registered and still runs its first process.
amf_wait 15 1 '[comp("c1", "c2", "c3") | select(.restarts >= 1 and .pid > 0 and
		(.presence == "restarting" or .presence == "instantiating"))] | length == 3' \
	"c1, c2 and c3 restarted after their registering processes ended"
amf_expect 1 'comp("c4") | .restarts == 0 and .presence == "instantiating"' \
	"c4 was never registered and was left alone"
echo "amf-api: PASS"
