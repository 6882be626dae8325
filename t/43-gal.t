# The GAL: a phone looks up a colleague in the directory of this box.
# `easctl user set` stores the directory fields and a picture of each user
# (and `user list --json` shows them); Search Store GAL and Find's
# GalSearchCriterion (16.1, decoded by t/lib/MiniWbxml.pm) find users by
# the beginning of a first or last name, display name, alias, login or
# e-mail address, page by Range with the Total, and send pictures within
# MaxSize and MaxPictures (Status 173/174/175); ResolveRecipients sends a
# colleague's picture too. Bad input gets the protocol's Status and a log
# line; every answer is schema-valid.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use JSON::PP qw(decode_json);
use MIME::Base64 qw(encode_base64);
use MiniWbxml;
use Test::More;

my $t = EasTest->new;
my $dir = $t->dir;
for my $u (['alice', 'alice@example.org', 'Alice Archer'], ['carol', 'carol@example.org', 'Carol Clark'],
           ['carl', 'carl@example.org', 'Carl Carter'], ['cathy', 'cathy@example.org', 'Cathy Cole'],
           ['dan', 'dan@example.org', 'Dan Delgado']) {
    my ($rc, $out) = $t->easctl('user', 'add', $u->[0], '--password', 'secret', '--email', $u->[1],
                                '--display-name', $u->[2], ($u->[0] eq 'dan' ? ('--email', 'daniel.d@example.org') : ()));
    die "easctl user add: $out" if $rc;
}

# Two "JPEG" files (the JPEG signature, then bytes): carol's 2000 bytes,
# carl's 5000.
my %jpeg = (carol => "\xFF\xD8\xFF\xE0" . join('', map { chr(($_ * 7) % 256) } 1 .. 1996),
            carl => "\xFF\xD8\xFF\xE1" . ('c' x 4996));
EasTest::write_file("$dir/$_.jpg", $jpeg{$_}) for keys %jpeg;
EasTest::write_file("$dir/not.jpg", "GIF89a, not a JPEG");

sub easctl_ok {
    my ($name, @args) = @_;
    my ($rc, $out) = $t->easctl(@args);
    is($rc, 0, $name) or diag $out;
}
easctl_ok('easctl user set: carol\'s directory fields and picture',
          'user', 'set', 'carol', '--first-name', 'Carol', '--last-name', 'Clark', '--alias', 'cc',
          '--company', 'Acme', '--title', 'Engineer', '--office', 'B2', '--phone', '+1 555 0100',
          '--mobile-phone', '+1 555 0101', '--home-phone', '+1 555 0102', '--picture', "$dir/carol.jpg");
easctl_ok('... carl\'s', 'user', 'set', 'carl', '--first-name', 'Carl', '--last-name', 'Carter',
          '--company', 'Acme', '--picture', "$dir/carl.jpg");
easctl_ok('... cathy\'s, without a picture', 'user', 'set', 'cathy', '--first-name', 'Cathy', '--last-name', 'Cole',
          '--title', 'Temp');
easctl_ok('... a field cleared by an empty value', 'user', 'set', 'cathy', '--title', '');
easctl_ok('... dan\'s picture, then none', 'user', 'set', 'dan', '--picture', "$dir/carl.jpg");
easctl_ok('...', 'user', 'set', 'dan', '--no-picture', '--first-name', 'Daniel');
{
    my ($rc, $out) = $t->easctl('user', 'set', 'carol', '--picture', "$dir/not.jpg");
    isnt($rc, 0, 'easctl user set --picture refuses a file that is no JPEG');
    like($out, qr/not a JPEG/, '... saying so');
    ($rc, $out) = $t->easctl('user', 'set', 'nobody', '--title', 'x');
    isnt($rc, 0, '... and an unknown user');
    ($rc, $out) = $t->easctl('user', 'list', '--json');
    is($rc, 0, 'easctl user list --json');
    my %users = map { $_->{name} => $_ } @{ decode_json($out) };
    is_deeply([@{ $users{carol} }{qw(first_name last_name alias company title office phone mobile_phone home_phone picture_bytes)}],
              ['Carol', 'Clark', 'cc', 'Acme', 'Engineer', 'B2', '+1 555 0100', '+1 555 0101', '+1 555 0102', 2000],
              '... shows carol\'s fields and picture as set');
    is_deeply([@{ $users{cathy} }{qw(first_name title picture_bytes)}], ['Cathy', '', 0], '... cathy\'s title cleared, no picture');
    is_deeply([@{ $users{dan} }{qw(first_name picture_bytes display_name)}], ['Daniel', 0, 'Dan Delgado'],
              '... dan\'s picture removed, other fields kept');
}
$t->start;

