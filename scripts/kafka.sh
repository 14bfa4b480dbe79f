#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft) broker for flame_kafka tests.
#
#   scripts/kafka.sh start [--fresh]   start (or reuse) the broker, print bootstrap address last on stdout
#   scripts/kafka.sh stop              stop it (TERM, then KILL after 20 s)
#   scripts/kafka.sh status            "running" / "not running" (exit 0 / 1)
#   scripts/kafka.sh bootstrap         print the bootstrap address
#   scripts/kafka.sh reset             stop and wipe the state dir
#   scripts/kafka.sh topic-create NAME PARTITIONS   (idempotent)
#   scripts/kafka.sh topic-partitions NAME PARTITIONS   (grow a topic)
#
# No tarball: the broker classpath is fetched once from Maven Central with
# scripts/kafka/pom.xml and cached. If KAFKA_BROKERS is set, an external
# cluster is used instead and start/stop do not manage any process.
#
# Env: KAFKA_BROKERS, KAFKA_PORT (29092), KAFKA_CONTROLLER_PORT (29093),
#      KAFKA_VERSION (4.1.1), FLAME_KAFKA_CACHE (~/.cache/flame_kafka),
#      FLAME_KAFKA_STATE (/tmp/flame_kafka_broker), KAFKA_START_TIMEOUT (90).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
KAFKA_PORT="${KAFKA_PORT:-29092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-29093}"
CACHE="${FLAME_KAFKA_CACHE:-$HOME/.cache/flame_kafka}"
LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
STATE="${FLAME_KAFKA_STATE:-/tmp/flame_kafka_broker}"
PIDFILE="$STATE/broker.pid"
LOG="$STATE/broker.log"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
LOCAL_ADDR="127.0.0.1:$KAFKA_PORT"
JAVA=""

msg() { echo "kafka.sh: $*" >&2; }
die() { msg "error: $*"; exit 1; }

bootstrap_addr() { echo "${KAFKA_BROKERS:-$LOCAL_ADDR}"; }

