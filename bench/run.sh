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
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${BENCH_ROUNDS:-15}
round_seconds=${BENCH_ROUND_SECONDS:-1}
connections=${BENCH_CONNECTIONS:-50}
dir=$(mktemp -d /tmp/eas-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap 'kill -QUIT $(cat "$dir/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$dir"' EXIT

mkdir -p "$dir/tmp" "$dir/store"

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
cat > "$dir/nginx.conf" <<CONF
load_module $top/build/ngx_http_eas_module.so;
$user_line
worker_processes 1;
$affinity
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path $dir/tmp;
    access_log off;
    eas_store $dir/store;
    server {
        listen 127.0.0.1:$port;
        location /Microsoft-Server-ActiveSync { eas on; }
        location /bare { return 200; }
    }
}
CONF

"$top/build/easctl" --store "$dir/store" user add bench --password bench >/dev/null
for u in hist fresh; do "$top/build/easctl" --store "$dir/store" user add $u --password bench >/dev/null; done
/usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
sleep 0.5

url="http://127.0.0.1:$port/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=bench&DeviceId=BENCH1&DeviceType=iPhone"
fs() {
    printf '<?xml version="1.0"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n<FolderSync xmlns="FolderHierarchy:"><SyncKey>%s</SyncKey></FolderSync>\n' "$1" > "$dir/fs.xml"
    xml2wbxml -a -n -o "$dir/fs.wbxml" "$dir/fs.xml" >/dev/null
}
fs 0
curl -s -u bench:bench -H 'MS-ASProtocolVersion: 14.1' -H 'Content-Type: application/vnd.ms-sync.wbxml' \
    --data-binary @"$dir/fs.wbxml" "$url" -o "$dir/resp.wbxml"
key=$(wbxml2xml -l ACTIVESYNC -m 0 -o - "$dir/resp.wbxml" 2>/dev/null | sed -n 's/.*<SyncKey>\([^<]*\)<.*/\1/p')
fs "$key"

cat > "$dir/post.lua" <<LUA
local f = io.open("$dir/fs.wbxml", "rb")
wbxml = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = wbxml
wrk.headers["Authorization"] = "Basic YmVuY2g6YmVuY2g="
wrk.headers["MS-ASProtocolVersion"] = "14.1"
wrk.headers["Content-Type"] = "application/vnd.ms-sync.wbxml"
LUA

# No-change Sync of a contacts folder (after its initial sync).
sx() {
    printf '<?xml version="1.0"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>%s</SyncKey><CollectionId>%s</CollectionId>%s</Collection></Collections></Sync>\n' "$1" "$2" "$3" > "$dir/s.xml"
    xml2wbxml -a -n -o "$dir/s.wbxml" "$dir/s.xml" >/dev/null
}
contacts=$(wbxml2xml -l ACTIVESYNC -m 0 -o - "$dir/resp.wbxml" 2>/dev/null | sed -n 's/.*<ServerId>\([0-9]*\)<\/ServerId><ParentId>0<\/ParentId><DisplayName>Contacts<.*/\1/p')
surl="http://127.0.0.1:$port/Microsoft-Server-ActiveSync?Cmd=Sync&User=bench&DeviceId=BENCH1&DeviceType=iPhone"
sx 0 "$contacts" ""
curl -s -u bench:bench -H 'MS-ASProtocolVersion: 14.1' -H 'Content-Type: application/vnd.ms-sync.wbxml' \
    --data-binary @"$dir/s.wbxml" "$surl" -o "$dir/sresp.wbxml"
skey=$(wbxml2xml -l ACTIVESYNC -m 0 -o - "$dir/sresp.wbxml" 2>/dev/null | sed -n 's/.*<SyncKey>\([^<]*\)<.*/\1/p')
sx "$skey" "$contacts" "<GetChanges/>"
sed -e "s|$dir/fs.wbxml|$dir/s.wbxml|" "$dir/post.lua" > "$dir/sync.lua"

worker=$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)
# One round of one load: "requests:worker CPU ticks" (user+system, all threads).
round() {
    before=$(awk '{print $14 + $15}' "/proc/$worker/stat")
    done_=$($load -t1 -c"$connections" -d"${round_seconds}s" "$@" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
    after=$(awk '{print $14 + $15}' "/proc/$worker/stat")
    echo "$done_:$((after - before))"
}
round "http://127.0.0.1:$port/bare" >/dev/null                 # warm-up
round -s "$dir/post.lua" "$url" >/dev/null
round -s "$dir/sync.lua" "$surl" >/dev/null
results=""
i=0
while [ "$i" -lt "$rounds" ]; do
    results="$results $(round "http://127.0.0.1:$port/bare")/$(round -s "$dir/post.lua" "$url")/$(round -s "$dir/sync.lua" "$surl")"
    i=$((i + 1))
done

echo "one nginx worker${affinity:+ on core 0}, $load -t1 -c$connections, $rounds rounds of ${round_seconds}s per load, alternating"
python3 - "$round_seconds" "$(getconf CLK_TCK)" $results <<'PY'
import statistics, sys
seconds, tick = float(sys.argv[1]), float(sys.argv[2])
names = ["bare nginx 'return 200'", "FolderSync, current SyncKey (no change)",
         "Sync of Contacts, current SyncKey (no change)"]
rounds = [[tuple(map(int, load.split(":"))) for load in r.split("/")] for r in sys.argv[3:]]
for k, name in enumerate(names):
    rps = [r[k][0] / seconds for r in rounds]
    cpu = [r[k][1] / tick * 1e6 / r[k][0] for r in rounds if r[k][0]]
    print("%-46s %9.0f req/s median (%.0f..%.0f), worker CPU %.1f us/request" %
          (name, statistics.median(rps), min(rps), max(rps), statistics.median(cpu)))
for k in (1, 2):
    ratios = sorted(100.0 * r[k][0] / r[0][0] for r in rounds if r[0][0])
    print("%-46s %9.1f %% median (%.1f..%.1f)" %
          (names[k].split(",")[0] + " / bare nginx", statistics.median(ratios), ratios[0], ratios[-1]))
PY

# The same Sync through Service::Handle alone: what is ours of a request.
g++ -std=c++20 -O2 -I"$top" $(pkg-config --cflags libwbxml2) "$top/bench/handle_loop.cpp" \
    "$top/build/libeas.a" -lwbxml2 -llmdb -lical -lcrypto -lpthread -o "$dir/handle_loop"
kill -QUIT "$(cat "$dir/nginx.pid")"
while kill -0 "$(cat "$dir/nginx.pid" 2>/dev/null)" 2>/dev/null; do sleep 0.1; done
ns=$(${affinity:+taskset -c 0} "$dir/handle_loop" "$dir/store" "$dir/s.wbxml" "${surl#*\?}" bench bench)
printf '%-46s %9s ns per call (best of 5 x 100,000, one core)\n' "Service::Handle alone, the same Sync" "$ns"
/usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
sleep 0.5
echo
"$top/bench/initial_sync.pl" "http://127.0.0.1:$port/Microsoft-Server-ActiveSync" \
    "$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)" "${BENCH_ITEMS:-10000}"
echo
"$top/bench/history_sync.pl" "http://127.0.0.1:$port/Microsoft-Server-ActiveSync" \
    "$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)" "${BENCH_HISTORY:-10000}" "${BENCH_HISTORY_ROUNDS:-300}"
if grep -E '\[(alert|crit|emerg)\]' "$dir/error.log"; then exit 1; fi
