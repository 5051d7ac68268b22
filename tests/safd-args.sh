#!/bin/bash
# safd-args.sh: safd refuses bad command lines and bad configuration files
# before it touches corosync: exit status 2 and a message naming the file
# and line. Needs no cluster.
set -u
: "${SAFD:?set SAFD to the safd binary}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
passed=0

# expect_fail DESC PATTERN ARGS...: safd ARGS exits 2 and prints PATTERN.
expect_fail() {
	local desc=$1 pattern=$2 rc out
	shift 2
	out=$(timeout 10 "$SAFD" -f --state-dir "$dir" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 2 ] || ! grep -qE -- "$pattern" <<<"$out"; then
		echo "FAIL $desc: exit $rc, output: $out"
		failures=$((failures + 1))
	else
		echo "ok   $desc: $(grep -E -- "$pattern" <<<"$out" | head -n 1)"
		passed=$((passed + 1))
	fi
}

printf '<safd>\n  <amf>\n</safd>\n' >"$dir/unclosed.xml"
printf '<?xml version="1.0"?>\n<cluster/>\n' >"$dir/wrong-root.xml"
printf '\n\n\nnot xml at all\n' >"$dir/text.xml"
: >"$dir/empty.xml"

expect_fail "unclosed element" "unclosed.xml:3:" -c "$dir/unclosed.xml"
expect_fail "wrong root element" "wrong-root.xml:2: the root element must be <safd>" \
	-c "$dir/wrong-root.xml"
expect_fail "not XML" "text.xml:4:" -c "$dir/text.xml"
expect_fail "empty file" "empty.xml" -c "$dir/empty.xml"
expect_fail "missing file" "no-such-file.xml: cannot read" -c "$dir/no-such-file.xml"
expect_fail "unknown option" "Usage: safd" --no-such-option
expect_fail "stray argument" "unexpected argument 'extra'" extra
expect_fail "ipc prefix with a slash" "ipc-prefix" --ipc-prefix a/b
expect_fail "empty ipc prefix" "ipc-prefix" --ipc-prefix ""
SAFD_CONFIG="$dir/wrong-root.xml" expect_fail "config from SAFD_CONFIG" "wrong-root.xml:2:"

# The journal: options, a directory that cannot be one, a damaged journal.
expect_fail "journal-sync" "--journal-sync takes yes or no, not 'maybe'" --journal-sync maybe
expect_fail "journal-size too small" "--journal-size takes a size from 1M to 1024G" \
	--journal-size 1000
expect_fail "journal-size too large" "--journal-size takes a size" --journal-size 2000G
expect_fail "journal-size unit" "--journal-size takes a size" --journal-size 5X
expect_fail "empty journal" "--journal needs a directory" --journal ""
: >"$dir/a-file"
expect_fail "journal on a file" "journal directory $dir/a-file: Not a directory" \
	--journal "$dir/a-file"
expect_fail "journal in a missing directory" "journal directory $dir/no/such: No such file" \
	--journal "$dir/no/such"
mkdir "$dir/damaged" && head -c 65536 /dev/urandom >"$dir/damaged/data.mdb"
expect_fail "damaged journal" "journal $dir/damaged: cannot open it: " --journal "$dir/damaged"
SAFD_JOURNAL_SIZE=1 expect_fail "journal size from SAFD_JOURNAL_SIZE" \
	"--journal-size takes a size from 1M to 1024G .*not '1'"

if out=$("$SAFD" --version) && [[ "$out" =~ ^safd\ [0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	passed=$((passed + 1))
else
	echo "FAIL --version printed '$out'"; failures=$((failures + 1))
fi
if "$SAFD" --help | grep -q -- "--config FILE"; then
	passed=$((passed + 1))
else
	echo "FAIL --help lacks --config"; failures=$((failures + 1))
fi

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
