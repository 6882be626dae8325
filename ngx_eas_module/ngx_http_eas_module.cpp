/*
 * eas for nginx: directives, configuration, shared zones and the per-worker
 * service (the LMDB store is opened after fork, in init_process). The
 * zones are nginx's; what lies in them is core's (Service::RegionSize,
 * Service::FormatRegion), and the service attaches to them.
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <memory>
#include <new>

#include "core/libraries.hpp"
#include "core/mail/relay.hpp"
#include "core/service.hpp"
#include "ngx_eas_string.hpp"

#define NGX_HTTP_EAS_AUTH_STORE  0
#define NGX_HTTP_EAS_AUTH_NGINX  1

/* eas_meeting_reply_delay's default, seconds: how long the server's own
 * iTIP REPLY for a client up to 14.1 waits for the client's (MS-ASCMD
 * 2.2.1.11 lets such a client send its own by SendMail) */
#define NGX_HTTP_EAS_MEETING_REPLY_DELAY  120

static void *ngx_http_eas_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_eas_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_eas_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_eas_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_eas_location_flag(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_eas_preconfiguration(ngx_conf_t *cf);
static ngx_int_t ngx_http_eas_init_auth_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static ngx_int_t ngx_http_eas_init_push_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static ngx_int_t ngx_http_eas_init_module(ngx_cycle_t *cycle);
static ngx_int_t ngx_http_eas_init_process(ngx_cycle_t *cycle);
static void ngx_http_eas_exit_process(ngx_cycle_t *cycle);

static char *ngx_http_eas_auth(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

/* MS-ASCMD caps WindowSize at 512; below that the administrator decides. */
static ngx_conf_num_bounds_t  ngx_http_eas_sync_window_bounds = {
    ngx_conf_check_num_bounds, 1, 512
};

static ngx_conf_enum_t  ngx_http_eas_provisioning_modes[] = {
    { ngx_string("off"), 0 },
    { ngx_string("optional"), 1 },
    { ngx_string("required"), 2 },
    { ngx_null_string, 0 }
};

/* Directives of one location-level flag/number/time each. */
#define NGX_HTTP_EAS_LOC_DIRECTIVE(name, handler, field, post)                \
    { ngx_string(name),                                                       \
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,  \
      handler,                                                                \
      NGX_HTTP_LOC_CONF_OFFSET,                                               \
      offsetof(ngx_http_eas_loc_conf_t, field),                               \
      post }

static ngx_command_t  ngx_http_eas_commands[] = {

    { ngx_string("eas"),
      NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_http_eas_location_flag,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, enable),
      NULL },

    { ngx_string("eas_autodiscover"),
      NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_http_eas_location_flag,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, autodiscover),
      NULL },

    { ngx_string("eas_autodiscover_url"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_set_complex_value_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, autodiscover_url),
      NULL },

    { ngx_string("eas_smtp_relay"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_1MORE,
      ngx_http_eas_smtp_relay,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("eas_store"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_eas_main_conf_t, store),
      NULL },

    { ngx_string("eas_max_body_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, max_body_size),
      NULL },

    { ngx_string("eas_auth"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_eas_auth,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, auth),
      NULL },

    { ngx_string("eas_auth_cache_valid"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, auth_cache_valid),
      NULL },

    { ngx_string("eas_sync_window_max"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, sync_window_max),
      &ngx_http_eas_sync_window_bounds },

    { ngx_string("eas_sync_state_expiry"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, sync_state_expiry),
      NULL },

    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_provisioning", ngx_conf_set_enum_slot,
        provisioning, &ngx_http_eas_provisioning_modes),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_password", ngx_conf_set_flag_slot,
        policy_password, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_password_min_length",
        ngx_conf_set_num_slot, policy_password_min_length, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_password_complex",
        ngx_conf_set_flag_slot, policy_password_complex, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_max_inactivity",
        ngx_conf_set_sec_slot, policy_max_inactivity, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_max_failed_attempts",
        ngx_conf_set_num_slot, policy_max_failed_attempts, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_require_encryption",
        ngx_conf_set_flag_slot, policy_require_encryption, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_allow_camera",
        ngx_conf_set_flag_slot, policy_allow_camera, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_allow_storage_card",
        ngx_conf_set_flag_slot, policy_allow_storage_card, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_policy_allow_simple_password",
        ngx_conf_set_flag_slot, policy_allow_simple_password, NULL),

    /* device access: ngx_http_eas_access.cpp */
    { ngx_string("eas_device_rule"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_2MORE,
      ngx_http_eas_device_rule,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, device_rules),
      NULL },

    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_device_default", ngx_http_eas_device_default,
        device_default, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_device_access", ngx_http_eas_access_value,
        device_access, NULL),

    { ngx_string("eas_provisioning_exempt"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_eas_device_rule,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, provisioning_exempt),
      NULL },

    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_max_devices", ngx_conf_set_num_slot,
        max_devices, NULL),
    NGX_HTTP_EAS_LOC_DIRECTIVE("eas_max_protocol_version",
        ngx_http_eas_access_value, max_protocol_version, NULL),

    { ngx_string("eas_thread_pool"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, thread_pool_name),
      NULL },

    { ngx_string("eas_meeting_reply_delay"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, meeting_reply_delay),
      NULL },

    { ngx_string("eas_ping_min"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, ping_min),
      NULL },

    { ngx_string("eas_ping_max"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, ping_max),
      NULL },

    { ngx_string("eas_ping_max_folders"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_eas_loc_conf_t, ping_max_folders),
      NULL },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_eas_module_ctx = {
    ngx_http_eas_preconfiguration,         /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_http_eas_create_main_conf,         /* create main configuration */
    ngx_http_eas_init_main_conf,           /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_eas_create_loc_conf,          /* create location configuration */
    ngx_http_eas_merge_loc_conf            /* merge location configuration */
};

