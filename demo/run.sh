#!/bin/sh
# Sets up the demo under .run/ (store, user demo/demo, nginx.conf) and runs
# nginx in the foreground. Called by `make run`; Ctrl-C stops it.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8080}
run="$top/.run"
easctl="$top/build/easctl"

mkdir -p "$run/tmp" "$run/store"

# As root, nginx would switch its workers to "nobody", who cannot reach a
# checkout under /root; the demo keeps the invoking user instead.
user_line=""
if [ "$(id -u)" = 0 ]; then
    user_line="user root root;"
fi

sed -e "s|@MODULE@|$top/build/ngx_http_eas_module.so|" \
    -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|" -e "s|@USER@|$user_line|" \
    "$top/demo/nginx.conf.in" > "$run/nginx.conf"

if ! "$easctl" --store "$run/store" user list | grep -q '^demo '; then
    "$easctl" --store "$run/store" user add demo --password demo \
        --email demo@example.org --display-name "Demo User" >/dev/null
fi

/usr/sbin/nginx -t -q -p "$run" -c "$run/nginx.conf"

cat <<INFO

  eas for nginx is running at http://127.0.0.1:$port/Microsoft-Server-ActiveSync
  user: demo   password: demo   store: $run/store

  Try it:
    curl -u demo:demo -X OPTIONS -i http://127.0.0.1:$port/Microsoft-Server-ActiveSync

  On a phone (Settings > Mail > Add Account > Exchange): e-mail demo@example.org,
  server = this machine's host name behind an HTTPS nginx (see README.md),
  user name demo, password demo.
  Manage users while it runs:  build/easctl --store .run/store user list
  Phones are asked to accept a policy (a passcode of 4+ characters) first;
  devices:  build/easctl --store .run/store device list [--pending]

  Ctrl-C stops it.

INFO

exec /usr/sbin/nginx -p "$run" -c "$run/nginx.conf" -g 'daemon off;'
