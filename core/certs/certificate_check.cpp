#include "core/certs/certificate_check.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

namespace eas::core::certs {
namespace {

struct X509Free { void operator()(X509* x) const { X509_free(x); } };
struct StoreFree { void operator()(X509_STORE* s) const { X509_STORE_free(s); } };
struct StoreCtxFree { void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); } };
struct StackFree { void operator()(STACK_OF(X509)* s) const { sk_X509_pop_free(s, X509_free); } };
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr FromDer(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  // Trailing bytes mean it was not one certificate.
  if (cert && p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) cert.reset();
  return cert;
}

// OpenSSL's verdict in ValidateCert's words; `depth` 0 is the certificate
// itself, more is a certificate of its chain.
CertificateStatus FromVerifyError(int error, int depth) {
  switch (error) {
    case X509_V_OK:
      return kCertValid;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
      return kCertSignatureInvalid;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
      return kCertUntrusted;
    case X509_V_ERR_INVALID_PURPOSE:
      return depth == 0 ? kCertNotForSigning : kCertChainUsedIncorrectly;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
      return depth == 0 ? kCertExpired : kCertChainTimesInvalid;
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_INVALID_NON_CA:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
      return kCertChainUsedIncorrectly;
    case X509_V_ERR_CERT_REVOKED:
      return depth == 0 ? kCertRevoked : kCertChainRevoked;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
      return kCertRevocationUnknown;
    default:
      return kCertChainIncorrect;
  }
}

}  // namespace

CertificateStatus CheckCertificate(const std::string& der, const std::vector<std::string>& chain,
                                   bool check_crl, int64_t now, std::string* why) {
  X509Ptr cert = FromDer(der);
  if (!cert) {
    *why = "not a DER certificate";
    return kCertInformationIncorrect;
  }
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!untrusted || !store || !ctx || X509_STORE_set_default_paths(store.get()) != 1) {
    ERR_clear_error();
    *why = "OpenSSL could not set up verification";
    return kCertServerError;
  }
  for (const std::string& link : chain) {
    X509Ptr c = FromDer(link);
    if (!c) {
      *why = "a chain certificate is not DER";
      return kCertChainIncorrect;
    }
    if (sk_X509_push(untrusted.get(), c.get()) == 0) return kCertServerError;
    c.release();  // the stack owns it now
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), untrusted.get()) != 1) {
    ERR_clear_error();
    *why = "OpenSSL could not set up verification";
    return kCertServerError;
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SMIME_SIGN);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now));
  if (check_crl) X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  const int ok = X509_verify_cert(ctx.get());
  const int error = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  if (ok == 1 && error == X509_V_OK) return kCertValid;
  *why = X509_verify_cert_error_string(error);
  return FromVerifyError(error == X509_V_OK ? X509_V_ERR_UNSPECIFIED : error,
                         X509_STORE_CTX_get_error_depth(ctx.get()));
}

}  // namespace eas::core::certs
