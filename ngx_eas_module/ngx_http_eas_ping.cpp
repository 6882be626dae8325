/*
 * eas for nginx: held Pings (and hanging Syncs). Core decides to hold and
 * when to answer (push::Hub, the service's push façade); this file holds:
 * a heartbeat timer per request, one poll timer per worker while it holds
 * any, and the request's own read handler to notice a client that goes
 * away. Nothing blocks and no thread or process waits per device.
 *
 * Every NGX_HTTP_EAS_PING_POLL ms the poll lets the Hub look, once, at
 * what happened meanwhile: did any device send a newer request, in any
 * worker (the shared device generation table), and whom do the store's
 * changes concern (one read transaction). Writes come from other workers
 * and from easctl, which is not an nginx process, so a shared store
 * counter is the one signal all of them give. Then the Hub says, for each
 * held request, whether to answer it now and with what. A newer request
 * in this worker ends the held Ping of its device at once.
 *
 * Shutdown: heartbeat timers are cancelable, the poll timer is not, so a
 * gracefully exiting worker runs one more poll, which answers every held
 * Ping with Status 1 and stops; the worker then exits without waiting for
 * heartbeats or leaving open sockets behind.
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <string>

#include "core/http_exchange.hpp"
#include "core/service.hpp"
#include "ngx_eas_string.hpp"

/* How often a worker holding Pings looks for changes: the bound of the
 * delay between a change made elsewhere and the answer. */
#define NGX_HTTP_EAS_PING_POLL  250

/* One held Ping, in r->pool; `held` is the Hub's, released by the pool
 * cleanup with everything else when the request ends, however it ends. */
typedef struct {
    ngx_queue_t                        queue;
    ngx_http_request_t                *r;
    ngx_http_eas_ctx_t                *ctx;
    eas::core::push::Held             *held;
    void                              *sync_job;  /* a hanging Sync's job */
    ngx_event_t                        heartbeat;
    unsigned                           queued:1;
} ngx_http_eas_ping_t;

/* The worker's held Pings. */
typedef struct {
    ngx_queue_t                        held;
    ngx_uint_t                         count;
    ngx_event_t                        poll;
    unsigned                           initialized:1;
} ngx_http_eas_pings_t;

static ngx_http_eas_pings_t  ngx_http_eas_pings;

static void ngx_http_eas_ping_cleanup(void *data);
static void ngx_http_eas_ping_expire(ngx_event_t *ev);
static void ngx_http_eas_ping_poll(ngx_event_t *ev);
static void ngx_http_eas_ping_answer(ngx_http_eas_ping_t *p,
    const std::string &body, const char *why,
    ngx_uint_t status = NGX_HTTP_OK);
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

    eas::core::push::Hub *hub = ngx_http_eas_push();
    if (hub) {
        eas::core::push::DeviceMark  mark;

        eas::Status s = hub->NoteRequest(ngx_eas_view(ctx->user),
                                         ngx_eas_view(ctx->device_id), &mark);
        if (!s.ok()) {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "eas: device generations: %s", s.message().c_str());

        } else if (mark.set) {
            ctx->device_slot = mark.slot;
            ctx->device_word = mark.word;
            ctx->device_seen = 1;
        }
    }

    ngx_http_eas_pings_t *ps = ngx_http_eas_pings_get();
    ngx_queue_t *q = ngx_queue_head(&ps->held);

    while (q != ngx_queue_sentinel(&ps->held)) {
        ngx_http_eas_ping_t *p = ngx_queue_data(q, ngx_http_eas_ping_t, queue);
        q = ngx_queue_next(q);

        if (p->r != r && ngx_http_eas_same_device(p->ctx, ctx)) {
            ngx_http_eas_ping_answer(p,
                eas::core::push::Hub::ExpiredAnswer(),
                "a newer request of the device");
        }
    }
}

/*
 * Puts the request on hold as resp->wait says (the Hub takes that over).
 * NGX_DONE when held; otherwise the code to finalize the request with
 * (while the worker shuts down the Ping is answered at once with Status 1).
 */
