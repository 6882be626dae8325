#!/bin/sh
# Sets up the demo under .run/ (store, user demo/demo, nginx.conf) and runs
# nginx in the foreground. Called by `make run`; Ctrl-C stops it.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8080}
lmtp_port=${LMTP_PORT:-2424}
autodiscover_port=${AUTODISCOVER_PORT:-8081}
# Debian's stream module (libnginx-mod-stream), which ours needs loaded first
stream_module=${NGINX_STREAM_MODULE:-/usr/lib/nginx/modules/ngx_stream_module.so}
run="$top/.run"
easctl="$top/build/easctl"

mkdir -p "$run/tmp" "$run/store"

# As root, nginx would switch its workers to "nobody", who cannot reach a
# checkout under /root; the demo keeps the invoking user instead.
user_line=""
if [ "$(id -u)" = 0 ]; then
    user_line="user root root;"
fi

# Requests show on the terminal; when standard output is a file this user
# may not reopen (a redirect made by another user), they go to a file.
access_log=/dev/stdout
[ -w /dev/stdout ] || access_log="$run/access.log"

sed -e "s|@MODULE@|$top/build/ngx_http_eas_module.so|" -e "s|@ACCESS_LOG@|$access_log|" \
    -e "s|@STREAM_MODULE@|$stream_module|" -e "s|@LMTP_MODULE@|$top/build/ngx_stream_eas_module.so|" \
    -e "s|@LMTP_PORT@|$lmtp_port|g" \
    -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" -e "s|@AUTODISCOVER_PORT@|$autodiscover_port|" -e "s|@USER@|$user_line|" \
    "$top/demo/nginx.conf.in" > "$run/nginx.conf"

ctl() { "$easctl" --store "$run/store" "$@"; }

# The id of USER's folder NAME (from folder list --json).
folder_id() {
    ctl folder list --user "$1" --json |
        sed -n "s/.*\"id\": \"\([0-9]*\)\", \"type\": \"[0-9]*\", \"kind\": \"[a-z]*\", \"name\": \"$2\".*/\1/p"
}

# A new demo store gets users and data to look at: demo's address books
# (Contacts, Friends) and a calendar with recurring events, and a second
# user, colleague, who shares the calendar "Team" with demo read-only.
if ! ctl user list | grep -q '^demo '; then
    data="$top/demo/data"
    ctl user add demo --password demo \
        --email demo@example.org --display-name "Demo User" >/dev/null
    ctl user add colleague --password colleague \
        --email colleague@example.org --display-name "Colleague" >/dev/null
    ctl import --user demo --folder "$(folder_id demo Contacts)" "$data/contacts.vcf" >/dev/null
    ctl folder add --user demo --type contacts Friends >/dev/null
    ctl import --user demo --folder "$(folder_id demo Friends)" "$data/friends.vcf" >/dev/null
    ctl import --user demo --folder "$(folder_id demo Calendar)" "$data/calendar.ics" >/dev/null
    ctl folder add --user colleague --type calendar Team >/dev/null
    team=$(folder_id colleague Team)
    ctl import --user colleague --folder "$team" "$data/team.ics" >/dev/null
    ctl share "$team" --with demo --read-only >/dev/null
fi

# The demo mailbox (once per store, also for a store made before mail came):
# plain, HTML-only, alternative, attachments, an inline image, Latin-1, an
# invitation and a thread, delivered as Postfix would, through eas-deliver.
if [ ! -e "$run/demo-mail-delivered" ]; then
    for message in "$top"/demo/data/mail/*.eml; do
        folder=INBOX
        case $message in *thread-2.eml) folder="Sent Items" ;; esac
        "$top/build/eas-deliver" --store "$run/store" -d demo -m "$folder" < "$message"
    done
    touch "$run/demo-mail-delivered"
fi

/usr/sbin/nginx -t -q -p "$run" -c "$run/nginx.conf"

cat <<INFO

  eas for nginx is running at http://127.0.0.1:$port/Microsoft-Server-ActiveSync
  user: demo   password: demo   store: $run/store
  (and colleague/colleague, who shares the calendar "Team" with demo)
  demo's Inbox holds a few messages. Send one in by LMTP (nginx listens on
  127.0.0.1:$lmtp_port, as Postfix would deliver with
  virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port):
    printf 'Subject: Hello by LMTP\r\nDate: %s\r\n\r\nIt works.\r\n' "\$(date -R)" | python3 -c "import smtplib, sys; print(smtplib.LMTP('127.0.0.1', $lmtp_port).sendmail('me@example.org', ['demo'], sys.stdin.buffer.read()) or 'delivered')"
  (or any .eml file on stdin; a message handed over twice is stored once),
  or through eas-deliver:
    build/eas-deliver --store .run/store -d demo < message.eml

  Try it:
    curl -u demo:demo -X OPTIONS -i http://127.0.0.1:$port/Microsoft-Server-ActiveSync

  Autodiscover answers on port $autodiscover_port:
    curl 'http://127.0.0.1:$autodiscover_port/autodiscover/autodiscover.json?Email=demo@example.org&Protocol=ActiveSync'
    curl -u demo:demo -H 'Content-Type: text/xml' --data '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006"><Request><EMailAddress>demo@example.org</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006</AcceptableResponseSchema></Request></Autodiscover>' http://127.0.0.1:$autodiscover_port/autodiscover/autodiscover.xml
    curl -u demo:demo 'http://127.0.0.1:$autodiscover_port/email.mobileconfig?email=demo@example.org'

  On a phone (Settings > Mail > Add Account > Exchange): e-mail demo@example.org,
  server = this machine's host name behind an HTTPS nginx (see README.md),
  user name demo, password demo.
  Manage users while it runs:  build/easctl --store .run/store user list
  Phones are asked to accept a policy (a passcode of 4+ characters) first;
  devices:  build/easctl --store .run/store device list [--pending]

  Ctrl-C stops it.

INFO

exec /usr/sbin/nginx -p "$run" -c "$run/nginx.conf" -g 'daemon off;'
