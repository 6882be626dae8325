/*
 * eas for nginx: one LMTP connection. Moves bytes between the socket and
 * core's session (core/mail/lmtp_session.hpp), which decides every reply,
 * and hands each complete message to the delivery path
 * (ngx_stream_eas_deliver). While a message is being delivered nothing
 * more is read: the connection waits, without a timer of its own, for its
 * outcomes (an exiting worker waits for them: ngx_eas_hold.hpp).
 * Replies are written as they come; while some wait for a slow client,
 * nothing more is read either. An idle session (between transactions) is
 * closed with 421 when the worker shuts down (commands it already sent are
 * served first); a timeout closes any other. A session ends with a
 * lingering close: its last reply, then our FIN, then whatever the client
 * still sends is read and dropped for a while, so that a pipelined
 * command arriving after the 421 does not make the kernel reset the
 * connection and throw the 421 away unread.
 */

#include "ngx_stream_eas_module.h"

#include <exception>
#include <new>
#include <string>

#include "ngx_eas_string.hpp"

/* Replies held for a client that does not read them before we stop
 * reading its commands (a pipelined flood). */
#define NGX_STREAM_EAS_OUT_MAX  16384

/* How long a closed session's input is still read and dropped (ms). */
#define NGX_STREAM_EAS_LINGER   2000

/* nginx takes these as char * (and never writes them) */
static char  ngx_stream_eas_lmtp_action[] = "speaking LMTP";
static char  ngx_stream_eas_lmtp_timed_out[] = "client timed out";

/* Lives as long as the connection; freed by its pool's cleanup. */
struct ngx_stream_eas_lmtp_t {
    ngx_stream_eas_lmtp_t(eas::core::mail::LmtpOptions options,
                          eas::core::mail::LmtpSession::Resolver resolve)
        : session(std::move(options), std::move(resolve)) {}

    ngx_stream_session_t              *s = nullptr;
    ngx_stream_eas_srv_conf_t         *conf = nullptr;
    eas::core::mail::LmtpSession       session;
    std::string                        out;   /* replies being sent */
    size_t                             sent = 0;
    ngx_stream_eas_job_t              *job = nullptr;  /* being delivered */
};

static void ngx_stream_eas_lmtp_read(ngx_event_t *rev);
static void ngx_stream_eas_lmtp_write(ngx_event_t *wev);
static void ngx_stream_eas_lmtp_step(ngx_stream_eas_lmtp_t *ctx);
static void ngx_stream_eas_lmtp_delivered(ngx_stream_eas_job_t *job);
static void ngx_stream_eas_lmtp_linger(ngx_stream_session_t *s);
static void ngx_stream_eas_lmtp_linger_read(ngx_event_t *rev);

static void
ngx_stream_eas_lmtp_cleanup(void *data)
{
    ngx_stream_eas_lmtp_t *ctx = static_cast<ngx_stream_eas_lmtp_t *>(data);
    if (ctx->job) {
        ctx->job->data = NULL;  /* it ends without us */
    }
    delete ctx;
}

