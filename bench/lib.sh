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

# release_build ROOT [TARGET...]: ROOT/build-bench made or brought up to date
# as a release build (of TARGET only, when named); prints its path.
release_build() {
	local build=$1/build-bench
	shift
	if [[ -f $build/build.ninja ]]; then
		meson configure "$build" -Dbuildtype=release -Db_ndebug=true >/dev/null
	else
		meson setup "$build" -Dbuildtype=release -Db_ndebug=true >/dev/null
	fi
	ninja -C "$build" "$@" >/dev/null && echo "$build"
}

# received LOG...: how many reports the servers of these logs took in.
received() {
	local n=0 f
	for f in "$@"; do n=$((n + $(grep -c 'event="report-received"' "$f" || true))); done
	echo "$n"
}

# serve_on DIR LOG: starts `vertrouwd serve DIR` ($VD) on a free port with its
# log in LOG; prints "PID PORT" (nothing if it exited or said no port in 10 s).
serve_on() {
	local out
	out=$(mktemp)
	"$VD" serve "$1" --listen 127.0.0.1:0 >"$out" 2>"$2" &
	local pid=$! port=
	for _ in $(seq 100); do
		port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$out")
		[[ -n $port ]] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	rm -f "$out"
	[[ -n $port ]] && echo "$pid $port"
}

# report_script BASE LUA: one browser's pre-session cookie and form token
# (kept in REPORT_PRE, REPORT_CSRF, with the unit in REPORT_UNIT), and a
# complete report sent once to BASE/melden (it must give 200); LUA gets the
# wrk script that POSTs that report again and again.
report_script() {
	local base=$1 lua=$2 jar form csrf pre unit body status
	jar=$(mktemp)
	form=$(curl -s -c "$jar" "$base/melden")
	csrf=$(sed -n 's|.*name="csrf" value="\([^"]*\)".*|\1|p' <<<"$form" | head -1)
	pre=$(awk '$6 == "vd_pre" {print $7}' "$jar")
	unit=$(sed -n 's|.*<option value="\([0-9]*\)">.*Provincie Utrecht.*|\1|p' <<<"$form" | head -1)
	rm -f "$jar"
	REPORT_PRE=$pre REPORT_CSRF=$csrf REPORT_UNIT=$unit
	body="csrf=$csrf&unit=$unit&counsellor=&named=no&account=Tijdens+de+vergadering+werd+ik+steeds+onderbroken+en+uitgelachen.&when=maart&hopes=&location=meeting&relation=manager&reporter_type=member&behaviour=bullying&behaviour=exclusion"
	status=$(curl -s -o /dev/null -w '%{http_code}' -b "vd_pre=$pre" --data "$body" "$base/melden")
	[[ $status == 200 ]] || { echo "bench: a test submission gave $status" >&2; return 1; }
	cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "vd_pre=$pre"
LUA
}