ngx_module_t  ngx_http_eas_module = {
    NGX_MODULE_V1,
    &ngx_http_eas_module_ctx,              /* module context */
    ngx_http_eas_commands,                 /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    ngx_http_eas_init_module,              /* init module */
    ngx_http_eas_init_process,             /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_eas_exit_process,             /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};

/* Per worker process: nginx workers are single-threaded on the event loop;
 * threads of the pool only reach these through Service, which is safe. */
static eas::core::Service             *ngx_http_eas_worker_service;

eas::core::Service *
ngx_http_eas_service()
{
    return ngx_http_eas_worker_service;
}

/* Store reads park their LMDB snapshot for the next request (see
 * Service::ReleaseIdleSnapshots). Armed by activity, this timer lets parked
 * snapshots go a second later (under load: once a second, which costs one
 * renewal), so an idle worker keeps no writer (easctl, another worker) from
 * reusing freed pages. Cancelable: it never holds up a worker's exit. */
#define NGX_HTTP_EAS_IDLE_MS  1000

static ngx_event_t  ngx_http_eas_idle_event;

static void
ngx_http_eas_idle_handler(ngx_event_t *ev)
{
    (void) ev;
    if (ngx_http_eas_worker_service) {
        ngx_http_eas_worker_service->ReleaseIdleSnapshots();
    }
}

void
ngx_http_eas_note_activity()
{
    if (ngx_http_eas_worker_service && !ngx_http_eas_idle_event.timer_set) {
        ngx_add_timer(&ngx_http_eas_idle_event, NGX_HTTP_EAS_IDLE_MS);
    }
}

eas::core::push::Hub *
ngx_http_eas_push()
{
    return ngx_http_eas_worker_service ? &ngx_http_eas_worker_service->push()
                                       : NULL;
}

static void *
ngx_http_eas_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_eas_main_conf_t  *emcf;

    emcf = static_cast<ngx_http_eas_main_conf_t *>(
        ngx_pcalloc(cf->pool, sizeof(ngx_http_eas_main_conf_t)));
    if (emcf == NULL) {
        return NULL;
    }

    /* set by ngx_pcalloc(): store = { 0, NULL }, auth_zone = NULL,
     * push_zone = NULL, relay = NULL, background_pool = NULL */
    emcf->used = NGX_CONF_UNSET;

    return emcf;
}

