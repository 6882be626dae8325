/*
 * eas for nginx: $eas_cmd, $eas_user, $eas_device_id, $eas_device_type,
 * $eas_protocol_version, $eas_device_access. Usable before the content phase too (limit_req in
 * preaccess, log_format): until the module has answered they come from the
 * query string and headers; afterwards from what the module decided.
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <optional>

#include "core/http_exchange.hpp"
#include "ngx_eas_string.hpp"

static ngx_int_t ngx_http_eas_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);

static ngx_http_variable_t  ngx_http_eas_vars[] = {

    { ngx_string("eas_cmd"), NULL, ngx_http_eas_variable,
      offsetof(ngx_http_eas_ctx_t, cmd), NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("eas_user"), NULL, ngx_http_eas_variable,
      offsetof(ngx_http_eas_ctx_t, user), NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("eas_device_id"), NULL, ngx_http_eas_variable,
      offsetof(ngx_http_eas_ctx_t, device_id), NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("eas_device_type"), NULL, ngx_http_eas_variable,
      offsetof(ngx_http_eas_ctx_t, device_type), NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("eas_protocol_version"), NULL, ngx_http_eas_variable,
      offsetof(ngx_http_eas_ctx_t, protocol_version),
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    /* allow, block, quarantine, wipe, wipe_account, limit: empty until
     * the module decided (never guessed from the request) */
    { ngx_string("eas_device_access"), NULL, ngx_http_eas_variable,
      offsetof(ngx_http_eas_ctx_t, device_access),
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};

ngx_int_t
ngx_http_eas_add_variables(ngx_conf_t *cf)
{
    for (ngx_http_variable_t *v = ngx_http_eas_vars; v->name.len; v++) {
        ngx_http_variable_t *var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }
        var->get_handler = v->get_handler;
        var->data = v->data;
    }
    return NGX_OK;
}

ngx_http_eas_ctx_t *
ngx_http_eas_get_ctx(ngx_http_request_t *r)
{
    ngx_http_eas_ctx_t *ctx = static_cast<ngx_http_eas_ctx_t *>(
        ngx_http_get_module_ctx(r, ngx_http_eas_module));
    if (ctx) {
        return ctx;
    }

    ctx = static_cast<ngx_http_eas_ctx_t *>(
        ngx_pcalloc(r->pool, sizeof(ngx_http_eas_ctx_t)));
    if (ctx) {
        ngx_http_set_ctx(r, ctx, ngx_http_eas_module);
    }
    return ctx;
}

static void
ngx_http_eas_set(ngx_http_request_t *r, ngx_str_t *dst, const std::string &s)
{
    if (ngx_eas_pool_str(r->pool, s, dst) != NGX_OK) {
        dst->len = 0;
    }
}

void
ngx_http_eas_ctx_fill(ngx_http_request_t *r, ngx_http_eas_ctx_t *ctx,
    const eas::core::Response &resp)
{
    ngx_http_eas_set(r, &ctx->cmd, resp.cmd);
    ngx_http_eas_set(r, &ctx->user, resp.user);
    ngx_http_eas_set(r, &ctx->device_id, resp.device_id);
    ngx_http_eas_set(r, &ctx->device_type, resp.device_type);
    ngx_http_eas_set(r, &ctx->protocol_version, resp.protocol_version);
    ngx_http_eas_set(r, &ctx->device_access, resp.device_access);
    ctx->answered = 1;
    ctx->query_parsed = 1;
}

/* Before the module answered: what the request line and headers say. */
static void
ngx_http_eas_ctx_from_query(ngx_http_request_t *r, ngx_http_eas_ctx_t *ctx)
{
    ctx->query_parsed = 1;

    try {
        /* the Basic user name, when nginx can decode one, wins over User= */
        std::optional<std::string_view>  basic_user;
        if (r->headers_in.authorization
            && ngx_http_auth_basic_user(r) == NGX_OK)
        {
            basic_user = ngx_eas_view(r->headers_in.user);
        }

        eas::core::RequestLabels  labels;
        if (!eas::core::LabelRequest(ngx_eas_view(r->args), basic_user,
                                     &labels))
        {
            return;
        }
        ngx_http_eas_set(r, &ctx->cmd, labels.cmd);
        ngx_http_eas_set(r, &ctx->device_id, labels.device_id);
        ngx_http_eas_set(r, &ctx->device_type, labels.device_type);
        ngx_http_eas_set(r, &ctx->protocol_version, labels.protocol_version);
        ngx_http_eas_set(r, &ctx->user, labels.user);

    } catch (const std::exception &) {
        /* variables stay empty */
    }
}

static ngx_int_t
ngx_http_eas_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
    uintptr_t data)
{
    ngx_http_eas_ctx_t *ctx = ngx_http_eas_get_ctx(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    if (!ctx->query_parsed) {
        ngx_http_eas_ctx_from_query(r, ctx);
    }

    ngx_str_t *s = reinterpret_cast<ngx_str_t *>(
        reinterpret_cast<u_char *>(ctx) + data);

    if (s->len == 0) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->len = s->len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;
    v->data = s->data;
    return NGX_OK;
}