void
ngx_stream_eas_lmtp_handler(ngx_stream_session_t *s)
{
    ngx_connection_t          *c = s->connection;
    ngx_stream_eas_srv_conf_t *conf = static_cast<ngx_stream_eas_srv_conf_t *>(
        ngx_stream_get_module_srv_conf(s, ngx_stream_eas_module));
    ngx_stream_eas_lmtp_t     *ctx;

    c->log->action = ngx_stream_eas_lmtp_action;

    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(c->pool, 0);
    if (cln == NULL) {
        ngx_stream_finalize_session(s, NGX_STREAM_INTERNAL_SERVER_ERROR);
        return;
    }

    try {
        eas::core::mail::LmtpOptions options;
        options.host_name = ngx_eas_string(
            const_cast<ngx_cycle_t *>(ngx_cycle)->hostname);
        options.max_message_size = conf->max_size;

        /* RCPT: a read transaction on the loop, as http reads are */
        eas::core::MailService *service = ngx_stream_eas_service(conf);
        ngx_log_t *log = c->log;
        auto resolve = [service, conf, log](std::string_view address) {
            eas::core::LogLine line{eas::core::LogLevel::kInfo, {}};
            auto verdict = service->CheckRecipient(address, &line);
            ngx_stream_eas_note_read(conf);
            if (!line.text.empty()) {
                ngx_eas_log_line(log, line);
            }
            return verdict;
        };

        ctx = new ngx_stream_eas_lmtp_t(std::move(options), std::move(resolve));
        ctx->s = s;
        ctx->conf = conf;
        cln->handler = ngx_stream_eas_lmtp_cleanup;
        cln->data = ctx;

        if (service == NULL) {
            ngx_log_error(NGX_LOG_ERR, c->log, 0,
                          "eas: store unavailable, see the worker start-up "
                          "alert");
            ctx->session.Close("4.3.0", "mail store unavailable, try again later");
        } else {
            ctx->session.Greet();
            /* what a preread phase may have read already */
            if (c->buffer && c->buffer->pos < c->buffer->last) {
                ctx->session.Feed(std::string_view(
                    reinterpret_cast<const char *>(c->buffer->pos),
                    c->buffer->last - c->buffer->pos));
                c->buffer->pos = c->buffer->last;
            }
        }

    } catch (const std::exception &e) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0, "eas: lmtp: %s", e.what());
        ngx_stream_finalize_session(s, NGX_STREAM_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_stream_set_ctx(s, ctx, ngx_stream_eas_module);
    c->read->handler = ngx_stream_eas_lmtp_read;
    c->write->handler = ngx_stream_eas_lmtp_write;

    ngx_stream_eas_lmtp_step(ctx);
}

static void
ngx_stream_eas_lmtp_read(ngx_event_t *rev)
{
    ngx_connection_t      *c = static_cast<ngx_connection_t *>(rev->data);
    ngx_stream_session_t  *s = static_cast<ngx_stream_session_t *>(c->data);
    ngx_stream_eas_lmtp_t *ctx = static_cast<ngx_stream_eas_lmtp_t *>(
        ngx_stream_get_module_ctx(s, ngx_stream_eas_module));
    u_char                 buf[16384];

    try {
        if (rev->timedout) {
            ngx_connection_error(c, NGX_ETIMEDOUT, ngx_stream_eas_lmtp_timed_out);
            c->timedout = 1;
            ctx->session.Close("4.4.2", "timeout, closing connection");
            ngx_stream_eas_lmtp_step(ctx);
            return;
        }

        /* The worker shuts down while this session idles: commands the
         * client has already sent are served (the worker waits for the
         * session's timer); with none, step() ends the session with 421
         * (c->idle was set only for an idle session, and nothing read
         * leaves it idle). */
        bool leaving = c->close;
        c->close = 0;

        if (!leaving
            && (ctx->job || !ctx->out.empty() || ctx->session.closed()))
        {
            return;  /* read later: step() comes back when ready */
        }

        for ( ;; ) {
            ssize_t n = c->recv(c, buf, sizeof(buf));

            if (n == NGX_AGAIN) {
                break;
            }

            if (n == NGX_ERROR || n == 0) {  /* gone: whatever was begun
                                                is the client's to retry */
                ngx_stream_finalize_session(s, NGX_STREAM_OK);
                return;
            }

            s->received += n;
            ctx->session.Feed(std::string_view(reinterpret_cast<char *>(buf), n));

            if (ctx->session.delivering() || ctx->session.closed()
                || ctx->session.output().size() >= NGX_STREAM_EAS_OUT_MAX)
            {
                break;
            }
        }

    } catch (const std::exception &e) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0, "eas: lmtp: %s", e.what());
        ngx_stream_finalize_session(s, NGX_STREAM_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_stream_eas_lmtp_step(ctx);
}

