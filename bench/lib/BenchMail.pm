# The mail benchmarks' messages and measuring helpers (core Perl only).
#
# Messages are made deterministically from a seed: message i of seed s is
# the same bytes on every machine and in every run (Perl's rand is drand48
# everywhere since 5.20, and each message reseeds it from a digest of
# (s, i), so the order of making them does not matter). The size mix is
# what a mailbox gets: 85 % plain or multipart/alternative mail of
# 2-10 KB, 13 % of 50-300 KB with one or two base64 attachments, 2 % of
# 2-6 MB with a large attachment. Headers look like delivered mail
# (Received, DKIM-Signature, List-Unsubscribe on some), line ends are
# CRLF, HTML parts are quoted-printable, some text is UTF-8.
package BenchMail;
use strict;
use warnings;
use Exporter 'import';
use MIME::Base64 qw(encode_base64);
use MIME::QuotedPrint qw(encode_qp);
use Digest::MD5 qw(md5);
use POSIX qw(strftime);

our @EXPORT_OK = qw(make_message size_class with_message_id percentile cpu_ns_of_tree
                    thread_cpu_ns children_cpu_s median);

my @WORDS = qw(the of and to in is that for it as was with be by on not he this are or his
  from at which but have an they you were her she there one all we their been has when who
  will more no if out so said what up its about into than them can only other new some could
  time these two may then do first any my now such like our over man me even most made after
  also did many before must through back years where much your way well down should because
  each just those people how too little state good very make world still own see men work
  long get here between both life being under never day same another know while last might
  us great old year off come since against go came right used take three meeting budget
  quarter report invoice shipment schedule project review draft contract offer delivery
  server release update customer account order payment agenda minutes proposal travel);
my @UTF8 = ("caf\xc3\xa9", "Gr\xc3\xbc\xc3\x9fe", "na\xc3\xafve", "\xc3\xa0 bient\xc3\xb4t",
            "\xe2\x82\xac 120", "r\xc3\xa9sum\xc3\xa9", "Stra\xc3\x9fe", "se\xc3\xb1or");
my @NAMES = qw(Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy
               Rupert Sybil Trent Victor Walter Yvonne);
my @DOMAINS = qw(example.com example.net example.org mail.example.com lists.example.net);

# 8 MB of pseudo-random bytes, base64 in 76-character CRLF lines, made once
# per process: attachments are slices of it at message-dependent offsets.
my @POOL_LINES;
sub pool_lines {
    return \@POOL_LINES if @POOL_LINES;
    srand(0x5eed);
    my $raw = pack('N*', map { int(rand(4294967296)) } 1 .. 2 * 1024 * 1024);
    my $b64 = encode_base64($raw, '');
    @POOL_LINES = map { "$_\r\n" } unpack('(A76)*', $b64);
    return \@POOL_LINES;
}

sub words {
    my ($n) = @_;
    my @w = map { rand() < 0.02 ? $UTF8[rand @UTF8] : $WORDS[rand @WORDS] } 1 .. $n;
    $w[0] = ucfirst $w[0];
    return join ' ', @w;
}

# Text of about $bytes bytes, paragraphs of lines up to 72 characters.
sub text {
    my ($bytes) = @_;
    my $out = '';
    while (length($out) < $bytes) {
        my $para = words(20 + int(rand(60))) . '.';
        my $line = '';
        for my $w (split / /, $para) {
            if (length($line) + length($w) + 1 > 72) { $out .= "$line\r\n"; $line = $w }
            else { $line = length $line ? "$line $w" : $w }
        }
        $out .= "$line\r\n\r\n";
    }
    return $out;
}

sub html_qp {
    my ($text) = @_;
    my $html = join '', map { "<p>$_</p>\n" } grep { length } split /\r\n\r\n/, $text;
    $html = "<html><head><style>p { font-family: Arial; margin: 0 0 1em 0 }</style></head>"
          . "<body><div class=\"content\">\n$html</div><div class=\"footer\">Sent from my phone</div></body></html>\n";
    my $qp = encode_qp($html, "\r\n");
    return $qp;
}

sub attachment_b64 {
    my ($raw_bytes) = @_;
    my $pool = pool_lines();
    my $lines = int(($raw_bytes + 56) / 57);
    my $start = int(rand(@$pool - $lines - 1));
    return join '', @$pool[$start .. $start + $lines - 1];
}

# drand48 seeded with nearby numbers starts with nearby values: seed it
# from a digest of (seed, i, what).
sub reseed { srand(unpack('N', md5(join '/', @_))) }

# Which class message i of this seed is: small, attachment or large.
sub size_class {
    my ($seed, $i) = @_;
    reseed($seed, $i, 'class');
    my $r = rand();
    return $r < 0.85 ? 'small' : $r < 0.98 ? 'attachment' : 'large';
}

