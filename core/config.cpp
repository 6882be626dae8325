#include "core/config.hpp"

#include "core/protocol.hpp"

namespace eas::core {

bool IsMaxProtocolVersion(std::string_view value) { return IsSupportedVersion(value); }

}  // namespace eas::core
