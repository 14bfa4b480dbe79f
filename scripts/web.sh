#!/usr/bin/env bash
# A real PHP web stack on loopback for benchmarks and soaks: nginx (Debian's nginx-light) in front
# of php-fpm (php8.2-fpm), driven by wrk. Used by `make bench-web` (bench/web.php) and by the
# php-fpm soak of `make test-faults` (tests/faults/s10_fpm_soak.php).
#
#   scripts/web.sh deps
#       installs nginx-light, php8.2-fpm and wrk when missing (apt-get, as root)
#   scripts/web.sh start --dir D --port P --root DOCROOT [--workers 4] [--max-requests 0]
#                        [--ext /abs/ext.so]... [--ini key=value]... [--env NAME=value]...
#       writes D/nginx.conf and D/php-fpm.conf and starts both, detached:
#       nginx (1 worker process) on 127.0.0.1:P serves DOCROOT and passes *.php to php-fpm
#       (pm = static, --workers children, unix socket D/php-fpm.sock). php-fpm runs with -n
#       (no php.ini, no conf.d): only OPcache (as Debian enables it) and the --ext extensions are
#       loaded, so each run loads exactly the client it measures. --env sets the pool's env[];
#       every request gets REQUEST_ID = nginx's $request_id (32 hex digits, unique).
#       Access log D/access.log, one line per request:
#         "<status> <request_id> <request_time> <X-Answer header of the endpoint, or -> <uri>".
#       Waits until P answers; prints "http://127.0.0.1:P".
#   scripts/web.sh workers --dir D      pids of the php-fpm workers, one a line
#   scripts/web.sh sample --dir D       "pid rss_kb threads fds" for every worker, one a line
#   scripts/web.sh stop --dir D         stops nginx, then php-fpm gracefully (SIGQUIT: each worker
#                                       finishes its request and runs module shutdown), waits
#   scripts/web.sh running --dir D      exit 0 if this D's php-fpm master is alive
#
# Only the processes whose pid files are in D are ever signalled.
set -euo pipefail

FPM="${PHP_FPM:-$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

die() { echo "web.sh: $*" >&2; exit 1; }

deps() {
    local need=() p
    for p in nginx-light php8.2-fpm wrk; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
    done
    ((${#need[@]})) || return 0
    [[ $(id -u) -eq 0 ]] || die "missing Debian packages: ${need[*]} (run as root, or install them)"
    echo "web.sh: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # nginx-light's postinst starts the system nginx on port 80; the benchmark never uses it
    apt-get install -y -qq "${need[@]}" >&2
}

dir="" port="" root="" workers=4 maxreq=0 exts=() inis=() envs=()
parse() {
    while (($#)); do
        case "$1" in
            --dir) dir="$2"; shift 2 ;;
            --port) port="$2"; shift 2 ;;
            --root) root="$2"; shift 2 ;;
            --workers) workers="$2"; shift 2 ;;
            --max-requests) maxreq="$2"; shift 2 ;;
            --ext) exts+=("$2"); shift 2 ;;
            --ini) inis+=("$2"); shift 2 ;;
            --env) envs+=("$2"); shift 2 ;;
            *) die "unknown argument $1" ;;
        esac
    done
    [[ -n "$dir" ]] || die "--dir is required"
}

master_pid() { [[ -s "$dir/php-fpm.pid" ]] && cat "$dir/php-fpm.pid"; }
alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

