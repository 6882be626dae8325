/*
 * eas for nginx: the content handler. Reads the body, builds a plain
 * eas::core::Request, calls the service (on the event loop for reads, on
 * the thread pool when it needs to write or hash a password), copies the
 * answer into r->pool and finalizes. No exception crosses into nginx.
 */

#include "ngx_http_eas_module.h"

#include <exception>
#include <string>

#include "core/config.hpp"
#include "core/http_exchange.hpp"
#include "core/service.hpp"
#include "ngx_eas_hold.hpp"
#include "ngx_eas_string.hpp"

/* Lives from the body handler to the end of the request; freed by a pool
 * cleanup, since nginx frees the pool without calling destructors. */
struct ngx_http_eas_job_t {
    eas::core::Request   request;   /* views into r and body_storage */
    eas::core::Response  response;
    std::string          body_storage;  /* a body nginx holds in pieces */
};

static void ngx_http_eas_body_handler(ngx_http_request_t *r);
static void ngx_http_eas_thread_handler(void *data, ngx_log_t *log);
static void ngx_http_eas_thread_done(ngx_event_t *ev);
static void ngx_http_eas_respond(ngx_http_request_t *r,
    ngx_http_eas_job_t *job);
static void ngx_http_eas_delayed_send(ngx_http_request_t *r);
static ngx_int_t ngx_http_eas_send(ngx_http_request_t *r,
    const eas::core::Response &resp);
static ngx_int_t ngx_http_eas_set_headers(ngx_http_request_t *r,
    const eas::core::Response &resp);

typedef struct {
    ngx_http_eas_job_t   *job;
} ngx_http_eas_task_ctx_t;

/* Requests on the thread pool; static, so it outlives every timer. */
static ngx_eas_hold_t  ngx_http_eas_pool_hold;

static void
ngx_http_eas_job_cleanup(void *data)
{
    delete static_cast<ngx_http_eas_job_t *>(data);
}

/* Frees the job before the request ends (a held Ping keeps only what it
 * waits for), disarming its pool cleanup. */
static void
ngx_http_eas_job_release(ngx_http_request_t *r, ngx_http_eas_job_t *job)
{
    for (ngx_pool_cleanup_t *c = r->pool->cleanup; c; c = c->next) {
        if (c->handler == ngx_http_eas_job_cleanup && c->data == job) {
            c->handler = NULL;
            delete job;
            return;
        }
    }
}

ngx_int_t
ngx_http_eas_handler(ngx_http_request_t *r)
{
    ngx_http_eas_loc_conf_t *elcf = static_cast<ngx_http_eas_loc_conf_t *>(
        ngx_http_get_module_loc_conf(r, ngx_http_eas_module));
    /* Autodiscover's JSON and profile are fetched with GET */
    ngx_uint_t allowed = elcf->autodiscover ? (NGX_HTTP_GET|NGX_HTTP_POST)
                                            : (NGX_HTTP_POST|NGX_HTTP_OPTIONS);
    if (!(r->method & allowed)) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    if (ngx_http_eas_service() == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "eas: store unavailable, see the worker start-up alert");
        return NGX_HTTP_SERVICE_UNAVAILABLE;
    }

    ngx_int_t rc = ngx_http_read_client_request_body(r,
                                                     ngx_http_eas_body_handler);
    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}

/* The ActiveSync headers nginx does not parse itself, in one pass over
 * the request headers. nginx keeps every header name lower-cased too
 * (lowcase_key), so a plain memcmp finds them. */
