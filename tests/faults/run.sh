#!/usr/bin/env bash
# Fault-injection and robustness suite of flame_kafka (issue #6).
#   tests/faults/run.sh [scenario ...]      e.g. tests/faults/run.sh 1 7b
# Scenarios: 1 broker kill -9, 2 consumer crash, 3 end of script, 4 fork,
# 5 bad input, 6 config fuzzer, 7a valgrind, 7b soak, 8 mock-cluster protocol
# errors (needs no broker), 10 php-fpm soak (nginx + php-fpm + wrk, tests/faults/SOAK.md).
# Default: all.
#
# It starts its OWN broker (never the shared one on 29092), on ports outside
# Linux's ephemeral range (32768-60999) so a client's outgoing connection can
# never hold the port when the broker restarts after kill -9:
#   FAULTS_KAFKA_PORT (29192), FAULTS_KAFKA_CONTROLLER_PORT (29193),
#   FAULTS_KAFKA_STATE (/tmp/flame_kafka_faults) -- wiped at the start.
# The extension under test is a copy of modules/flame_kafka.so taken at the
# start (others replace that file while we run). Ends with "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/faults"
PHP="${PHP:-$(command -v php)}"
PORT="${FAULTS_KAFKA_PORT:-29192}"
CPORT="${FAULTS_KAFKA_CONTROLLER_PORT:-29193}"
STATE="${FAULTS_KAFKA_STATE:-/tmp/flame_kafka_faults}"
if [[ "$PORT" == 29092 || "$CPORT" == 29093 || "$STATE" == /tmp/flame_kafka_broker ]]; then
    echo "run.sh: refusing to use the shared broker's port/state" >&2; exit 2
fi
export FAULTS_ROOT="$ROOT"
export FAULTS_TMP="${FAULTS_TMP:-$(mktemp -d /tmp/flame_faults.XXXXXX)}"
export FAULTS_KAFKA_ENV="KAFKA_PORT=$PORT KAFKA_CONTROLLER_PORT=$CPORT FLAME_KAFKA_STATE=$STATE"
export FAULTS_BROKERS="127.0.0.1:$PORT"
export FAULTS_EXT="$FAULTS_TMP/flame_kafka.so"
unset KAFKA_BROKERS   # always our own broker

kafka() { env KAFKA_PORT="$PORT" KAFKA_CONTROLLER_PORT="$CPORT" FLAME_KAFKA_STATE="$STATE" "$ROOT/scripts/kafka.sh" "$@"; }

SO="$ROOT/modules/flame_kafka.so"
[[ -f "$SO" ]] || { echo "run.sh: $SO not built (make build)" >&2; exit 2; }
cp "$SO" "$FAULTS_EXT"
echo "== flame_kafka fault suite"
echo "   extension: $SO ($(stat -c '%y' "$SO" | cut -d. -f1), sha256 $(sha256sum "$FAULTS_EXT" | cut -c1-16)), copied to $FAULTS_EXT"
"$PHP" -n -d extension="$FAULTS_EXT" --ri flame_kafka | sed -n 's/^\(flame_kafka version\|librdkafka version\) => /   \1: /p'
echo "   broker: 127.0.0.1:$PORT (state $STATE), scratch: $FAULTS_TMP"

cleanup() {
    echo "== stopping the suite's broker"
    kafka stop 2>&1 | sed 's/^/   /'
}
trap cleanup EXIT
trap 'exit 130' INT TERM

kafka start --fresh >/dev/null 2>"$FAULTS_TMP/broker-start.log" || { cat "$FAULTS_TMP/broker-start.log" >&2; echo "run.sh: cannot start the broker"; echo "0 passed, 1 failed"; exit 1; }

declare -A FILE=( [1]=s1_broker_kill.php [2]=s2_consumer_crash.php [3]=s3_end_of_script.php [4]=s4_fork.php
                  [5]=s5_bad_input.php [6]=s6_config_fuzz.php [7a]=s7a_valgrind.php [7b]=s7b_soak.php [8]=s8_mock_errors.php
                  [10]=s10_fpm_soak.php )
declare -A TITLE=( [1]="broker kill -9 + restart during a 100k awaited produce (acks=all, idempotence)"
                   [2]="consumer kill -9 mid-stream, manual commit after processing"
                   [3]="end of script with messages in flight, no flush"
                   [4]="pcntl_fork()"
                   [5]="bad input catalogue"
                   [6]="configuration fuzzer"
                   [7a]="valgrind on phpt tests"
                   [7b]="soak: 1,000,000 produced + consumed, RSS"
                   [8]="injected protocol errors, mock cluster: retriable, fatal (29), brokers down, Fetch errors"
                   [10]="php-fpm soak: 100,000 requests, new producer / new consumer / persistent producer per request")
declare -A LIMIT=( [1]=600 [2]=300 [3]=300 [4]=120 [5]=300 [6]=600 [7a]=600 [7b]=600 [8]=300 [10]=5400 )
ORDER=(1 2 3 4 5 6 7a 7b 8 10)
(( $# )) && ORDER=("$@")

passed=0; failed=0; summary=()
t_all=$SECONDS
for s in "${ORDER[@]}"; do
    f="${FILE[$s]:-}"
    [[ -n "$f" ]] || { echo "run.sh: unknown scenario '$s' (one of ${!FILE[*]})" >&2; failed=$((failed + 1)); continue; }
    echo
    echo "== [$s] ${TITLE[$s]}"
    # scenario 1 restarts the broker; make sure it is up for every scenario
    kafka start >/dev/null 2>>"$FAULTS_TMP/broker-start.log" || echo "   (broker start failed, see $FAULTS_TMP/broker-start.log)"
    t0=$SECONDS
    out="$FAULTS_TMP/scenario-$s.log"
    timeout -s KILL "${LIMIT[$s]}" "$PHP" -n -d display_errors=stderr -d memory_limit=1G -d extension="$FAULTS_EXT" \
        "$HERE/$f" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    line="$(grep -E '^RESULT (PASS|FAIL)' "$out" | tail -1)"
    secs=$((SECONDS - t0))
    if [[ "$line" == "RESULT PASS"* ]]; then
        passed=$((passed + 1)); verdict=PASS
    else
        failed=$((failed + 1)); verdict=FAIL
        [[ -z "$line" ]] && echo "RESULT FAIL the scenario script ended without a verdict (exit $rc)"
    fi
    summary+=("$(printf '%-4s %-3s %4ss  %s' "$verdict" "$s" "$secs" "${TITLE[$s]}")")
done
echo
echo "== summary ($(( SECONDS - t_all )) s; logs in $FAULTS_TMP)"
printf '   %s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
(( failed == 0 ))
