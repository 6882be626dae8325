# nginx -t refuses bad eas_* values with a clear message.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my @cases = (
    ["eas maybe;\n", qr/invalid value "maybe" in "eas" directive/],
    ["eas on;\neas_auth password;\n", qr/invalid value "password" in "eas_auth" directive, it must be "store" or "nginx"/],
    ["eas on;\neas_max_body_size lots;\n", qr/"eas_max_body_size" directive invalid value/],
    ["eas on;\neas_auth_cache_valid soon;\n", qr/"eas_auth_cache_valid" directive invalid value/],
    ["eas on;\neas_store /tmp/x;\n", qr/"eas_store" directive is not allowed here/],
);
for my $c (@cases) {
    my $t = EasTest->new(location => $c->[0]);
    my ($rc, $out) = $t->check_conf;
    isnt($rc, 0, "nginx -t refuses: $c->[0]");
    like($out, $c->[1], '... saying why');
}

my $t = EasTest->new(location => "eas on;\neas_auth nginx;\neas_max_body_size 1m;\neas_auth_cache_valid 5m;\n");
my ($rc, $out) = $t->check_conf;
is($rc, 0, 'a good configuration passes nginx -t') or diag $out;

done_testing;
