#!/bin/sh
# make bench: requests/s of FolderSync with the current key (the request a
# phone repeats most) next to bare nginx `return 200`, measured in the same
# run on the same nginx, with wrk on loopback. Prints the ratio.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
duration=${BENCH_SECONDS:-10}
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

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
$load -t1 -c"$connections" -d2s "http://127.0.0.1:$port/bare" >/dev/null          # warm-up
$load -t1 -c"$connections" -d2s -s "$dir/post.lua" "$url" >/dev/null
bare=$($load -t1 -c"$connections" -d"${duration}s" "http://127.0.0.1:$port/bare" | rps)
eas=$($load -t1 -c"$connections" -d"${duration}s" -s "$dir/post.lua" "$url" | rps)
sync=$($load -t1 -c"$connections" -d"${duration}s" -s "$dir/sync.lua" "$surl" | rps)

echo "one nginx worker${affinity:+ on core 0}, $load -t1 -c$connections -d${duration}s on loopback"
printf '%-45s %12s req/s\n' "bare nginx 'return 200'" "$bare"
printf '%-45s %12s req/s\n' "FolderSync, current SyncKey (no change)" "$eas"
printf '%-45s %12s req/s\n' "Sync of Contacts, current SyncKey (no change)" "$sync"
python3 -c "print('%-45s %12.1f %%' % ('FolderSync / bare nginx', 100.0 * $eas / $bare))"
python3 -c "print('%-45s %12.1f %%' % ('no-change Sync / bare nginx', 100.0 * $sync / $bare))"
echo
"$top/bench/initial_sync.pl" "http://127.0.0.1:$port/Microsoft-Server-ActiveSync" \
    "$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)" "${BENCH_ITEMS:-10000}"
if grep -E '\[(alert|crit|emerg)\]' "$dir/error.log"; then exit 1; fi
