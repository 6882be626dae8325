// A line core gave for the error log, written at its level: shared by the
// http and the stream module.
#pragma once

extern "C" {
#include <ngx_config.h>
#include <ngx_core.h>
}

#include "core/log_line.hpp"

inline void ngx_eas_log_line(ngx_log_t *log, const eas::core::LogLine &line) {
    ngx_uint_t level = NGX_LOG_INFO;

    switch (line.level) {
    case eas::core::LogLevel::kInfo:   level = NGX_LOG_INFO; break;
    case eas::core::LogLevel::kNotice: level = NGX_LOG_NOTICE; break;
    case eas::core::LogLevel::kWarn:   level = NGX_LOG_WARN; break;
    case eas::core::LogLevel::kError:  level = NGX_LOG_ERR; break;
    }

    ngx_log_error(level, log, 0, "eas: %s", line.text.c_str());
}
