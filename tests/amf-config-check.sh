#!/bin/bash
# amf-config-check.sh: `safctl config check FILE [--json]` prints "FILE: ok
# (summary)" and exits 0 for a good file; prints each error as FILE:LINE:
# message and exits 1 for a bad one; --json prints one object with the same
# facts. `safd -c` refuses the same bad file with exit 2 and logs the model
# summary for a good one. Needs no cluster.
set -u
: "${SAFCTL:?set SAFCTL to the safctl binary}"
: "${SAFD:?set SAFD to the safd binary}"
: "${top_srcdir:?set top_srcdir}"
export SAFD_SCHEMA="$top_srcdir/amf/schema/safd.rng"
good="$top_srcdir/samples/csa104/csa104.xml"
bad="$top_srcdir/tests/amf-config/bad-refs.xml"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
passed=0

# check DESC CONDITION-EXIT-STATUS [OUTPUT]
check() {
	if [ "$2" -eq 0 ]; then
		echo "ok   $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1"
		[ $# -gt 2 ] && printf '%s\n' "$3" | sed 's/^/     /'
		failures=$((failures + 1))
	fi
}

# A good file: exit 0, one line on stdout, nothing on stderr.
out=$("$SAFCTL" config check "$good" 2>"$dir/err"); rc=$?
[ "$rc" -eq 0 ] && [ "$out" = "$good: ok (1 application, 1 SG, 2 SUs, 2 components, 1 SI, 1 CSI, 1 node)" ] &&
	[ ! -s "$dir/err" ]
check "good file: exit 0 and the summary" $? "exit $rc: $out $(cat "$dir/err")"

# A bad file: exit 1, errors as FILE:LINE: message on stderr, in line order.
out=$("$SAFCTL" config check "$bad" 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 1 ] &&
	grep -qxF "$bad:10: su 's1': node 'n9' is not defined in <cluster>" <<<"$out" &&
	grep -qxF "$bad:24: si 'lonely': app 'empty' has no SG to protect it" <<<"$out" &&
	[ "$(wc -l <<<"$out")" -eq 11 ] &&
	[ "$(cut -d: -f2 <<<"$out" | sort -n | tr '\n' ' ')" = "$(cut -d: -f2 <<<"$out" | tr '\n' ' ')" ]
check "bad file: exit 1, 11 errors with file:line in order" $? "exit $rc: $out"

# Options may come before or after the command.
"$SAFCTL" --json config check "$good" >"$dir/a.json"; rc1=$?
"$SAFCTL" config check "$good" --json >"$dir/b.json"; rc2=$?
[ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ] && cmp -s "$dir/a.json" "$dir/b.json"
check "--json before or after the command" $?

if command -v jq >/dev/null; then
	jq -e '.ok == true and .errors == [] and .summary == {"nodes":1,"applications":1,
		"sgs":1,"sus":2,"components":2,"sis":1,"csis":1}' "$dir/a.json" >/dev/null
	check "--json good file: ok, no errors, counts" $? "$(cat "$dir/a.json")"
	"$SAFCTL" config check "$bad" --json >"$dir/bad.json"; rc=$?
	[ "$rc" -eq 1 ] && jq -e --arg f "$bad" '.ok == false and .summary == null and
		(.errors | length) == 11 and (.errors | all(.file == $f)) and
		.errors[0] == {"file":$f,"line":10,
			"message":"su '"'s1'"': node '"'n9'"' is not defined in <cluster>"}' \
		"$dir/bad.json" >/dev/null
	check "--json bad file: exit 1, errors with file, line, message" $? \
		"exit $rc: $(cat "$dir/bad.json")"
	"$SAFCTL" config check "$dir/none.xml" --json >"$dir/none.json"; rc=$?
	[ "$rc" -eq 1 ] && jq -e '.ok == false and .errors[0].line == null and
		(.errors[0].message | startswith("cannot read"))' "$dir/none.json" >/dev/null
	check "--json missing file: line null" $? "exit $rc: $(cat "$dir/none.json")"
	# Messages quote what the file says: JSON stays valid whatever it is.
	printf '<safd>\n<app name="a&quot;\\b"/>\n</safd>\n' >"$dir/quote.xml"
	"$SAFCTL" config check "$dir/quote.xml" --json >"$dir/quote.json"
	jq -e '.errors[0].message | contains("a\"\\b")' "$dir/quote.json" >/dev/null
	check "--json escapes quotes and backslashes" $? "$(cat "$dir/quote.json")"
else
	echo "SKIP --json checks: jq is not installed"
fi

# Usage errors exit 2.
"$SAFCTL" config check >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]
check "missing FILE: exit 2" $? "exit $rc"
"$SAFCTL" config check a b >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]
check "two FILEs: exit 2" $? "exit $rc"
"$SAFCTL" --help | grep -q "config check FILE"
check "--help lists config check" $?

# safd -c: the same bad file stops it with exit 2 and the same messages.
out=$(timeout 10 "$SAFD" -f --state-dir "$dir" -c "$bad" 2>&1); rc=$?
[ "$rc" -eq 2 ] && grep -qF "$bad:10: su 's1': node 'n9' is not defined in <cluster>" <<<"$out"
check "safd -c bad file: exit 2 with file:line" $? "exit $rc: $out"

# safd -c good file: the summary is logged before safd goes on to corosync
# (which it may not find here; its own IPC names keep it apart from others).
timeout 3 "$SAFD" -f --state-dir "$dir" --ipc-prefix "amfcfg$$" -c "$good" >"$dir/safd.log" 2>&1
grep -qF "$good: loaded model: 1 application, 1 SG, 2 SUs, 2 components, 1 SI, 1 CSI, 1 node" \
	"$dir/safd.log"
check "safd -c good file: logs the model summary" $? "$(head -n 5 "$dir/safd.log")"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
