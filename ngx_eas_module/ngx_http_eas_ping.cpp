/*
 * eas for nginx: held Pings. Core decides to hold (a PingWait), this file
 * holds: a heartbeat timer per request, one poll timer per worker while it
 * holds any, and the request's own read handler to notice a client that
 * goes away. Nothing blocks and no thread or process waits per device.
 *
 * The poll (every NGX_HTTP_EAS_PING_POLL ms) asks two cheap questions:
 *   - did any device send a newer request, in any worker? (the epoch of
 *     the shared device generation table) — then end the superseded ones;
 *   - did the store change since the seq last looked at? (one read
 *     transaction) — then re-check only the held Pings of the users the
 *     change feed names.
 * Writes come from other workers and from easctl, which is not an nginx
 * process, so a shared store counter is the one signal all of them give.
 * A newer request in this worker ends the held Ping of its device at once.
 *
 * Shutdown: heartbeat timers are cancelable, the poll timer is not, so a
 * gracefully exiting worker runs one more poll, which answers every held
 * Ping with Status 1 and stops; the worker then exits without waiting for
 * heartbeats or leaving open sockets behind.
 */

#include "ngx_http_eas_module.h"

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "core/http_exchange.hpp"
#include "core/push/device_generations.hpp"
#include "core/push/ping_wait.hpp"
#include "core/push/ping_watcher.hpp"
#include "ngx_eas_string.hpp"

/* How often a worker holding Pings looks for changes: the bound of the
 * delay between a change made elsewhere and the answer. */
#define NGX_HTTP_EAS_PING_POLL  250

/* One held Ping, in r->pool; `wait` on the C++ heap, freed by the pool
 * cleanup with everything else when the request ends, however it ends. */
typedef struct {
    ngx_queue_t                        queue;
    ngx_http_request_t                *r;
    ngx_http_eas_ctx_t                *ctx;
    eas::core::push::PingWait         *wait;
    void                              *sync_job;  /* a hanging Sync's job */
    ngx_event_t                        heartbeat;
    unsigned                           queued:1;
} ngx_http_eas_ping_t;

/* The worker's held Pings and what its poll has looked at. */
typedef struct {
    ngx_queue_t                        held;
    ngx_uint_t                         count;
    ngx_event_t                        poll;
    uint64_t                           change_seq;
    uint64_t                           epoch;
    unsigned                           initialized:1;
} ngx_http_eas_pings_t;

static ngx_http_eas_pings_t  ngx_http_eas_pings;

static void ngx_http_eas_ping_cleanup(void *data);
static void ngx_http_eas_ping_expire(ngx_event_t *ev);
static void ngx_http_eas_ping_poll(ngx_event_t *ev);
static void ngx_http_eas_ping_answer(ngx_http_eas_ping_t *p,
    const std::string &body, const char *why);
static void ngx_http_eas_ping_unlink(ngx_http_eas_ping_t *p);

static ngx_http_eas_pings_t *
ngx_http_eas_pings_get()
{
    ngx_http_eas_pings_t  *ps = &ngx_http_eas_pings;

    if (!ps->initialized) {
        ngx_queue_init(&ps->held);
        ps->poll.handler = ngx_http_eas_ping_poll;
        ps->poll.log = ngx_cycle->log;
        ps->poll.data = ps;
        /* not cancelable: an exiting worker runs one more poll, which
         * answers what it holds (see above) */
        ps->poll.cancelable = 0;
        ps->initialized = 1;
    }

    return ps;
}

static bool
ngx_http_eas_same_device(ngx_http_eas_ctx_t *a, ngx_http_eas_ctx_t *b)
{
    return a->user.len == b->user.len
           && a->device_id.len == b->device_id.len
           && ngx_memcmp(a->user.data, b->user.data, a->user.len) == 0
           && ngx_memcmp(a->device_id.data, b->device_id.data,
                         a->device_id.len) == 0;
}

/*
 * Every answered request of an authenticated device: bump the device's
 * generation (so other workers end its held Ping at their next poll) and
 * end a Ping of the same device held here at once. The new word goes into
 * ctx, for a Ping this request may become.
 */
void
ngx_http_eas_device_request(ngx_http_request_t *r, ngx_http_eas_ctx_t *ctx)
{
    if (ctx->user.len == 0 || ctx->device_id.len == 0) {
        return;
    }

    eas::core::push::DeviceGenerations *g = ngx_http_eas_generations();
    if (g) {
        try {
            eas::core::push::DeviceGenerations::Token t =
                g->Bump(ngx_eas_view(ctx->user), ngx_eas_view(ctx->device_id));
            ctx->device_slot = t.slot;
            ctx->device_word = t.word;
            ctx->device_seen = 1;

        } catch (const std::exception &e) {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "eas: device generations: %s", e.what());
        }
    }

    ngx_http_eas_pings_t *ps = ngx_http_eas_pings_get();
    ngx_queue_t *q = ngx_queue_head(&ps->held);

    while (q != ngx_queue_sentinel(&ps->held)) {
        ngx_http_eas_ping_t *p = ngx_queue_data(q, ngx_http_eas_ping_t, queue);
        q = ngx_queue_next(q);

        if (p->r != r && ngx_http_eas_same_device(p->ctx, ctx)) {
            ngx_http_eas_ping_answer(p,
                eas::core::push::PingWatcher::ExpiredAnswer(),
                "a newer request of the device");
        }
    }
}

