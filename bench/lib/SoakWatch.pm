# What the soak (bench/soak.pl) watches for leaks, sampled every few
# seconds: every nginx process's memory and open files, and LMDB's reader
# table. Memory is VmRSS and RssAnon; RssAnon (heap, stacks) is the leak
# figure, since VmRSS also counts LMDB's file pages as the map is read.
# Files are the fds that are not sockets: sockets come and go with clients.
# Workers are grouped by generation: those first seen after reload k are
# generation k (a reload starts new workers, the old ones finish their
# requests and leave).
package SoakWatch;
use strict;
use warnings;
use Time::HiRes qw(time);

sub new {
    my ($class, $t, $workers) = @_;
    return bless { t => $t, workers => $workers, gen => 0, start => time,
                   proc => {}, gen_of => {}, readers => [] }, $class;
}

sub reloaded { $_[0]{gen}++ }

sub sample {
    my ($self) = @_;
    my $now = time - $self->{start};
    my $master = $self->{t}->pid;
    for my $pid ($master, $self->{workers}->()) {
        open my $fh, '<', "/proc/$pid/status" or next;
        my $status = do { local $/; <$fh> };
        my ($rss) = $status =~ /^VmRSS:\s+(\d+)/m;
        my ($anon) = $status =~ /^RssAnon:\s+(\d+)/m;
        next unless defined $anon;
        my ($files, $sockets) = (0, 0);
        opendir my $dh, "/proc/$pid/fd" or next;
        for (grep { /^\d+$/ } readdir $dh) {
            my $to = readlink "/proc/$pid/fd/$_" // next;
            # The search index (SQLite: file, -wal, -shm) is open only
            # while the background indexer runs a round in worker 0: a
            # sample may or may not catch it, so it is not counted.
            next if $to =~ m{/search-index\.sqlite(?:-wal|-shm)?$};
            $to =~ /^socket:/ ? $sockets++ : $files++;
        }
        $self->{gen_of}{$pid} //= $pid == $master ? 'master' : $self->{gen};
        push @{ $self->{proc}{$pid} }, { t => $now, rss => $rss, anon => $anon,
                                          files => $files, sockets => $sockets };
        # Every sample also goes to samples.tsv in the test directory, for
        # a closer look (EAS_KEEP=1 keeps it).
        if (open my $out, '>>', "$self->{t}{dir}/samples.tsv") {
            printf $out "%.1f\t%d\t%s\t%d\t%d\t%d\t%d\n", $now, $pid, $self->{gen_of}{$pid}, $rss, $anon, $files, $sockets;
        }
    }
    # mdb_stat -r: one line "pid thread txnid" per slot in use (txnid "-"
    # when the slot is kept for the next read transaction).
    my @slots = `mdb_stat -r '$self->{t}{store}' 2>/dev/null` =~ /^\s*(\d+)\s+[0-9a-f]+\s+\S+\s*$/mg;
    my $dead = grep { !kill 0, $_ } @slots;
    push @{ $self->{readers} }, { t => $now, slots => scalar @slots, dead => $dead };
}

# Least-squares slope of [x, y] points, or undef with fewer than 3.
sub slope {
    my @p = @_;
    return undef if @p < 3;
    my ($sx, $sy) = (0, 0);
    $sx += $_->[0], $sy += $_->[1] for @p;
    my ($mx, $my) = ($sx / @p, $sy / @p);
    my ($num, $den) = (0, 0);
    for (@p) { $num += ($_->[0] - $mx) * ($_->[1] - $my); $den += ($_->[0] - $mx) ** 2 }
    return $den ? $num / $den : undef;
}

# RssAnon slope in KB/min of one process over the second half of the
# time it was seen (its first requests fill caches: not a leak).
sub anon_slope {
    my ($self, $pid) = @_;
    my $s = $self->{proc}{$pid};
    my $half = ($s->[0]{t} + $s->[-1]{t}) / 2;
    return slope(map { [$_->{t} / 60, $_->{anon}] } grep { $_->{t} >= $half } @$s);
}

# How long a process was seen, in seconds.
sub lifetime {
    my ($self, $pid) = @_;
    my $s = $self->{proc}{$pid};
    return $s->[-1]{t} - $s->[0]{t};
}

# Per generation (in order; the master last): {gen, pids, slopes (KB/min
# per worker, second half of its life), life (s, the longest), anon_first, anon_last (largest RssAnon of its workers at
# their first and last sample), anon_max (largest of any sample, the
# warm-up's crowd of first logins included), anon_peak (largest after the warm-up;
# undef for workers that did not outlive it), files (largest non-socket
# fd count),
# sockets (largest), start (s)}.
sub generations {
    my ($self, $warmup) = @_;
    my %g;
    for my $pid (keys %{ $self->{proc} }) {
        my $gen = $self->{gen_of}{$pid};
        my $s = $self->{proc}{$pid};
        my $e = $g{$gen} //= { gen => $gen, pids => [], slopes => [], anon_first => 0, anon_last => 0,
                               files => 0, files_first => 1e9, sockets => 0, start => $s->[0]{t} };
        push @{ $e->{pids} }, $pid;
        my $slope = $self->anon_slope($pid);
        push @{ $e->{slopes} }, $slope if defined $slope;
        $e->{life} = $self->lifetime($pid) if $self->lifetime($pid) > ($e->{life} // 0);
        $e->{anon_first} = $s->[0]{anon} if $s->[0]{anon} > $e->{anon_first};
        for (@$s) {
            $e->{anon_max} = $_->{anon} if $_->{anon} > ($e->{anon_max} // 0);
        }
        for (grep { $_->{t} >= $s->[0]{t} + $warmup } @$s) {
            $e->{anon_peak} = $_->{anon} if $_->{anon} > ($e->{anon_peak} // 0);
        }
        $e->{anon_last} = $s->[-1]{anon} if $s->[-1]{anon} > $e->{anon_last};
        $e->{files_first} = $s->[0]{files} if $s->[0]{files} < $e->{files_first};
        for (@$s) {
            $e->{files} = $_->{files} if $_->{files} > $e->{files};
            $e->{sockets} = $_->{sockets} if $_->{sockets} > $e->{sockets};
        }
        $e->{start} = $s->[0]{t} if $s->[0]{t} < $e->{start};
    }
    my @gens = sort { $a->{gen} <=> $b->{gen} } grep { $_->{gen} ne 'master' } values %g;
    return (@gens, $g{master} // ());
}

sub master_samples {
    my ($self) = @_;
    my ($pid) = grep { $self->{gen_of}{$_} eq 'master' } keys %{ $self->{proc} };
    return $pid ? @{ $self->{proc}{$pid} } : ();
}

sub readers { @{ $_[0]{readers} } }

1;