static void
ngx_http_eas_activesync_headers(ngx_http_request_t *r, eas::core::Request *req)
{
    static const ngx_str_t  version = ngx_string("ms-asprotocolversion");
    static const ngx_str_t  policy_key = ngx_string("x-ms-policykey");
    static const ngx_str_t  multipart = ngx_string("ms-asacceptmultipart");

    ngx_list_part_t  *part = &r->headers_in.headers.part;
    ngx_table_elt_t  *h = static_cast<ngx_table_elt_t *>(part->elts);
    bool              have_version = false, have_policy_key = false,
                      have_multipart = false;

    for (ngx_uint_t i = 0; /* void */; i++) {
        if (i >= part->nelts) {
            if (part->next == NULL) {
                return;
            }
            part = part->next;
            h = static_cast<ngx_table_elt_t *>(part->elts);
            i = 0;
        }
        /* the first of each counts */
        if (!have_version && h[i].key.len == version.len
            && ngx_memcmp(h[i].lowcase_key, version.data, version.len) == 0)
        {
            have_version = true;
            req->protocol_version = ngx_eas_view(h[i].value);
        } else if (!have_policy_key && h[i].key.len == policy_key.len
                   && ngx_memcmp(h[i].lowcase_key, policy_key.data,
                                 policy_key.len) == 0)
        {
            have_policy_key = true;
            req->policy_key = ngx_eas_view(h[i].value);
        } else if (!have_multipart && h[i].key.len == multipart.len
                   && ngx_memcmp(h[i].lowcase_key, multipart.data,
                                 multipart.len) == 0)
        {
            /* "T" asks for multipart; "F" or anything else: inline */
            have_multipart = true;
            req->accept_multipart = h[i].value.len == 1
                                    && h[i].value.data[0] == 'T';
        }
    }
}

/* The body: a view of nginx's buffer when it is one piece in memory (the
 * usual small request), else assembled into *storage from the memory
 * buffers and nginx's temporary file. */
static ngx_int_t
ngx_http_eas_read_body(ngx_http_request_t *r, std::string_view *body,
    std::string *storage)
{
    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return NGX_OK;
    }

    ngx_chain_t *first = r->request_body->bufs;
    if (first->next == NULL && !first->buf->in_file) {
        *body = std::string_view(
            reinterpret_cast<const char *>(first->buf->pos),
            static_cast<size_t>(first->buf->last - first->buf->pos));
        return NGX_OK;
    }

    for (ngx_chain_t *cl = r->request_body->bufs; cl; cl = cl->next) {
        ngx_buf_t *b = cl->buf;
        if (!b->in_file) {
            storage->append(reinterpret_cast<const char *>(b->pos), b->last - b->pos);
            continue;
        }
        size_t size = static_cast<size_t>(b->file_last - b->file_pos);
        size_t at = storage->size();
        storage->resize(at + size);
        ssize_t n = ngx_read_file(b->file,
                                  reinterpret_cast<u_char *>(&(*storage)[at]),
                                  size, b->file_pos);
        if (n != static_cast<ssize_t>(size)) {
            return NGX_ERROR;
        }
    }

    *body = *storage;
    return NGX_OK;
}

/* eas_autodiscover_url, or https://HOST/Microsoft-Server-ActiveSync with
 * the Host the client used (an autodiscover.DOMAIN server block sets the
 * URL, since its own host name is not the ActiveSync one). */
static ngx_int_t
ngx_http_eas_activesync_url(ngx_http_request_t *r,
    ngx_http_eas_loc_conf_t *elcf, std::string *out)
{
    if (elcf->autodiscover_url != NULL) {
        ngx_str_t  value;
        if (ngx_http_complex_value(r, elcf->autodiscover_url, &value)
            != NGX_OK)
        {
            return NGX_ERROR;
        }
        out->assign(reinterpret_cast<const char *>(value.data), value.len);
        return NGX_OK;
    }
    out->assign("https://");
    out->append(reinterpret_cast<const char *>(r->headers_in.server.data),
                r->headers_in.server.len);
    out->append("/Microsoft-Server-ActiveSync");
    return NGX_OK;
}

