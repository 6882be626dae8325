/*
 * eas for nginx, stream module: LMTP into the store (ngx_stream_eas_lmtp.cpp
 * speaks it). Directives, the per-worker store (opened after fork, in
 * init_process, and shared with the http module's when both name the same
 * directory: storage/shared_store), and the delivery path:
 *
 *   a message's final dot (event loop)
 *     -> Prepare on the thread pool (GMime; many at once)
 *     -> the worker's waiting list (event loop)
 *     -> one commit task at a time takes the whole list: every message
 *        waiting, from every connection, goes into one write transaction,
 *        one fsync (group commit)
 *     -> on the event loop, each connection answers its recipients.
 *
 * No 250 goes out before its message's commit; while one commit runs the
 * next group gathers.
 */

#include "ngx_stream_eas_module.h"

#include <sys/stat.h>
#include <unistd.h>

#include <exception>
#include <new>
#include <vector>

#include "core/libraries.hpp"
#include "ngx_eas_hold.hpp"
#include "ngx_eas_string.hpp"

/* A commit takes at most this many bytes of messages (and at least one
 * message): a group stays one reasonable transaction. */
#define NGX_STREAM_EAS_GROUP_BYTES  (64 * 1024 * 1024)

/* Parked read snapshots go this long after the last RCPT lookup. */
#define NGX_STREAM_EAS_IDLE_MS  1000


/* Per worker and store directory. */
struct ngx_stream_eas_drop_s {
    ngx_stream_eas_drop_t                *next;
    ngx_str_t                             store;
    eas::core::MailService               *service;   /* NULL: not opened */
    ngx_thread_pool_t                    *thread_pool;  /* for commits */
    std::vector<ngx_stream_eas_job_t *>   waiting;   /* prepared */
    std::vector<ngx_stream_eas_job_t *>   committing;
    std::vector<eas::core::MailJob *>     batch;     /* committing's jobs */
    ngx_thread_task_t                     commit;
    ngx_event_t                           idle;
    ngx_eas_hold_t                        hold;  /* jobs on the pool */
};

static void *ngx_stream_eas_create_main_conf(ngx_conf_t *cf);
static void *ngx_stream_eas_create_srv_conf(ngx_conf_t *cf);
static char *ngx_stream_eas_merge_srv_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_stream_eas_lmtp(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_stream_eas_init_module(ngx_cycle_t *cycle);
static ngx_int_t ngx_stream_eas_init_process(ngx_cycle_t *cycle);
static void ngx_stream_eas_exit_process(ngx_cycle_t *cycle);
static void ngx_stream_eas_commit(ngx_stream_eas_drop_t *drop);

static ngx_command_t  ngx_stream_eas_commands[] = {

    { ngx_string("eas_lmtp"),
      NGX_STREAM_SRV_CONF|NGX_CONF_FLAG,
      ngx_stream_eas_lmtp,
      NGX_STREAM_SRV_CONF_OFFSET,
      offsetof(ngx_stream_eas_srv_conf_t, enable),
      NULL },

    { ngx_string("eas_store"),
      NGX_STREAM_MAIN_CONF|NGX_STREAM_SRV_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_STREAM_SRV_CONF_OFFSET,
      offsetof(ngx_stream_eas_srv_conf_t, store),
      NULL },

    { ngx_string("eas_lmtp_max_size"),
      NGX_STREAM_MAIN_CONF|NGX_STREAM_SRV_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_STREAM_SRV_CONF_OFFSET,
      offsetof(ngx_stream_eas_srv_conf_t, max_size),
      NULL },

    { ngx_string("eas_lmtp_timeout"),
      NGX_STREAM_MAIN_CONF|NGX_STREAM_SRV_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_STREAM_SRV_CONF_OFFSET,
      offsetof(ngx_stream_eas_srv_conf_t, timeout),
      NULL },

    { ngx_string("eas_thread_pool"),
      NGX_STREAM_MAIN_CONF|NGX_STREAM_SRV_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_STREAM_SRV_CONF_OFFSET,
      offsetof(ngx_stream_eas_srv_conf_t, thread_pool_name),
      NULL },

      ngx_null_command
};

static ngx_stream_module_t  ngx_stream_eas_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_stream_eas_create_main_conf,       /* create main configuration */
    NULL,                                  /* init main configuration */

    ngx_stream_eas_create_srv_conf,        /* create server configuration */
    ngx_stream_eas_merge_srv_conf          /* merge server configuration */
};