static char *
ngx_http_eas_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_eas_main_conf_t *emcf = static_cast<ngx_http_eas_main_conf_t *>(conf);

    static ngx_str_t  default_store = ngx_string("/var/lib/eas");
    static ngx_str_t  zone_name = ngx_string("eas_credential_cache");
    static ngx_str_t  push_zone_name = ngx_string("eas_push");

    if (emcf->store.len == 0) {
        emcf->store = default_store;
    }

    if (ngx_conf_full_name(cf->cycle, &emcf->store, 0) != NGX_OK) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    ngx_conf_init_value(emcf->used, 0);
    if (emcf->used) {
        static ngx_str_t  background = ngx_string(NGX_HTTP_EAS_BACKGROUND_POOL);
        emcf->background_pool = ngx_thread_pool_add(cf, &background);
        if (emcf->background_pool == NULL) {
            return static_cast<char *>(NGX_CONF_ERROR);
        }
    }

    /* the region plus room for the slab allocator's own pages */
    size_t size = eas::core::Service::RegionSize(
        eas::core::SharedRegion::kCredentialCache) + 8 * ngx_pagesize;

    emcf->auth_zone = ngx_shared_memory_add(cf, &zone_name, size,
                                            &ngx_http_eas_module);
    if (emcf->auth_zone == NULL) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    emcf->auth_zone->init = ngx_http_eas_init_auth_zone;

    size = eas::core::Service::RegionSize(
        eas::core::SharedRegion::kDeviceGenerations) + 8 * ngx_pagesize;

    emcf->push_zone = ngx_shared_memory_add(cf, &push_zone_name, size,
                                            &ngx_http_eas_module);
    if (emcf->push_zone == NULL) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    emcf->push_zone->init = ngx_http_eas_init_push_zone;

    return NGX_CONF_OK;
}

static void *
ngx_http_eas_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_eas_loc_conf_t  *elcf;

    elcf = static_cast<ngx_http_eas_loc_conf_t *>(
        ngx_pcalloc(cf->pool, sizeof(ngx_http_eas_loc_conf_t)));
    if (elcf == NULL) {
        return NULL;
    }

    /* set by ngx_pcalloc(): thread_pool_name = { 0, NULL }, thread_pool = NULL */
    elcf->enable = NGX_CONF_UNSET;
    elcf->autodiscover = NGX_CONF_UNSET;
    /* set by ngx_pcalloc(): autodiscover_url = NULL */
    elcf->max_body_size = NGX_CONF_UNSET_SIZE;
    elcf->auth = NGX_CONF_UNSET_UINT;
    elcf->auth_cache_valid = NGX_CONF_UNSET;
    elcf->sync_window_max = NGX_CONF_UNSET;
    elcf->sync_state_expiry = NGX_CONF_UNSET;
    elcf->meeting_reply_delay = NGX_CONF_UNSET;
    elcf->provisioning = NGX_CONF_UNSET_UINT;
    elcf->policy_password = NGX_CONF_UNSET;
    elcf->policy_password_min_length = NGX_CONF_UNSET;
    elcf->policy_password_complex = NGX_CONF_UNSET;
    elcf->policy_max_inactivity = NGX_CONF_UNSET;
    elcf->policy_max_failed_attempts = NGX_CONF_UNSET;
    elcf->policy_require_encryption = NGX_CONF_UNSET;
    elcf->policy_allow_camera = NGX_CONF_UNSET;
    elcf->policy_allow_storage_card = NGX_CONF_UNSET;
    elcf->policy_allow_simple_password = NGX_CONF_UNSET;
    elcf->ping_min = NGX_CONF_UNSET;
    elcf->ping_max = NGX_CONF_UNSET;
    elcf->ping_max_folders = NGX_CONF_UNSET_UINT;
    ngx_http_eas_access_create_conf(elcf);

    return elcf;
}

