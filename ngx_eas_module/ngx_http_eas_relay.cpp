/*
 * eas for nginx: the outgoing queue's runner. Every worker looks at the
 * store's outgoing queue once a second, on the background thread pool
 * (NGX_HTTP_EAS_BACKGROUND_POOL) or the one eas_smtp_relay's thread_pool=
 * names (SMTP blocks), and logs what came of it on the event loop. Workers
 * share the queue through the store: core claims an entry before sending
 * it, so each message goes out once. Without eas_smtp_relay the runner
 * still sends held meeting replies (to users of this box); other mail
 * waits in the queue. A worker leaving at a reload finishes the run under way (ngx_http_eas_periodic.h), so a
 * message the relay took is recorded, not sent again by another worker.
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <new>

#include "core/service.hpp"
#include "ngx_eas_module/ngx_http_eas_periodic.h"
#include "ngx_eas_string.hpp"

#define NGX_HTTP_EAS_RELAY_MS  1000

/* The relay settings, parsed once (cf->pool, freed by a pool cleanup). */
typedef struct {
    eas::core::mail::RelayOptions  options;
    ngx_thread_pool_t             *pool;
    ngx_str_t                      pool_name;
} ngx_http_eas_relay_t;

/* The worker's runner and what its run reports. */
typedef struct {
    ngx_http_eas_periodic_t        periodic;
    ngx_http_eas_relay_t          *relay;      /* NULL: no eas_smtp_relay */
    eas::core::mail::QueueRun      run;
} ngx_http_eas_relay_job_t;

static ngx_http_eas_relay_job_t   *ngx_http_eas_relay_job;

static void
ngx_http_eas_relay_cleanup(void *data)
{
    static_cast<ngx_http_eas_relay_t *>(data)->~ngx_http_eas_relay_t();
}

/* "name=value" arguments: the value when `arg` starts with `name=`. */
static bool
ngx_http_eas_relay_arg(ngx_str_t *arg, const char *name, ngx_str_t *value)
{
    size_t n = ngx_strlen(name);
    if (arg->len <= n || ngx_strncmp(arg->data, name, n) != 0
        || arg->data[n] != '=')
    {
        return false;
    }
    value->data = arg->data + n + 1;
    value->len = arg->len - n - 1;
    return true;
}

/* eas_smtp_relay host:port [starttls] [user=NAME password=SECRET]
 *                [timeout=30s] [retry=60s] [thread_pool=default]; */
char *
ngx_http_eas_smtp_relay(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    (void) cmd;
    ngx_http_eas_main_conf_t *emcf = static_cast<ngx_http_eas_main_conf_t *>(conf);
    if (emcf->relay != NULL) {
        return const_cast<char *>("is duplicate");
    }

    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(cf->pool,
                                                   sizeof(ngx_http_eas_relay_t));
    if (cln == NULL) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }
    ngx_http_eas_relay_t *relay = new (cln->data) ngx_http_eas_relay_t();
    cln->handler = ngx_http_eas_relay_cleanup;
    ngx_str_set(&relay->pool_name, NGX_HTTP_EAS_BACKGROUND_POOL);

    ngx_str_t *value = static_cast<ngx_str_t *>(cf->args->elts);
    try {
        std::string_view hostport = ngx_eas_view(value[1]);
        size_t colon = hostport.rfind(':');
        ngx_int_t port = colon == std::string_view::npos ? NGX_ERROR
            : ngx_atoi(value[1].data + colon + 1, value[1].len - colon - 1);
        if (colon == 0 || port < 1 || port > 65535) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "eas_smtp_relay: \"%V\" is not host:port",
                               &value[1]);
            return static_cast<char *>(NGX_CONF_ERROR);
        }
        relay->options.host = std::string(hostport.substr(0, colon));
        relay->options.port = static_cast<uint16_t>(port);

        bool has_password = false;
        for (ngx_uint_t i = 2; i < cf->args->nelts; i++) {
            ngx_str_t v;
            if (value[i].len == 8
                && ngx_strncmp(value[i].data, "starttls", 8) == 0)
            {
                relay->options.starttls = true;
            } else if (ngx_http_eas_relay_arg(&value[i], "user", &v)) {
                relay->options.user = ngx_eas_string(v);
            } else if (ngx_http_eas_relay_arg(&value[i], "password", &v)) {
                relay->options.password = ngx_eas_string(v);
                has_password = true;
            } else if (ngx_http_eas_relay_arg(&value[i], "timeout", &v)
                       || ngx_http_eas_relay_arg(&value[i], "retry", &v))
            {
                ngx_msec_t ms = ngx_parse_time(&v, 0);
                if (ms == (ngx_msec_t) NGX_ERROR || ms == 0) {
                    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                       "eas_smtp_relay: bad time \"%V\"",
                                       &value[i]);
                    return static_cast<char *>(NGX_CONF_ERROR);
                }
                if (value[i].data[0] == 't') {
                    relay->options.timeout_ms = ms;
                } else {
                    relay->options.retry_s = (ms + 999) / 1000;
                }
            } else if (ngx_http_eas_relay_arg(&value[i], "thread_pool", &v)) {
                relay->pool_name = v;
            } else {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "eas_smtp_relay: unknown parameter \"%V\"",
                                   &value[i]);
                return static_cast<char *>(NGX_CONF_ERROR);
            }
        }
        if (relay->options.user.empty() == has_password) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "eas_smtp_relay: user= and password= go together");
            return static_cast<char *>(NGX_CONF_ERROR);
        }
    } catch (const std::exception &e) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "eas_smtp_relay: %s", e.what());
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    relay->pool = ngx_thread_pool_add(cf, &relay->pool_name);
    if (relay->pool == NULL) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }
    emcf->relay = relay;
    return NGX_CONF_OK;
}

