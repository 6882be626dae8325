# The mail benchmarks' nginx: the module of a build directory serving one
# eas store, from a prefix of its own in the work directory, with LMTP
# (Debian's stream module, then ours: a stream server with `eas_lmtp on`)
# and, if asked, ActiveSync over HTTP, each on a loopback port of its own.
package BenchNginx;
use strict;
use warnings;
use Exporter 'import';
use File::Path qw(make_path);
use File::Spec;
use IO::Socket::INET;
use Time::HiRes qw(sleep);

our @EXPORT_OK = qw(start_nginx stop_nginx free_port);

my @started;
END { stop_nginx($_) for @started }

sub free_port {
    my $l = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die "listen: $!";
    return $l->sockport;
}

# start_nginx(PREFIX, BUILD_DIR, STORE, %opt): undef (with a warning) when
# it cannot start, else {master, prefix, lmtp (host:port), url (the
# ActiveSync URL, with http => 1)}. Options: http (1: the ActiveSync
# location too), workers (2).
sub start_nginx {
    my ($prefix, $build, $store, %o) = @_;
    my $stream_module = $ENV{NGINX_STREAM_MODULE} || '/usr/lib/nginx/modules/ngx_stream_module.so';
    return undef unless -x '/usr/sbin/nginx' && -f $stream_module && -f "$build/ngx_stream_eas_module.so";
    # nginx's -p prefix resolves relative paths against itself: absolute ones.
    my $p = File::Spec->rel2abs($prefix);
    my ($mods, $st) = (File::Spec->rel2abs($build), File::Spec->rel2abs($store));
    make_path("$p/logs", "$p/tmp");
    my $lmtp_port = free_port();
    my $user = $> == 0 ? 'user root root;' : '';
    my $workers = $o{workers} // 2;
    # info: also what the search indexer logs (bench/mail_search.pl).
    my $log_level = $o{log_level} // 'warn';
    my ($http_module, $http, $url) = ('', '', undef);
    if ($o{http}) {
        my $port = free_port();
        $http_module = "load_module $mods/ngx_http_eas_module.so;";
        $url = "http://127.0.0.1:$port/Microsoft-Server-ActiveSync";
        $http = <<"HTTP";
http {
    client_body_temp_path $p/tmp;
    access_log off;
    eas_store $st;
    server {
        listen 127.0.0.1:$port;
        location /Microsoft-Server-ActiveSync { eas on; }
    }
}
HTTP
    }
    open my $fh, '>', "$p/nginx.conf" or die "$p/nginx.conf: $!";
    print $fh <<"CONF";
load_module $stream_module;
load_module $mods/ngx_stream_eas_module.so;
$http_module
$user
worker_processes $workers;
pid $p/nginx.pid;
error_log $p/error.log $log_level;
events { worker_connections 1024; }
stream {
    server {
        listen 127.0.0.1:$lmtp_port;
        eas_lmtp on;
        eas_store $st;
        eas_lmtp_max_size 50m;
    }
}
$http
CONF
    close $fh;
    my $out = `/usr/sbin/nginx -p '$p' -e '$p/error.log' -c '$p/nginx.conf' 2>&1`;
    if ($?) {
        warn "nginx did not start: $out\n";
        return undef;
    }
    my $master;
    for (1 .. 100) {
        if (open my $pf, '<', "$p/nginx.pid") { chomp($master = <$pf> // ''); last if $master }
        sleep 0.05;
    }
    die "no nginx.pid in $p\n" unless $master;
    for (1 .. 100) { last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$lmtp_port"); sleep 0.05 }
    my $nginx = { master => $master, prefix => $p, lmtp => "127.0.0.1:$lmtp_port", url => $url };
    push @started, $nginx;
    return $nginx;
}

# Stops an nginx start_nginx started (QUIT, waits up to 5 s).
sub stop_nginx {
    my ($nginx) = @_;
    return unless $nginx && $nginx->{master};
    kill 'QUIT', $nginx->{master};
    for (1 .. 50) { last unless kill 0, $nginx->{master}; sleep 0.1 }
    $nginx->{master} = undef;
}

1;
