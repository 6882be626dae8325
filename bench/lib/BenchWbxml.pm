# The benchmarks' request encoding: XML → WBXML by libwbxml's xml2wbxml and
# back by wbxml2xml (ActiveSync code pages), through a private temp dir.
package BenchWbxml;
use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempdir);

our @EXPORT_OK = qw(wbxml xml sync_xml);

my $dir = tempdir(CLEANUP => 1);

sub wbxml {
    my ($xml) = @_;
    open my $fh, '>', "$dir/r.xml" or die;
    print $fh qq{<?xml version="1.0"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n$xml};
    close $fh;
    system("xml2wbxml -a -n -o $dir/r.wbxml $dir/r.xml >/dev/null 2>&1") == 0 or die "xml2wbxml";
    open $fh, '<:raw', "$dir/r.wbxml" or die;
    local $/;
    return scalar <$fh>;
}

sub xml {
    my ($bytes) = @_;
    return '' unless length $bytes;
    open my $fh, '>:raw', "$dir/a.wbxml" or die;
    print $fh $bytes;
    close $fh;
    return scalar `wbxml2xml -l ACTIVESYNC -m 0 -o - $dir/a.wbxml 2>/dev/null`;
}

# A Sync of one collection.
sub sync_xml {
    my ($key, $coll, $extra) = @_;
    return qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$coll</CollectionId>$extra</Collection></Collections></Sync>};
}

1;