static ngx_int_t
ngx_http_eas_build_request(ngx_http_request_t *r, ngx_http_eas_job_t *job)
{
    eas::core::Request *req = &job->request;
    ngx_http_eas_loc_conf_t *elcf = static_cast<ngx_http_eas_loc_conf_t *>(
        ngx_http_get_module_loc_conf(r, ngx_http_eas_module));

    req->method = ngx_eas_view(r->method_name);
    req->query_string = ngx_eas_view(r->args);
    req->path = ngx_eas_view(r->uri);
    if (elcf->autodiscover
        && ngx_http_eas_activesync_url(r, elcf, &req->options.activesync_url)
           != NGX_OK)
    {
        return NGX_ERROR;
    }
    req->options.autodiscover = elcf->autodiscover;
    ngx_http_eas_activesync_headers(r, req);
    if (r->headers_in.user_agent) {
        req->user_agent = ngx_eas_view(r->headers_in.user_agent->value);
    }
    if (r->headers_in.content_type) {
        req->content_type = ngx_eas_view(r->headers_in.content_type->value);
    }

    if (r->headers_in.authorization
        && ngx_http_auth_basic_user(r) == NGX_OK)
    {
        req->has_authorization = true;
        req->basic_user = ngx_eas_view(r->headers_in.user);
        req->basic_password = ngx_eas_view(r->headers_in.passwd);
    }

    req->options.auth_mode = elcf->auth == 1 ? eas::core::AuthMode::kNginx
                                             : eas::core::AuthMode::kStore;
    if (req->options.auth_mode == eas::core::AuthMode::kNginx) {
        /* auth_basic / auth_request ran in the access phase already; the
         * account name is the one in the Basic header they accepted. */
        req->nginx_user = req->basic_user;
    }
    req->options.auth_cache_ttl = static_cast<uint64_t>(elcf->auth_cache_valid);
    req->options.sync_window_max = static_cast<size_t>(elcf->sync_window_max);
    req->options.sync_state_expiry = static_cast<uint64_t>(elcf->sync_state_expiry);
    req->options.meeting_reply_delay = static_cast<uint64_t>(elcf->meeting_reply_delay);

    using eas::core::provisioning::Mode;
    req->options.provisioning = elcf->provisioning == 2 ? Mode::kRequired
                              : elcf->provisioning == 1 ? Mode::kOptional
                              : Mode::kOff;
    eas::core::provisioning::Policy &policy = req->options.policy;
    policy.password_required = elcf->policy_password;
    policy.min_password_length =
        static_cast<uint32_t>(elcf->policy_password_min_length);
    policy.alphanumeric_password = elcf->policy_password_complex;
    policy.max_inactivity_seconds =
        static_cast<uint32_t>(elcf->policy_max_inactivity);
    policy.max_failed_attempts =
        static_cast<uint32_t>(elcf->policy_max_failed_attempts);
    policy.require_encryption = elcf->policy_require_encryption;
    policy.allow_camera = elcf->policy_allow_camera;
    policy.allow_storage_card = elcf->policy_allow_storage_card;
    policy.allow_simple_password = elcf->policy_allow_simple_password;
    req->options.ping_min = static_cast<uint64_t>(elcf->ping_min);
    req->options.ping_max = static_cast<uint64_t>(elcf->ping_max);
    req->options.ping_max_folders = elcf->ping_max_folders;
    if (ngx_http_eas_access_options(r, elcf, &req->options.access)
        != NGX_OK)
    {
        return NGX_ERROR;
    }
    req->now = static_cast<uint64_t>(ngx_time());

    return ngx_http_eas_read_body(r, &req->body, &job->body_storage);
}

static void
ngx_http_eas_body_handler(ngx_http_request_t *r)
{
    ngx_http_eas_job_t  *job;

    try {
        /* default-initialised: every member has its initialiser, and ()
         * would zero the whole job first */
        job = new ngx_http_eas_job_t;
    } catch (const std::exception &) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_pool_cleanup_t *cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        delete job;
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }
    cln->handler = ngx_http_eas_job_cleanup;
    cln->data = job;

    try {
        if (ngx_http_eas_build_request(r, job) != NGX_OK) {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, ngx_errno,
                          "eas: cannot read the request body");
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }
    } catch (const std::exception &e) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "eas: request rejected: %s", e.what());
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_eas_run(r, job);
}

