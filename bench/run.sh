#!/bin/sh
# make bench: requests/s of the requests a phone repeats most — FolderSync
# and Sync of a folder with the current key, nothing changed — next to bare
# nginx `return 200`, on the same nginx, with wrk on loopback. This VM's
# speed drifts by up to 2x within seconds (other tenants), so the three
# loads alternate in short rounds and each ratio is taken within a round;
# the median of the rounds is the figure, min and max show the spread.
# Then: Service::Handle alone (no nginx, no network) for the same Sync, and
# the initial sync of 10,000 contacts, and a new device's sync of 10 live
# contacts in a folder with 10,000 deleted against one that only had the 10.
# Then mail: delivery by eas-deliver next to Dovecot's dovecot-lda and LMTP
# (bench/mail_deliver.pl) with the store size per raw byte, and a new
# device's initial Inbox sync, with and without FilterType
# (bench/mail_sync.pl). Then SendMail to a local user and to the SMTP relay
# next to bare nginx (bench/mail_send.pl). Then mailbox Search over
# BENCH_SEARCH_MESSAGES delivered messages next to Dovecot's IMAP SEARCH
# TEXT over the same messages, with indexing rate and index size
# (bench/mail_search.pl).
# BENCH_PARTS picks some of: http contacts delivery mailsync send search
# (default all).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
parts=" ${BENCH_PARTS:-http contacts delivery mailsync send search} "
want() { case "$parts" in *" $1 "*) return 0 ;; esac; return 1; }
rounds=${BENCH_ROUNDS:-15}
round_seconds=${BENCH_ROUND_SECONDS:-1}
connections=${BENCH_CONNECTIONS:-50}
dir=$(mktemp -d /tmp/eas-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sink_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap 'kill -QUIT $(cat "$dir/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$dir"' EXIT

# With two or more cores, nginx's worker and wrk each get their own, so the
# ratio compares what a request costs the server, not who wins the CPU.
affinity=""
load="wrk"
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    affinity="worker_cpu_affinity 01;"
    load="taskset -c 1 wrk"
fi
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root root;"
# nginx serving the module and easctl of build directory $2 from prefix $1
# (its own store) on port $3; $4: more http-level directives.
serve() {
    mkdir -p "$1/tmp" "$1/store"
    cat > "$1/nginx.conf" <<CONF
load_module $2/ngx_http_eas_module.so;
$user_line
worker_processes 1;
$affinity
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path $1/tmp;
    access_log off;
    eas_store $1/store;
    ${4:-}
    server {
        listen 127.0.0.1:$3;
        location /Microsoft-Server-ActiveSync { eas on; }
        location /bare { return 200; }
    }
}
CONF
    for u in bench hist fresh; do "$2/easctl" --store "$1/store" user add $u --password bench >/dev/null; done
    /usr/sbin/nginx -p "$1" -c "$1/nginx.conf"
    sleep 0.5
}

