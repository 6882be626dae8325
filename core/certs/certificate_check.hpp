// Is an S/MIME certificate one to trust for signed mail (ValidateCert,
// MS-ASCMD 2.2.1.22)? OpenSSL verifies it for S/MIME signing against the
// system's trust store (OpenSSL's default paths: /etc/ssl/certs, or what
// SSL_CERT_FILE / SSL_CERT_DIR name) with the chain the client sent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eas::core::certs {

// MS-ASCMD 2.2.3.177.18: the Status of one certificate.
enum CertificateStatus {
  kCertValid = 1,
  kCertProtocolError = 2,
  kCertSignatureInvalid = 3,      // the signature in the digital ID cannot be validated
  kCertUntrusted = 4,             // issued by an untrusted source
  kCertChainIncorrect = 5,        // the chain was not created correctly
  kCertNotForSigning = 6,         // not valid for signing e-mail
  kCertExpired = 7,               // expired or not yet valid
  kCertChainTimesInvalid = 8,     // a certificate of the chain out of its validity period
  kCertUsedIncorrectly = 9,
  kCertInformationIncorrect = 10, // the digital ID's information is missing or wrong
  kCertChainUsedIncorrectly = 11, // a chain certificate used as it may not be (no CA)
  kCertRevoked = 13,
  kCertChainRevoked = 15,
  kCertRevocationUnknown = 16,    // revocation asked for and not determinable
  kCertServerError = 17,
};

// `der`: the certificate; `chain`: intermediate certificates (DER) that
// may help build the path; `check_crl`: revocation must be known (no
// CRLs are fetched, so only those in the trust store count); `now`: unix
// seconds the validity periods are checked at. `why` gets OpenSSL's words
// for the log when the answer is not kCertValid.
CertificateStatus CheckCertificate(const std::string& der, const std::vector<std::string>& chain,
                                   bool check_crl, int64_t now, std::string* why);

}  // namespace eas::core::certs