# Search Store GAL; returns {store_status, total, range, results => [{field => value}], xml}.
sub search {
    my ($query, $options) = @_;
    my $r = $t->request(cmd => 'Search', device => 'PHONE',
        xml => qq{<Search xmlns="Search:"><Store><Name>GAL</Name><Query>$query</Query>}
             . (defined $options ? "<Options>$options</Options>" : '') . '</Store></Search>');
    is($r->{status}, 200, "Search GAL \"$query\" answers 200");
    $t->valid_ok('Search', $r);
    (my $x = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
    return { xml => $x, store_status => ($x =~ m{<Store><Status>(\d+)</Status>})[0],
             total => EasTest::tag($x, 'Total'), range => EasTest::tag($x, 'Range'), results => results_of($x) };
}
sub results_of {
    my ($x) = @_;
    my @out;
    while ($x =~ m{<Result><Properties>(.*?)</Properties></Result>}gs) {
        my $p = $1;
        my %f = (xml => $p);
        $f{$1} = $2 while $p =~ m{<(\w+)>([^<]*)</\1>}g;
        push @out, \%f;
    }
    return \@out;
}
sub addresses { [map { $_->{EmailAddress} } @{ $_[0]{results} }] }

my $s = search('Carol');
is($s->{store_status}, 1, 'Search GAL: Store Status 1');
is_deeply(addresses($s), ['carol@example.org'], 'a first name finds its user');
my $carol = $s->{results}[0];
is_deeply([@$carol{qw(DisplayName FirstName LastName Alias Company Title Office Phone MobilePhone HomePhone)}],
          ['Carol Clark', 'Carol', 'Clark', 'cc', 'Acme', 'Engineer', 'B2', '+1 555 0100', '+1 555 0101', '+1 555 0102'],
          '... with every directory field easctl stored');
unlike($carol->{xml}, qr/<Picture>/, '... and no picture unasked');
is_deeply([@$s{qw(total range)}], [1, '0-0'], '... Total 1, Range 0-0');
is_deeply(addresses(search('car')), ['carol@example.org', 'carl@example.org'], 'a prefix finds several ("car")');
is_deeply(addresses(search('CLAR')), ['carol@example.org'], 'a last name, any letter case');
is_deeply(addresses(search('cc')), ['carol@example.org'], 'an alias');
is_deeply(addresses(search('daniel.d@exa')), ['dan@example.org'], 'the beginning of a second address');
is_deeply(addresses(search('Dan')), ['dan@example.org'], 'a display name');
my $alias = search('cathy')->{results}[0]{Alias};
is($alias, 'cathy', 'without an alias set, the login name is the Alias');
$s = search('zebra');
is_deeply([$s->{store_status}, $s->{total}, scalar @{ $s->{results} }], [1, 0, 0], 'no match: Status 1, Total 0, no result');
unlike($s->{xml}, qr/<Range>/, '... and no Range');

# Paging: "c" finds carol, carl and cathy (user order).
$s = search('c', '<Range>0-1</Range>');
is_deeply([addresses($s), $s->{range}, $s->{total}], [['carol@example.org', 'carl@example.org'], '0-1', 3],
          'Range 0-1: the first two of three, Total 3');
$s = search('c', '<Range>2-9</Range>');
is_deeply([addresses($s), $s->{range}, $s->{total}], [['cathy@example.org'], '2-2', 3], 'Range 2-9: the last one, Range 2-2');
$s = search('c', '<Range>5-9</Range>');
is_deeply([scalar @{ $s->{results} }, $s->{total}], [0, 3], 'a Range past the end: no result, Total 3');

# Pictures.
sub picture {
    my ($f) = @_;
    return [] unless $f->{xml} =~ m{<Picture><Status>(\d+)</Status>(?:<Data>([^<]*)</Data>)?</Picture>};
    return defined $2 ? [$1, $2] : [$1];
}
$s = search('c', '<Picture/>');
is_deeply(picture($s->{results}[0]), [1, encode_base64($jpeg{carol}, '')], 'Picture: carol\'s photo, the bytes easctl stored');
is_deeply(picture($s->{results}[1]), [1, encode_base64($jpeg{carl}, '')], '... carl\'s');
is_deeply(picture($s->{results}[2]), [173], '... cathy has none (173)');
$s = search('c', '<Picture><MaxSize>3000</MaxSize></Picture>');
is_deeply([map { picture($_)->[0] } @{ $s->{results} }], [1, 174, 173], 'MaxSize 3000: carl\'s 5000 bytes too large (174)');
$s = search('c', '<Picture><MaxPictures>1</MaxPictures></Picture>');
is_deeply([map { picture($_)->[0] } @{ $s->{results} }], [1, 175, 173], 'MaxPictures 1: the second photo is over the limit (175)');

# Bad input.
is(search('')->{store_status}, 2, 'an empty Query: Store Status 2');
is(search('c', '<Range>9-1</Range>')->{store_status}, 2, 'a malformed Range: Status 2');
is(search('c', '<Picture><MaxSize>big</MaxSize></Picture>')->{store_status}, 2, 'a MaxSize that is no number: Status 2');
like($t->error_log, qr/Search: a GAL search without Query text: Store Status 2/, 'the log says why');

# --- Find (16.1) ---------------------------------------------------------

sub find {
    my ($criterion) = @_;
    my $xml = qq{<Find xmlns="Find:"><SearchId>8C4F7A3E-0C1B-4E5D-9F2A-5B6C7D8E9F02</SearchId>}
            . qq{<ExecuteSearch>$criterion</ExecuteSearch></Find>};
    my $r = $t->request(cmd => 'Find', device => 'PHONE', version => '16.1', body => MiniWbxml::encode($xml));
    is($r->{status}, 200, 'Find answers 200');
    my $answer = eval { MiniWbxml::decode($r->{body}) } // "(undecodable: $@)";
    EasTest::write_file("$dir/find.xml", $answer);
    my $check = `$EasTest::SHARED/tools/eas-validate --xml Find $dir/find.xml 2>&1`;
    ok($? == 0, 'Find response is valid against the MS-ASCMD schema') or diag "$check\n$answer";
    (my $x = $answer) =~ s/ xmlns="[^"]*"//g;
    return { xml => $x, status => ($x =~ m{^<Find><Status>(\d+)</Status>})[0], total => EasTest::tag($x, 'Total'),
             range => EasTest::tag($x, 'Range'), store => EasTest::tag($x, 'Store'), results => results_of($x) };
}
sub gal_criterion {
    my ($text, $options) = @_;
    return "<GalSearchCriterion><Query><FreeText>$text</FreeText></Query>"
         . (defined $options ? "<Options>$options</Options>" : '') . '</GalSearchCriterion>';
}
my $f = find(gal_criterion('clark'));
is_deeply([@$f{qw(status total)}], [1, 1], 'Find GAL: Status 1, Total 1');
is_deeply([@{ $f->{results}[0] }{qw(DisplayName EmailAddress Company Title MobilePhone)}],
          ['Carol Clark', 'carol@example.org', 'Acme', 'Engineer', '+1 555 0101'], '... carol, with her directory fields');