static void
ngx_stream_eas_lmtp_write(ngx_event_t *wev)
{
    ngx_connection_t      *c = static_cast<ngx_connection_t *>(wev->data);
    ngx_stream_session_t  *s = static_cast<ngx_stream_session_t *>(c->data);
    ngx_stream_eas_lmtp_t *ctx = static_cast<ngx_stream_eas_lmtp_t *>(
        ngx_stream_get_module_ctx(s, ngx_stream_eas_module));

    if (wev->timedout) {
        ngx_connection_error(c, NGX_ETIMEDOUT, ngx_stream_eas_lmtp_timed_out);
        c->timedout = 1;
        ngx_stream_finalize_session(s, NGX_STREAM_OK);
        return;
    }

    ngx_stream_eas_lmtp_step(ctx);
}

/* Sends what is in ctx->out: NGX_OK (all of it), NGX_AGAIN (the write
 * event comes back) or NGX_ERROR. */
static ngx_int_t
ngx_stream_eas_lmtp_flush(ngx_stream_eas_lmtp_t *ctx)
{
    ngx_connection_t  *c = ctx->s->connection;

    while (ctx->sent < ctx->out.size()) {
        ssize_t n = c->send(c,
            reinterpret_cast<u_char *>(&ctx->out[ctx->sent]),
            ctx->out.size() - ctx->sent);

        if (n > 0) {
            ctx->sent += n;
            continue;
        }

        if (n == NGX_AGAIN) {
            if (ngx_handle_write_event(c->write, 0) != NGX_OK) {
                return NGX_ERROR;
            }
            ngx_add_timer(c->write, ctx->conf->timeout);
            return NGX_AGAIN;
        }

        return NGX_ERROR;
    }

    ctx->out.clear();
    ctx->sent = 0;
    if (c->write->timer_set) {
        ngx_del_timer(c->write);
    }

    return NGX_OK;
}

/* Starts delivering the message the session holds; when the store cannot
 * take it, answers "try again later" at once. */
static void
ngx_stream_eas_lmtp_deliver(ngx_stream_eas_lmtp_t *ctx)
{
    ngx_connection_t      *c = ctx->s->connection;
    ngx_stream_eas_job_t  *job = new ngx_stream_eas_job_t();

    job->mail.message = ctx->session.TakeMessage();
    job->mail.received = static_cast<uint64_t>(ngx_time());
    job->data = ctx;
    job->log = c->log;
    job->done = ngx_stream_eas_lmtp_delivered;

    if (ngx_stream_eas_deliver(ctx->conf, job) != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "eas: lmtp: thread pool \"%V\" took no task",
                      &ctx->conf->thread_pool_name);
        delete job;
        ctx->session.Delivered({});  /* 451 for every recipient */
        return;
    }

    ctx->job = job;
    if (c->read->timer_set) {
        ngx_del_timer(c->read);  /* the store's time, not the client's */
    }
}

/* After anything happened: collect the replies, start a delivery, send,
 * then close, wait, or read on. Always the last call of its caller: it
 * may end the session. */
