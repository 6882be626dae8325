package EasTest;

# A small harness for the integration tests: writes an nginx.conf into a
# temporary directory, starts a real nginx (two workers, loopback port) with
# the built module, talks WBXML encoded by libwbxml's own xml2wbxml (an
# encoder independent of ours), decodes answers with wbxml2xml, checks them
# against Microsoft's schemas with eas-validate, and fails the test file if
# error.log holds alert, crit or emerg lines. Core Perl modules only.

use strict;
use warnings;
use feature 'state';

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use HTTP::Tiny;
use IO::Select;
use IO::Socket::INET;
use Digest::MD5;
use MIME::Base64 qw(encode_base64);
use POSIX ();
use Test::More;
use Time::HiRes qw(sleep time);

our $TOP = abs_path(dirname(__FILE__) . '/../..');
our $SHARED = $ENV{EAS_SHARED} || abs_path("$TOP/../shared");
our $NGINX = $ENV{NGINX} || '/usr/sbin/nginx';
# The build the tests run: build/, or build-san/ under `make test SAN=1`.
our $BUILD = "$TOP/" . ($ENV{EAS_BUILD} || 'build');
# Under SAN=1 (EAS_SAN) the modules and tools carry ASan+UBSan, nginx does
# not: its runtime must be loaded first (nginx_command). Every sanitized
# process of this test file (nginx's workers, easctl, eas-deliver) writes
# its report to a file in one directory: stop() fails on those found so
# far, and the file's exit status on any found after the last stop().
# The tools are checked for leaks too; nginx is not (its processes exit
# without freeing the cycle, which lives as long as they do).
our $SAN = $ENV{EAS_SAN} ? 1 : 0;
our ($SAN_REPORTS, $NGINX_ASAN_OPTIONS);
if ($SAN) {
    $SAN_REPORTS = tempdir('eas-san-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{EAS_KEEP});
    chmod 01777, $SAN_REPORTS;  # eas-deliver may run as www-data (t/24)
    # GCC links UBSan's runtime apart from ASan's, and only ASan's honours
    # log_path (UBSan's own text goes to stderr: error.log for a worker,
    # the output for a tool). So UBSan aborts, and ASan reports that abort
    # with its stack into the file. Each runtime resets the other's
    # log_path at start: both name it.
    my $common = "handle_abort=1:log_path=$SAN_REPORTS/report";
    $ENV{ASAN_OPTIONS} = "detect_leaks=1:$common";
    $NGINX_ASAN_OPTIONS = "detect_leaks=0:$common";
    $ENV{UBSAN_OPTIONS} = "print_stacktrace=1:abort_on_error=1:log_path=$SAN_REPORTS/report";
}
# Debian's stream module (libnginx-mod-stream), which ours needs loaded first.
our $STREAM_MODULE = $ENV{NGINX_STREAM_MODULE} || '/usr/lib/nginx/modules/ngx_stream_module.so';

sub new {
    my ($class, %opt) = @_;
    my $self = bless {
        dir      => tempdir('eas-test-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{EAS_KEEP}),
        location => $opt{location} // "eas on;\n",
        http     => $opt{http} // '',
        server   => $opt{server} // '',
        # main: directives of nginx's main context (e.g. `env NAME=value;`)
        main     => $opt{main} // '',
        # LMTP: with `lmtp`, a stream block with Debian's stream module and
        # ours, one server on its own port; `lmtp_server` replaces that
        # server's directives (default: eas_lmtp on and this test's store),
        # `stream` adds directives to the stream block.
        lmtp     => $opt{lmtp} // 0,
        lmtp_server => $opt{lmtp_server},
        stream   => $opt{stream} // '',
        device   => 'TESTDEVICE1',
        type     => 'iPhone',
        version  => '14.1',
    }, $class;
    $self->{port} = free_port();
    $self->{lmtp_port} = free_port() if $self->{lmtp};
    $self->{store} = "$self->{dir}/store";
    mkdir "$self->{dir}/$_" for qw(tmp store cores);
    return $self;
}

sub dir { $_[0]{dir} }
sub port { $_[0]{port} }
sub lmtp_port { $_[0]{lmtp_port} }
sub store { $_[0]{store} }
sub url { "http://127.0.0.1:$_[0]{port}/Microsoft-Server-ActiveSync" }

# The command line start of an nginx that can load this build's modules:
# under SAN=1 with the ASan runtime preloaded (it must come before every
# instrumented library), for `nginx -t` as for a start. libstdc++ comes
# with it: ASan finds the real __cxa_throw when it starts, and nginx
# alone does not link libstdc++ (without it, the first C++ exception,
# e.g. a bad eas_device_rule regex, is a CHECK failure instead).
sub nginx_command {
    return $NGINX unless $SAN;
    state $preload = join ' ', map { chomp(my $path = `g++ -print-file-name=$_`); $path } qw(libasan.so libstdc++.so);
    return "LD_PRELOAD='$preload' ASAN_OPTIONS=$NGINX_ASAN_OPTIONS $NGINX";
}

# The sanitizer reports written since the last call, each with its text
# (the files are then marked seen, so no report is counted twice).
sub new_sanitizer_reports {
    return () unless $SAN;
    my @reports;
    for my $file (sort glob "$SAN_REPORTS/report.*") {
        next if $file =~ /\.seen$/;
        push @reports, "$file:\n" . read_file($file);
        rename $file, "$file.seen";
    }
    return @reports;
}

END {
    settle_checks();
    my @late = new_sanitizer_reports();
    if (@late) {
        diag("sanitizer report after the last nginx stop:\n" . join "\n", @late);
        $? ||= 1;
    }
}

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Listen => 1, ReuseAddr => 1) or die "socket: $!";
    my $port = $s->sockport;
    close $s;
    return $port;
}

