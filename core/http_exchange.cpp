#include "core/http_exchange.hpp"

#include "core/auth/user_name.hpp"
#include "core/query.hpp"

namespace eas::core {

bool LabelRequest(std::string_view query_string, std::optional<std::string_view> basic_user,
                  RequestLabels* out) {
  Query query;
  if (!ParseQuery(query_string, &query).ok()) return false;
  out->cmd = std::move(query.cmd);
  out->device_id = std::move(query.device_id);
  out->device_type = std::move(query.device_type);
  out->protocol_version = std::move(query.protocol_version);
  out->user = auth::CanonicalUserName(basic_user ? *basic_user : std::string_view(query.user));
  return true;
}

}  // namespace eas::core
