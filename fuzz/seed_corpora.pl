#!/usr/bin/perl
# Seeds for the fuzz corpora from the tests' real traffic and samples:
#   EAS_CAPTURE=/tmp/cap prove t/          (t/lib/EasTest.pm keeps what it sends)
#   fuzz/seed_corpora.pl /tmp/cap build/fuzz/seed
# writes build/fuzz/seed/<target>/ for every target; then each corpus
# takes only the seeds that add coverage:
#   build/fuzz/fuzz_T -merge=1 fuzz/corpus-T build/fuzz/seed/T
# Sources: request bodies (fuzz_request in its input form: command and
# version bytes first; fuzz_wbxml; the Sync bodies, which carry
# ApplicationData, also for fuzz_vcard and fuzz_ical), messages handed to
# eas-deliver and sent over LMTP or as MIME SendMail (fuzz_mime_record),
# whole LMTP conversations (fuzz_lmtp), t/data/*.vcf and *.ics and the
# vCard, iCalendar and MIME samples of t/unit/ (their C string literals).
use strict;
use warnings;
use Digest::SHA qw(sha1_hex);
use File::Basename qw(dirname);
use File::Path qw(make_path);

my ($capture, $out) = @ARGV;
die "usage: $0 CAPTURE_DIR OUT_DIR\n" unless defined $out && -d $capture;
my $top = dirname(dirname(__FILE__ =~ m{^/} ? __FILE__ : "./" . __FILE__));

sub slurp { my ($p) = @_; open(my $fh, '<:raw', $p) or die "$p: $!"; local $/; my $s = <$fh>; $s // '' }

my %count;
sub seed {
    my ($target, $bytes) = @_;
    return unless length $bytes;
    make_path("$out/$target");
    my $path = "$out/$target/" . sha1_hex($bytes);
    return if -e $path;
    open(my $fh, '>:raw', $path) or die "$path: $!";
    print $fh $bytes;
    close $fh;
    $count{$target}++;
}

# fuzz_request's tables, read from its source so that there is one list.
my $src = slurp("$top/fuzz/fuzz_request.cpp");
my ($cmds) = $src =~ /kCommands\[\] = \{(.*?)\};/s;
my ($vers) = $src =~ /kVersions\[\] = \{(.*?)\};/s;
my @commands = $cmds =~ /"([^"]+)"/g;
my @versions = $vers =~ /"([^"]+)"/g;
my %command_index = map { $commands[$_] => $_ } 0 .. $#commands;
my %version_index = map { $versions[$_] => $_ } 0 .. $#versions;

# DATA of every transaction in an LMTP conversation, dot-unstuffed.
sub lmtp_messages {
    my ($conversation) = @_;
    my @messages;
    while ($conversation =~ /^DATA\r?\n(.*?)\r?\n\.\r?\n/gmsi) {
        (my $m = $1) =~ s/^\.\././gm;
        push @messages, $m;
    }
    return @messages;
}

opendir(my $dh, $capture) or die "$capture: $!";
for my $name (sort readdir $dh) {
    my $bytes = slurp("$capture/$name");
    if ($name =~ /^request-/) {
        my ($head, $body) = split /\n/, $bytes, 2;
        my ($cmd, $version, $type, $multipart) = split / /, $head;
        next unless defined $body && length $body;
        my $mime = ($type // '') =~ m{^message/rfc822}i;
        seed('wbxml', $body) if substr($body, 0, 1) eq "\x03";
        seed('mime_record', $body) if $mime;
        if ($cmd eq 'Sync' && $body =~ /\x03/) { seed('vcard', $body); seed('ical', $body) }
        next unless exists $command_index{$cmd} && exists $version_index{$version};
        my $flags = $version_index{$version} | ($mime ? 0x80 : 0) | ($multipart eq 'multipart' ? 0x40 : 0);
        seed('request', chr($command_index{$cmd}) . chr($flags) . $body);
    } elsif ($name =~ /^message-/) {
        seed('mime_record', $bytes);
    } elsif ($name =~ /^lmtp-/) {
        seed('lmtp', $bytes);
        seed('mime_record', $_) for lmtp_messages($bytes);
    }
}

# C string literals of a source file: each run of adjacent "..." joined.
sub literals {
    my ($path) = @_;
    my $text = slurp($path);
    my @found;
    while ($text =~ /((?:"(?:[^"\\\n]|\\.)*"\s*)+)/g) {
        my $run = $1;
        my $s = join '', $run =~ /"((?:[^"\\\n]|\\.)*)"/g;
        $s =~ s/\\(x[0-9a-fA-F]{2}|.)/my $e = $1; $e eq 'r' ? "\r" : $e eq 'n' ? "\n" : $e eq 't' ? "\t"
            : $e =~ m{^x(..)} ? chr(hex $1) : $e/ge;
        push @found, $s;
    }
    return @found;
}

seed('vcard', slurp($_)) for glob("$top/t/data/*.vcf");
seed('ical', slurp($_)) for glob("$top/t/data/*.ics");
for my $file (glob("$top/t/unit/*.cpp"), glob("$top/t/unit/*.hpp")) {
    for my $s (literals($file)) {
        seed('vcard', $s) if $s =~ /BEGIN:VCARD/i;
        seed('ical', $s) if $s =~ /BEGIN:(VCALENDAR|VEVENT|VTIMEZONE)/i;
        seed('mime_record', $s) if $s =~ /^[\w-]+:.*\r?\n(?:.*\r?\n)*?\r?\n/ && $s =~ /^(From|Subject|Content-Type|MIME-Version):/mi;
    }
}
printf "%-12s %d\n", $_, $count{$_} for sort keys %count;
