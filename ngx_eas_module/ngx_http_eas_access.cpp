/*
 * eas for nginx: device access directives. The rules are parsed and
 * compiled by core at configuration time (so `nginx -t` names a bad rule),
 * kept alive for the cycle by a pool cleanup, and evaluated by core per
 * request; the glue only evaluates the complex values and passes strings.
 *
 *   eas_device_rule allow|block|quarantine FIELD=VALUE|FIELD=~REGEX ...;
 *   eas_device_default allow|block|quarantine;
 *   eas_device_access $value;             "allow" | "block" | "quarantine" | ""
 *   eas_provisioning_exempt FIELD=VALUE|FIELD=~REGEX ...;
 *   eas_max_devices N;
 *   eas_max_protocol_version $value;      "14.1", ...
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "ngx_eas_string.hpp"

using eas::core::access::Decision;
using eas::core::access::RuleList;

/* eas_device_default: like ngx_conf_set_enum_slot, naming the choices. */
char *
ngx_http_eas_device_default(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_eas_loc_conf_t *elcf = static_cast<ngx_http_eas_loc_conf_t *>(conf);
    ngx_str_t *value = static_cast<ngx_str_t *>(cf->args->elts);

    if (elcf->device_default != NGX_CONF_UNSET_UINT) {
        return const_cast<char *>("is duplicate");
    }

    Decision d = eas::core::access::ParseDecision(ngx_eas_view(value[1]));
    if (d == Decision::kNone) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"%V\" directive, it must "
                           "be \"allow\", \"block\" or \"quarantine\"",
                           &value[1], &cmd->name);
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    elcf->device_default = static_cast<ngx_uint_t>(d);
    return NGX_CONF_OK;
}

static void
ngx_http_eas_rules_cleanup(void *data)
{
    delete static_cast<RuleList *>(data);
}

/* The location's list for this directive, created on its first rule and
 * freed with the configuration pool (old cycles free theirs on reload). */
static RuleList *
ngx_http_eas_rule_list(ngx_conf_t *cf, void **slot)
{
    if (*slot != NULL) {
        return static_cast<RuleList *>(*slot);
    }

    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    RuleList *rules = new RuleList();
    cln->handler = ngx_http_eas_rules_cleanup;
    cln->data = rules;
    *slot = rules;
    return rules;
}

/* eas_device_rule DECISION COND...; and eas_provisioning_exempt COND...; */
char *
ngx_http_eas_device_rule(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_eas_loc_conf_t *elcf = static_cast<ngx_http_eas_loc_conf_t *>(conf);
    ngx_str_t *value = static_cast<ngx_str_t *>(cf->args->elts);
    bool exempt = cmd->offset
                  == offsetof(ngx_http_eas_loc_conf_t, provisioning_exempt);

    try {
        ngx_uint_t first = 1;
        Decision decision = Decision::kAllow;

        if (!exempt) {
            decision = eas::core::access::ParseDecision(ngx_eas_view(value[1]));
            if (decision == Decision::kNone) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "invalid value \"%V\" in \"%V\" directive, "
                                   "it must be \"allow\", \"block\" or "
                                   "\"quarantine\"", &value[1], &cmd->name);
                return static_cast<char *>(NGX_CONF_ERROR);
            }
            first = 2;
        }

        std::vector<std::string> conditions;
        for (ngx_uint_t i = first; i < cf->args->nelts; i++) {
            conditions.push_back(ngx_eas_string(value[i]));
        }

        void **slot = exempt ? &elcf->provisioning_exempt : &elcf->device_rules;
        RuleList *rules = ngx_http_eas_rule_list(cf, slot);
        if (rules == NULL) {
            return static_cast<char *>(NGX_CONF_ERROR);
        }

        eas::Status s = rules->Add(decision, conditions);
        if (!s.ok()) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"%V\" directive: %s",
                               &cmd->name, s.message().c_str());
            return static_cast<char *>(NGX_CONF_ERROR);
        }

    } catch (const std::exception &e) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"%V\" directive: %s",
                           &cmd->name, e.what());
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    return NGX_CONF_OK;
}