$f = find(gal_criterion('c', '<Range>1-1</Range><Picture><MaxSize>10000</MaxSize></Picture>'));
is_deeply([addresses($f), $f->{range}, $f->{total}], [['carl@example.org'], '1-1', 3], 'Find GAL pages by Range');
is_deeply(picture($f->{results}[0]), [1, encode_base64($jpeg{carl}, '')], '... with the picture asked for');
$f = find(gal_criterion('c', '<Range>0-2</Range><Picture><MaxPictures>1</MaxPictures></Picture>'));
is_deeply([map { picture($_)->[0] } @{ $f->{results} }], [1, 175, 173], 'Find GAL: MaxPictures 1');
is(find('<GalSearchCriterion><Query><FreeText> </FreeText></Query></GalSearchCriterion>')->{status}, 2,
   'Find GAL with blank FreeText: Status 2');
is(find(gal_criterion('c', '<Range>0-1000</Range>'))->{status}, 2, 'Find GAL with a Range beyond 999: Status 2');
like($t->error_log, qr/Find: GalSearchCriterion without FreeText in its Query: Status 2/, 'the log says why');

# --- ResolveRecipients: a colleague's picture ----------------------------

sub resolve {
    my ($picture, @to) = @_;
    my $r = $t->request(cmd => 'ResolveRecipients', version => '14.1',
        xml => '<ResolveRecipients xmlns="ResolveRecipients:">' . join('', map { "<To>$_</To>" } @to)
             . "<Options>$picture</Options></ResolveRecipients>");
    is($r->{status}, 200, 'ResolveRecipients answers 200');
    $t->valid_ok('ResolveRecipients', $r);
    return $r->{xml};
}
my $x = resolve('<Picture/>', 'carol@example.org', 'cathy@example.org');
like($x, qr{<Picture><Status>1</Status><Data>\Q${\ encode_base64($jpeg{carol}, '')}\E</Data></Picture>},
     'ResolveRecipients: carol\'s picture from her user record');
like($x, qr{<Picture><Status>173</Status></Picture>}, '... cathy has none (173)');
like(resolve('<Picture><MaxSize>100</MaxSize></Picture>', 'carol@example.org'), qr{<Picture><Status>174</Status></Picture>},
     '... MaxSize 100: too large (174)');
like(resolve('<Picture><MaxPictures>x</MaxPictures></Picture>', 'carol@example.org'),
     qr{<ResolveRecipients[^>]*><Status>5</Status>}, 'a MaxPictures that is no number: Status 5');

$t->stop;
done_testing;
