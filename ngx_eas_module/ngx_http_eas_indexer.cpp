/*
 * eas for nginx: the search index's background runner. The first worker
 * (ngx_worker 0) looks at the store's change feed once a second and, when
 * mail came or went, brings the search index up to date on the
 * background thread pool (NGX_HTTP_EAS_BACKGROUND_POOL: SQLite writes
 * block), a bounded round at a time, rounds
 * back to back while work is left. One worker is enough: the index is one
 * file per store, and a search catches up by itself whatever is left.
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <new>

#include "core/service.hpp"
#include "ngx_eas_module/ngx_http_eas_periodic.h"

#define NGX_HTTP_EAS_INDEX_MS  1000

/* Change log entries one round reads at most: about half a second of
 * indexing on this kind of machine, so a snapshot and the index's write
 * lock are held briefly, and a search waiting for that lock waits little. */
#define NGX_HTTP_EAS_INDEX_BUDGET  1000

/* The first worker's runner and where it stands. */
typedef struct {
    ngx_http_eas_periodic_t        periodic;
    uint64_t                       seq;    /* change feed position reached */
    eas::core::search::IndexRound  round;
} ngx_http_eas_index_job_t;

static ngx_http_eas_index_job_t   *ngx_http_eas_index_job;

/* On a pool thread. */
static void
ngx_http_eas_index_work(ngx_http_eas_periodic_t *p)
{
    ngx_http_eas_index_job_t *job = static_cast<ngx_http_eas_index_job_t *>(p->data);
    eas::core::Service *service = ngx_http_eas_service();
    job->round = eas::core::search::IndexRound();
    job->round.seq = job->seq;
    if (service != NULL) {
        job->round = service->IndexChanges(job->seq, NGX_HTTP_EAS_INDEX_BUDGET);
    }
}

static bool
ngx_http_eas_index_done(ngx_http_eas_periodic_t *p, ngx_log_t *log)
{
    ngx_http_eas_index_job_t *job = static_cast<ngx_http_eas_index_job_t *>(p->data);
    for (const auto &line : job->round.log) {
        ngx_eas_log_line(log, line);
    }
    job->round.log.clear();
    job->seq = job->round.seq;
    return job->round.more;
}

void
ngx_http_eas_indexer_init_process(ngx_cycle_t *cycle,
    ngx_http_eas_main_conf_t *emcf)
{
    if (ngx_worker != 0 || emcf->background_pool == NULL
        || ngx_http_eas_service() == NULL)
    {
        return;
    }
    ngx_http_eas_index_job_t *job = static_cast<ngx_http_eas_index_job_t *>(
        ngx_pcalloc(cycle->pool, sizeof(ngx_http_eas_index_job_t)));
    if (job == NULL) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "eas: no memory for the search indexer");
        return;
    }
    new (job) ngx_http_eas_index_job_t();
    ngx_http_eas_periodic_t *p = &job->periodic;
    p->what = "search indexing";
    p->interval = NGX_HTTP_EAS_INDEX_MS;
    p->pool = emcf->background_pool;
    ngx_str_set(&p->pool_name, NGX_HTTP_EAS_BACKGROUND_POOL);
    p->data = job;
    p->work = ngx_http_eas_index_work;
    p->done = ngx_http_eas_index_done;
    if (ngx_http_eas_periodic_start(p, cycle) != NGX_OK) {
        job->~ngx_http_eas_index_job_t();
        return;
    }
    ngx_http_eas_index_job = job;
}

void
ngx_http_eas_indexer_exit_process()
{
    if (ngx_http_eas_index_job != NULL) {
        ngx_http_eas_periodic_stop(&ngx_http_eas_index_job->periodic);
        ngx_http_eas_index_job->~ngx_http_eas_index_job_t();
        ngx_http_eas_index_job = NULL;
    }
}