# Runs build/easctl on this test's store; returns (exit code, output).
sub easctl {
    my ($self, @args) = @_;
    # quotemeta('') is nothing at all: an empty argument needs its quotes.
    my $cmd = join ' ', map { length ? quotemeta : "''" } "$BUILD/easctl", '--store', $self->{store}, @args;
    my $out = `$cmd 2>&1`;
    return ($? >> 8, $out);
}

sub add_user {
    my ($self, $name, $password, @emails) = @_;
    my ($rc, $out) = $self->easctl('user', 'add', $name, '--password', $password,
                                   map { ('--email', $_) } @emails);
    $self->remember_credentials($name, $password);
    die "easctl user add $name: $out" if $rc;
}

sub write_conf {
    my ($self) = @_;
    my $d = $self->{dir};
    my $user = $> == 0 ? 'user root root;' : '';
    my ($stream_modules, $stream) = ('', '');
    if ($self->{lmtp}) {
        $stream_modules = "load_module $STREAM_MODULE;\nload_module $BUILD/ngx_stream_eas_module.so;\n";
        my $server = $self->{lmtp_server} // "eas_lmtp on;\n        eas_store $self->{store};";
        $stream = <<"STREAM";
stream {
    $self->{stream}
    server {
        listen 127.0.0.1:$self->{lmtp_port};
        $server
    }
}
STREAM
    }
    open my $fh, '>', "$d/nginx.conf" or die $!;
    print $fh <<"CONF";
load_module $BUILD/ngx_http_eas_module.so;
$stream_modules$user
$self->{main}
worker_processes 2;
working_directory $d/cores;
worker_rlimit_core 2g;
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 1024; }
http {
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    log_format eas '\$eas_cmd|\$eas_user|\$eas_device_id|\$eas_device_type|\$eas_protocol_version|\$status';
    access_log $d/access.log eas;
    eas_store $self->{store};
    $self->{http}
    server {
        listen 127.0.0.1:$self->{port};
        $self->{server}
        location /Microsoft-Server-ActiveSync {
            $self->{location}
        }
    }
}
$stream
CONF
    close $fh;
}

# `nginx -t` on the written config: (exit code, output).
sub check_conf {
    my ($self) = @_;
    $self->write_conf;
    my $out = `${\nginx_command()} -t -p $self->{dir} -c $self->{dir}/nginx.conf 2>&1`;
    return ($? >> 8, $out);
}

sub start {
    my ($self) = @_;
    $self->write_conf;
    my $out = `${\nginx_command()} -p $self->{dir} -c $self->{dir}/nginx.conf 2>&1`;
    die "nginx did not start: $out" if $?;
    $self->{running} = 1;
    for (1 .. 100) {
        my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{port});
        if ($s) {
            $self->pid;  # remembered for DESTROY
            return $self;
        }
        sleep 0.05;
    }
    die "nginx is not listening on $self->{port}";
}

sub pid {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/nginx.pid" or return $self->{last_pid};
    my $pid = <$fh>;
    chomp $pid;
    $self->{last_pid} = $pid;  # DESTROY may run after the temp dir is gone
    return $pid;
}

