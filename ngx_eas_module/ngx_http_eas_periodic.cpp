/*
 * eas for nginx: the thread-pool runner of ngx_http_eas_periodic.h.
 */

#include "ngx_eas_module/ngx_http_eas_periodic.h"

#include "core/service.hpp"

static bool
ngx_http_eas_periodic_exiting()
{
    return ngx_exiting || ngx_terminate || ngx_quit;
}

static void
ngx_http_eas_periodic_post(ngx_http_eas_periodic_t *p, ngx_log_t *log)
{
    if (ngx_http_eas_periodic_exiting()) {
        return;
    }
    if (ngx_thread_task_post(p->pool, p->task) != NGX_OK) {
        ngx_log_error(NGX_LOG_WARN, log, 0,
                      "eas: thread pool \"%V\" busy, %s waits",
                      &p->pool_name, p->what);
        ngx_add_timer(&p->timer, p->interval);
        return;
    }
    ngx_eas_hold_take(&p->hold);
}

static void
ngx_http_eas_periodic_tick(ngx_event_t *ev)
{
    ngx_http_eas_periodic_post(static_cast<ngx_http_eas_periodic_t *>(ev->data),
                               ev->log);
}

/* On a pool thread. */
static void
ngx_http_eas_periodic_work(void *data, ngx_log_t *log)
{
    (void) log;
    ngx_http_eas_periodic_t *p = *static_cast<ngx_http_eas_periodic_t **>(data);
    p->work(p);
}

static void
ngx_http_eas_periodic_done(ngx_event_t *ev)
{
    ngx_http_eas_periodic_t *p = static_cast<ngx_http_eas_periodic_t *>(ev->data);
    ngx_eas_hold_release(&p->hold);
    bool more = p->done(p, ev->log);
    /* The run parked a read snapshot. Let it go now: runs come every
     * second, so the idle timer would never find the worker idle, and an
     * idle worker must pin no snapshot (writers could not reuse pages). */
    eas::core::Service *service = ngx_http_eas_service();
    if (service != NULL) {
        service->ReleaseIdleSnapshots();
    }
    if (ngx_http_eas_periodic_exiting()) {
        return;
    }
    if (more || p->again) {
        p->again = false;
        ngx_http_eas_periodic_post(p, ev->log);
    } else {
        ngx_add_timer(&p->timer, p->interval);
    }
}

ngx_int_t
ngx_http_eas_periodic_start(ngx_http_eas_periodic_t *p, ngx_cycle_t *cycle)
{
    p->task = ngx_thread_task_alloc(cycle->pool, sizeof(ngx_http_eas_periodic_t *));
    if (p->task == NULL) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "eas: no memory for the %s", p->what);
        return NGX_ERROR;
    }
    *static_cast<ngx_http_eas_periodic_t **>(p->task->ctx) = p;
    p->task->handler = ngx_http_eas_periodic_work;
    p->task->event.handler = ngx_http_eas_periodic_done;
    p->task->event.data = p;
    p->task->event.log = cycle->log;

    p->timer.handler = ngx_http_eas_periodic_tick;
    p->timer.data = p;
    p->timer.log = cycle->log;
    p->timer.cancelable = 1;
    ngx_add_timer(&p->timer, p->interval);
    return NGX_OK;
}

void
ngx_http_eas_periodic_kick(ngx_http_eas_periodic_t *p)
{
    if (p->task == NULL) {
        return;
    }
    if (!p->timer.timer_set) {  /* a run is under way */
        p->again = true;
        return;
    }
    ngx_del_timer(&p->timer);
    ngx_http_eas_periodic_post(p, ngx_cycle->log);
}

void
ngx_http_eas_periodic_stop(ngx_http_eas_periodic_t *p)
{
    if (p->timer.timer_set) {
        ngx_del_timer(&p->timer);
    }
    ngx_eas_hold_clear(&p->hold);
    p->task = NULL;
}