/*
 * Puts the request on hold as `wait` says. NGX_DONE when held; otherwise
 * the code to finalize the request with (while the worker shuts down the
 * Ping is answered at once with Status 1).
 */
ngx_int_t
ngx_http_eas_ping_hold(ngx_http_request_t *r, ngx_http_eas_ctx_t *ctx,
    eas::core::push::PingWait *wait, void *sync_job)
{
    if (ngx_exiting || ngx_quit || ngx_terminate
        || ngx_http_eas_ping_watcher() == NULL)
    {
        if (sync_job) {
            /* run the Sync again now (no_hold): "nothing new" */
            ngx_http_eas_run(r, sync_job);
            return NGX_DONE;
        }
        try {
            return ngx_http_eas_send_body(r,
                eas::core::kWbxmlContentType,
                eas::core::push::PingWatcher::ExpiredAnswer());
        } catch (const std::exception &) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    ngx_http_eas_ping_t *p = static_cast<ngx_http_eas_ping_t *>(
        ngx_pcalloc(r->pool, sizeof(ngx_http_eas_ping_t)));
    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(r->pool, 0);
    if (p == NULL || cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    try {
        p->wait = new eas::core::push::PingWait(std::move(*wait));
    } catch (const std::exception &) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p->r = r;
    p->ctx = ctx;
    p->sync_job = sync_job;
    cln->handler = ngx_http_eas_ping_cleanup;
    cln->data = p;
    ctx->ping = p;

    ngx_http_eas_pings_t *ps = ngx_http_eas_pings_get();

    /* the poll must look at every change after the snapshot the decision
     * was made in */
    if (ps->count == 0 || p->wait->change_seq < ps->change_seq) {
        ps->change_seq = p->wait->change_seq;
    }
    /* and check the new Ping's device once even if the epoch seems known:
     * another worker may have bumped it since this request's own bump */
    ps->epoch = 0;

    ngx_queue_insert_tail(&ps->held, &p->queue);
    p->queued = 1;
    ps->count++;

    /* answer Status 1 at the heartbeat, never later; cancelable, so a
     * graceful shutdown does not wait for it */
    p->heartbeat.handler = ngx_http_eas_ping_expire;
    p->heartbeat.data = p;
    p->heartbeat.log = r->connection->log;
    p->heartbeat.cancelable = 1;
    ngx_add_timer(&p->heartbeat,
                  static_cast<ngx_msec_t>(p->wait->heartbeat) * 1000);

    if (!ps->poll.timer_set) {
        ngx_add_timer(&ps->poll, NGX_HTTP_EAS_PING_POLL);
    }

    /* notice a client that goes away; nothing else is read meanwhile */
    r->read_event_handler = ngx_http_test_reading;
    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "eas: Ping held for %uL s, %ui held in this worker",
                   p->wait->heartbeat, ps->count);

    return NGX_DONE;
}

static void
ngx_http_eas_ping_unlink(ngx_http_eas_ping_t *p)
{
    if (p->heartbeat.timer_set) {
        ngx_del_timer(&p->heartbeat);
    }

    if (!p->queued) {
        return;
    }

    ngx_http_eas_pings_t *ps = ngx_http_eas_pings_get();

    ngx_queue_remove(&p->queue);
    p->queued = 0;
    ps->count--;

    if (ps->count == 0 && ps->poll.timer_set) {
        ngx_del_timer(&ps->poll);
    }
}

/* The request ends (answered, client gone, connection closed). */
static void
ngx_http_eas_ping_cleanup(void *data)
{
    ngx_http_eas_ping_t *p = static_cast<ngx_http_eas_ping_t *>(data);

    ngx_http_eas_ping_unlink(p);
    p->ctx->ping = NULL;
    delete p->wait;
    p->wait = NULL;
}

static void
ngx_http_eas_ping_answer(ngx_http_eas_ping_t *p, const std::string &body,
    const char *why)
{
    ngx_http_request_t  *r = p->r;
    ngx_connection_t    *c = r->connection;

    ngx_http_eas_ping_unlink(p);

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, c->log, 0, "eas: Ping answered: %s",
                   why);

    r->read_event_handler = ngx_http_block_reading;
    r->write_event_handler = ngx_http_request_empty_handler;

    if (p->sync_job) {
        /* a hanging Sync answers by running again: the changes, or at the
         * heartbeat (or on shutdown, or a newer request) "nothing new" */
        void *job = p->sync_job;
        p->sync_job = NULL;
        ngx_http_eas_run(r, job);
        ngx_http_run_posted_requests(c);
        return;
    }

    ngx_int_t rc = NGX_HTTP_INTERNAL_SERVER_ERROR;
    if (!body.empty()) {
        try {
            rc = ngx_http_eas_send_body(r,
                eas::core::kWbxmlContentType, body);
        } catch (const std::exception &) {
            /* out of memory: 500 */
        }
    }

    /* r and p may be gone after this */
    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}