ngx_module_t  ngx_stream_eas_module = {
    NGX_MODULE_V1,
    &ngx_stream_eas_module_ctx,            /* module context */
    ngx_stream_eas_commands,               /* module directives */
    NGX_STREAM_MODULE,                     /* module type */
    NULL,                                  /* init master */
    ngx_stream_eas_init_module,            /* init module */
    ngx_stream_eas_init_process,           /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_stream_eas_exit_process,           /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};

/* The worker's stores, one per directory. */
static ngx_stream_eas_drop_t  *ngx_stream_eas_drops;

static void *
ngx_stream_eas_create_main_conf(ngx_conf_t *cf)
{
    ngx_stream_eas_main_conf_t  *emcf;

    emcf = static_cast<ngx_stream_eas_main_conf_t *>(
        ngx_pcalloc(cf->pool, sizeof(ngx_stream_eas_main_conf_t)));
    if (emcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&emcf->servers, cf->pool, 2,
                       sizeof(ngx_stream_eas_srv_conf_t *))
        != NGX_OK)
    {
        return NULL;
    }

    return emcf;
}

static void *
ngx_stream_eas_create_srv_conf(ngx_conf_t *cf)
{
    ngx_stream_eas_srv_conf_t  *escf;

    escf = static_cast<ngx_stream_eas_srv_conf_t *>(
        ngx_pcalloc(cf->pool, sizeof(ngx_stream_eas_srv_conf_t)));
    if (escf == NULL) {
        return NULL;
    }

    /* set by ngx_pcalloc(): store = { 0, NULL }, thread_pool_name,
     * thread_pool = NULL, drop = NULL */
    escf->enable = NGX_CONF_UNSET;
    escf->max_size = NGX_CONF_UNSET_SIZE;
    escf->timeout = NGX_CONF_UNSET_MSEC;

    return escf;
}

static char *
ngx_stream_eas_merge_srv_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_stream_eas_srv_conf_t *prev = static_cast<ngx_stream_eas_srv_conf_t *>(parent);
    ngx_stream_eas_srv_conf_t *conf = static_cast<ngx_stream_eas_srv_conf_t *>(child);

    ngx_conf_merge_value(conf->enable, prev->enable, 0);
    ngx_conf_merge_str_value(conf->store, prev->store, "");
    ngx_conf_merge_size_value(conf->max_size, prev->max_size,
                              50 * 1024 * 1024);
    /* RFC 5321 4.5.3.2 asks for minutes; 5 covers every stage */
    ngx_conf_merge_msec_value(conf->timeout, prev->timeout, 300000);
    ngx_conf_merge_str_value(conf->thread_pool_name, prev->thread_pool_name,
                             "default");

    if (!conf->enable) {
        return NGX_CONF_OK;
    }

    if (conf->store.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"eas_lmtp on\" needs \"eas_store\", the store "
                           "directory, in its server or the stream block");
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    if (conf->max_size == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"eas_lmtp_max_size\" must be more than 0");
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    if (ngx_conf_full_name(cf->cycle, &conf->store, 0) != NGX_OK) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    /* parsing and commits run there, never on the loop; "default" is
     * created on demand, as "aio threads" does */
    conf->thread_pool = ngx_thread_pool_add(cf, &conf->thread_pool_name);
    if (conf->thread_pool == NULL) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }

    ngx_stream_eas_main_conf_t *emcf = static_cast<ngx_stream_eas_main_conf_t *>(
        ngx_stream_conf_get_module_main_conf(cf, ngx_stream_eas_module));
    ngx_stream_eas_srv_conf_t **server =
        static_cast<ngx_stream_eas_srv_conf_t **>(ngx_array_push(&emcf->servers));
    if (server == NULL) {
        return static_cast<char *>(NGX_CONF_ERROR);
    }
    *server = conf;

    return NGX_CONF_OK;
}