post() {  # post BODY_FILE URL OUT_FILE
    curl -s -u bench:bench -H 'MS-ASProtocolVersion: 14.1' -H 'Content-Type: application/vnd.ms-sync.wbxml' \
        --data-binary @"$1" "$2" -o "$3"
}
sync_key() { wbxml2xml -l ACTIVESYNC -m 0 -o - "$1" 2>/dev/null | sed -n 's/.*<SyncKey>\([^<]*\)<.*/\1/p'; }
# wrk script $1 posting the WBXML in $2.
lua() {
    cat > "$1" <<LUA
local f = io.open("$2", "rb")
wbxml = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = wbxml
wrk.headers["Authorization"] = "Basic YmVuY2g6YmVuY2g="
wrk.headers["MS-ASProtocolVersion"] = "14.1"
wrk.headers["Content-Type"] = "application/vnd.ms-sync.wbxml"
LUA
}
fs() {
    printf '<?xml version="1.0"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n<FolderSync xmlns="FolderHierarchy:"><SyncKey>%s</SyncKey></FolderSync>\n' "$1" > "$dir/fs.xml"
    xml2wbxml -a -n -o "$2" "$dir/fs.xml" >/dev/null 2>&1 || { echo "xml2wbxml failed" >&2; exit 1; }
}
sx() {
    printf '<?xml version="1.0"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>%s</SyncKey><CollectionId>%s</CollectionId>%s</Collection></Collections></Sync>\n' "$1" "$2" "$3" > "$dir/s.xml"
    xml2wbxml -a -n -o "$4" "$dir/s.xml" >/dev/null 2>&1 || { echo "xml2wbxml failed" >&2; exit 1; }
}
# Brings device BENCH1 of the server on port $1 to its current FolderSync
# and Contacts Sync keys: $2.fs.wbxml / $2.sync.wbxml are the no-change
# requests, $2.fs.lua / $2.sync.lua the wrk scripts posting them.
prime() {
    url="http://127.0.0.1:$1/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=bench&DeviceId=BENCH1&DeviceType=iPhone"
    surl="http://127.0.0.1:$1/Microsoft-Server-ActiveSync?Cmd=Sync&User=bench&DeviceId=BENCH1&DeviceType=iPhone"
    fs 0 "$2.fs.wbxml"
    post "$2.fs.wbxml" "$url" "$dir/resp.wbxml"
    fs "$(sync_key "$dir/resp.wbxml")" "$2.fs.wbxml"
    contacts=$(wbxml2xml -l ACTIVESYNC -m 0 -o - "$dir/resp.wbxml" 2>/dev/null | sed -n 's/.*<ServerId>\([0-9]*\)<\/ServerId><ParentId>0<\/ParentId><DisplayName>Contacts<.*/\1/p')
    sx 0 "$contacts" "" "$2.sync.wbxml"
    post "$2.sync.wbxml" "$surl" "$dir/sresp.wbxml"
    sx "$(sync_key "$dir/sresp.wbxml")" "$contacts" "<GetChanges/>" "$2.sync.wbxml"
    lua "$2.fs.lua" "$2.fs.wbxml"
    lua "$2.sync.lua" "$2.sync.wbxml"
}

serve "$dir" "$top/build" "$port" "eas_smtp_relay 127.0.0.1:$sink_port retry=1s;"
if want http; then
prime "$port" "$dir/new"
# BENCH_BASELINE=DIR (a build directory of another commit, e.g. a git
# worktree's build/): its no-change Sync joins the rounds, from a second
# nginx on the same core, so old and new are compared in one run.
if [ -n "${BENCH_BASELINE:-}" ]; then
    base_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$dir/base"
    trap 'kill -QUIT $(cat "$dir/nginx.pid" "$dir/base/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$dir"' EXIT
    serve "$dir/base" "$(cd "$BENCH_BASELINE" && pwd)" "$base_port"
    prime "$base_port" "$dir/base"
    base_surl="http://127.0.0.1:$base_port/Microsoft-Server-ActiveSync?Cmd=Sync&User=bench&DeviceId=BENCH1&DeviceType=iPhone"
fi
url="http://127.0.0.1:$port/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=bench&DeviceId=BENCH1&DeviceType=iPhone"
surl="http://127.0.0.1:$port/Microsoft-Server-ActiveSync?Cmd=Sync&User=bench&DeviceId=BENCH1&DeviceType=iPhone"