static char *
ngx_http_eas_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_eas_loc_conf_t *prev = static_cast<ngx_http_eas_loc_conf_t *>(parent);
    ngx_http_eas_loc_conf_t *conf = static_cast<ngx_http_eas_loc_conf_t *>(child);

    ngx_conf_merge_value(conf->enable, prev->enable, 0);
    ngx_conf_merge_value(conf->autodiscover, prev->autodiscover, 0);
    if (conf->autodiscover_url == NULL) {
        conf->autodiscover_url = prev->autodiscover_url;
    }
    if (conf->enable && conf->autodiscover) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"eas\" and \"eas_autodiscover\" cannot share "
                           "a location");
        return static_cast<char *>(NGX_CONF_ERROR);
    }
    ngx_conf_merge_size_value(conf->max_body_size, prev->max_body_size,
                              10 * 1024 * 1024);
    ngx_conf_merge_uint_value(conf->auth, prev->auth, NGX_HTTP_EAS_AUTH_STORE);
    ngx_conf_merge_sec_value(conf->auth_cache_valid, prev->auth_cache_valid,
                             600);
    ngx_conf_merge_value(conf->sync_window_max, prev->sync_window_max, 512);
    ngx_conf_merge_sec_value(conf->sync_state_expiry, prev->sync_state_expiry, 30 * 86400);
    /* Long enough for a phone to send its own reply after MeetingResponse
     * (it does so at once), short enough that the organizer hardly waits. */
    ngx_conf_merge_sec_value(conf->meeting_reply_delay, prev->meeting_reply_delay,
                             NGX_HTTP_EAS_MEETING_REPLY_DELAY);
    ngx_conf_merge_uint_value(conf->provisioning, prev->provisioning, 0);
    ngx_conf_merge_value(conf->policy_password, prev->policy_password, 0);
    ngx_conf_merge_value(conf->policy_password_min_length,
                         prev->policy_password_min_length, 0);
    ngx_conf_merge_value(conf->policy_password_complex,
                         prev->policy_password_complex, 0);
    ngx_conf_merge_sec_value(conf->policy_max_inactivity,
                             prev->policy_max_inactivity, 0);
    ngx_conf_merge_value(conf->policy_max_failed_attempts,
                         prev->policy_max_failed_attempts, 0);
    ngx_conf_merge_value(conf->policy_require_encryption,
                         prev->policy_require_encryption, 0);
    ngx_conf_merge_value(conf->policy_allow_camera,
                         prev->policy_allow_camera, 1);
    ngx_conf_merge_value(conf->policy_allow_storage_card,
                         prev->policy_allow_storage_card, 1);
    ngx_conf_merge_value(conf->policy_allow_simple_password,
                         prev->policy_allow_simple_password, 1);

    if (conf->policy_password_min_length > 16
        || conf->policy_max_failed_attempts > 16)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "eas_policy_password_min_length and "
                           "eas_policy_max_failed_attempts take 0..16");
        return static_cast<char *>(NGX_CONF_ERROR);
    }
    ngx_conf_merge_str_value(conf->thread_pool_name, prev->thread_pool_name,
                             "default");
    /* Exchange's defaults: 1 to 59 minutes (MS-ASCMD leaves the range to
     * the server); a device asking outside gets Ping Status 5. */
    ngx_conf_merge_sec_value(conf->ping_min, prev->ping_min, 60);
    ngx_conf_merge_sec_value(conf->ping_max, prev->ping_max, 3540);
    ngx_conf_merge_uint_value(conf->ping_max_folders, prev->ping_max_folders,
                              300);

    if (conf->ping_min < 1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"eas_ping_min\" must be at least 1s");
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    if (conf->ping_max < conf->ping_min) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"eas_ping_max\" %T is less than "
                           "\"eas_ping_min\" %T",
                           conf->ping_max, conf->ping_min);
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    if (conf->ping_max_folders < 1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"eas_ping_max_folders\" must be at least 1");
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    if (ngx_http_eas_access_merge_conf(cf, prev, conf) != NGX_CONF_OK) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    if (conf->enable || conf->autodiscover) {
        /* eas_max_body_size is the limit nginx enforces while reading the
         * body (Content-Length and chunked alike): 413 and a log line. */
        ngx_http_core_loc_conf_t *clcf = static_cast<ngx_http_core_loc_conf_t *>(
            ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module));
        clcf->client_max_body_size = conf->max_body_size;
    }

    if ((conf->enable || conf->autodiscover) && conf->thread_pool == NULL) {
        /* Writes and the slow password hash run there, never on the loop;
         * "default" is created on demand like "aio threads" does. */
        conf->thread_pool = ngx_thread_pool_add(cf, &conf->thread_pool_name);
        if (conf->thread_pool == NULL) {
            return static_cast<char *>(NGX_CONF_ERROR);
        }
    }

    return NGX_CONF_OK;
}