start() {
    [[ -n "$port" && -n "$root" ]] || die "start needs --port and --root"
    [[ -x "$FPM" && -x "$NGINX" ]] || die "php-fpm or nginx missing (scripts/web.sh deps)"
    mkdir -p "$dir/tmp"
    dir="$(cd "$dir" && pwd)"; root="$(cd "$root" && pwd)"
    alive "$(master_pid || true)" && die "a php-fpm of $dir is running already (web.sh stop --dir $dir)"
    rm -f "$dir"/access.log "$dir"/*.pid "$dir"/php-fpm.sock
    {
        echo "[global]"
        echo "pid = $dir/php-fpm.pid"
        echo "error_log = $dir/php-fpm.log"
        echo "daemonize = yes"
        echo "[bench]"
        echo "listen = $dir/php-fpm.sock"
        echo "listen.mode = 0666"
        echo "listen.backlog = 511"
        echo "pm = static"
        echo "pm.max_children = $workers"
        echo "pm.max_requests = $maxreq"
        echo "catch_workers_output = yes"
        echo "decorate_workers_output = no"
        echo "clear_env = yes"
        local e
        for e in ${envs[@]+"${envs[@]}"}; do echo "env[${e%%=*}] = ${e#*=}"; done
    } >"$dir/php-fpm.conf"
    local args=(-n -R -y "$dir/php-fpm.conf" -d display_errors=stderr -d log_errors=1 -d "error_log=$dir/php-errors.log"
                -d memory_limit=256M)
    [[ -f "$(php-config --extension-dir 2>/dev/null)/opcache.so" ]] && args+=(-d zend_extension=opcache.so -d opcache.enable=1)
    local x
    for x in ${exts[@]+"${exts[@]}"}; do args+=(-d "extension=$x"); done
    for x in ${inis[@]+"${inis[@]}"}; do args+=(-d "$x"); done
    cat >"$dir/nginx.conf" <<EOF
daemon on;
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
    log_format bench '\$status \$request_id \$request_time \$upstream_http_x_answer \$request_uri';
    access_log $dir/access.log bench;
    client_body_temp_path $dir/tmp/body;
    fastcgi_temp_path $dir/tmp/fastcgi;
    proxy_temp_path $dir/tmp/proxy;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port backlog=511;
        root $root;
        location ~ \.php\$ {
            fastcgi_pass unix:$dir/php-fpm.sock;
            fastcgi_ignore_client_abort on;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
            fastcgi_param QUERY_STRING \$query_string;
            fastcgi_param REQUEST_METHOD \$request_method;
            fastcgi_param REQUEST_URI \$request_uri;
            fastcgi_param SERVER_PROTOCOL \$server_protocol;
            fastcgi_param REMOTE_ADDR \$remote_addr;
            fastcgi_param SERVER_PORT \$server_port;
            fastcgi_param REQUEST_ID \$request_id;
        }
    }
}
EOF
    echo "$FPM ${args[*]}" >"$dir/php-fpm.cmd"
    "$FPM" "${args[@]}" >>"$dir/php-fpm.log" 2>&1 || { tail -5 "$dir/php-fpm.log" >&2; die "php-fpm did not start"; }
    "$NGINX" -p "$dir" -e "$dir/nginx-error.log" -c "$dir/nginx.conf" || { stop; die "nginx did not start"; }
    local i
    for i in $(seq 1 100); do
        [[ -S "$dir/php-fpm.sock" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { stop; die "nothing answers on 127.0.0.1:$port"; }
    # all workers forked?
    for i in $(seq 1 50); do
        [[ $(workers | wc -l) -ge $workers ]] && break
        sleep 0.1
    done
    echo "http://127.0.0.1:$port"
}

workers() {
    local m; m="$(master_pid)" || return 0
    pgrep -P "$m" 2>/dev/null | sort -n || true
}

sample() {
    local p rss thr fds
    for p in $(workers); do
        rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$p/status" 2>/dev/null)
        thr=$(sed -n 's/^Threads:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$p/status" 2>/dev/null)
        fds=$(ls "/proc/$p/fd" 2>/dev/null | wc -l)
        echo "$p ${rss:-0} ${thr:-0} $fds"
    done
}

stop() {
    local n m i
    if [[ -s "$dir/nginx.pid" ]]; then
        n="$(cat "$dir/nginx.pid")"
        alive "$n" && kill -QUIT "$n"
        for i in $(seq 1 100); do alive "$n" || break; sleep 0.1; done
        alive "$n" && kill -TERM "$n"
    fi
    m="$(master_pid || true)"
    if alive "$m"; then
        kill -QUIT "$m"
        for i in $(seq 1 300); do alive "$m" || break; sleep 0.1; done
        alive "$m" && { echo "web.sh: php-fpm $m still running after 30 s, SIGTERM" >&2; kill -TERM "$m"; sleep 1; }
    fi
    rm -f "$dir/nginx.pid"
}

cmd="${1:-}"; shift || true
case "$cmd" in
    deps) deps ;;
    start) parse "$@"; start ;;
    stop) parse "$@"; stop ;;
    workers) parse "$@"; workers ;;
    sample) parse "$@"; sample ;;
    running) parse "$@"; alive "$(master_pid || true)" ;;
    *) sed -n '2,28p' "$0" >&2; exit 2 ;;
esac
