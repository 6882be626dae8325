# The mail benchmarks' LMTP client: sessions to nginx's LMTP
# (ngx_stream_eas_module) or Dovecot's, commands pipelined as Postfix's
# lmtp(8) sends them.
package BenchLmtp;
use strict;
use warnings;
use Exporter 'import';
use IO::Socket::INET;
use IO::Socket::UNIX;

our @EXPORT_OK = qw(lmtp_session lmtp_send lmtp_quit);

# A connection to a unix socket path or host:port.
sub connect_to {
    my ($where) = @_;
    return $where =~ m{^/} ? IO::Socket::UNIX->new(Peer => $where)
                           : IO::Socket::INET->new(PeerAddr => $where);
}

# LMTP replies up to the last line of one reply; returns its code.
sub reply {
    my ($s) = @_;
    for (;;) {
        my $line = <$s>;
        die "LMTP: connection closed\n" unless defined $line;
        return substr($line, 0, 3) if substr($line, 3, 1) ne '-';
    }
}

# A session past its greeting and LHLO, or undef.
sub lmtp_session {
    my ($where) = @_;
    my $s = connect_to($where) or return undef;
    return undef unless reply($s) eq '220';
    print $s "LHLO bench.example.org\r\n";
    return reply($s) eq '250' ? $s : undef;
}

# Delivers one message (already dot-stuffed, CRLF lines) to one
# recipient; true when the server took it (250 after DATA).
sub lmtp_send {
    my ($s, $sender, $rcpt, $data) = @_;
    print $s "MAIL FROM:<$sender>\r\nRCPT TO:<$rcpt>\r\nDATA\r\n";
    my @codes = (reply($s), reply($s), reply($s));
    return 0 unless "@codes" eq '250 250 354';
    print $s $data, ".\r\n";
    return reply($s) eq '250';
}

sub lmtp_quit { my ($s) = @_; print $s "QUIT\r\n"; close $s }

1;
