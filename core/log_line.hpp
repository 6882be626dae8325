// A line for nginx's error log: core says what and how loud, the glue
// writes it on the event loop (ngx_http_eas_log_line, ngx_stream_eas_log).
#pragma once

#include <string>

namespace eas::core {

enum class LogLevel { kInfo, kNotice, kWarn, kError };

struct LogLine {
  LogLevel level;
  std::string text;
};

}  // namespace eas::core
