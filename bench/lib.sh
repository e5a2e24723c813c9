# bench/lib.sh: helpers shared by bench/run and bench/reports (sourced).

# latency_ms FILE: wrk --latency output -> "P50 P99" in milliseconds; a
# figure wrk did not print is 99999 (so that no target is met by a gap).
latency_ms() {
	awk 'function ms(v) {
		if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
		if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
		if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
		if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
		return v + 0
	}
	BEGIN { p50 = p99 = 99999 }
	/^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
	END { printf "%.2f %.2f\n", p50, p99 }' "$1"
}

# login_session BASE EMAIL PASSWORD JAR: logs in through the real form and
# prints the vd_session cookie's value (empty if the login failed).
login_session() {
	local base=$1 email=$2 password=$3 jar=$4 csrf
	csrf=$(curl -sS -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	[[ -n $csrf ]] || return 0
	curl -sS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "email=$email" \
		--data-urlencode "password=$password" "$base/login"
	awk '$6 == "vd_session" && $7 != "" { v = $7 } END { print v }' "$jar"
}
