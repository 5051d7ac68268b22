#!/bin/bash
# The demo: a private single-node cluster, shown with safctl. Runs inside
# its own user, network and mount namespaces (tests/harness); nothing on the
# machine is touched and everything stops when it ends.
top=$(cd "$(dirname "$0")/.." && pwd)
: "${SAFD:=$top/build/services/safd}"
: "${SAFCTL:=$top/build/tools/safctl}"
export SAFD SAFCTL
. "$top/tests/harness/cluster.sh"
harness_enter "$@"

cluster_start 1 || fail "the cluster did not start"
echo
echo "$ safctl status"
node_exec 1 "$SAFCTL" status
echo
echo "$ safctl status --json"
node_exec 1 "$SAFCTL" status --json
echo
echo "demo: the node formed a cluster, is quorate and serves clients."
