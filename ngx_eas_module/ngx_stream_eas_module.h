/*
 * eas for nginx: declarations shared by the stream (LMTP) glue files.
 */
#pragma once

extern "C" {
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_stream.h>
#include <ngx_thread_pool.h>
}

#include "core/mail_service.hpp"
#include "ngx_eas_module/ngx_eas_log.hpp"

typedef struct ngx_stream_eas_drop_s  ngx_stream_eas_drop_t;

typedef struct {
    ngx_flag_t              enable;         /* eas_lmtp */
    ngx_str_t               store;          /* eas_store */
    size_t                  max_size;       /* eas_lmtp_max_size */
    ngx_msec_t              timeout;        /* eas_lmtp_timeout */
    ngx_str_t               thread_pool_name;
    ngx_thread_pool_t      *thread_pool;
    ngx_stream_eas_drop_t  *drop;           /* the worker's, for this store */
} ngx_stream_eas_srv_conf_t;

typedef struct {
    ngx_array_t             servers;        /* ngx_stream_eas_srv_conf_t *
                                               with "eas_lmtp on" */
} ngx_stream_eas_main_conf_t;

/*
 * A message on its way into the store: parsed on the thread pool, then
 * committed together with whatever else waits (ngx_stream_eas_module.cpp);
 * done() runs on the event loop once its outcomes are in. Made with new;
 * done() deletes it. A connection that goes away first sets data to NULL
 * and the job ends without it.
 */
struct ngx_stream_eas_job_t {
    ngx_thread_task_t       task;           /* zeroed: value-initialised */
    eas::core::MailJob      mail;
    ngx_stream_eas_drop_t  *drop;
    void                   *data;           /* the connection's, or NULL */
    ngx_log_t              *log;            /* the connection's, while data */
    void                  (*done)(ngx_stream_eas_job_t *job);
};

extern ngx_module_t  ngx_stream_eas_module;

/* ngx_stream_eas_module.cpp: the store of the server (NULL when the worker
 * could not open it), the start of a delivery (NGX_ERROR: the thread pool
 * took no task; the job is still the caller's), and the idle timer that
 * lets parked read snapshots go after an RCPT lookup. */
eas::core::MailService *ngx_stream_eas_service(ngx_stream_eas_srv_conf_t *conf);
ngx_int_t ngx_stream_eas_deliver(ngx_stream_eas_srv_conf_t *conf,
    ngx_stream_eas_job_t *job);
void ngx_stream_eas_note_read(ngx_stream_eas_srv_conf_t *conf);

/* ngx_stream_eas_lmtp.cpp: the content handler "eas_lmtp on" sets. */
void ngx_stream_eas_lmtp_handler(ngx_stream_session_t *s);
