#!/bin/bash
# single.sh: one node; safctl status works in human and JSON form, the node is
# quorate and the only member; safd stops cleanly on SIGTERM, safctl then
# fails; safd refuses to run without corosync.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

cluster_start 1 || fail "the node did not start"

out=$(node_exec 1 timeout 5 "$SAFCTL" status) || fail "safctl status failed"
[ -n "$out" ] || fail "safctl status printed nothing"
printf 'safctl status:\n%s\n' "$out"

st=$(safd_status 1) || fail "safctl status --json failed"
echo "safctl status --json: $st"
echo "$st" | jq -e 'type == "object"' >/dev/null || fail "not a JSON object: $st"
echo "$st" | jq -e '.local_nodeid == 1' >/dev/null || fail "local_nodeid is not 1"
echo "$st" | jq -e '.quorate == true' >/dev/null || fail "not quorate"
echo "$st" | jq -e '.synced == true' >/dev/null || fail "not synced"
echo "$st" | jq -e '[.nodes[] | select(.member == true)] | length == 1' >/dev/null ||
	fail "not exactly 1 member"
echo "$st" | jq -e '.nodes[] | select(.nodeid == 1) |
	.member == true and .corosync_member == true and .synced == true and
	(.version | type == "string" and length > 0)' >/dev/null ||
	fail "node 1's entry is wrong"
echo "$st" | jq -e '.events | type == "array"' >/dev/null || fail "no events array"

# A clean stop, then safctl must fail loudly.
node_stop_safd 1 || fail "safd did not exit cleanly on SIGTERM (exit $?)"
if err=$(node_exec 1 timeout 5 "$SAFCTL" status --json 2>&1 >/dev/null); then
	fail "safctl status --json succeeded without safd"
fi
[ -n "$err" ] || fail "safctl failed without a message on stderr"
echo "safctl without safd: $err"

# Without corosync, safd must exit non-zero with a message.
node_stop_corosync 1 || fail "cannot stop corosync"
nd=$(node_dir 1)
node_exec 1 timeout 10 env SAFD_STATE_DIR="$nd/safd-state" \
	"$SAFD" -f -l "$nd/safd-nocorosync.log" >"$nd/safd-nocorosync.out" 2>&1
rc=$?
[ "$rc" -ne 0 ] || fail "safd exited 0 without corosync"
[ "$rc" -ne 124 ] || fail "safd did not exit within 10 s without corosync"
[ "$rc" -lt 126 ] || fail "safd could not run or died of a signal (exit $rc): $(cat "$nd/safd-nocorosync.out")"
grep -qi corosync "$nd/safd-nocorosync.out" ||
	fail "safd exited $rc without corosync but did not say why: $(cat "$nd/safd-nocorosync.out")"
echo "safd without corosync (exit $rc): $(tail -n 3 "$nd/safd-nocorosync.out")"
echo "single: PASS"