worker=$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)
# One round of one load: "requests:worker CPU ticks" (user+system, all threads).
round() {
    w=$worker
    [ "$1" = base ] && { w=$base_worker; shift; }
    before=$(awk '{print $14 + $15}' "/proc/$w/stat")
    done_=$($load -t1 -c"$connections" -d"${round_seconds}s" "$@" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
    after=$(awk '{print $14 + $15}' "/proc/$w/stat")
    echo "$done_:$((after - before))"
}
base_worker=""
[ -n "${BENCH_BASELINE:-}" ] && base_worker=$(pgrep -P "$(cat "$dir/base/nginx.pid")" | head -1)
base_round() {
    [ -n "${BENCH_BASELINE:-}" ] || return 0
    echo "/$(round base -s "$dir/base.sync.lua" "$base_surl")"
}
round "http://127.0.0.1:$port/bare" >/dev/null                 # warm-up
round -s "$dir/new.fs.lua" "$url" >/dev/null
round -s "$dir/new.sync.lua" "$surl" >/dev/null
base_round >/dev/null
results=""
i=0
while [ "$i" -lt "$rounds" ]; do
    results="$results $(round "http://127.0.0.1:$port/bare")/$(round -s "$dir/new.fs.lua" "$url")/$(round -s "$dir/new.sync.lua" "$surl")$(base_round)"
    i=$((i + 1))
done

echo "one nginx worker${affinity:+ on core 0}, $load -t1 -c$connections, $rounds rounds of ${round_seconds}s per load, alternating"
python3 - "$round_seconds" "$(getconf CLK_TCK)" $results <<'PY'
import statistics, sys
seconds, tick = float(sys.argv[1]), float(sys.argv[2])
names = ["bare nginx 'return 200'", "FolderSync, current SyncKey (no change)",
         "Sync of Contacts, current SyncKey (no change)",
         "Sync of Contacts (no change), BENCH_BASELINE build"]
rounds = [[tuple(map(int, load.split(":"))) for load in r.split("/")] for r in sys.argv[3:]]
loads = len(rounds[0])
for k, name in enumerate(names[:loads]):
    rps = [r[k][0] / seconds for r in rounds]
    cpu = [r[k][1] / tick * 1e6 / r[k][0] for r in rounds if r[k][0]]
    print("%-46s %9.0f req/s median (%.0f..%.0f), worker CPU %.1f us/request" %
          (name, statistics.median(rps), min(rps), max(rps), statistics.median(cpu)))
for k in range(1, loads):
    ratios = sorted(100.0 * r[k][0] / r[0][0] for r in rounds if r[0][0])
    label = names[k].split(",")[0] + (" (baseline)" if k == 3 else "") + " / bare nginx"
    print("%-46s %9.1f %% median (%.1f..%.1f)" % (label, statistics.median(ratios), ratios[0], ratios[-1]))
if loads == 4:
    ratios = sorted(r[2][0] / r[3][0] for r in rounds if r[3][0])
    print("%-46s %9.2f x median (%.2f..%.2f)" % ("no-change Sync, this build / baseline",
          statistics.median(ratios), ratios[0], ratios[-1]))
PY

# The same Sync through Service::Handle alone: what is ours of a request.
# libeas.a's mail code (ItemOperations decodes parts) needs GMime and libxml2.
mail_libs=$(pkg-config --libs gmime-3.0 libxml-2.0)
g++ -std=c++20 -O2 -I"$top" $(pkg-config --cflags libwbxml2) "$top/bench/handle_loop.cpp" \
    "$top/build/libeas.a" -lwbxml2 -llmdb -lical -lcrypto -lpthread $mail_libs -o "$dir/handle_loop"
kill -QUIT "$(cat "$dir/nginx.pid")"
while kill -0 "$(cat "$dir/nginx.pid" 2>/dev/null)" 2>/dev/null; do sleep 0.1; done
ns=$(${affinity:+taskset -c 0} "$dir/handle_loop" "$dir/store" "$dir/new.sync.wbxml" "${surl#*\?}" bench bench)
printf '%-46s %9s ns per call (best of 5 x 100,000, one core)\n' "Service::Handle alone, the same Sync" "$ns"
/usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
sleep 0.5
echo
fi

if want contacts; then
"$top/bench/initial_sync.pl" "http://127.0.0.1:$port/Microsoft-Server-ActiveSync" \
    "$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)" "${BENCH_ITEMS:-10000}"
echo
"$top/bench/history_sync.pl" "http://127.0.0.1:$port/Microsoft-Server-ActiveSync" \
    "$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)" "${BENCH_HISTORY:-10000}" "${BENCH_HISTORY_ROUNDS:-300}"
echo
fi

if want delivery; then
"$top/bench/mail_deliver.pl" "$top/build" "$dir/deliver"
echo
fi

if want mailsync; then
# The loader of mail with given received times (eas-deliver's delivery code).
g++ -std=c++20 -O2 -I"$top" $(pkg-config --cflags gmime-3.0 libxml-2.0 libwbxml2) "$top/bench/mail_seed.cpp" \
    "$top/build/libeas.a" -lwbxml2 -llmdb -lical -lcrypto -lpthread $(pkg-config --libs gmime-3.0 libxml-2.0) \
    -o "$dir/mail_seed"
"$top/bench/mail_sync.pl" "http://127.0.0.1:$port/Microsoft-Server-ActiveSync" \
    "$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)" "$dir/store" "$dir/mail_seed" "$top/build/easctl"
fi
if want send; then
echo
"$top/bench/mail_send.pl" "http://127.0.0.1:$port/Microsoft-Server-ActiveSync" "http://127.0.0.1:$port/bare" \
    "$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)" "$top/build/easctl" "$dir/store" "$sink_port"
fi
if want search; then
echo
"$top/bench/mail_search.pl" "$top/build" "$dir/search"
fi
if grep -E '\[(alert|crit|emerg)\]' "$dir/error.log"; then exit 1; fi