/* On a pool thread: the service is thread-safe, the job is this run's. */
static void
ngx_http_eas_relay_work(ngx_http_eas_periodic_t *p)
{
    ngx_http_eas_relay_job_t *job = static_cast<ngx_http_eas_relay_job_t *>(p->data);
    eas::core::Service *service = ngx_http_eas_service();
    job->run = eas::core::mail::QueueRun();
    if (service != NULL) {
        job->run = service->RunOutgoingQueue(
            job->relay != NULL ? &job->relay->options : NULL);
    }
}

static bool
ngx_http_eas_relay_done(ngx_http_eas_periodic_t *p, ngx_log_t *log)
{
    ngx_http_eas_relay_job_t *job = static_cast<ngx_http_eas_relay_job_t *>(p->data);
    for (const auto &line : job->run.log) {
        ngx_eas_log_line(log, line);
    }
    job->run.log.clear();
    return false;
}

void
ngx_http_eas_relay_init_process(ngx_cycle_t *cycle,
    ngx_http_eas_main_conf_t *emcf)
{
    if ((emcf->relay == NULL && emcf->background_pool == NULL)
        || ngx_http_eas_service() == NULL)
    {
        return;
    }
    ngx_http_eas_relay_job_t *job = static_cast<ngx_http_eas_relay_job_t *>(
        ngx_pcalloc(cycle->pool, sizeof(ngx_http_eas_relay_job_t)));
    if (job == NULL) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "eas: no memory for the outgoing queue runner");
        return;
    }
    new (job) ngx_http_eas_relay_job_t();
    ngx_http_eas_relay_t *relay = static_cast<ngx_http_eas_relay_t *>(emcf->relay);
    job->relay = relay;
    ngx_http_eas_periodic_t *p = &job->periodic;
    p->what = "outgoing queue";
    p->interval = NGX_HTTP_EAS_RELAY_MS;
    if (relay != NULL) {
        p->pool = relay->pool;
        p->pool_name = relay->pool_name;
    } else {
        p->pool = emcf->background_pool;
        ngx_str_set(&p->pool_name, NGX_HTTP_EAS_BACKGROUND_POOL);
    }
    p->data = job;
    p->work = ngx_http_eas_relay_work;
    p->done = ngx_http_eas_relay_done;
    if (ngx_http_eas_periodic_start(p, cycle) != NGX_OK) {
        job->~ngx_http_eas_relay_job_t();
        return;
    }
    ngx_http_eas_relay_job = job;
}

void
ngx_http_eas_relay_kick()
{
    if (ngx_http_eas_relay_job != NULL) {
        ngx_http_eas_periodic_kick(&ngx_http_eas_relay_job->periodic);
    }
}

void
ngx_http_eas_relay_exit_process()
{
    if (ngx_http_eas_relay_job != NULL) {
        ngx_http_eas_periodic_stop(&ngx_http_eas_relay_job->periodic);
        ngx_http_eas_relay_job->~ngx_http_eas_relay_job_t();
        ngx_http_eas_relay_job = NULL;
    }
}