sub reload {
    my ($self) = @_;
    $self->write_conf;
    kill 'HUP', $self->pid;
    sleep 1;
}

# Remembers what must never be written to a log (issue 16: no password,
# Authorization header or message body at any level): a password, its
# Basic credentials, or a body line of a message.
sub remember_secret {
    my ($self, $secret) = @_;
    $self->{secrets}{$secret} = 1 if defined $secret && length $secret >= 5;
}

sub remember_credentials {
    my ($self, $user, $password) = @_;
    $self->remember_secret($password);
    $self->remember_secret(encode_base64("$user:$password", ''));
}

# The body lines of a message worth looking for: long enough not to be a
# common word, not a MIME part's header or boundary.
sub remember_body {
    my ($self, $message) = @_;
    my (undef, $body) = split /\r?\n\r?\n/, $message, 2;
    for my $line (split /\r?\n/, $body // '') {
        next if length $line < 20 || $line =~ /^--|^[\w-]+:\s/;
        $self->remember_secret($line);
    }
}

# The secrets remembered that occur in $text, each with its context.
sub leaked_secrets {
    my ($self, $text) = @_;
    my @found;
    for my $secret (sort keys %{ $self->{secrets} // {} }) {
        my $at = index $text, $secret;
        next if $at < 0;
        my $from = $at < 60 ? 0 : $at - 60;
        push @found, "\"$secret\" in: ..." . substr($text, $from, 200) . '...';
    }
    return @found;
}

# Stops nginx and checks its error log; `allow` => qr/.../ names the alert
# lines a test caused on purpose (a worker it killed). No log of this
# nginx may hold a password, credentials or a body line a test used.
sub stop {
    my ($self, %o) = @_;
    return unless $self->{running};
    settle_checks();
    my $pid = $self->pid;
    kill 'QUIT', $pid if $pid;
    for (1 .. 100) {
        last unless $pid && kill 0, $pid;
        sleep 0.05;
    }
    $self->{running} = 0;
    my $log = $self->error_log;
    my @bad = grep { /\[(alert|crit|emerg)\]/ && !($o{allow} && /$o{allow}/) } split /\n/, $log;
    ok(!@bad, 'error.log has no alert, crit or emerg lines')
        or diag(join "\n", @bad, $self->core_backtraces);
    my @leaks = map { my $f = $_; map { "$f: $_" } $self->leaked_secrets(read_file($f)) }
                glob "$self->{dir}/*.log";
    ok(!@leaks, 'no log holds a password, credentials or message body text')
        or diag(join "\n", @leaks);
    if ($SAN) {
        my @reports = new_sanitizer_reports();
        push @reports, grep { /runtime error:/ } split /\n/, $log;
        ok(!@reports, 'no sanitizer report from nginx or a tool') or diag(join "\n", @reports);
    }
    my @open = grep { ((stat $_)[2] // 0) & 07 } glob "$self->{store}/* $self->{store}/*/*";
    ok(!@open, 'no file of the store is open to other local users')
        or diag(join "\n", map { sprintf '%s %o', $_, (stat $_)[2] & 07777 } @open);
}

# Where a crashed worker was: the backtrace of each core file it left
# (nginx's working_directory above; the kernel writes "core" there when
# core_pattern is the default), by gdb if the machine has it. A core is
# read once, then removed.
sub core_backtraces {
    my ($self) = @_;
    my @traces;
    for my $core (glob "$self->{dir}/cores/core*") {
        push @traces, "backtrace of $core:";
        if (-x '/usr/bin/gdb') {
            my $out = `gdb -batch -nx -ex bt -ex 'thread apply all bt' $NGINX $core 2>&1`;
            # The crashed thread, then the others, but not nginx's idle
            # thread-pool threads (waiting for a task) or gdb's chatter.
            my ($crashed, @threads) = split /\n(?=Thread \d+ )/, $out;
            $crashed = join "\n", grep { !/^\[New LWP|^warning:|^\s*$/ } split /\n/, $crashed;
            push @traces, $crashed, grep { !/ngx_thread_cond_wait/ } @threads;
        } else {
            push @traces, '(no gdb on this machine: make test-deps installs it)';
        }
        unlink $core;
    }
    return @traces;
}

sub error_log {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/error.log" or return '';
    local $/;
    return <$fh>;
}

sub access_log {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/access.log" or return '';
    local $/;
    return <$fh>;
}

# A test that dies (or forgets stop) must not leave nginx running: it
# would hold the port, and any lock or file the test's parent held.
sub DESTROY {
    my ($self) = @_;
    if ($self->{running}) {
        my $pid = $self->pid;
        kill 'QUIT', $pid if $pid;
    }
}

# XML (inner document, namespaces included) → WBXML, by libwbxml's xml2wbxml.
sub wbxml {
    my ($self, $xml) = @_;
    my $d = $self->{dir};
    my $doc = qq{<?xml version="1.0" encoding="utf-8"?>\n}
            . qq{<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n}
            . $xml;
    # per process: tests fork clients that talk at the same time
    write_file("$d/req$$.xml", $doc);
    my $out = `xml2wbxml -a -n -o $d/req$$.wbxml $d/req$$.xml 2>&1`;
    die "xml2wbxml failed: $out\n$doc" if $?;
    return read_file("$d/req$$.wbxml");
}

# WBXML → XML text by libwbxml's wbxml2xml (compact).
sub xml {
    my ($self, $wbxml) = @_;
    return '' unless length $wbxml;
    my $d = $self->{dir};
    write_file("$d/resp$$.wbxml", $wbxml);
    my $out = `wbxml2xml -l ACTIVESYNC -m 0 -o $d/resp$$.xml $d/resp$$.wbxml 2>&1`;
    return "(wbxml2xml failed: $out)" if $?;
    return read_file("$d/resp$$.xml");
}

# Schema checks. eas-validate takes about half a second a call (it
# compiles every XSD each time), and the suite checks thousands of
# answers: most of its time. So an answer the tool found valid is
# remembered by its bytes, the command and a stamp of the tool and its
# schemas ($VALIDATE_CACHE, kept across runs: a changed tool or schema is
# a new stamp), and valid_ok runs the tool beside the test (at most
# $VALIDATE_AHEAD at once) and asserts its verdict at the next stop(),
# done_testing or the end of the file, whichever comes first.
our $VALIDATE_CACHE = $ENV{EAS_VALIDATE_CACHE} || "$BUILD/validate-cache";
our $VALIDATE_AHEAD = 2;
our $MAIN_PID = $$;  # forked clients check at once, and settle nothing
my @pending_checks;  # {name, xml, base, pid, known, at}, oldest first
my $check_serial = 0;

sub validator_stamp {
    state $stamp = do {
        my $ctx = Digest::MD5->new;
        $ctx->add(read_file("$SHARED/tools/eas-validate"));
        for my $xsd (sort glob(($ENV{EAS_SCHEMAS} || "$SHARED/eas-schemas") . '/*')) {
            $ctx->add($xsd, "\0", read_file($xsd));
        }
        $ctx->hexdigest;
    };
    return $stamp;
}

sub validation_cache_file {
    my ($cmd, $wbxml) = @_;
    return "$VALIDATE_CACHE/" . Digest::MD5::md5_hex(validator_stamp(), "\0$cmd\0", $wbxml);
}

sub remember_valid {
    my ($file, $out) = @_;
    mkdir $VALIDATE_CACHE;
    my $tmp = "$file.$$";
    write_file($tmp, $out);
    rename $tmp, $file or unlink $tmp;
}

# eas-validate COMMAND on a response body: (ok, messages).
sub validate {
    my ($self, $cmd, $wbxml) = @_;
    my $known = validation_cache_file($cmd, $wbxml);
    return (1, read_file($known)) if -e $known;
    my $d = $self->{dir};
    write_file("$d/validate$$.wbxml", $wbxml);
    my $out = `$SHARED/tools/eas-validate $cmd $d/validate$$.wbxml 2>&1`;
    my $ok = $? == 0;
    remember_valid($known, $out) if $ok;
    return ($ok, $out);
}

# Asserts the schema check, as a test of its own (see above: maybe later).
sub valid_ok {
    my ($self, $cmd, $res, $name) = @_;
    $name //= "$cmd response is valid against the MS-ASCMD schema";
    my $known = validation_cache_file($cmd, $res->{body});
    if (-e $known || $$ != $MAIN_PID) {
        my ($ok, $out) = $self->validate($cmd, $res->{body});
        ok($ok, $name) or diag($out . "\n" . $res->{xml});
        return;
    }
    settle_check(shift @pending_checks) while @pending_checks >= $VALIDATE_AHEAD;
    my $base = "$self->{dir}/check." . ++$check_serial;
    write_file("$base.wbxml", $res->{body});
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        # The verdict goes to files: a test that reaps its own children
        # with wait() may reap this one too.
        exec('sh', '-c', '"$1" "$2" "$3.wbxml" >"$3.out" 2>&1; echo $? >"$3.rc.tmp"; mv "$3.rc.tmp" "$3.rc"',
             'eas-validate', "$SHARED/tools/eas-validate", $cmd, $base) or POSIX::_exit(127);
    }
    # Where the test asked, for the diagnostics of a later failure.
    my @at;
    for (my $i = 0; my @c = caller($i); $i++) {
        @at = @c[1, 2];
        last unless $c[1] =~ m{/EasTest\.pm$};
    }
    push @pending_checks, { name => $name, xml => $res->{xml}, base => $base, pid => $pid, known => $known,
                            at => "asked at $at[0] line $at[1]" };
}

sub settle_check {
    my ($check) = @_;
    my $rc_file = "$check->{base}.rc";
    my ($gone, $deadline) = (0, time + 300);
    until (-e $rc_file || time > $deadline) {
        # Wait for the child; if another wait() reaped it, for its file.
        if ($gone) { sleep 0.05 } else { $gone = waitpid($check->{pid}, 0) != 0 }
    }
    waitpid($check->{pid}, 0) unless $gone;
    my $rc = -e $rc_file ? read_file($rc_file) : "no verdict\n";
    my $out = -e "$check->{base}.out" ? read_file("$check->{base}.out") : '';
    my $ok = $rc eq "0\n";
    remember_valid($check->{known}, $out) if $ok;
    ok($ok, $check->{name}) or diag("$check->{at}\neas-validate: exit $rc$out\n$check->{xml}");
}

# Every schema check still out, asserted now (oldest first).
sub settle_checks {
    return unless $$ == $MAIN_PID;
    settle_check(shift @pending_checks) while @pending_checks;
}

{
    # done_testing ends the plan: the checks still out come before it.
    no warnings 'redefine';
    my $done_testing = \&Test::Builder::done_testing;
    *Test::Builder::done_testing = sub { settle_checks(); goto &$done_testing };
}

# One EAS POST. Options: cmd, xml (request body as XML), body (raw bytes),
# user, password (default alice/secret), device, type, version, query (raw
# query string overriding the built one), headers (hashref), method.
sub request {
    my ($self, %o) = @_;
    my $user = $o{user} // 'alice';
    my $password = $o{password} // 'secret';
    my $body = exists $o{body} ? $o{body} : defined $o{xml} ? $self->wbxml($o{xml}) : '';
    my $query = $o{query} // join '&', "Cmd=" . ($o{cmd} // ''),
        "User=" . ($o{query_user} // $user),
        "DeviceId=" . ($o{device} // $self->{device}),
        "DeviceType=" . ($o{type} // $self->{type});
    my %headers = (
        'MS-ASProtocolVersion' => $o{version} // $self->{version},
        'User-Agent'           => $o{agent} // 'Apple-iPhone9C1/1602.92',
        'Content-Type'         => $o{content_type} // 'application/vnd.ms-sync.wbxml',
    );
    $headers{Authorization} = 'Basic ' . encode_base64("$user:$password", '')
        unless $o{no_auth};
    # A wrong password ("wrong") may be a word of a log line; its
    # credentials may not.
    $self->remember_secret(encode_base64("$user:$password", '')) unless $o{no_auth};
    $self->remember_body($body) if ($o{content_type} // '') =~ m{^message/rfc822};
    %headers = (%headers, %{ $o{headers} // {} });
    delete $headers{$_} for grep { !defined $headers{$_} } keys %headers;
    capture('request', join(' ', $o{cmd} // '-', $headers{'MS-ASProtocolVersion'} // '-',
                            $headers{'Content-Type'} // '-',
                            ($headers{'MS-ASAcceptMultiPart'} // '') eq 'T' ? 'multipart' : '-')
                       . "\n" . $body) if length $body;
    my $http = HTTP::Tiny->new(timeout => $o{timeout} // 30, keep_alive => 0);
    my $t0 = time;
    my $res = $http->request($o{method} // 'POST', $self->url . "?$query",
                             { headers => \%headers, content => $body });
    $res->{elapsed} = time - $t0;
    $res->{xml} = ($res->{headers}{'content-type'} // '') =~ /wbxml/
        ? $self->xml($res->{content}) : '';
    $res->{body} = $res->{content};
    return $res;
}

# Sends a Ping (options: xml, device, user, password, port, version) on its own
# connection, so the test can act while it is held; returns a handle for
# ping_finish.
sub ping_start {
    my ($self, %o) = @_;
    my $device = $o{device} // 'PHONE';
    my $body = defined $o{xml} ? $self->wbxml($o{xml}) : '';
    capture('request', 'Ping ' . ($o{version} // '14.1') . " application/vnd.ms-sync.wbxml -\n$body")
        if length $body;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $o{port} // $self->port)
        or die "connect: $!";
    my $auth = encode_base64(($o{user} // 'alice') . ':' . ($o{password} // 'secret'), '');
    print $s "POST /Microsoft-Server-ActiveSync?Cmd=Ping&User=" . ($o{user} // 'alice') . "&DeviceId=$device&DeviceType=iPhone HTTP/1.1\r\n"
           . "Host: 127.0.0.1\r\nAuthorization: Basic $auth\r\nMS-ASProtocolVersion: " . ($o{version} // '14.1') . "\r\n"
           . "User-Agent: Apple-iPhone9C1/1602.92\r\n"
           . "Content-Type: application/vnd.ms-sync.wbxml\r\nContent-Length: " . length($body) . "\r\n"
           . "Connection: close\r\n\r\n$body";
    return { sock => $s, t0 => time };
}

# Waits up to $timeout seconds for the whole answer: {status, body, xml,
# elapsed (since the request), done (time it arrived)}; status 0 on timeout.
sub ping_finish {
    my ($self, $h, $timeout) = @_;
    my $sel = IO::Select->new($h->{sock});
    my $buf = '';
    my $deadline = time + $timeout;
    my %r = (status => 0, body => '');
    while ((my $left = $deadline - time) > 0) {
        last unless $sel->can_read($left);
        my $n = sysread($h->{sock}, $buf, 65536, length $buf);
        if ($buf =~ /^HTTP\/1\.1 (\d+).*?\r\n\r\n/s) {
            my $status = $1;
            my $head_len = $+[0];
            my ($len) = $buf =~ /^Content-Length: (\d+)/mi;
            $len //= 0;
            if (length($buf) >= $head_len + $len) {
                my ($worker) = $buf =~ /^X-Worker: (\d+)/mi;
                %r = (status => $status, body => substr($buf, $head_len, $len), worker => $worker // '');
                $r{done} = time;
                last;
            }
        }
        last unless $n;
    }
    close $h->{sock};
    $r{elapsed} = ($r{done} // time) - $h->{t0};
    $r{xml} = $self->xml($r{body});
    return \%r;
}

# Hands $message (bytes, or characters written as UTF-8) to build/eas-deliver
# on this test's store; returns (exit code, its output).
sub deliver {
    my ($self, $message, @args) = @_;
    my $in = "$self->{dir}/message.eml";
    write_file($in, $message);
    $self->remember_body($message);
    capture('message', read_file($in));
    my $cmd = join ' ', map { quotemeta } "$BUILD/eas-deliver", '--store', $self->{store}, @args;
    my $out = `$cmd < $in 2>&1`;
    my $rc = $? >> 8;
    my @leaks = $self->leaked_secrets($out);
    ok(!@leaks, "eas-deliver's messages hold no body text") or diag(join "\n", @leaks) if @leaks;
    return ($rc, $out);
}

# Line ends made CRLF, as messages travel.
sub crlf {
    my ($s) = @_;
    $s =~ s/\r?\n/\r\n/g;
    return $s;
}

# LMTP on the stream server: a connection with its greeting read
# ({sock, buf, greeting}).
sub lmtp_connect {
    my ($self) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{lmtp_port})
        or die "connect to LMTP: $!";
    binmode $s;
    state $connections = 0;  # names the connection's capture file
    my $c = { sock => $s, buf => '', id => ++$connections };
    $c->{greeting} = $self->lmtp_read($c, 1)->[0] // '';
    return $c;
}

# Sends bytes as they are (several commands at once: pipelining).
sub lmtp_send {
    my ($self, $c, $data) = @_;
    local $SIG{PIPE} = 'IGNORE';
    capture("lmtp-" . ($c->{id} // 0), $data);  # tests with their own connections have no id
    while (length $data) {
        my $n = syswrite($c->{sock}, $data);
        die "LMTP write: $!" unless defined $n;
        substr($data, 0, $n, '');
    }
}

# The next $n replies (a multi-line reply counts once, its lines joined by
# "\n"), waiting up to $timeout seconds (10); fewer when the server closes
# or the time is up.
sub lmtp_read {
    my ($self, $c, $n, $timeout) = @_;
    my (@replies, @lines);
    my $sel = IO::Select->new($c->{sock});
    my $deadline = time + ($timeout // 10);
    while (@replies < $n) {
        if ($c->{buf} =~ s/^(.*?)\r\n//s) {
            push @lines, $1;
            if ($1 !~ /^\d{3}-/) {
                push @replies, join "\n", @lines;
                @lines = ();
            }
            next;
        }
        my $left = $deadline - time;
        last if $left <= 0 || !$sel->can_read($left);
        last unless sysread($c->{sock}, $c->{buf}, 65536, length $c->{buf});
    }
    return \@replies;
}

# With EAS_CAPTURE=DIR, the traffic the tests send is kept there for the
# fuzz corpora (fuzz/seed_corpora.pl): a file per request body (a first
# line "Cmd version content-type multipart-or-"), per message handed to
# eas-deliver, and per LMTP connection (all it sent, appended).
our $capture_count = 0;
sub capture {
    my ($kind, $bytes) = @_;
    my $dir = $ENV{EAS_CAPTURE} or return;
    my $name = $kind =~ /^lmtp-/ ? "$dir/$kind-$$" : sprintf('%s/%s-%d-%d', $dir, $kind, $$, ++$capture_count);
    utf8::encode($bytes) if utf8::is_utf8($bytes);
    open(my $fh, '>>:raw', $name) or return;
    print $fh $bytes;
    close $fh;
}

# Bytes as they are; a character string (use utf8) as UTF-8.
sub write_file {
    my ($path, $data) = @_;
    utf8::encode($data) if utf8::is_utf8($data);
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $data;
    close $fh;
}

sub read_file {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!";
    local $/;
    return scalar <$fh>;
}

# FolderSync with `key` (a test of its own: 200 and schema-valid).
sub folder_sync {
    my ($self, $key, %o) = @_;
    my $r = $self->request(cmd => 'FolderSync',
        xml => qq{<FolderSync xmlns="FolderHierarchy:"><SyncKey>$key</SyncKey></FolderSync>}, %o);
    is($r->{status}, 200, "FolderSync($key) answers 200");
    $self->valid_ok('FolderSync', $r);
    return $r;
}

# Sync of one collection by `device` with `key` (GetChanges unless key 0),
# optional Supported (its children as XML; '' for an empty one), Options
# and Commands XML, as `user` (default alice) speaking `version` (default
# the harness's); a test of its own: 200 and, when the answer has a body,
# schema-valid.
sub sync_collection {
    my ($self, $device, $collection, $key, %o) = @_;
    my $inner = "<SyncKey>$key</SyncKey><CollectionId>$collection</CollectionId>";
    $inner .= "<Supported>$o{supported}</Supported>" if defined $o{supported};
    $inner .= '<GetChanges/>' unless $key eq '0';
    $inner .= "<Options>$o{options}</Options>" if $o{options};
    $inner .= "<Commands>$o{commands}</Commands>" if $o{commands};
    my $r = $self->request(cmd => 'Sync', device => $device, user => $o{user} // 'alice',
        version => $o{version},
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
    is($r->{status}, 200, "Sync($device, key $key) answers 200");
    $self->valid_ok('Sync', $r) if length $r->{body};
    return $r;
}

# The SyncKey of a Sync answer (undef when it has none).
sub sync_key { return tag($_[0]{xml}, 'SyncKey') }

# A sub that syncs $collection as a device: ($device, $version, $commands)
# → the decoded answer without namespaces. Each device starts at SyncKey
# 0 and goes on from its last key, kept in %$keys (the caller's, so that
# it may also sync by hand).
sub syncer {
    my ($self, $collection, $keys) = @_;
    return sub {
        my ($device, $version, $commands) = @_;
        $keys->{$device} //= sync_key($self->sync_collection($device, $collection, '0', version => $version));
        my $r = $self->sync_collection($device, $collection, $keys->{$device}, version => $version,
                                       $commands ? (commands => $commands) : ());
        $keys->{$device} = sync_key($r) // $keys->{$device};
        (my $xml = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
        return $xml;
    };
}

# An event's ApplicationData without its Exceptions: its own properties.
sub event_top { my ($e) = @_; $e =~ s{<Exceptions>.*</Exceptions>}{}s; return $e }

# The ApplicationData of the event whose own Subject is $subject in
# decoded XML, or ''.
sub event_in {
    my ($xml, $subject) = @_;
    for my $app ($xml =~ m{<ApplicationData>(.*?)</ApplicationData>}gs) {
        return $app if event_top($app) =~ m{<Subject>\Q$subject\E</Subject>};
    }
    return '';
}

# The store's outgoing queue as `easctl queue list --json` shows it: one
# hash of its string fields per entry.
sub outgoing_queue {
    my ($self) = @_;
    my ($rc, $out) = $self->easctl('queue', 'list', '--json');
    die "easctl queue list: $out" if $rc;
    return [map { my %e = /"(\w+)": "((?:[^"\\]|\\.)*)"/g; \%e } $out =~ /\{[^}]*\}/g];
}

# The Adds a user's phone has seen in its Inbox so far, oldest first, each
# {xml (namespaces stripped), response}: the first call has the device
# "\U$user\EPHONE" start at SyncKey 0, later calls go on from its key.
# Bodies come as plain text.
sub inbox_adds {
    my ($self, $user) = @_;
    my $device = uc($user) . 'PHONE';
    my $p = $self->{inbox_phone}{$user} //= do {
        my $fs = $self->request(cmd => 'FolderSync', user => $user, device => $device,
            xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
        my $inbox = folder_adds($fs->{xml})->{Inbox}{id} // die "no Inbox for $user\n";
        my $r = $self->sync_collection($device, $inbox, '0', user => $user);
        { inbox => $inbox, key => tag($r->{xml}, 'SyncKey'), adds => [] };
    };
    my $r = $self->request(cmd => 'Sync', user => $user, device => $device,
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$p->{key}</SyncKey>}
             . qq{<CollectionId>$p->{inbox}</CollectionId><GetChanges/><WindowSize>100</WindowSize>}
             . qq{<Options><BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference></Options>}
             . qq{</Collection></Collections></Sync>});
    die "Sync of $user\'s Inbox answered $r->{status}\n" unless $r->{status} == 200;
    (my $xml = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
    my $next = tag($xml, 'SyncKey');
    $p->{key} = $next if defined $next;
    push @{ $p->{adds} }, { xml => $_, response => $r } for $xml =~ m{<Add>(.*?)</Add>}gs;
    return $p->{adds};
}

# Syncs $user's Inbox (inbox_adds) until an Add matching $re arrives or
# $timeout seconds (default 60: mail through Postfix may take its time on
# a loaded machine) pass: that Add, or undef.
sub wait_for_inbox {
    my ($self, $user, $re, $timeout) = @_;
    my $deadline = Time::HiRes::time() + ($timeout // 60);
    while (1) {
        my ($add) = grep { $_->{xml} =~ $re } @{ $self->inbox_adds($user) };
        return $add if $add || Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.3);
    }
}

# A new device's count of the messages in a collection, synced to the end
# 100 at a time: the first capture of $subject_re in each Subject => how
# often it came (crash tests: each message exactly once). Options: user
# (default alice), field (another element than Subject: FileAs for
# contacts), pages (at most; 50 unless given).
sub subject_counts {
    my ($self, $device, $collection, $subject_re, %o) = @_;
    my %count;
    my $user = $o{user} // 'alice';
    my $field = $o{field} // 'Subject';
    my $key = tag($self->sync_collection($device, $collection, '0', user => $user)->{xml}, 'SyncKey');
    for (1 .. $o{pages} // 50) {
        my $r = $self->request(cmd => 'Sync', device => $device, user => $user,
            xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$collection</CollectionId><GetChanges/><WindowSize>100</WindowSize></Collection></Collections></Sync>});
        while ($r->{xml} =~ m{<$field\b[^>]*>([^<]*)</$field>}g) {
            my $subject = $1;
            $count{$1}++ if $subject =~ $subject_re;
        }
        $key = tag($r->{xml}, 'SyncKey') // last;
        last unless $r->{xml} =~ /<MoreAvailable/;
    }
    return \%count;
}

# The folders a FolderSync answer adds: DisplayName → {id, type, parent}.
sub folder_adds {
    my ($xml) = @_;
    my %f;
    while ($xml =~ m{<Add>(.*?)</Add>}g) {
        my $a = $1;
        $f{ tag($a, 'DisplayName') } = {
            id => tag($a, 'ServerId'), type => tag($a, 'Type'), parent => tag($a, 'ParentId') };
    }
    return \%f;
}

# The text of the first <tag>...</tag> in decoded XML.
sub tag {
    my ($xml, $name) = @_;
    return $xml =~ m{<$name>([^<]*)</$name>} ? $1 : undef;
}

1;