static void
ngx_http_eas_ping_expire(ngx_event_t *ev)
{
    ngx_http_eas_ping_t *p = static_cast<ngx_http_eas_ping_t *>(ev->data);

    ngx_http_set_log_request(p->r->connection->log, p->r);
    ngx_http_eas_ping_answer(p, eas::core::push::PingWatcher::ExpiredAnswer(),
                             "heartbeat");
}

static void
ngx_http_eas_ping_poll(ngx_event_t *ev)
{
    ngx_http_eas_pings_t *ps = static_cast<ngx_http_eas_pings_t *>(ev->data);
    ngx_queue_t          *q;
    ngx_http_eas_ping_t  *p;

    if (ngx_exiting || ngx_quit || ngx_terminate) {
        /* answer everything now; no new poll, so the worker can exit */
        while (!ngx_queue_empty(&ps->held)) {
            p = ngx_queue_data(ngx_queue_head(&ps->held), ngx_http_eas_ping_t,
                               queue);
            ngx_http_eas_ping_answer(p,
                eas::core::push::PingWatcher::ExpiredAnswer(),
                "worker shutting down");
        }
        return;
    }

    /* newer requests of held devices, in any worker */
    eas::core::push::DeviceGenerations *g = ngx_http_eas_generations();
    if (g && g->Epoch() != ps->epoch) {
        ps->epoch = g->Epoch();

        for (q = ngx_queue_head(&ps->held);
             q != ngx_queue_sentinel(&ps->held);
             /* void */)
        {
            p = ngx_queue_data(q, ngx_http_eas_ping_t, queue);
            q = ngx_queue_next(q);

            if (p->ctx->device_seen
                && g->Stale({p->ctx->device_slot, p->ctx->device_word}))
            {
                ngx_http_eas_ping_answer(p,
                    eas::core::push::PingWatcher::ExpiredAnswer(),
                    "a newer request of the device");
            }
        }
    }

    /* store changes, in any process */
    eas::core::push::PingWatcher *watcher = ngx_http_eas_ping_watcher();
    ngx_http_eas_note_activity();  /* what it reads parks a snapshot */
    std::vector<eas::storage::UserId>  users;
    uint64_t                           seq = ps->change_seq;
    bool                               everyone = false;

    eas::Status s = watcher ? watcher->ChangesSince(ps->change_seq, &seq,
                                                    &users, &everyone)
                            : eas::Status::Internal("no store");
    if (!s.ok()) {
        ngx_log_error(NGX_LOG_ERR, ev->log, 0,
                      "eas: Ping: looking for changes: %s",
                      s.message().c_str());

    } else if (everyone || !users.empty()) {
        bool  failed = false;

        for (q = ngx_queue_head(&ps->held);
             q != ngx_queue_sentinel(&ps->held);
             /* void */)
        {
            p = ngx_queue_data(q, ngx_http_eas_ping_t, queue);
            q = ngx_queue_next(q);

            if (!everyone
                && !std::binary_search(users.begin(), users.end(),
                                       p->wait->user))
            {
                continue;
            }

            std::string why;
            auto answer = watcher->Recheck(*p->wait, &why);
            if (!answer.ok()) {
                ngx_log_error(NGX_LOG_ERR, p->r->connection->log, 0,
                              "eas: Ping: re-check: %s",
                              answer.status().message().c_str());
                failed = true;
                continue;
            }

            if (*answer) {
                if (!why.empty()) {
                    ngx_log_error(NGX_LOG_INFO, p->r->connection->log, 0,
                                  "eas: Ping: FolderSync required: %s",
                                  why.c_str());
                }
                ngx_http_eas_ping_answer(p, **answer, "changes");
            }
        }

        /* after a failed re-check, look at the same changes again */
        if (!failed) {
            ps->change_seq = seq;
        }

    } else {
        ps->change_seq = seq;
    }

    if (ps->count && !ps->poll.timer_set) {
        ngx_add_timer(&ps->poll, NGX_HTTP_EAS_PING_POLL);
    }
}