# tcp_ok host:port -> 0 if something accepts a TCP connection there.
tcp_ok() {
    local host="${1%:*}" port="${1##*:}"
    timeout 3 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

# ---------------------------------------------------------------- prerequisites
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

apt_install() {
    [[ $(id -u) -eq 0 ]] || die "missing $*; install it (needs root) or run this script as root"
    command -v apt-get >/dev/null || die "missing $* and no apt-get to install it"
    msg "installing $* ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "$@" >&2
}

find_java() {
    local j
    for j in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
        if [[ -n "$j" && -x "$j" ]] && (( $(java_major "$j" || echo 0) >= 17 )); then
            JAVA="$j"; return 0
        fi
    done
    return 1
}

ensure_java() {
    find_java && return 0
    apt_install openjdk-17-jre-headless
    find_java || die "no Java >= 17 found even after installing openjdk-17-jre-headless"
}

ensure_libs() {
    [[ -f "$LIBS/.complete" ]] && return 0
    command -v mvn >/dev/null || apt_install maven
    mkdir -p "$(dirname "$LIBS")"
    (   flock 8   # one fetch at a time; re-check after waiting
        [[ -f "$LIBS/.complete" ]] && exit 0
        msg "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS ..."
        rm -rf "$LIBS.tmp"
        # (sed: Debian's mvn 3.8 prints stray ANSI resets even with -q -B)
        mvn -q -B -f "$SCRIPT_DIR/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
            dependency:copy-dependencies -DoutputDirectory="$LIBS.tmp" 2>&1 </dev/null \
            | sed 's/\x1b\[[0-9;]*m//g' >&2 || exit 1   # (set -e is off inside `( ) ||`)
        touch "$LIBS.tmp/.complete"
        rm -rf "$LIBS"; mv "$LIBS.tmp" "$LIBS"   # a half download never looks complete
    ) 8>"$(dirname "$LIBS")/.fetch.lock" || die "mvn could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
}

# TOOL: java command line for Kafka CLI classes (quiet log4j2 config on stderr).
TOOL=()
init_tool() {
    (( ${#TOOL[@]} )) && return 0
    ensure_java; ensure_libs
    local cfg="$CACHE/kafka-$KAFKA_VERSION/tools-log4j2.properties"
    [[ -f "$cfg" ]] || printf '%s\n' 'status = error' 'appender.err.type = Console' \
        'appender.err.name = ERR' 'appender.err.target = SYSTEM_ERR' \
        'appender.err.layout.type = PatternLayout' 'appender.err.layout.pattern = [%d] %p %m (%c)%n' \
        'rootLogger.level = warn' 'rootLogger.appenderRef.err.ref = ERR' >"$cfg"
    TOOL=("$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
          -Dlog4j2.configurationFile="$cfg" -cp "$LIBS/*")
}

# ---------------------------------------------------------------- local broker
# node_pid PIDFILE: prints the pid if that Kafka process is alive.
node_pid() {
    local pid
    [[ -f "$1" ]] || return 1
    pid="$(cat "$1")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' \
        && echo "$pid"
}

broker_pid() { node_pid "$PIDFILE"; }  # prints the pid if our broker process is alive

# spawn_jvm HEAP_MB STATE_DIR SERVER_PROPERTIES LOG: starts kafka.Kafka in its
# own session (a kill of the caller leaves it alone), prints its pid.
# For the secure broker and the cluster nodes: the client JIT only and the
# serial collector (KAFKA_NODE_JVM_OPTS): 4.2 s of CPU to start a cluster node
# instead of 6.8 s with G1 and C2 (measured at load 17 on 2 shared cores).
spawn_jvm() {
    # shellcheck disable=SC2086
    setsid nohup "$JAVA" "-Xmx${1}m" -Xms64m ${KAFKA_NODE_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
        -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$2/log4j2.properties" -Dkafka.logs.dir="$2" \
        -cp "$LIBS/*" kafka.Kafka "$3" </dev/null >>"$4" 2>&1 9>&- &
    echo $!
}

# stop_pid PID: TERM, then KILL after 20 s.
stop_pid() {
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    msg "pid $pid did not stop in 20s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
}

write_log4j() {
    cat >"$1" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = OUT
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.state.name = state.change.logger
logger.state.level = warn
EOF
}

broker_answers() {  # a real metadata request, not just a TCP connect
    tcp_ok "$LOCAL_ADDR" || return 1
    init_tool
    timeout 30 "${TOOL[@]}" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "$LOCAL_ADDR" --list >/dev/null 2>&1
}

write_config() {
    mkdir -p "$STATE/data"
    cat >"$STATE/server.properties.new" <<EOF
# Generated by scripts/kafka.sh -- single-node KRaft broker+controller.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Re-register quickly after a kill -9 (the stale registration must expire first).
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
    # The controller endpoint is baked into the formatted metadata log
    # (--standalone), so changed ports make the old data unusable.
    local key='^(node\.id|controller\.quorum|listeners)'
    if [[ -f "$STATE/data/meta.properties" ]] && [[ "$(grep -E "$key" "$STATE/server.properties" 2>/dev/null)" \
            != "$(grep -E "$key" "$STATE/server.properties.new")" ]]; then
        msg "broker node id/listeners changed; wiping old data in $STATE/data"
        rm -rf "$STATE/data"; mkdir -p "$STATE/data"
    fi
    mv "$STATE/server.properties.new" "$STATE/server.properties"
    write_log4j "$STATE/log4j2.properties"
}

format_storage() {
    [[ -f "$STATE/data/meta.properties" ]] && return 0
    local id
    init_tool
    id="$("${TOOL[@]}" kafka.tools.StorageTool random-uuid)" || die "StorageTool random-uuid failed"
    msg "formatting $STATE/data (cluster id $id)"
    "${TOOL[@]}" kafka.tools.StorageTool format --standalone -t "$id" -c "$STATE/server.properties" >&2 \
        || die "StorageTool format failed"
}

# await_start PID LOG WHAT READY_FN STOP_FN INTERVAL: returns once READY_FN
# succeeds; exits (with the log's tail) if the process dies or START_TIMEOUT
# passes (then STOP_FN first). Shared by the broker, secure and cluster modes.
await_start() {
    local pid="$1" log="$2" what="$3" ready="$4" stop="$5" interval="$6" deadline=$((SECONDS + START_TIMEOUT))
    while (( SECONDS < deadline )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            msg "$what $pid exited during startup; last 50 lines of $log:"
            tail -n 50 "$log" >&2; exit 1
        fi
        "$ready" && return 0
        sleep "$interval"
    done
    msg "$what not ready after ${START_TIMEOUT}s; last 50 lines of $log:"
    tail -n 50 "$log" >&2
    "$stop"; exit 1
}

wait_ready() { await_start "$1" "$LOG" "broker process" broker_answers cmd_stop 0.5; }

cmd_start() {
    [[ "${1:-}" == "--fresh" ]] && cmd_reset
    mkdir -p "$STATE"
    exec 9>"$STATE/.lock"; flock 9   # serialize concurrent starts
    local pid
    if pid="$(broker_pid)"; then
        msg "broker already running (pid $pid)"
        wait_ready "$pid"; bootstrap_addr; return 0
    fi
    rm -f "$PIDFILE"
    tcp_ok "$LOCAL_ADDR" && die "port $KAFKA_PORT is in use by a process not started by this script"
    tcp_ok "127.0.0.1:$KAFKA_CONTROLLER_PORT" && die "port $KAFKA_CONTROLLER_PORT is in use"
    init_tool
    write_config
    format_storage
    msg "starting Kafka $KAFKA_VERSION broker (log: $LOG)"
    local t0=$SECONDS
    setsid nohup "$JAVA" -Xmx512m -Xms256m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$STATE/log4j2.properties" -Dkafka.logs.dir="$STATE" \
        -cp "$LIBS/*" kafka.Kafka "$STATE/server.properties" \
        </dev/null >>"$LOG" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PIDFILE"
    wait_ready "$pid"
    msg "broker ready (pid $pid) after $((SECONDS - t0))s"
    bootstrap_addr
}

cmd_stop() {
    local pid
    if ! pid="$(broker_pid)"; then
        msg "broker not running"; rm -f "$PIDFILE"; return 0
    fi
    msg "stopping broker (pid $pid)"
    stop_pid "$pid"
    rm -f "$PIDFILE"
}

cmd_reset() {
    cmd_stop
    msg "wiping $STATE"
    rm -rf "$STATE"
}

cmd_status() {
    local pid
    if [[ -n "${KAFKA_BROKERS:-}" ]]; then
        if external_ok; then echo "running (external: $KAFKA_BROKERS)"; return 0; fi
        echo "not running (external $KAFKA_BROKERS unreachable)"; return 1
    fi
    if pid="$(broker_pid)"; then echo "running (pid $pid, $LOCAL_ADDR)"; return 0; fi
    echo "not running"; return 1
}

# ---------------------------------------------------------------- external brokers
external_ok() {
    local b bs
    IFS=',' read -ra bs <<<"$KAFKA_BROKERS"
    for b in "${bs[@]}"; do tcp_ok "$b" && return 0; done
    return 1
}

# ---------------------------------------------------------------- secured broker, cluster
# shellcheck source=kafka/secure.sh
source "$SCRIPT_DIR/kafka/secure.sh"
# shellcheck source=kafka/cluster.sh
source "$SCRIPT_DIR/kafka/cluster.sh"

# ---------------------------------------------------------------- main
cmd="${1:-}"; shift || true
case "$cmd" in
    start)
        if [[ -n "${KAFKA_BROKERS:-}" ]]; then
            external_ok || die "KAFKA_BROKERS=$KAFKA_BROKERS: no broker accepts connections"
            bootstrap_addr
        else
            cmd_start "$@"
        fi ;;
    stop)      [[ -n "${KAFKA_BROKERS:-}" ]] || cmd_stop ;;
    reset)     [[ -n "${KAFKA_BROKERS:-}" ]] || cmd_reset ;;
    status)    cmd_status ;;
    bootstrap) bootstrap_addr ;;
    topic-create)
        [[ $# -eq 2 ]] || die "usage: $0 topic-create NAME PARTITIONS"
        init_tool
        "${TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_addr)" \
            --create --if-not-exists --topic "$1" --partitions "$2" >&2 ;;
    topic-partitions)
        [[ $# -eq 2 ]] || die "usage: $0 topic-partitions NAME PARTITIONS (grow an existing topic)"
        init_tool
        "${TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_addr)" \
            --alter --topic "$1" --partitions "$2" >&2 ;;
    secure)  cmd_secure "$@" ;;
    cluster) cmd_cluster "$@" ;;
    *)
        echo "usage: $0 start [--fresh]|stop|status|bootstrap|reset|topic-create NAME PARTITIONS" >&2
        echo "       $0 secure start|stop|status|reset|env|topic-create ..." >&2
        echo "       $0 cluster start|stop|status|reset|bootstrap|kill ID|restart ID|pid ID|topic-create ..." >&2
        exit 2 ;;
esac
