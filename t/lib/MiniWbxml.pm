# A small WBXML 1.3 encoder and decoder for what libwbxml 0.11 cannot
# handle: code page 25 (Find, protocol 16.1), which its tables lack, so
# xml2wbxml cannot encode a Find request nor wbxml2xml decode the answer.
# Written from MS-ASWBXML (2.1.2.1.1 AirSync, 2.1.2.1.3 Email, 2.1.2.1.21
# ItemOperations, 2.1.2.1.17 GAL, 2.1.2.1.26 Find) and the WBXML 1.3 format (header 03 01
# 6A 00; SWITCH_PAGE 00, END 01, STR_I 03, OPAQUE C3; 0x40 on a tag with
# content); it shares nothing with the server's codec. Only the tags a
# Find request and answer use are known: any other is an error, never a
# guess.
package MiniWbxml;
use strict;
use warnings;
use MIME::Base64 qw(encode_base64);

my %PAGES = (
    'AirSync:' => [0, { ServerId => 0x0D, Class => 0x10, CollectionId => 0x12 }],
    'Email:' => [2, { DateReceived => 0x0F, DisplayTo => 0x11, Importance => 0x12,
                      Subject => 0x14, Read => 0x15, From => 0x18 }],
    'ItemOperations:' => [20, { Store => 0x07 }],
    'Find:' => [25, { Find => 0x05, SearchId => 0x06, ExecuteSearch => 0x07,
                      MailBoxSearchCriterion => 0x08, Query => 0x09, Status => 0x0A,
                      FreeText => 0x0B, Options => 0x0C, Range => 0x0D, DeepTraversal => 0x0E,
                      Response => 0x11, Result => 0x12, Properties => 0x13, Preview => 0x14,
                      HasAttachments => 0x15, Total => 0x16, DisplayCc => 0x17, DisplayBcc => 0x18,
                      GalSearchCriterion => 0x19, MaxPictures => 0x20, MaxSize => 0x21,
                      Picture => 0x22 }],
    'GAL:' => [16, { DisplayName => 0x05, Phone => 0x06, Office => 0x07, Title => 0x08,
                     Company => 0x09, Alias => 0x0A, FirstName => 0x0B, LastName => 0x0C,
                     HomePhone => 0x0D, MobilePhone => 0x0E, EmailAddress => 0x0F,
                     Picture => 0x10, Status => 0x11, Data => 0x12 }],
);
my %NS_OF_PAGE = map { $PAGES{$_}[0] => $_ } keys %PAGES;
my %NAME_OF = map { my $ns = $_; my $t = $PAGES{$ns}[1];
                    ($PAGES{$ns}[0] => { reverse %$t }) } keys %PAGES;

sub unescape { my $s = shift; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&amp;/&/g; $s }
sub escape { my $s = shift; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s }

# XML (elements, xmlns="Page:" attributes, text; no other attributes) →
# WBXML bytes. Text is taken as characters and written as UTF-8.
sub encode {
    my ($xml) = @_;
    my $out = "\x03\x01\x6A\x00";
    my ($page, @ns) = (-1, ('AirSync:'));
    my @open;  # [ns, index in $out of the tag byte]
    while ($xml =~ m{\G(?:<(/?)([A-Za-z]\w*)((?:\s+xmlns="[^"]*")?)\s*(/?)>|([^<]+))}gc) {
        my ($close, $name, $attr, $empty, $text) = ($1, $2, $3, $4, $5);
        if (defined $text) {
            next unless $text =~ /\S/ || @open;
            my $bytes = unescape($text);
            utf8::encode($bytes) if utf8::is_utf8($bytes);
            $out .= "\x03$bytes\x00";
            next;
        }
        if ($close) {
            pop @ns;
            $out .= "\x01";
            next;
        }
        my $ns = $attr =~ /xmlns="([^"]*)"/ ? $1 : $ns[-1];
        my $entry = $PAGES{$ns} or die "MiniWbxml: unknown namespace $ns\n";
        my $token = $entry->[1]{$name} // die "MiniWbxml: no tag $name in $ns\n";
        if ($entry->[0] != $page) {
            $page = $entry->[0];
            $out .= "\x00" . chr($page);
        }
        $out .= chr($token | ($empty ? 0 : 0x40));
        push @ns, $ns unless $empty;
    }
    die "MiniWbxml: cannot read XML near: " . substr($xml, pos($xml) // 0, 40) . "\n"
        if (pos($xml) // 0) < length $xml;
    return $out;
}

sub mb_uint {
    my ($bytes, $at) = @_;
    my $v = 0;
    while (1) {
        my $b = ord substr($$bytes, $$at++, 1);
        $v = ($v << 7) | ($b & 0x7F);
        return $v unless $b & 0x80;
    }
}

# WBXML bytes → XML text (each element whose page differs from its
# parent's carries xmlns="Page:"; OPAQUE data as base64, as wbxml2xml
# prints it); dies on anything unknown.
sub decode {
    my ($bytes) = @_;
    die "MiniWbxml: not WBXML 1.3 / UTF-8\n" unless substr($bytes, 0, 3) eq "\x03\x01\x6A";
    my $at = 3;
    my $strtab = mb_uint(\$bytes, \$at);
    $at += $strtab;
    my ($page, $xml, @stack) = (0, '');
    my @ns_stack = ('');
    while ($at < length $bytes) {
        my $b = ord substr($bytes, $at++, 1);
        if ($b == 0x00) { $page = ord substr($bytes, $at++, 1); next }
        if ($b == 0x01) { $xml .= '</' . pop(@stack) . '>'; pop @ns_stack; next }
        if ($b == 0x03) {
            my $end = index($bytes, "\x00", $at);
            $xml .= escape(substr($bytes, $at, $end - $at));
            $at = $end + 1;
            next;
        }
        if ($b == 0xC3) {
            my $len = mb_uint(\$bytes, \$at);
            $xml .= encode_base64(substr($bytes, $at, $len), '');
            $at += $len;
            next;
        }
        die sprintf("MiniWbxml: unexpected byte 0x%02X\n", $b) if $b & 0x80;
        my $name = $NAME_OF{$page}{$b & 0x3F}
            // die sprintf("MiniWbxml: unknown tag 0x%02X on page %d\n", $b & 0x3F, $page);
        my $ns = $NS_OF_PAGE{$page};
        my $attr = $ns eq $ns_stack[-1] ? '' : qq{ xmlns="$ns"};
        if ($b & 0x40) {
            $xml .= "<$name$attr>";
            push @stack, $name;
            push @ns_stack, $ns;
        } else {
            $xml .= "<$name$attr/>";
        }
    }
    die "MiniWbxml: unclosed elements\n" if @stack;
    return $xml;
}

1;
