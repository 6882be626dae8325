# ValidateCert (MS-ASCMD 2.2.1.22): a phone that received signed mail asks
# whether the signer's certificate is one to trust. OpenSSL checks it for
# S/MIME signing against the trust store (here the system's plus a test CA,
# given to the workers by `env SSL_CERT_FILE=...`), with the chain the
# phone sends. Each answer is the Status MS-ASCMD 2.2.3.177.18 defines for
# what is wrong: untrusted (4), not for e-mail (6), expired (7), chain
# not a CA (11), revocation unknown with CheckCRL (16), not a certificate
# (10); a request without certificates is Status 2.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use MIME::Base64 qw(encode_base64);
use Test::More;

my $t = EasTest->new;
my $d = $t->dir . '/pki';
mkdir $d or die "mkdir $d: $!";

sub run_ok {
    my ($cmd) = @_;
    my $out = `cd '$d' && $cmd 2>&1`;
    die "$cmd failed:\n$out" if $?;
}
sub write_text { EasTest::write_file("$d/$_[0]", $_[1]) }

# A root CA the workers trust, another nobody trusts, an intermediate CA
# under the root, and a minimal `openssl ca` set-up for dated certificates.
write_text('ca.cnf', <<'CNF');
[ ca ]
default_ca = test
[ test ]
dir = .
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ smime ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:alice@example.org
[ server ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
[ not_a_ca ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
[ sub_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
CNF
write_text('index.txt', '');
write_text('serial', "1000\n");
for my $ca (qw(root other)) {
    run_ok("openssl req -x509 -newkey rsa:2048 -nodes -keyout $ca.key -out $ca.pem -days 3650 -subj '/CN=Test $ca CA'"
         . " -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'");
}
# sign NAME ISSUER EXTENSIONS [DATES]: NAME.pem issued by ISSUER.
sub sign {
    my ($name, $issuer, $ext, $dates) = @_;
    run_ok("openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj '/CN=$name'");
    $dates //= '-days 365';
    run_ok("openssl ca -batch -config ca.cnf -cert $issuer.pem -keyfile $issuer.key -extensions $ext $dates"
         . " -in $name.csr -out $name.pem -notext");
}
sign('good', 'root', 'smime');
sign('expired', 'root', 'smime', '-startdate 20200101000000Z -enddate 20210101000000Z');
sign('server', 'root', 'server');
sign('stranger', 'other', 'smime');
sign('sub', 'root', 'sub_ca');
sign('deep', 'sub', 'smime');
sign('fake_ca', 'root', 'not_a_ca');
sign('under_fake', 'fake_ca', 'smime');

sub der_base64 {
    my ($name) = @_;
    run_ok("openssl x509 -in $name.pem -outform DER -out $name.der");
    return encode_base64(EasTest::read_file("$d/$name.der"), '');
}

$t->{main} = "env SSL_CERT_FILE=$d/root.pem;";
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

sub validate {
    my ($inner) = @_;
    my $r = $t->request(cmd => 'ValidateCert', xml => qq{<ValidateCert xmlns="ValidateCert:">$inner</ValidateCert>});
    is($r->{status}, 200, 'ValidateCert answers 200');
    $t->valid_ok('ValidateCert', $r);
    return $r;
}
sub statuses_of {
    my ($xml) = @_;
    my ($top) = $xml =~ m{<ValidateCert[^>]*><Status>(\d+)</Status>};
    return ($top, [ $xml =~ m{<Certificate><Status>(\d+)</Status></Certificate>}g ]);
}
sub certificates { '<Certificates>' . join('', map { '<Certificate>' . der_base64($_) . '</Certificate>' } @_) . '</Certificates>' }

my $r = $t->request(method => 'OPTIONS', query => '');
like($r->{headers}{'ms-asprotocolcommands'}, qr/\bValidateCert\b/, 'OPTIONS announces ValidateCert');

my ($top, $each) = statuses_of(validate(certificates(qw(good stranger server expired)))->{xml});
is($top, 1, 'the command succeeds');
is($each->[0], 1, 'an S/MIME certificate from a trusted CA: valid (1)');
is($each->[1], 4, 'one from a CA nobody trusts: untrusted source (4)');
is($each->[2], 6, 'a server certificate: not valid for signing e-mail (6)');
is($each->[3], 7, 'an expired one: 7');
is(scalar @$each, 4, '... one Status per certificate');

($top, $each) = statuses_of(validate(certificates('deep'))->{xml});
is($each->[0], 4, 'under an intermediate CA, without the chain: untrusted (4)');
($top, $each) = statuses_of(validate('<CertificateChain><Certificate>' . der_base64('sub') . '</Certificate></CertificateChain>'
                                     . certificates('deep'))->{xml});
is($each->[0], 1, '... with the intermediate in CertificateChain: valid (1)');
($top, $each) = statuses_of(validate('<CertificateChain><Certificate>' . der_base64('fake_ca') . '</Certificate></CertificateChain>'
                                     . certificates('under_fake'))->{xml});
is($each->[0], 11, 'issued by a certificate that is no CA: 11');
($top, $each) = statuses_of(validate(certificates('good') . '<CheckCRL>1</CheckCRL>')->{xml});
is($each->[0], 16, 'CheckCRL 1 with no CRL to be had: revocation unknown (16)');
($top, $each) = statuses_of(validate('<Certificates><Certificate>' . encode_base64('not a certificate', '') . '</Certificate></Certificates>')->{xml});
is($each->[0], 10, 'bytes that are no certificate: 10');
like($t->error_log, qr/ValidateCert: certificate 1: Status 10 \(not a DER certificate\)/, '... logged');

($top, $each) = statuses_of(validate('')->{xml});
is($top, 2, 'no Certificates: Status 2');
like($t->error_log, qr/ValidateCert: no Certificates \(Status 2\)/, '... logged');

$t->stop;
unlike($t->error_log, qr/exited on signal/, 'no worker crashed');
done_testing;