void
ngx_http_eas_run(ngx_http_request_t *r, void *data)
{
    ngx_http_eas_job_t *job = static_cast<ngx_http_eas_job_t *>(data);

    /* Handle() never throws. It answers into a fresh Response: a job kept
     * for a hanging Sync (no_hold set) is run again, so clear its answer. */
    if (job->request.no_hold) {
        job->response = eas::core::Response();
    }
    ngx_http_eas_service()->Handle(job->request, false, job->response);
    ngx_http_eas_note_activity();

    if (!job->response.needs_blocking) {
        ngx_http_eas_respond(r, job);
        return;
    }

    ngx_http_eas_loc_conf_t *elcf = static_cast<ngx_http_eas_loc_conf_t *>(
        ngx_http_get_module_loc_conf(r, ngx_http_eas_module));

    ngx_thread_task_t *task = ngx_thread_task_alloc(r->pool,
                                              sizeof(ngx_http_eas_task_ctx_t));
    if (task == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    static_cast<ngx_http_eas_task_ctx_t *>(task->ctx)->job = job;
    task->handler = ngx_http_eas_thread_handler;
    task->event.handler = ngx_http_eas_thread_done;
    task->event.data = r;

    if (ngx_thread_task_post(elcf->thread_pool, task) != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "eas: thread pool \"%V\" queue full",
                      &elcf->thread_pool_name);
        ngx_http_finalize_request(r, NGX_HTTP_SERVICE_UNAVAILABLE);
        return;
    }

    /* keep nginx from freeing the request while the thread works on it,
     * and an exiting worker from leaving before it is answered */
    r->main->blocked++;
    r->aio = 1;
    ngx_eas_hold_take(&ngx_http_eas_pool_hold);
}

/* On a pool thread: touches only the job, never the request or its pool. */
static void
ngx_http_eas_thread_handler(void *data, ngx_log_t *log)
{
    (void) log;
    ngx_http_eas_job_t *job = static_cast<ngx_http_eas_task_ctx_t *>(data)->job;
    job->response = eas::core::Response();  /* what the first run said */
    ngx_http_eas_service()->Handle(job->request, true, job->response);
}

static void
ngx_http_eas_thread_done(ngx_event_t *ev)
{
    ngx_http_request_t *r = static_cast<ngx_http_request_t *>(ev->data);
    ngx_connection_t   *c = r->connection;

    ngx_http_set_log_request(c->log, r);

    r->main->blocked--;
    r->aio = 0;
    ngx_eas_hold_release(&ngx_http_eas_pool_hold);
    ngx_http_eas_note_activity();  /* the thread's reads parked a snapshot */

    ngx_thread_task_t *task = reinterpret_cast<ngx_thread_task_t *>(
        reinterpret_cast<u_char *>(ev) - offsetof(ngx_thread_task_t, event));
    ngx_http_eas_respond(r,
        static_cast<ngx_http_eas_task_ctx_t *>(task->ctx)->job);

    ngx_http_run_posted_requests(c);
}

static void
ngx_http_eas_log(ngx_http_request_t *r, const eas::core::Response &resp)
{
    for (const auto &line : resp.log) {
        ngx_eas_log_line(r->connection->log, line);
    }
}