static char *
ngx_stream_eas_lmtp(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *rv = ngx_conf_set_flag_slot(cf, cmd, conf);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    if (static_cast<ngx_stream_eas_srv_conf_t *>(conf)->enable) {
        ngx_stream_core_srv_conf_t *cscf = static_cast<ngx_stream_core_srv_conf_t *>(
            ngx_stream_conf_get_module_srv_conf(cf, ngx_stream_core_module));
        cscf->handler = ngx_stream_eas_lmtp_handler;
    }

    return NGX_CONF_OK;
}

/* In the master, before fork: the store directories exist and belong to
 * the worker user, who will create the LMDB files in them. */
static ngx_int_t
ngx_stream_eas_init_module(ngx_cycle_t *cycle)
{
    ngx_stream_eas_main_conf_t *emcf = static_cast<ngx_stream_eas_main_conf_t *>(
        ngx_stream_cycle_get_module_main_conf(cycle, ngx_stream_eas_module));
    if (emcf == NULL) {
        return NGX_OK;
    }

    ngx_core_conf_t *ccf = reinterpret_cast<ngx_core_conf_t *>(
        ngx_get_conf(cycle->conf_ctx, ngx_core_module));
    ngx_stream_eas_srv_conf_t **servers =
        static_cast<ngx_stream_eas_srv_conf_t **>(emcf->servers.elts);

    for (ngx_uint_t i = 0; i < emcf->servers.nelts; i++) {
        ngx_str_t *store = &servers[i]->store;
        u_char    *path = store->data;  /* NUL-terminated by ngx_conf_full_name */

        if (ngx_create_dir(path, 0770) == NGX_FILE_ERROR
            && ngx_errno != NGX_EEXIST)
        {
            ngx_log_error(NGX_LOG_EMERG, cycle->log, ngx_errno,
                          "eas: cannot create store directory \"%V\"", store);
            return NGX_ERROR;
        }

        if (geteuid() == 0 && ccf->user != (ngx_uid_t) NGX_CONF_UNSET_UINT) {
            ngx_file_info_t  fi;
            if (ngx_file_info(path, &fi) == 0 && fi.st_uid == 0
                && chown(reinterpret_cast<const char *>(path), ccf->user,
                         ccf->group) == -1)
            {
                ngx_log_error(NGX_LOG_EMERG, cycle->log, ngx_errno,
                              "eas: chown(\"%V\") failed", store);
                return NGX_ERROR;
            }
        }
    }

    return NGX_OK;
}

static void ngx_stream_eas_committed(ngx_event_t *ev);

static void
ngx_stream_eas_commit_thread(void *data, ngx_log_t *log)
{
    (void) log;
    ngx_stream_eas_drop_t *drop = static_cast<ngx_stream_eas_drop_t *>(data);
    drop->service->Commit(drop->batch);  /* never throws */
}

static void
ngx_stream_eas_idle_handler(ngx_event_t *ev)
{
    ngx_stream_eas_drop_t *drop = static_cast<ngx_stream_eas_drop_t *>(ev->data);
    if (drop->service) {
        drop->service->ReleaseIdleSnapshots();
    }
}

