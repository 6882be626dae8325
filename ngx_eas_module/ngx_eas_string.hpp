// Tiny adaptors between nginx strings and std types (kept apart, as
// nginx-otel does, so the rest of the glue reads like nginx code).
#pragma once

extern "C" {
#include <ngx_config.h>
#include <ngx_core.h>
}

#include <string>
#include <string_view>

inline std::string_view ngx_eas_view(const ngx_str_t &s) noexcept {
    return s.len ? std::string_view(reinterpret_cast<const char *>(s.data), s.len)
                 : std::string_view();
}

inline std::string ngx_eas_string(const ngx_str_t &s) {
    return std::string(ngx_eas_view(s));
}

// Copies `s` into the pool; an empty string gives len 0, data NULL-safe.
inline ngx_int_t ngx_eas_pool_str(ngx_pool_t *pool, std::string_view s,
    ngx_str_t *out) noexcept
{
    out->len = s.size();
    out->data = static_cast<u_char *>(ngx_pnalloc(pool, s.size() + 1));
    if (out->data == nullptr) {
        return NGX_ERROR;
    }
    ngx_memcpy(out->data, s.data(), s.size());
    out->data[s.size()] = '\0';
    return NGX_OK;
}