# make_message(seed, i, %opt): the bytes of message i. Options: date (epoch
# for the Date header; default a fixed day plus i minutes), class (force
# small / attachment / large), to (recipient address).
sub make_message {
    my ($seed, $i, %o) = @_;
    my $class = $o{class} // size_class($seed, $i);
    reseed($seed, $i, 'content');  # the same for a forced class
    my $target = $class eq 'small' ? 2048 + int(rand(8 * 1024))
               : $class eq 'attachment' ? 50 * 1024 + int(rand(250 * 1024))
               : 2 * 1024 * 1024 + int(rand(4 * 1024 * 1024));
    my $date = $o{date} // (1_780_000_000 + 60 * $i);
    my $from_name = $NAMES[rand @NAMES];
    my $from = lc($from_name) . '@' . $DOMAINS[rand @DOMAINS];
    my $to = $o{to} // 'user@example.org';
    my $subject = ($i % 7 == 0 ? 'Re: ' : '') . words(3 + int(rand(6)));
    my $dh = strftime('%a, %d %b %Y %H:%M:%S +0000', gmtime $date);
    my $head = '';
    for my $hop (1 .. 2 + int(rand(3))) {
        my $host = "mx$hop." . $DOMAINS[rand @DOMAINS];
        $head .= "Received: from $host (${host} [192.0.2.$hop])\r\n"
               . "\tby mail.example.org (Postfix) with ESMTPS id " . sprintf('%08X', int(rand(2**32))) . "\r\n"
               . "\tfor <$to>; $dh\r\n";
    }
    $head .= "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=mail;\r\n"
           . "\th=from:to:subject:date:message-id; bh=" . encode_base64(pack('N8', map { int(rand(2**32)) } 1 .. 8), '') . ";\r\n"
           . "\tb=" . join("\r\n\t  ", unpack('(A64)*', encode_base64(pack('N64', map { int(rand(2**32)) } 1 .. 64), ''))) . "\r\n"
        if rand() < 0.7;
    $head .= "List-Unsubscribe: <mailto:leave-$i\@lists.example.net>\r\n" if rand() < 0.2;
    $head .= "From: \"$from_name\" <$from>\r\n"
           . "To: <$to>\r\n"
           . "Subject: $subject\r\n"
           . "Date: $dh\r\n"
           . "Message-ID: <bench-$seed-$i\@example.com>\r\n"
           . "MIME-Version: 1.0\r\n";
    my $alt = rand() < 0.5;
    my $b = sprintf('=_bench_%d_%d', $seed, $i);
    if ($class eq 'small') {
        my $body_size = $target - length($head) - ($alt ? 600 : 100);
        $body_size = 400 if $body_size < 400;
        my $text = text($alt ? int($body_size * 0.45) : $body_size);
        return $head . "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n$text"
            unless $alt;
        return $head . "Content-Type: multipart/alternative; boundary=\"$b\"\r\n\r\n"
             . "--$b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n$text"
             . "--$b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
             . html_qp($text) . "--$b--\r\n";
    }
    # With attachments: a text (or alternative) part of 1-5 KB, then one
    # or two (one large) base64 attachments filling up to the target size.
    my $text = text(1024 + int(rand(4096)));
    my $msg = $head . "Content-Type: multipart/mixed; boundary=\"$b\"\r\n\r\n--$b\r\n";
    if ($alt) {
        $msg .= "Content-Type: multipart/alternative; boundary=\"$b.alt\"\r\n\r\n"
              . "--$b.alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n$text"
              . "--$b.alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
              . html_qp($text) . "--$b.alt--\r\n";
    } else {
        $msg .= "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n$text";
    }
    my @kinds = (['application/pdf', 'report', 'pdf'], ['image/jpeg', 'IMG_', 'jpg'],
                 ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'figures', 'xlsx'],
                 ['application/zip', 'archive', 'zip']);
    my $parts = $class eq 'large' ? 1 : 1 + (rand() < 0.3);
    my $left = ($target - length($msg) - 200 * $parts) * 57 / 78;  # raw bytes, base64 grows 57 -> 78
    for my $p (1 .. $parts) {
        my $k = $kinds[rand @kinds];
        my $raw = int($left / ($parts - $p + 1));
        $left -= $raw;
        my $name = "$k->[1]" . (1000 + int(rand(9000))) . ".$k->[2]";
        $msg .= "--$b\r\nContent-Type: $k->[0]; name=\"$name\"\r\n"
              . "Content-Disposition: attachment; filename=\"$name\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
              . attachment_b64($raw > 0 ? $raw : 57);
    }
    return $msg . "--$b--\r\n";
}

# The message with another Message-ID (a unique one per delivery).
sub with_message_id {
    my ($msg, $id) = @_;
    $msg =~ s/^Message-ID: <[^>]*>/Message-ID: <$id>/m or die "no Message-ID";
    return $msg;
}

sub median { my @s = sort { $a <=> $b } @_; return @s ? $s[$#s / 2] : 0 }
sub percentile {
    my ($p, @v) = @_;
    my @s = sort { $a <=> $b } @v;
    return 0 unless @s;
    my $k = int($p / 100 * @s + 0.999999) - 1;
    $k = 0 if $k < 0;
    return $s[$k];
}

# CPU time of all threads of process $pid in ns (schedstat of each task:
# an nginx worker's thread pool does the writes).
sub thread_cpu_ns {
    my ($pid) = @_;
    my $ns = 0;
    opendir my $d, "/proc/$pid/task" or return 0;
    for my $t (grep { /^\d+$/ } readdir $d) {
        open my $fh, '<', "/proc/$pid/task/$t/schedstat" or next;
        $ns += (split ' ', scalar <$fh>)[0];
    }
    return $ns;
}

# CPU time in ns of process $root and all its descendants now alive.
sub cpu_ns_of_tree {
    my ($root) = @_;
    my %kids;
    opendir my $d, '/proc' or return 0;
    for my $p (grep { /^\d+$/ } readdir $d) {
        open my $fh, '<', "/proc/$p/stat" or next;
        my $stat = <$fh> // next;
        $stat =~ s/^.*\) //s;  # past the command name
        my $ppid = (split ' ', $stat)[1];
        push @{ $kids{$ppid} }, $p;
    }
    my ($ns, @todo) = (0, $root);
    while (defined(my $p = shift @todo)) {
        $ns += thread_cpu_ns($p);
        push @todo, @{ $kids{$p} // [] };
    }
    return $ns;
}

# User + system CPU seconds of the waited-for children so far.
sub children_cpu_s { my @t = times; return $t[2] + $t[3] }

1;