static ngx_stream_eas_drop_t *
ngx_stream_eas_open_drop(ngx_cycle_t *cycle, ngx_stream_eas_srv_conf_t *conf)
{
    for (ngx_stream_eas_drop_t *d = ngx_stream_eas_drops; d; d = d->next) {
        if (d->store.len == conf->store.len
            && ngx_strncmp(d->store.data, conf->store.data, d->store.len) == 0)
        {
            return d;
        }
    }

    ngx_stream_eas_drop_t *drop = new ngx_stream_eas_drop_t();
    drop->store = conf->store;
    drop->thread_pool = conf->thread_pool;
    drop->commit.ctx = drop;
    drop->commit.handler = ngx_stream_eas_commit_thread;
    drop->commit.event.handler = ngx_stream_eas_committed;
    drop->commit.event.data = drop;
    drop->commit.event.log = cycle->log;
    drop->idle.handler = ngx_stream_eas_idle_handler;
    drop->idle.data = drop;
    drop->idle.log = cycle->log;
    drop->idle.cancelable = 1;
    drop->next = ngx_stream_eas_drops;
    ngx_stream_eas_drops = drop;

    auto service = eas::core::MailService::Open(ngx_eas_string(conf->store));
    if (!service.ok()) {
        /* the worker still listens: sessions get 421 and retry later */
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "eas: cannot open store \"%V\" for LMTP: %s",
                      &conf->store, service.status().message().c_str());
        return drop;
    }
    drop->service = std::move(service).value().release();

    return drop;
}

static ngx_int_t
ngx_stream_eas_init_process(ngx_cycle_t *cycle)
{
    ngx_stream_eas_main_conf_t *emcf = static_cast<ngx_stream_eas_main_conf_t *>(
        ngx_stream_cycle_get_module_main_conf(cycle, ngx_stream_eas_module));
    if (emcf == NULL) {
        return NGX_OK;
    }

    ngx_stream_eas_srv_conf_t **servers =
        static_cast<ngx_stream_eas_srv_conf_t **>(emcf->servers.elts);

    try {
        eas::core::InitLibraries();  /* before any thread-pool task */
        for (ngx_uint_t i = 0; i < emcf->servers.nelts; i++) {
            servers[i]->drop = ngx_stream_eas_open_drop(cycle, servers[i]);
        }

    } catch (const std::exception &e) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "eas: LMTP worker init failed: %s", e.what());
    }

    return NGX_OK;
}

/* The thread pools stopped before this (their module comes first), after
 * running every task queued: no commit is still running. */
static void
ngx_stream_eas_exit_process(ngx_cycle_t *cycle)
{
    (void) cycle;
    while (ngx_stream_eas_drops) {
        ngx_stream_eas_drop_t *drop = ngx_stream_eas_drops;
        ngx_stream_eas_drops = drop->next;
        if (drop->idle.timer_set) {
            ngx_del_timer(&drop->idle);
        }
        ngx_eas_hold_clear(&drop->hold);
        delete drop->service;
        delete drop;  /* jobs still listed are left: the process ends */
    }
}

eas::core::MailService *
ngx_stream_eas_service(ngx_stream_eas_srv_conf_t *conf)
{
    return conf->drop ? conf->drop->service : NULL;
}

void
ngx_stream_eas_note_read(ngx_stream_eas_srv_conf_t *conf)
{
    ngx_stream_eas_drop_t *drop = conf->drop;
    if (drop && !drop->idle.timer_set) {
        ngx_add_timer(&drop->idle, NGX_STREAM_EAS_IDLE_MS);
    }
}

/* On the event loop: the job's outcomes are in. */
static void
ngx_stream_eas_job_finish(ngx_stream_eas_job_t *job)
{
    ngx_log_t             *log = job->data ? job->log : ngx_cycle->log;
    ngx_stream_eas_drop_t *drop = job->drop;

    for (const auto &line : job->mail.log) {
        ngx_eas_log_line(log, line);
    }

    ngx_eas_hold_release(&drop->hold);

    if (job->data) {
        job->done(job);
    } else {
        delete job;
    }
}

/* The same for a job the store never saw: answer "try again later". */
static void
ngx_stream_eas_job_fail(ngx_stream_eas_job_t *job, const char *why)
{
    job->mail.outcomes.assign(job->mail.message.recipients.size(),
                              eas::core::mail::DeliveryOutcome::kTryLater);
    ngx_log_error(NGX_LOG_ERR, job->data ? job->log : ngx_cycle->log, 0,
                  "eas: lmtp: message not stored: %s", why);
    ngx_stream_eas_job_finish(job);
}