static void
ngx_http_eas_respond(ngx_http_request_t *r, ngx_http_eas_job_t *job)
{
    const eas::core::Response &resp = job->response;

    ngx_http_eas_ctx_t *ctx = ngx_http_eas_get_ctx(r);
    if (ctx) {
        ngx_http_eas_ctx_fill(r, ctx, resp);
        /* a newer request of the device ends its held Ping */
        ngx_http_eas_device_request(r, ctx);
    }
    ngx_http_eas_log(r, resp);
    if (resp.queued_outgoing) {
        /* committed to the outgoing queue: send it now, not at the tick */
        ngx_http_eas_relay_kick();
    }

    if (resp.wait && eas::core::push::Hub::HangingSync(*resp.wait) && ctx) {
        /* a hanging Sync: keep the request, run it again when the wait
         * ends (its answer then sets the headers) */
        job->request.no_hold = true;
        ngx_int_t rc = ngx_http_eas_ping_hold(r, ctx, &job->response, job);
        if (rc != NGX_DONE) {
            ngx_http_finalize_request(r, rc);
        }
        return;
    }

    if (resp.wait && ctx) {
        /* a Ping to hold: keep the headers and what it waits for, nothing
         * else of the request */
        ngx_int_t rc = ngx_http_eas_set_headers(r, resp);
        if (rc == NGX_OK) {
            rc = ngx_http_eas_ping_hold(r, ctx, &job->response, NULL);
        }
        ngx_http_eas_job_release(r, job);
        if (rc != NGX_DONE) {
            ngx_http_finalize_request(r, rc);
        }
        return;
    }

    if (resp.delay_ms > 0 && ctx) {
        /* a failed login: answer later, without holding the worker */
        ctx->job = job;
        r->read_event_handler = ngx_http_test_reading;
        r->write_event_handler = ngx_http_eas_delayed_send;
        r->connection->write->delayed = 1;
        ngx_add_timer(r->connection->write, resp.delay_ms);
        return;
    }

    ngx_http_finalize_request(r, ngx_http_eas_send(r, resp));
}

static void
ngx_http_eas_delayed_send(ngx_http_request_t *r)
{
    ngx_event_t *wev = r->connection->write;

    if (wev->delayed) {
        if (ngx_handle_write_event(wev, 0) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        }
        return;
    }

    ngx_http_eas_job_t *job = static_cast<ngx_http_eas_job_t *>(
        ngx_http_eas_get_ctx(r)->job);

    r->read_event_handler = ngx_http_block_reading;
    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_http_finalize_request(r, ngx_http_eas_send(r, job->response));
}

static ngx_int_t
ngx_http_eas_send(ngx_http_request_t *r, const eas::core::Response &resp)
{
    ngx_int_t rc = ngx_http_eas_set_headers(r, resp);
    if (rc != NGX_OK) {
        return rc;
    }

    std::string_view content_type = resp.content_type;
    if (!resp.content_type_value.empty()) {
        /* a type made at run time: into the pool, which outlives the send */
        ngx_str_t  copy;
        if (ngx_eas_pool_str(r->pool, resp.content_type_value, &copy) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        content_type = ngx_eas_view(copy);
    }

    return ngx_http_eas_send_body(r, content_type, resp.body);
}

/* Status and extra headers; the body's type and length come with it. */
static ngx_int_t
ngx_http_eas_set_headers(ngx_http_request_t *r, const eas::core::Response &resp)
{
    r->headers_out.status = resp.http_status;

    for (const auto &kv : resp.headers) {
        ngx_table_elt_t *h = static_cast<ngx_table_elt_t *>(
            ngx_list_push(&r->headers_out.headers));
        if (h == NULL
            || ngx_eas_pool_str(r->pool, kv.second, &h->value) != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
        /* a string literal (see Response::headers); nginx only reads it */
        h->key.len = kv.first.size();
        h->key.data = reinterpret_cast<u_char *>(const_cast<char *>(kv.first.data()));
        h->hash = 1;
    }

    return NGX_OK;
}

ngx_int_t
ngx_http_eas_send_body(ngx_http_request_t *r, std::string_view content_type,
    const std::string &body)
{
    ngx_int_t  rc;

    r->headers_out.content_length_n = static_cast<off_t>(body.size());

    if (!content_type.empty()) {
        /* a literal or in r->pool: nginx only reads it */
        r->headers_out.content_type.len = content_type.size();
        r->headers_out.content_type.data = reinterpret_cast<u_char *>(
            const_cast<char *>(content_type.data()));
        r->headers_out.content_type_len = r->headers_out.content_type.len;
    }

    if (body.empty()) {
        r->header_only = 1;
        return ngx_http_send_header(r);
    }

    ngx_buf_t *b = ngx_create_temp_buf(r->pool, body.size());
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    b->last = ngx_cpymem(b->last, body.data(), body.size());
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    ngx_chain_t out = { b, NULL };
    return ngx_http_output_filter(r, &out);
}
