/*
 * eas for nginx: work a worker does now and then on a thread pool, off
 * its event loop: the outgoing queue's runner (ngx_http_eas_relay.cpp)
 * and the search indexer (ngx_http_eas_indexer.cpp). One run at a time;
 * the timer is armed exactly while no run is under way; a run may ask to
 * go again at once (work left), and a kick starts one now. An exiting
 * worker waits for a run under way (it may hold an LMDB snapshot, a
 * write lock or an SMTP transaction) and starts no other.
 */

#pragma once

#include "ngx_http_eas_module.h"
#include "ngx_eas_module/ngx_eas_hold.hpp"

typedef struct ngx_http_eas_periodic_s  ngx_http_eas_periodic_t;

struct ngx_http_eas_periodic_s {
    /* set by the owner before ngx_http_eas_periodic_start() */
    const char         *what;       /* for the log: "outgoing queue" */
    ngx_msec_t          interval;
    ngx_thread_pool_t  *pool;
    ngx_str_t           pool_name;
    void               *data;       /* the owner's */
    /* on a pool thread: one run */
    void              (*work)(ngx_http_eas_periodic_t *p);
    /* on the event loop once the run is over: true to run again at once */
    bool              (*done)(ngx_http_eas_periodic_t *p, ngx_log_t *log);

    /* the runner's own */
    ngx_thread_task_t  *task;
    ngx_event_t         timer;
    ngx_eas_hold_t      hold;
    bool                again;      /* kicked while a run was under way */
};

/* Arms the first run `interval` from now. NGX_ERROR: no memory (logged). */
ngx_int_t ngx_http_eas_periodic_start(ngx_http_eas_periodic_t *p,
    ngx_cycle_t *cycle);
/* A run now, or right after the one under way. */
void ngx_http_eas_periodic_kick(ngx_http_eas_periodic_t *p);
/* At process exit. */
void ngx_http_eas_periodic_stop(ngx_http_eas_periodic_t *p);
