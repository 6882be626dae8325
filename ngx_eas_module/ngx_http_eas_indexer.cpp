/*
 * eas for nginx: the search index's background runner. The first worker
 * (ngx_worker 0) looks at the store's change feed once a second and, when
 * mail came or went, brings the search index up to date on the thread
 * pool "default" (SQLite writes block), a bounded round at a time, rounds
 * back to back while work is left. One worker is enough: the index is one
 * file per store, and a search catches up by itself whatever is left.
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <new>

#include "core/service.hpp"
#include "ngx_eas_module/ngx_eas_hold.hpp"

#define NGX_HTTP_EAS_INDEX_MS  1000

/* Change log entries one round reads at most: about half a second of
 * indexing on this kind of machine, so a snapshot and the index's write
 * lock are held briefly, and a search waiting for that lock waits little. */
#define NGX_HTTP_EAS_INDEX_BUDGET  1000

typedef struct {
    uint64_t                       seq;    /* change feed position reached */
    eas::core::search::IndexRound  round;
} ngx_http_eas_index_job_t;

static ngx_event_t                 ngx_http_eas_index_timer;
static ngx_thread_pool_t          *ngx_http_eas_index_pool;
static ngx_thread_task_t          *ngx_http_eas_index_task;
static ngx_http_eas_index_job_t   *ngx_http_eas_index_job;
/* An exiting worker finishes its round (it holds an LMDB snapshot and
 * may hold the index's write lock) before it leaves. */
static ngx_eas_hold_t              ngx_http_eas_index_hold;

/* On a pool thread. */
static void
ngx_http_eas_index_work(void *data, ngx_log_t *log)
{
    (void) log;
    ngx_http_eas_index_job_t *job = *static_cast<ngx_http_eas_index_job_t **>(data);
    eas::core::Service *service = ngx_http_eas_service();
    job->round = eas::core::search::IndexRound();
    job->round.seq = job->seq;
    if (service != NULL) {
        job->round = service->IndexChanges(job->seq, NGX_HTTP_EAS_INDEX_BUDGET);
    }
}

static void ngx_http_eas_index_tick(ngx_event_t *ev);

static void
ngx_http_eas_index_done(ngx_event_t *ev)
{
    ngx_eas_hold_release(&ngx_http_eas_index_hold);
    ngx_http_eas_index_job_t *job = ngx_http_eas_index_job;
    for (const auto &line : job->round.log) {
        ngx_eas_log_line(ev->log, line);
    }
    job->round.log.clear();
    job->seq = job->round.seq;
    ngx_http_eas_note_activity();  /* the round parked a read snapshot */
    if (ngx_exiting || ngx_terminate || ngx_quit) {
        return;
    }
    if (job->round.more) {
        ngx_http_eas_index_tick(&ngx_http_eas_index_timer);
    } else {
        ngx_add_timer(&ngx_http_eas_index_timer, NGX_HTTP_EAS_INDEX_MS);
    }
}

static void
ngx_http_eas_index_tick(ngx_event_t *ev)
{
    if (ngx_exiting || ngx_terminate || ngx_quit) {
        return;
    }
    if (ngx_thread_task_post(ngx_http_eas_index_pool, ngx_http_eas_index_task)
        != NGX_OK)
    {
        ngx_log_error(NGX_LOG_WARN, ev->log, 0,
                      "eas: thread pool busy, search indexing waits");
        ngx_add_timer(&ngx_http_eas_index_timer, NGX_HTTP_EAS_INDEX_MS);
        return;
    }
    ngx_eas_hold_take(&ngx_http_eas_index_hold);
}

char *
ngx_http_eas_indexer_conf(ngx_conf_t *cf, ngx_http_eas_main_conf_t *emcf)
{
    static ngx_str_t  pool_name = ngx_string("default");
    emcf->index_pool = ngx_thread_pool_add(cf, &pool_name);
    return emcf->index_pool == NULL ? static_cast<char *>(NGX_CONF_ERROR)
                                    : NGX_CONF_OK;
}

void
ngx_http_eas_indexer_init_process(ngx_cycle_t *cycle,
    ngx_http_eas_main_conf_t *emcf)
{
    if (ngx_worker != 0 || emcf->index_pool == NULL
        || ngx_http_eas_service() == NULL)
    {
        return;
    }
    ngx_http_eas_index_pool = static_cast<ngx_thread_pool_t *>(emcf->index_pool);
    ngx_http_eas_index_task = ngx_thread_task_alloc(cycle->pool,
                                           sizeof(ngx_http_eas_index_job_t *));
    ngx_http_eas_index_job = static_cast<ngx_http_eas_index_job_t *>(
        ngx_pcalloc(cycle->pool, sizeof(ngx_http_eas_index_job_t)));
    if (ngx_http_eas_index_task == NULL || ngx_http_eas_index_job == NULL) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "eas: no memory for the search indexer");
        ngx_http_eas_index_job = NULL;
        return;
    }
    new (ngx_http_eas_index_job) ngx_http_eas_index_job_t();
    *static_cast<ngx_http_eas_index_job_t **>(ngx_http_eas_index_task->ctx) =
        ngx_http_eas_index_job;
    ngx_http_eas_index_task->handler = ngx_http_eas_index_work;
    ngx_http_eas_index_task->event.handler = ngx_http_eas_index_done;
    ngx_http_eas_index_task->event.log = cycle->log;

    ngx_http_eas_index_timer.handler = ngx_http_eas_index_tick;
    ngx_http_eas_index_timer.log = cycle->log;
    ngx_http_eas_index_timer.cancelable = 1;
    ngx_add_timer(&ngx_http_eas_index_timer, NGX_HTTP_EAS_INDEX_MS);
}

void
ngx_http_eas_indexer_exit_process()
{
    if (ngx_http_eas_index_timer.timer_set) {
        ngx_del_timer(&ngx_http_eas_index_timer);
    }
    ngx_eas_hold_clear(&ngx_http_eas_index_hold);
    if (ngx_http_eas_index_job != NULL) {
        ngx_http_eas_index_job->~ngx_http_eas_index_job_t();
        ngx_http_eas_index_job = NULL;
    }
}
