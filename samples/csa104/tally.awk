# tally.awk: count what csa104 sent and received, from the components' logs.
#
#   awk -f tally.awk [-v limits="FILE=LINES ..."] csa104CompI0.log csa104CompI1.log
#
# Reads the output of csa104 or csa104-seed (any number of log files, each
# possibly written by several processes one after the other) and prints one
# line:
#
#   sent S received R lost L duplicates D late X
#
#   sent        sends that returned SA_AIS_OK: a "Sending Message: TEXT" line
#               not followed, in the same process (file and pid), by a
#               "saMsgMessageSend ... failed" line before its next send
#   received    of those, how many were received (a "Received Message  : TEXT"
#               line in any file); a message received twice counts once
#   lost        sent - received
#   duplicates  receptions beyond the first of a sent message
#   late        receptions of messages whose send is not counted (sent after
#               the cut-off, see limits)
#
# A message is known by its text, "Msg N from NAME". N restarts at 1 in each
# new sender process, so the same text can be sent more than once: texts are
# counted as multisets (sent k times, received j times: min(k, j) received,
# k - min lost).
#
# limits: the cut-off. For each FILE listed (the name as given on the command
# line), only "Sending" lines within its first LINES lines count as sends;
# their outcome and the receptions are read from the whole file. The demo
# takes the cut-off before it stops the cluster, so that a message sent in
# the last instant, which nobody was left to receive, does not count as lost.
#
# Plain POSIX awk (mawk, gawk, busybox).

BEGIN {
	n = split(limits, parts, " ")
	for (i = 1; i <= n; i++) {
		eq = index(parts[i], "=")
		if (eq > 0)
			limit[substr(parts[i], 1, eq - 1)] = substr(parts[i], eq + 1) + 0
	}
	nsend = 0
}

# The pid in the line's prefix: "(NAME.PID : ".
function line_pid(    s) {
	if (!match($0, /\.[0-9]+ : /))
		return "?"
	s = substr($0, RSTART + 1, RLENGTH - 4)
	return s
}

function after(marker,    p, s) {
	p = index($0, marker)
	s = substr($0, p + length(marker))
	sub(/[ \r]+$/, "", s)
	return s
}

/Sending Message: / {
	id = FILENAME ":" line_pid()
	nsend++
	send_text[nsend] = after("Sending Message: ")
	send_ok[nsend] = 1
	send_in[nsend] = !(FILENAME in limit) || FNR <= limit[FILENAME]
	last_send[id] = nsend
	next
}

/saMsgMessageSend.* failed/ {
	id = FILENAME ":" line_pid()
	if (id in last_send)
		send_ok[last_send[id]] = 0
	next
}

/Received Message  : / {
	recv[after("Received Message  : ")]++
	next
}

END {
	sent = 0
	for (i = 1; i <= nsend; i++) {
		if (send_ok[i] && send_in[i]) {
			want[send_text[i]]++
			sent++
		}
	}
	received = 0
	lost = 0
	dup = 0
	late = 0
	for (t in want) {
		got = (t in recv) ? recv[t] : 0
		if (got >= want[t]) {
			received += want[t]
			dup += got - want[t]
		} else {
			received += got
			lost += want[t] - got
		}
	}
	for (t in recv)
		if (!(t in want))
			late += recv[t]
	printf "sent %d received %d lost %d duplicates %d late %d\n", sent, received, lost, dup, late
}