static void
ngx_stream_eas_lmtp_step(ngx_stream_eas_lmtp_t *ctx)
{
    ngx_stream_session_t  *s = ctx->s;
    ngx_connection_t      *c = s->connection;

    try {
        for ( ;; ) {
            ctx->out += ctx->session.output();
            ctx->session.output().clear();

            if (ctx->session.has_message()) {
                ngx_stream_eas_lmtp_deliver(ctx);
                continue;  /* a refused delivery answered at once */
            }

            if ((ngx_exiting || ngx_terminate) && ctx->job == NULL
                && ctx->session.idle())
            {
                ctx->session.Close("4.3.2", "shutting down, try again later");
                continue;
            }

            break;
        }

    } catch (const std::exception &e) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0, "eas: lmtp: %s", e.what());
        ngx_stream_finalize_session(s, NGX_STREAM_INTERNAL_SERVER_ERROR);
        return;
    }

    switch (ngx_stream_eas_lmtp_flush(ctx)) {
    case NGX_ERROR:
        ngx_stream_finalize_session(s, NGX_STREAM_OK);
        return;
    case NGX_AGAIN:
        c->idle = 0;
        return;
    }

    if (ctx->session.closed()) {
        ngx_stream_eas_lmtp_linger(s);
        return;
    }

    c->idle = ctx->job == NULL && ctx->session.idle();

    if (ctx->job) {
        return;  /* ngx_stream_eas_lmtp_delivered() steps on */
    }

    if (c->read->ready) {
        /* input left unread, or come meanwhile: read it after this */
        ngx_post_event(c->read, &ngx_posted_events);
        return;
    }

    ngx_add_timer(c->read, ctx->conf->timeout);

    if (ngx_handle_read_event(c->read, 0) != NGX_OK) {
        ngx_stream_finalize_session(s, NGX_STREAM_INTERNAL_SERVER_ERROR);
    }
}

static void
ngx_stream_eas_lmtp_delivered(ngx_stream_eas_job_t *job)
{
    ngx_stream_eas_lmtp_t *ctx = static_cast<ngx_stream_eas_lmtp_t *>(job->data);

    ctx->job = NULL;
    try {
        ctx->session.Delivered(job->mail.outcomes);
    } catch (const std::exception &e) {
        ngx_log_error(NGX_LOG_ERR, job->log, 0, "eas: lmtp: %s", e.what());
        delete job;
        ngx_stream_finalize_session(ctx->s, NGX_STREAM_INTERNAL_SERVER_ERROR);
        return;
    }
    delete job;

    ngx_stream_eas_lmtp_step(ctx);
}

/* The session's last reply is sent: send our FIN, then read and drop what
 * the client still sends until it closes too, or for
 * NGX_STREAM_EAS_LINGER ms. Closing with its commands unread would make
 * the kernel answer them with a reset, which can take the last reply
 * with it. The timer is not cancelable: a leaving worker waits for it. */
static void
ngx_stream_eas_lmtp_linger(ngx_stream_session_t *s)
{
    ngx_connection_t  *c = s->connection;

    if (c->read->eof || c->read->error
        || shutdown(c->fd, SHUT_WR) == -1)
    {
        ngx_stream_finalize_session(s, NGX_STREAM_OK);
        return;
    }

    c->idle = 0;
    c->read->handler = ngx_stream_eas_lmtp_linger_read;
    c->write->handler = ngx_stream_eas_lmtp_linger_read;
    if (c->write->timer_set) {
        ngx_del_timer(c->write);
    }
    ngx_add_timer(c->read, NGX_STREAM_EAS_LINGER);
    ngx_stream_eas_lmtp_linger_read(c->read);
}

static void
ngx_stream_eas_lmtp_linger_read(ngx_event_t *ev)
{
    ngx_connection_t      *c = static_cast<ngx_connection_t *>(ev->data);
    ngx_stream_session_t  *s = static_cast<ngx_stream_session_t *>(c->data);
    u_char                 buf[4096];

    if (ev->write) {
        return;  /* nothing more to send */
    }

    if (c->read->timedout) {
        ngx_stream_finalize_session(s, NGX_STREAM_OK);
        return;
    }

    for ( ;; ) {
        ssize_t n = c->recv(c, buf, sizeof(buf));

        if (n == NGX_AGAIN) {
            break;
        }

        if (n == NGX_ERROR || n == 0) {
            ngx_stream_finalize_session(s, NGX_STREAM_OK);
            return;
        }
    }

    if (ngx_handle_read_event(c->read, 0) != NGX_OK) {
        ngx_stream_finalize_session(s, NGX_STREAM_OK);
    }
}
