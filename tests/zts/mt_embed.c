/*
 * Several PHP threads in one process: a thread-safe (ZTS) PHP driven through
 * the embed SAPI, the way FrankenPHP runs PHP. The main thread starts PHP
 * (php_embed_init, which loads the extensions of the ini file given); each
 * worker thread then runs its own PHP request (ts_resource, request startup,
 * the script, request shutdown) at the same time as the others.
 *
 *   mt_embed PHP_INI SCRIPT THREADS [TIMEOUT_S]
 *
 * The script sees its thread number in $GLOBALS['flame_kafka_thread']
 * (0..THREADS-1). Exit code 0 when every thread's request ended with exit
 * status 0; 3 when a thread had not finished after TIMEOUT_S (default 120).
 * Built by scripts/test-zts-threads.sh against the ZTS PHP's libphp.
 */
#define _GNU_SOURCE
#include <sapi/embed/php_embed.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ZTS
#error "mt_embed needs a thread-safe (ZTS) PHP"
#endif

struct job {
    int index;
    const char *script;
    int status;
};

static void *run_request(void *arg)
{
    struct job *job = arg;
    char code[4096];

    (void)ts_resource(0);
    if (php_request_startup() == FAILURE) {
        fprintf(stderr, "mt_embed: thread %d: request startup failed\n", job->index);
        job->status = 90;
        ts_free_thread();
        return NULL;
    }
    snprintf(code, sizeof code, "$GLOBALS['flame_kafka_thread'] = %d; require '%s';", job->index, job->script);
    zend_first_try {
        zend_eval_stringl(code, strlen(code), NULL, "mt_embed");
    } zend_end_try();
    job->status = EG(exit_status);
    php_request_shutdown(NULL);
    ts_free_thread();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s PHP_INI SCRIPT THREADS [TIMEOUT_S]\n", argv[0]);
        return 2;
    }
    const char *script = argv[2];
    int n = atoi(argv[3]);
    int timeout_s = argc > 4 ? atoi(argv[4]) : 120;
    if (n < 1 || n > 64 || strchr(script, '\'') || strchr(script, '\\')) {
        fprintf(stderr, "mt_embed: THREADS must be 1..64 and SCRIPT a plain path\n");
        return 2;
    }
    php_embed_module.php_ini_path_override = argv[1];
    if (php_embed_init(1, argv) == FAILURE) {
        fprintf(stderr, "mt_embed: php_embed_init failed\n");
        return 1;
    }

    struct job *jobs = calloc(n, sizeof *jobs);
    pthread_t *threads = calloc(n, sizeof *threads);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 16 * 1024 * 1024);
    for (int i = 0; i < n; i++) {
        jobs[i].index = i;
        jobs[i].script = script;
        jobs[i].status = -1;
        if (pthread_create(&threads[i], &attr, run_request, &jobs[i]) != 0) {
            fprintf(stderr, "mt_embed: pthread_create failed\n");
            return 1;
        }
    }

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_s;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (pthread_timedjoin_np(threads[i], NULL, &deadline) != 0) {
            fprintf(stderr, "mt_embed: thread %d still running after %d s\n", i, timeout_s);
            fflush(stdout);
            _exit(3);
        }
        if (jobs[i].status != 0) {
            fprintf(stderr, "mt_embed: thread %d ended with exit status %d\n", i, jobs[i].status);
            rc = 1;
        }
    }
    php_embed_shutdown();
    free(jobs);
    free(threads);
    return rc;
}
