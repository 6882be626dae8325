/*
 * eas for nginx: declarations shared by the glue files.
 */
#pragma once

extern "C" {
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include <ngx_thread_pool.h>
}

#include <string>
#include <string_view>

#include "ngx_eas_module/ngx_eas_log.hpp"

namespace eas::core {
class Service;
struct Response;
struct LogLine;
namespace push {
class Hub;
}
}
namespace eas::core::access {
struct AccessOptions;
}

typedef struct {
    ngx_str_t               store;          /* eas_store */
    ngx_shm_zone_t         *auth_zone;      /* credential cache, all workers */
    ngx_shm_zone_t         *push_zone;      /* device generations, all workers */
    ngx_flag_t              used;           /* some location has "eas on" */
    void                   *relay;          /* eas_smtp_relay (ngx_http_eas_relay.cpp) */
    /* where work no request asks for runs (NGX_HTTP_EAS_BACKGROUND_POOL);
     * added at the end of the http block when "eas on" is used */
    ngx_thread_pool_t      *background_pool;
} ngx_http_eas_main_conf_t;

/* The one thread pool of the work no request asks for: the search
 * indexer (ngx_http_eas_indexer.cpp) and the outgoing queue's runner
 * (ngx_http_eas_relay.cpp; eas_smtp_relay's thread_pool= may name another)
 * run on the pool "default", whatever eas_thread_pool the locations use:
 * one name an administrator can size with "thread_pool default
 * threads=N;", and nginx creates it on demand when no thread_pool
 * directive names it, as it does for "aio threads". */
#define NGX_HTTP_EAS_BACKGROUND_POOL  "default"

typedef struct {
    ngx_flag_t              enable;         /* eas */
    ngx_flag_t              autodiscover;   /* eas_autodiscover */
    ngx_http_complex_value_t *autodiscover_url; /* eas_autodiscover_url */
    size_t                  max_body_size;  /* eas_max_body_size */
    ngx_uint_t              auth;           /* eas_auth: store | nginx */
    time_t                  auth_cache_valid;
    ngx_int_t               sync_window_max; /* eas_sync_window_max */
    time_t                  sync_state_expiry; /* eas_sync_state_expiry; 0 = never */
    time_t                  meeting_reply_delay; /* eas_meeting_reply_delay; 0 = at once */

    ngx_uint_t              provisioning;   /* eas_provisioning */
    ngx_flag_t              policy_password;
    ngx_int_t               policy_password_min_length;
    ngx_flag_t              policy_password_complex;
    time_t                  policy_max_inactivity;
    ngx_int_t               policy_max_failed_attempts;
    ngx_flag_t              policy_require_encryption;
    ngx_flag_t              policy_allow_camera;
    ngx_flag_t              policy_allow_storage_card;
    ngx_flag_t              policy_allow_simple_password;
    ngx_str_t               thread_pool_name;
    ngx_thread_pool_t      *thread_pool;
    time_t                  ping_min;       /* eas_ping_min */
    time_t                  ping_max;       /* eas_ping_max */
    ngx_uint_t              ping_max_folders;

    /* device access (ngx_http_eas_access.cpp) */
    void                   *device_rules;        /* eas_device_rule */
    ngx_uint_t              device_default;      /* eas_device_default */
    ngx_http_complex_value_t *device_access;     /* eas_device_access */
    void                   *provisioning_exempt; /* eas_provisioning_exempt */
    ngx_int_t               max_devices;         /* eas_max_devices */
    ngx_http_complex_value_t *max_protocol_version;
} ngx_http_eas_loc_conf_t;

/* What the variables know about a request, filled lazily. */
typedef struct {
    ngx_str_t               cmd;
    ngx_str_t               user;
    ngx_str_t               device_id;
    ngx_str_t               device_type;
    ngx_str_t               protocol_version;
    ngx_str_t               device_access;
    void                   *job;            /* a held answer (failed login) */
    void                   *ping;           /* a held Ping (ngx_http_eas_ping.cpp) */
    uint64_t                device_word;    /* the device's mark then */
    uint32_t                device_slot;    /*   (push::DeviceMark) */
    unsigned                query_parsed:1;
    unsigned                answered:1;
    unsigned                device_seen:1;  /* device_slot/word are set */
} ngx_http_eas_ctx_t;

extern ngx_module_t  ngx_http_eas_module;

/* The worker's service, opened in init_process; NULL on failure. */
eas::core::Service *ngx_http_eas_service();
/* After the event loop used the store: arms the timer that releases parked
 * read snapshots once the worker idles. */
void ngx_http_eas_note_activity();
/* The service's push façade for held Pings (NULL without the service). */
eas::core::push::Hub *ngx_http_eas_push();

ngx_int_t ngx_http_eas_handler(ngx_http_request_t *r);

/* ngx_http_eas_relay.cpp: eas_smtp_relay and the outgoing queue's runner. */
char *ngx_http_eas_smtp_relay(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
void ngx_http_eas_relay_init_process(ngx_cycle_t *cycle,
    ngx_http_eas_main_conf_t *emcf);
void ngx_http_eas_relay_exit_process();
/* Starts the outgoing queue's run now when none is under way (a request
 * just queued mail); otherwise the running one, or the next, takes it. */
void ngx_http_eas_relay_kick();

/* ngx_http_eas_indexer.cpp: the search index kept up to date in the
 * background. */
void ngx_http_eas_indexer_init_process(ngx_cycle_t *cycle,
    ngx_http_eas_main_conf_t *emcf);
void ngx_http_eas_indexer_exit_process();

/* Device access directives and their per-request values. */
char *ngx_http_eas_device_default(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_eas_device_rule(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_eas_access_value(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
void ngx_http_eas_access_create_conf(ngx_http_eas_loc_conf_t *conf);
char *ngx_http_eas_access_merge_conf(ngx_conf_t *cf,
    ngx_http_eas_loc_conf_t *prev, ngx_http_eas_loc_conf_t *conf);
ngx_int_t ngx_http_eas_access_options(ngx_http_request_t *r,
    ngx_http_eas_loc_conf_t *elcf, eas::core::access::AccessOptions *out);
ngx_int_t ngx_http_eas_add_variables(ngx_conf_t *cf);
ngx_http_eas_ctx_t *ngx_http_eas_get_ctx(ngx_http_request_t *r);
void ngx_http_eas_ctx_fill(ngx_http_request_t *r, ngx_http_eas_ctx_t *ctx,
    const eas::core::Response &resp);

/* ngx_http_eas_handler.cpp: sends a WBXML body after the headers that were
 * set when the request was put on hold. */
ngx_int_t ngx_http_eas_send_body(ngx_http_request_t *r,
    std::string_view content_type, const std::string &body);

/* ngx_http_eas_ping.cpp: long-polled Pings. */
void ngx_http_eas_device_request(ngx_http_request_t *r,
    ngx_http_eas_ctx_t *ctx);
ngx_int_t ngx_http_eas_ping_hold(ngx_http_request_t *r,
    ngx_http_eas_ctx_t *ctx, eas::core::Response *resp, void *sync_job);
/* Runs the request's job through the service: on the loop, or on the
 * thread pool when it must write (a held Sync runs again this way). */
void ngx_http_eas_run(ngx_http_request_t *r, void *job);