ngx_int_t
ngx_http_eas_ping_hold(ngx_http_request_t *r, ngx_http_eas_ctx_t *ctx,
    eas::core::Response *resp, void *sync_job)
{
    eas::core::push::Hub *hub = ngx_http_eas_push();

    if (ngx_exiting || ngx_quit || ngx_terminate || hub == NULL) {
        if (sync_job) {
            /* run the Sync again now (no_hold): "nothing new" */
            ngx_http_eas_run(r, sync_job);
            return NGX_DONE;
        }
        try {
            return ngx_http_eas_send_body(r,
                eas::core::kWbxmlContentType,
                eas::core::push::Hub::ExpiredAnswer());
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

    eas::core::push::DeviceMark  mark;
    if (ctx->device_seen) {
        mark.slot = ctx->device_slot;
        mark.word = ctx->device_word;
        mark.set = true;
    }

    p->held = hub->Hold(resp->wait, mark);
    if (p->held == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p->r = r;
    p->ctx = ctx;
    p->sync_job = sync_job;
    cln->handler = ngx_http_eas_ping_cleanup;
    cln->data = p;
    ctx->ping = p;

    ngx_http_eas_pings_t *ps = ngx_http_eas_pings_get();

    ngx_queue_insert_tail(&ps->held, &p->queue);
    p->queued = 1;
    ps->count++;

    /* answer Status 1 at the heartbeat, never later; cancelable, so a
     * graceful shutdown does not wait for it */
    p->heartbeat.handler = ngx_http_eas_ping_expire;
    p->heartbeat.data = p;
    p->heartbeat.log = r->connection->log;
    p->heartbeat.cancelable = 1;
    uint64_t heartbeat = eas::core::push::Hub::Heartbeat(*p->held);
    ngx_add_timer(&p->heartbeat, static_cast<ngx_msec_t>(heartbeat) * 1000);

    if (!ps->poll.timer_set) {
        ngx_add_timer(&ps->poll, NGX_HTTP_EAS_PING_POLL);
    }

    /* notice a client that goes away; nothing else is read meanwhile */
    r->read_event_handler = ngx_http_test_reading;
    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "eas: Ping held for %uL s, %ui held in this worker",
                   heartbeat, ps->count);

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

    /* no Hub once the worker exits (the process ends then anyway) */
    eas::core::push::Hub *hub = ngx_http_eas_push();
    if (hub) {
        hub->Release(p->held);
    }
    p->held = NULL;
}

static void
ngx_http_eas_ping_answer(ngx_http_eas_ping_t *p, const std::string &body,
    const char *why, ngx_uint_t status)
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
    if (status != NGX_HTTP_OK) {
        /* a refused device on a protocol before 14.0: the status alone */
        r->headers_out.status = status;
        rc = ngx_http_eas_send_body(r, std::string_view(), std::string());
    } else if (!body.empty()) {
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
    ngx_http_eas_ping_answer(p, eas::core::push::Hub::ExpiredAnswer(),
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
                eas::core::push::Hub::ExpiredAnswer(),
                "worker shutting down");
        }
        return;
    }

    eas::core::push::Hub *hub = ngx_http_eas_push();
    if (hub == NULL) {
        return;
    }

    ngx_http_eas_note_activity();  /* what the Hub reads parks a snapshot */

    eas::Status s = hub->BeginPoll();
    if (!s.ok()) {
        /* only superseded requests are answered this time */
        ngx_log_error(NGX_LOG_ERR, ev->log, 0,
                      "eas: Ping: looking for changes: %s",
                      s.message().c_str());
    }

    for (q = ngx_queue_head(&ps->held);
         q != ngx_queue_sentinel(&ps->held);
         /* void */)
    {
        p = ngx_queue_data(q, ngx_http_eas_ping_t, queue);
        q = ngx_queue_next(q);

        eas::core::push::Wake wake = hub->Check(*p->held);

        if (!wake.log.text.empty()) {
            ngx_eas_log_line(p->r->connection->log, wake.log);
        }

        if (wake.now) {
            ngx_http_eas_ping_answer(p, wake.body, wake.reason,
                                     static_cast<ngx_uint_t>(wake.http_status));
        }
    }

    hub->EndPoll();

    if (ps->count && !ps->poll.timer_set) {
        ngx_add_timer(&ps->poll, NGX_HTTP_EAS_PING_POLL);
    }
}