/* eas_device_access and eas_max_protocol_version: complex values; a
 * constant one is checked here, a variable one per request. */
char *
ngx_http_eas_access_value(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char *rv = ngx_http_set_complex_value_slot(cf, cmd, conf);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    ngx_http_complex_value_t *cv = *reinterpret_cast<ngx_http_complex_value_t **>(
        static_cast<u_char *>(conf) + cmd->offset);
    if (cv->lengths != NULL) {
        return NGX_CONF_OK;
    }

    std::string_view v = ngx_eas_view(cv->value);
    bool is_version = cmd->offset
                      == offsetof(ngx_http_eas_loc_conf_t, max_protocol_version);

    if (is_version && !eas::core::IsMaxProtocolVersion(v)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"%V\" directive, it must "
                           "be a protocol version (2.5, 12.0, 12.1, 14.0, "
                           "14.1, 16.0, 16.1) or hold a variable",
                           &cv->value, &cmd->name);
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    if (!is_version && !v.empty()
        && eas::core::access::ParseDecision(v) == Decision::kNone)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"%V\" directive, it must "
                           "be \"allow\", \"block\", \"quarantine\" or hold "
                           "a variable", &cv->value, &cmd->name);
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    return NGX_CONF_OK;
}

void
ngx_http_eas_access_create_conf(ngx_http_eas_loc_conf_t *conf)
{
    /* device_rules and provisioning_exempt: NULL by ngx_pcalloc() */
    conf->device_default = NGX_CONF_UNSET_UINT;
    conf->device_access = static_cast<ngx_http_complex_value_t *>(
        NGX_CONF_UNSET_PTR);
    conf->max_devices = NGX_CONF_UNSET;
    conf->max_protocol_version = static_cast<ngx_http_complex_value_t *>(
        NGX_CONF_UNSET_PTR);
}

char *
ngx_http_eas_access_merge_conf(ngx_conf_t *cf, ngx_http_eas_loc_conf_t *prev,
    ngx_http_eas_loc_conf_t *conf)
{
    /* A level with rules of its own replaces the inherited list whole, as
     * add_header does: order matters, so lists are never spliced. */
    if (conf->device_rules == NULL) {
        conf->device_rules = prev->device_rules;
    }
    if (conf->provisioning_exempt == NULL) {
        conf->provisioning_exempt = prev->provisioning_exempt;
    }
    ngx_conf_merge_uint_value(conf->device_default, prev->device_default,
                              static_cast<ngx_uint_t>(Decision::kAllow));
    ngx_conf_merge_ptr_value(conf->device_access, prev->device_access, NULL);
    ngx_conf_merge_value(conf->max_devices, prev->max_devices, 0);
    ngx_conf_merge_ptr_value(conf->max_protocol_version,
                             prev->max_protocol_version, NULL);

    if (conf->max_devices < 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"eas_max_devices\" must not be negative");
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    return NGX_CONF_OK;
}

ngx_int_t
ngx_http_eas_access_options(ngx_http_request_t *r,
    ngx_http_eas_loc_conf_t *elcf, eas::core::access::AccessOptions *out)
{
    ngx_str_t  v;

    out->rules = static_cast<const RuleList *>(elcf->device_rules);
    out->default_decision = static_cast<Decision>(elcf->device_default);
    out->provisioning_exempt =
        static_cast<const RuleList *>(elcf->provisioning_exempt);
    out->max_devices = static_cast<uint32_t>(elcf->max_devices);

    if (elcf->device_access) {
        if (ngx_http_complex_value(r, elcf->device_access, &v) != NGX_OK) {
            return NGX_ERROR;
        }
        out->variable = ngx_eas_string(v);
    }

    if (elcf->max_protocol_version) {
        if (ngx_http_complex_value(r, elcf->max_protocol_version, &v)
            != NGX_OK)
        {
            return NGX_ERROR;
        }
        out->max_protocol_version = ngx_eas_string(v);
    }

    return NGX_OK;
}