static void
ngx_stream_eas_prepare_thread(void *data, ngx_log_t *log)
{
    (void) log;
    ngx_stream_eas_job_t *job = static_cast<ngx_stream_eas_job_t *>(data);
    eas::core::MailService::Prepare(job->mail);  /* never throws */
}

static void
ngx_stream_eas_prepared(ngx_event_t *ev)
{
    ngx_stream_eas_job_t  *job = static_cast<ngx_stream_eas_job_t *>(ev->data);
    ngx_stream_eas_drop_t *drop = job->drop;

    if (job->mail.prepared == nullptr) {
        ngx_stream_eas_job_finish(job);  /* never storable: outcomes set */
        return;
    }

    try {
        drop->waiting.push_back(job);
    } catch (const std::bad_alloc &) {
        ngx_stream_eas_job_fail(job, "out of memory");
        return;
    }

    if (drop->committing.empty()) {
        ngx_stream_eas_commit(drop);
    }
}

/* Starts a commit of what waits (the next group gathers meanwhile). */
static void
ngx_stream_eas_commit(ngx_stream_eas_drop_t *drop)
{
    size_t  bytes = 0, n = 0;

    while (n < drop->waiting.size()
           && (n == 0 || bytes < NGX_STREAM_EAS_GROUP_BYTES))
    {
        bytes += drop->waiting[n++]->mail.message.data.size();
    }

    std::vector<ngx_stream_eas_job_t *>  failed;
    const char                          *why = "out of memory";

    try {
        drop->committing.reserve(n);
        drop->batch.reserve(n);
    } catch (const std::bad_alloc &) {
        /* nothing would come back for them (their connections wait
         * without a timer): answer every waiting job now */
        failed.swap(drop->waiting);
        goto fail;
    }

    /* within the reserved room: nothing below throws */
    drop->committing.assign(drop->waiting.begin(), drop->waiting.begin() + n);
    drop->batch.clear();
    for (ngx_stream_eas_job_t *job : drop->committing) {
        drop->batch.push_back(&job->mail);
    }
    drop->waiting.erase(drop->waiting.begin(), drop->waiting.begin() + n);

    if (ngx_thread_task_post(drop->thread_pool, &drop->commit) == NGX_OK) {
        return;
    }

    why = "thread pool queue full";
    failed.swap(drop->committing);
    drop->batch.clear();

fail:

    for (ngx_stream_eas_job_t *job : failed) {
        ngx_stream_eas_job_fail(job, why);
    }
}

static void
ngx_stream_eas_committed(ngx_event_t *ev)
{
    ngx_stream_eas_drop_t *drop = static_cast<ngx_stream_eas_drop_t *>(ev->data);

    std::vector<ngx_stream_eas_job_t *> done;
    done.swap(drop->committing);
    drop->batch.clear();

    /* a connection answering may close and end other work: nothing of
     * the drop is touched through `done` after this */
    for (ngx_stream_eas_job_t *job : done) {
        ngx_stream_eas_job_finish(job);
    }

    if (!drop->waiting.empty() && drop->committing.empty()) {
        ngx_stream_eas_commit(drop);
    }
}

ngx_int_t
ngx_stream_eas_deliver(ngx_stream_eas_srv_conf_t *conf,
    ngx_stream_eas_job_t *job)
{
    if (conf->drop == NULL || conf->drop->service == NULL) {
        return NGX_ERROR;
    }

    job->drop = conf->drop;
    job->task.ctx = job;
    job->task.handler = ngx_stream_eas_prepare_thread;
    job->task.event.handler = ngx_stream_eas_prepared;
    job->task.event.data = job;
    job->task.event.log = ngx_cycle->log;

    if (ngx_thread_task_post(conf->thread_pool, &job->task) != NGX_OK) {
        return NGX_ERROR;
    }

    ngx_eas_hold_take(&conf->drop->hold);  /* an exiting worker answers it */
    return NGX_OK;
}
