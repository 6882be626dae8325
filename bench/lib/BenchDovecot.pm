# The mail benchmarks' reference: a Dovecot of their own, from a config in
# a temporary directory (its own base_dir, nothing of the system's
# configuration, no system service touched). Mail in Maildir; when the
# benchmark runs as root its mail is owned by nobody (Dovecot refuses uid
# 0 for mail). Any user logs in with any password (a static passdb).
package BenchDovecot;
use strict;
use warnings;
use Exporter 'import';
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use Time::HiRes qw(sleep);

our @EXPORT_OK = qw(start_dovecot stop_dovecot);

my @started;
END { stop_dovecot($_) for @started }

# start_dovecot(%opt): undef when Dovecot is not installed or did not
# start, else {master, conf, dir, lmtp (socket path), imap (host:port,
# with imap => 1)}. Options: imap (1: IMAP on a loopback port of its own,
# plain LOGIN allowed), conf (more lines for dovecot.conf).
sub start_dovecot {
    my (%o) = @_;
    return undef unless -x '/usr/sbin/dovecot' && -x '/usr/lib/dovecot/dovecot-lda';
    return undef if $o{imap} && !-x '/usr/lib/dovecot/imap';
    # Its own temporary directory that Dovecot's mail user (nobody under
    # root) may walk through: the work directory's parents may be private.
    my $d = tempdir('eas-bench-dovecot-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    chmod 0711, $d;
    make_path("$d/run", "$d/state", "$d/mail", "$d/home");
    my ($uid, $gid) = $> == 0 ? (getpwnam('nobody'))[2, 3] : ($>, (split ' ', $))[0]);
    chown $uid, $gid, "$d/mail", "$d/home";
    my $me = getpwuid($>) // 'root';
    my $group = getgrgid((split ' ', $))[0]) // 'root';
    # Run as non-root, Dovecot's own processes must be that user too.
    my $internal = $> == 0 ? '' : "default_internal_user = $me\ndefault_internal_group = $group\n"
                                . "default_login_user = $me\n";
    my ($protocols, $imap) = ('lmtp', '');
    my $imap_port;
    if ($o{imap}) {
        $imap_port = do {
            my $l = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die "listen: $!";
            $l->sockport;
        };
        $protocols = 'lmtp imap';
        # No TLS on loopback: plain LOGIN must be allowed.
        $imap = "disable_plaintext_auth = no\n"
              . "service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = $imap_port\n  }\n"
              . "  inet_listener imaps {\n    port = 0\n  }\n}\n";
    }
    open my $fh, '>', "$d/dovecot.conf" or die "$d/dovecot.conf: $!";
    print $fh <<"CONF";
# The benchmark's own Dovecot: nothing of the system's configuration.
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
instance_name = eas-bench-$$
protocols = $protocols
listen = 127.0.0.1
ssl = no
$internal
first_valid_uid = $uid
first_valid_gid = $gid
mail_location = maildir:$d/mail/%u
postmaster_address = postmaster\@example.org
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$d/home/%u
}
$imap${\ ($o{conf} // '')}
CONF
    close $fh;
    if (system('/usr/sbin/dovecot', '-c', "$d/dovecot.conf") != 0) {
        warn "dovecot did not start (see $d/dovecot.log)\n";
        return undef;
    }
    for (1 .. 100) { last if -S "$d/run/auth-userdb" && -s "$d/run/master.pid"; sleep 0.05 }
    open my $p, '<', "$d/run/master.pid" or die "no master.pid of dovecot\n";
    chomp(my $master = <$p>);
    if ($imap_port) {
        for (1 .. 100) { last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$imap_port"); sleep 0.05 }
    }
    my $dovecot = { master => $master, conf => "$d/dovecot.conf", dir => $d, lmtp => "$d/run/lmtp",
                    imap => $imap_port ? "127.0.0.1:$imap_port" : undef };
    push @started, $dovecot;
    return $dovecot;
}

# Stops a Dovecot start_dovecot started (waits up to 5 s for it to go).
sub stop_dovecot {
    my ($dovecot) = @_;
    return unless $dovecot && $dovecot->{master};
    kill 'TERM', $dovecot->{master};
    for (1 .. 50) { last unless kill 0, $dovecot->{master}; sleep 0.1 }
    $dovecot->{master} = undef;
}

1;
