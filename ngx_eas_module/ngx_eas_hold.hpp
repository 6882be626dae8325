/*
 * eas for nginx: keeps an exiting worker (reload, graceful stop) alive
 * while work of ours runs on a thread pool. nginx lets a shutting-down
 * worker leave as soon as only cancelable timers are left, and a request
 * or an LMTP session waiting for the pool has no timer of its own: without
 * this the worker would leave with the work done but never answered (a
 * phone told nothing about its accepted mail, an MTA no reply to its
 * dot). One per module and worker; take() when a task is posted,
 * release() when its completion runs on the event loop.
 */

#pragma once

extern "C" {
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>
}

/* How often the hold's timer looks again; it only has to exist. */
#define NGX_EAS_HOLD_MS  60000

struct ngx_eas_hold_t {
    ngx_uint_t   out;    /* tasks posted and not yet completed */
    ngx_event_t  timer;  /* not cancelable: set while out > 0 */
};

static void
ngx_eas_hold_rearm(ngx_event_t *ev)
{
    ngx_eas_hold_t *hold = static_cast<ngx_eas_hold_t *>(ev->data);
    if (hold->out > 0) {
        ngx_add_timer(&hold->timer, NGX_EAS_HOLD_MS);
    }
}

static inline void
ngx_eas_hold_take(ngx_eas_hold_t *hold)
{
    if (hold->out++ == 0 && !hold->timer.timer_set) {
        hold->timer.handler = ngx_eas_hold_rearm;
        hold->timer.data = hold;
        hold->timer.log = ngx_cycle->log;
        ngx_add_timer(&hold->timer, NGX_EAS_HOLD_MS);
    }
}

static inline void
ngx_eas_hold_release(ngx_eas_hold_t *hold)
{
    if (hold->out == 0) {
        /* a completion without its post: a bug of ours, which would let
         * an exiting worker leave with work still out */
        ngx_log_error(NGX_LOG_ALERT, ngx_cycle->log, 0,
                      "eas: thread pool hold released more often than taken");
        return;
    }
    if (--hold->out == 0 && hold->timer.timer_set) {
        ngx_del_timer(&hold->timer);
    }
}

/* At process exit, before the hold's memory goes. */
static inline void
ngx_eas_hold_clear(ngx_eas_hold_t *hold)
{
    if (hold->timer.timer_set) {
        ngx_del_timer(&hold->timer);
    }
    hold->out = 0;
}
