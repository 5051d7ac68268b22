#!/bin/bash
# access.sh: who may talk to safd (--ipc-allow, --admin-allow), on one node.
# Next to the harness's safd (default lists: root may do everything) the
# test starts more safds on the same node with their own IPC prefix and
# process group, each with other lists, and checks as root:
#   refused   --ipc-allow without root: safctl and saMsgInitialize get
#             SA_AIS_ERR_ACCESS; safd logs the uid
#             and pid of each refusal; nothing else is affected.
#   no admin  --admin-allow without root: safctl status works, safctl amf
#             lock gets SA_AIS_ERR_ACCESS and says why; safd logs it.
#   groups    --ipc-allow @0 (root's group, by gid) lets root in.
#   bad lists safd exits 2 with a message naming the option.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

: "${TESTS_BINDIR:=${top_builddir:-$HARNESS_LIB/../..}/tests}"
MSG_TOOL=$TESTS_BINDIR/msg_tool
AIS_ERR_ACCESS=11

cluster_start 1 || fail "the node did not start"

# alt NAME ARGS...: another safd on node 1 (IPC prefix and CPG group NAME).
alt() {
	local name=$1 nd
	shift
	nd=$(node_dir 1)
	mkdir -p "$nd/$name-state"
	_node_spawn 1 "$name" env SAFD_STATE_DIR="$nd/$name-state" "$SAFD" -f \
		-l "$nd/$name.log" --ipc-prefix "$name" --cpg-group "$name" "$@"
}

alt_log() { cat "$(node_dir 1)/$1.log" 2>/dev/null; }
alt_serving() { alt_log "$1" | grep -q "serving clients"; }

# ------------------------------------------------------------------ refused
alt noroot --ipc-allow 4242,@4243
wait_until 20 alt_serving noroot || fail "safd noroot did not start: $(alt_log noroot)"
out=$(node_exec 1 "$SAFCTL" -p noroot status 2>&1) && fail "safctl was let in: $out"
grep -q "SA_AIS_ERR_ACCESS" <<<"$out" && grep -q -- "--ipc-allow" <<<"$out" ||
	fail "safctl does not say it was refused and why: $out"
out=$(node_exec 1 env SAFD_IPC_PREFIX=noroot "$MSG_TOOL" status q --wait-init 1 2>&1)
grep -Eq "error=$AIS_ERR_ACCESS\b" <<<"$out" ||
	fail "saMsgInitialize did not answer SA_AIS_ERR_ACCESS: $out"
n=$(alt_log noroot | grep -Ec "refused a connection from uid 0 gid 0 pid [0-9]+: not in --ipc-allow \(4242,@4243\)")
[ "$n" -ge 2 ] || fail "safd logged $n refusals naming uid, gid and pid, want 2 or more: $(alt_log noroot | tail -n 20)"
node_exec 1 "$SAFCTL" status >/dev/null || fail "the node's own safd stopped answering root"
echo "access: a client outside --ipc-allow is refused with SA_AIS_ERR_ACCESS, logged with uid and pid"

# ----------------------------------------------------------------- no admin
alt noadmin --admin-allow @4243
wait_until 20 alt_serving noadmin || fail "safd noadmin did not start: $(alt_log noadmin)"
node_exec 1 "$SAFCTL" -p noadmin status >/dev/null || fail "safctl status refused without admin"
out=$(node_exec 1 "$SAFCTL" -p noadmin amf lock safSu=x 2>&1) && fail "an admin operation was let in: $out"
grep -q "SA_AIS_ERR_ACCESS" <<<"$out" && grep -q "admin permission" <<<"$out" ||
	fail "safctl amf lock does not say the admin permission is missing: $out"
alt_log noadmin | grep -Eq "refused request 9 of pid [0-9]+: admin operations need --admin-allow \(@4243\)" ||
	fail "safd did not log the refused admin operation: $(alt_log noadmin | tail -n 20)"
echo "access: without --admin-allow an admin operation gets SA_AIS_ERR_ACCESS; status still works"

# ------------------------------------------------------------------- groups
alt bygroup --ipc-allow @0 --admin-allow @0
wait_until 20 alt_serving bygroup || fail "safd bygroup did not start: $(alt_log bygroup)"
node_exec 1 "$SAFCTL" -p bygroup status >/dev/null || fail "root (group 0) was refused by --ipc-allow @0"
echo "access: a group in the list lets its members in"

# ---------------------------------------------------------------- bad lists
bad() {
	local out rc
	out=$(node_exec 1 timeout 10 "$SAFD" -f --ipc-prefix bad --cpg-group bad "$@" 2>&1)
	rc=$?
	[ "$rc" = 2 ] || fail "safd $*: exit status $rc, want 2 ($out)"
	grep -q -- "$BAD_WANT" <<<"$out" || fail "safd $*: '$out' does not say '$BAD_WANT'"
}
BAD_WANT="--ipc-allow: no user named 'nosuchuser'" bad --ipc-allow root,nosuchuser
BAD_WANT="--admin-allow: no group named 'nosuchgroup'" bad --admin-allow @nosuchgroup
BAD_WANT="not a comma-separated list" bad --ipc-allow root,,@0
BAD_WANT="not a comma-separated list" bad --ipc-allow ""
BAD_WANT="empty group" bad --ipc-allow @
echo "access: bad lists are refused at start, naming the option"
echo "access: PASS"
