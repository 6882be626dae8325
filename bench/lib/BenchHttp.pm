# The benchmarks' HTTP client for latency: HTTP::Tiny with TCP_NODELAY.
# HTTP::Tiny writes a request's headers and its body in two writes; with
# Nagle's algorithm on, the body waits for the ACK of the headers, which
# the server delays (40 ms on Linux): every POST then took 40 ms more
# than the server spent on it.
package BenchHttp;
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use Socket qw(IPPROTO_TCP TCP_NODELAY);

our @EXPORT_OK = qw(http_client);

{
    no warnings 'redefine';
    my $connect = \&HTTP::Tiny::Handle::connect;
    *HTTP::Tiny::Handle::connect = sub {
        my $handle = $connect->(@_);
        setsockopt($handle->{fh}, IPPROTO_TCP, TCP_NODELAY, 1) or die "TCP_NODELAY: $!\n";
        return $handle;
    };
}

# An HTTP::Tiny (its arguments) whose connections send at once.
sub http_client { return HTTP::Tiny->new(@_) }

1;
