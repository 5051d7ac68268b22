#!/bin/bash
# msg-join.sh: scenario (f).  A node joining later receives the queues, their
# messages and the groups before it serves clients.  Nodes 1 and 2 run; a
# persistent queue with messages at several priorities, a closed queue with
# retention and a group are made; node 3 then starts and its very first
# answers must equal node 1's (closeTime included).  Then node 3's safd is
# killed, more messages are sent, and a client on node 3 that waits for the
# restarting safd must get the new state in its first answer.  Finally the
# messages are read on node 3, in priority order.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-180}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

P=join-persistent
R=join-retained
G=join-group
cluster_start 3 1 2 || fail "nodes 1 and 2 did not start"
msg_tool 1 create "$P" --persistent --area 65536 >/dev/null || fail "cannot create $P"
msg_tool 1 send "$P" 5 --from 1 --prio 0 >/dev/null || fail "send to $P failed"
msg_tool 2 send "$P" 3 --from 6 --prio 2 --size 100 >/dev/null || fail "send to $P failed"
msg_tool 1 create "$R" --retention 120000 --area 4096 >/dev/null || fail "cannot create $R"
msg_tool 2 send "$R" 2 --from 100 --prio 3 >/dev/null || fail "send to $R failed"
msg_tool 1 group "$G" create rr >/dev/null || fail "cannot create $G"
msg_tool 1 group "$G" insert "$P" >/dev/null || fail "cannot insert $P"
msg_tool 2 group "$G" insert "$R" >/dev/null || fail "cannot insert $R"

p1=$(msg_tool 1 status "$P") || fail "status $P on node 1: $p1"
r1=$(msg_tool 1 status "$R") || fail "status $R on node 1: $r1"
g1=$(msg_tool 1 group "$G" members) || fail "members of $G on node 1: $g1"
echo "node 1: $p1"
echo "node 1: $r1"
echo "node 1: $g1"
case "$p1" in *" msgs=5,0,3,0") ;; *) fail "unexpected status on node 1: $p1" ;; esac
case "$r1" in *" close_time=0 "*) fail "$R is not closed: $r1" ;; esac

t0=$(harness_now_ms)
node_start 3 || fail "node 3 did not start"
join_ms=$(( $(harness_now_ms) - t0 ))
echo "node 3 joined and synced in $join_ms ms"
p3=$(msg_tool 3 status "$P")
r3=$(msg_tool 3 status "$R")
g3=$(msg_tool 3 group "$G" members)
[ "$p3" = "$p1" ] || fail "node 3 has another $P: '$p3' vs '$p1'"
[ "$r3" = "$r1" ] || fail "node 3 has another $R: '$r3' vs '$r1'"
[ "$g3" = "$g1" ] || fail "node 3 has another $G: '$g3' vs '$g1'"
echo "node 3: the same queues, messages, closeTime and group as node 1"

# A safd restarting on node 3: clients waiting for it get the current state.
node_kill_safd 3 || fail "cannot kill safd on node 3"
msg_tool 1 send "$P" 4 --from 9 --prio 1 >/dev/null || fail "send to $P failed"
p1=$(msg_tool 1 status "$P")
case "$p1" in *" msgs=5,4,3,0") ;; *) fail "unexpected status on node 1: $p1" ;; esac
msg_tool_bg 3 "$MSG_DIR/probe.out" status "$P" --wait-init 40
probe=$MSG_BG_PID
node_start_safd 3 || fail "safd on node 3 did not restart"
msg_wait_exit "$probe" 45 || fail "the waiting client on node 3 got no answer"
pp=$(msg_result "$MSG_DIR/probe.out" status)
echo "node 3, first answer after its safd restarted: $pp"
[ "$pp" = "$p1" ] || fail "node 3 served a client before it had the state: '$pp' vs '$p1'"

# The messages themselves, in priority order, on the joined node.
msg_tool 3 recv "$P" --no-create --count 12 --drain 500 --log "$MSG_DIR/recv.log" \
	--timeout 30 >"$MSG_DIR/recv.out" 2>&1 || fail "reading $P on node 3 failed: $(cat "$MSG_DIR/recv.out")"
order=$(tr '\n' ' ' <"$MSG_DIR/recv.log")
echo "read on node 3: $order"
tally=$("$MSG_TOOL" tally "$MSG_DIR/recv.log" --from 1 --count 12)
echo "msg-join: messages=12 lost=$(msg_field "$tally" missing) duplicates=$(msg_field "$tally" duplicates) join_ms=$join_ms"
[ "$order" = "1 2 3 4 5 9 10 11 12 6 7 8 " ] ||
	fail "node 3 delivered '$order', expected priority then FIFO order '1 2 3 4 5 9 10 11 12 6 7 8'"
echo "msg-join: PASS"
