// ValidateCert (MS-ASCMD 2.2.1.22): a phone asks whether the certificate of
// a signed message it received is one to trust; core/certs answers for
// each with OpenSSL and the system's trust store.
#include <optional>
#include <string>
#include <vector>

#include "core/certs/certificate_check.hpp"
#include "core/commands/command.hpp"
#include "core/util/base64.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::commands {
namespace {

namespace vc = wbxml::tags::validate_cert;

// A Certificate element's bytes: xml2wbxml-style encoders send the DER as
// opaque bytes, others its base64 text. DER begins with a SEQUENCE (0x30),
// which no base64 text does.
std::optional<std::string> CertificateBytes(const std::string& text) {
  if (!text.empty() && static_cast<unsigned char>(text[0]) == 0x30) return text;
  return util::Base64Decode(text);
}

}  // namespace

void ValidateCert(CommandContext& ctx) {
  const wbxml::Element* root = ctx.body;
  const wbxml::Element* certificates = root && root->tag == vc::kValidateCert
                                           ? root->Child(vc::kCertificates)
                                           : nullptr;
  if (certificates == nullptr || !certificates->Has(vc::kCertificate)) {
    ctx.response.log.push_back({LogLevel::kWarn, "ValidateCert: no Certificates (Status 2)"});
    ctx.Answer(StatusAnswer(vc::kValidateCert, vc::kStatus, certs::kCertProtocolError));
    return;
  }
  std::vector<std::string> chain;
  if (const wbxml::Element* links = root->Child(vc::kCertificateChain)) {
    for (const wbxml::Element* c : links->Children(vc::kCertificate)) {
      if (auto bytes = CertificateBytes(c->text)) chain.push_back(std::move(*bytes));
    }
  }
  const bool check_crl = root->ChildText(vc::kCheckCRL) == "1";

  wbxml::Writer w;
  w.Start(vc::kValidateCert);
  w.Element(vc::kStatus, "1");
  int n = 0;
  for (const wbxml::Element* c : certificates->Children(vc::kCertificate)) {
    ++n;
    std::string why;
    certs::CertificateStatus status = certs::kCertInformationIncorrect;
    if (auto der = CertificateBytes(c->text)) {
      status = certs::CheckCertificate(*der, chain, check_crl, static_cast<int64_t>(ctx.request.now), &why);
    } else {
      why = "neither DER nor base64";
    }
    if (status != certs::kCertValid) {
      ctx.response.log.push_back({LogLevel::kInfo, "ValidateCert: certificate " + std::to_string(n) +
                                                       ": Status " + std::to_string(status) + " (" + why + ")"});
    }
    w.Start(vc::kCertificate);
    w.Element(vc::kStatus, std::to_string(status));
    w.End();
  }
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace eas::core::commands