/* eas on, eas_autodiscover on: the location answers ActiveSync, or
 * Autodiscover (the MS-ASCMD XML, AutodiscoverV2's JSON, an Apple
 * profile), with the same handler, store and credentials. */
static char *
ngx_http_eas_location_flag(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *rv = ngx_conf_set_flag_slot(cf, cmd, conf);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    ngx_flag_t *on = reinterpret_cast<ngx_flag_t *>(
        static_cast<char *>(conf) + cmd->offset);
    if (!*on) {
        return NGX_CONF_OK;
    }

    ngx_http_core_loc_conf_t *clcf = static_cast<ngx_http_core_loc_conf_t *>(
        ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module));
    clcf->handler = ngx_http_eas_handler;

    ngx_http_eas_main_conf_t *emcf = static_cast<ngx_http_eas_main_conf_t *>(
        ngx_http_conf_get_module_main_conf(cf, ngx_http_eas_module));
    emcf->used = 1;

    return NGX_CONF_OK;
}

/* Like ngx_conf_set_enum_slot, with a message that names the choices. */
static char *
ngx_http_eas_auth(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_eas_loc_conf_t *elcf = static_cast<ngx_http_eas_loc_conf_t *>(conf);
    ngx_str_t *value = static_cast<ngx_str_t *>(cf->args->elts);

    if (elcf->auth != NGX_CONF_UNSET_UINT) {
        return const_cast<char *>("is duplicate");
    }

    if (ngx_strcmp(value[1].data, "store") == 0) {
        elcf->auth = NGX_HTTP_EAS_AUTH_STORE;
    } else if (ngx_strcmp(value[1].data, "nginx") == 0) {
        elcf->auth = NGX_HTTP_EAS_AUTH_NGINX;
    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"%V\" directive, "
                           "it must be \"store\" or \"nginx\"",
                           &value[1], &cmd->name);
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    return NGX_CONF_OK;
}

static ngx_int_t
ngx_http_eas_preconfiguration(ngx_conf_t *cf)
{
    return ngx_http_eas_add_variables(cf);
}

/*
 * A zone holding one region of core's layout: kept across reloads (old
 * and new workers share what the old ones learned), else allocated here
 * and formatted by core.
 */
static ngx_int_t
ngx_http_eas_init_region_zone(ngx_shm_zone_t *shm_zone, void *data,
    eas::core::SharedRegion which)
{
    ngx_slab_pool_t  *shpool = reinterpret_cast<ngx_slab_pool_t *>(
        shm_zone->shm.addr);

    if (data) {
        shm_zone->data = data;
        return NGX_OK;
    }

    if (shm_zone->shm.exists) {
        shm_zone->data = shpool->data;
        return NGX_OK;
    }

    size_t size = eas::core::Service::RegionSize(which);
    void *region = ngx_slab_calloc(shpool, size);
    if (region == NULL) {
        return NGX_ERROR;
    }

    eas::Status s = eas::core::Service::FormatRegion(which, region, size);
    if (!s.ok()) {
        ngx_log_error(NGX_LOG_EMERG, shm_zone->shm.log, 0,
                      "eas: %s", s.message().c_str());
        return NGX_ERROR;
    }

    shpool->data = region;
    shm_zone->data = region;

    return NGX_OK;
}

static ngx_int_t
ngx_http_eas_init_auth_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    return ngx_http_eas_init_region_zone(shm_zone, data,
        eas::core::SharedRegion::kCredentialCache);
}

static ngx_int_t
ngx_http_eas_init_push_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    return ngx_http_eas_init_region_zone(shm_zone, data,
        eas::core::SharedRegion::kDeviceGenerations);
}

/* In the master, before fork: make sure the store directory exists and
 * belongs to the worker user, who will create the LMDB files in it. */
static ngx_int_t
ngx_http_eas_init_module(ngx_cycle_t *cycle)
{
    ngx_http_eas_main_conf_t *emcf = static_cast<ngx_http_eas_main_conf_t *>(
        ngx_http_cycle_get_module_main_conf(cycle, ngx_http_eas_module));
    if (emcf == NULL || !emcf->used) {
        return NGX_OK;
    }

    u_char *path = emcf->store.data;  /* NUL-terminated by ngx_conf_full_name */

    if (ngx_create_dir(path, 0770) == NGX_FILE_ERROR
        && ngx_errno != NGX_EEXIST)
    {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, ngx_errno,
                      "eas: cannot create store directory \"%V\"",
                      &emcf->store);
        return NGX_ERROR;
    }

    ngx_core_conf_t *ccf = reinterpret_cast<ngx_core_conf_t *>(
        ngx_get_conf(cycle->conf_ctx, ngx_core_module));

    if (geteuid() == 0 && ccf->user != (ngx_uid_t) NGX_CONF_UNSET_UINT) {
        ngx_file_info_t  fi;
        if (ngx_file_info(path, &fi) == 0 && fi.st_uid == 0
            && chown(reinterpret_cast<const char *>(path), ccf->user,
                     ccf->group) == -1)
        {
            ngx_log_error(NGX_LOG_EMERG, cycle->log, ngx_errno,
                          "eas: chown(\"%V\") failed", &emcf->store);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}

static ngx_int_t
ngx_http_eas_init_process(ngx_cycle_t *cycle)
{
    ngx_http_eas_main_conf_t *emcf = static_cast<ngx_http_eas_main_conf_t *>(
        ngx_http_cycle_get_module_main_conf(cycle, ngx_http_eas_module));
    if (emcf == NULL || !emcf->used) {
        return NGX_OK;
    }

    try {
        using eas::core::Service;
        using eas::core::SharedRegion;

        eas::core::InitLibraries();  /* before any thread-pool task */
        eas::core::mail::InitCurl();

        eas::core::SharedRegions  regions;

        if (emcf->auth_zone && emcf->auth_zone->data) {
            regions.credential_cache = emcf->auth_zone->data;
            regions.credential_cache_size =
                Service::RegionSize(SharedRegion::kCredentialCache);
        }

        if (emcf->push_zone && emcf->push_zone->data) {
            regions.device_generations = emcf->push_zone->data;
            regions.device_generations_size =
                Service::RegionSize(SharedRegion::kDeviceGenerations);
        }

        auto service = Service::Open(ngx_eas_string(emcf->store), regions);
        if (!service.ok()) {
            /* the worker still serves: requests get 503 and this reason */
            ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                          "eas: cannot open store: %s",
                          service.status().message().c_str());
            return NGX_OK;
        }
        ngx_http_eas_worker_service = std::move(service).value().release();
        ngx_http_eas_idle_event.handler = ngx_http_eas_idle_handler;
        ngx_http_eas_idle_event.log = cycle->log;
        ngx_http_eas_idle_event.cancelable = 1;
        ngx_http_eas_relay_init_process(cycle, emcf);
        ngx_http_eas_indexer_init_process(cycle, emcf);

    } catch (const std::exception &e) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "eas: worker init failed: %s", e.what());
    }

    return NGX_OK;
}

static void
ngx_http_eas_exit_process(ngx_cycle_t *cycle)
{
    (void) cycle;
    ngx_http_eas_relay_exit_process();
    ngx_http_eas_indexer_exit_process();
    if (ngx_http_eas_idle_event.timer_set) {
        ngx_del_timer(&ngx_http_eas_idle_event);
    }
    delete ngx_http_eas_worker_service;
    ngx_http_eas_worker_service = NULL;
}
