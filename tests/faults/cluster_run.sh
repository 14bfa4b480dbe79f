#!/usr/bin/env bash
# Cluster fault scenarios of flame_kafka (issue 17; tests/faults/CLUSTER.md).
#   tests/faults/cluster_run.sh [scenario ...]     e.g. tests/faults/cluster_run.sh c1 c3b
# Scenarios: c1 leader kill -9 then a second node (below min.insync.replicas)
# during 100k awaited produces; c2 rolling restart of all three nodes under a
# producer and a consumer group; c3a/c3b/c3c a 3-process consumer group on 6
# partitions with one member killed -9 and restarted every few seconds
# (classic range assignor / cooperative-sticky / group.protocol=consumer).
# Default: all. Ends with "N passed, N failed".
#
# Its own 3-node cluster (scripts/kafka.sh cluster, ports 29301-29313, state
# $FLAME_KAFKA_CLUSTER_STATE or /tmp/flame_kafka_cluster), started fresh and
# stopped at the end (CLUSTER_KEEP=1 keeps it running). The extension under
# test is a copy of modules/flame_kafka.so taken at the start.
# Separate from tests/faults/run.sh: three JVMs take most of the 2 cores, and
# its single broker (29192) is not needed here; one run at a time (a lock).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/faults"
PHP="${PHP:-$(command -v php)}"
KAFKA="$ROOT/scripts/kafka.sh"
STATE="${FLAME_KAFKA_CLUSTER_STATE:-/tmp/flame_kafka_cluster}"
export FAULTS_ROOT="$ROOT"
export FAULTS_TMP="${FAULTS_TMP:-$(mktemp -d /tmp/flame_cluster.XXXXXX)}"
export FAULTS_EXT="$FAULTS_TMP/flame_kafka.so"
unset KAFKA_BROKERS

SO="$ROOT/modules/flame_kafka.so"
[[ -f "$SO" ]] || { echo "cluster_run.sh: $SO not built (make build)" >&2; exit 2; }
mkdir -p "$(dirname "$STATE")"
exec 7>"$STATE.run.lock"
flock -n 7 || { echo "cluster_run.sh: another cluster run holds $STATE.run.lock; waiting" >&2; flock 7; }
mkdir -p "$FAULTS_TMP"
cp "$SO" "$FAULTS_EXT" || exit 2
echo "== flame_kafka cluster scenarios"
echo "   extension: $SO ($(stat -c '%y' "$SO" | cut -d. -f1), sha256 $(sha256sum "$FAULTS_EXT" | cut -c1-16)), copied to $FAULTS_EXT"
"$PHP" -n -d extension="$FAULTS_EXT" --ri flame_kafka | sed -n 's/^\(flame_kafka version\|librdkafka version\) => /   \1: /p'

cleanup() {
    if [[ "${CLUSTER_KEEP:-}" == 1 ]]; then echo "== cluster left running (CLUSTER_KEEP=1)"; return; fi
    echo "== stopping the cluster"
    "$KAFKA" cluster stop 2>&1 | sed 's/^/   /'
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t=$SECONDS
if ! FAULTS_BROKERS="$("$KAFKA" cluster start --fresh 2>"$FAULTS_TMP/cluster-start.log")"; then
    cat "$FAULTS_TMP/cluster-start.log" >&2; echo "cluster_run.sh: cannot start the cluster"; echo "0 passed, 1 failed"; exit 1
fi
export FAULTS_BROKERS
echo "   cluster: $FAULTS_BROKERS (started in $((SECONDS - t)) s, state $STATE), scratch: $FAULTS_TMP"

declare -A FILE=( [c1]=c1_leader_kill.php [c2]=c2_rolling_restart.php
                  [c3a]=c3_group_kill.php [c3b]=c3_group_kill.php [c3c]=c3_group_kill.php )
declare -A ARGS=( [c1]="" [c2]="" [c3a]="classic" [c3b]="cooperative-sticky" [c3c]="consumer" )
declare -A TITLE=( [c1]="leader kill -9, then a second node, during 100k awaited produces (acks=all, idempotence)"
                   [c2]="rolling restart of the 3 nodes under a producer and a consumer group"
                   [c3a]="3-process group, 6 partitions, member kill -9/restart loop (classic, range)"
                   [c3b]="3-process group, 6 partitions, member kill -9/restart loop (cooperative-sticky)"
                   [c3c]="3-process group, 6 partitions, member kill -9/restart loop (group.protocol=consumer)" )
declare -A LIMIT=( [c1]=420 [c2]=420 [c3a]=360 [c3b]=360 [c3c]=360 )
ORDER=(c1 c2 c3a c3b c3c)
(( $# )) && ORDER=("$@")

passed=0; failed=0; summary=()
t_all=$SECONDS
for s in "${ORDER[@]}"; do
    f="${FILE[$s]:-}"
    [[ -n "$f" ]] || { echo "cluster_run.sh: unknown scenario '$s' (one of ${!FILE[*]})" >&2; failed=$((failed + 1)); continue; }
    echo
    echo "== [$s] ${TITLE[$s]}"
    # every scenario starts with all three nodes up (a failed one may have left one down)
    "$KAFKA" cluster start >/dev/null 2>>"$FAULTS_TMP/cluster-start.log" || echo "   (cluster start failed, see $FAULTS_TMP/cluster-start.log)"
    t0=$SECONDS
    out="$FAULTS_TMP/scenario-$s.log"
    # shellcheck disable=SC2086
    timeout -s KILL "${LIMIT[$s]}" "$PHP" -n -d display_errors=stderr -d memory_limit=1G -d extension="$FAULTS_EXT" \
        "$HERE/$f" ${ARGS[$s]} 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    line="$(grep -E '^RESULT (PASS|FAIL)' "$out" | tail -1)"
    secs=$((SECONDS - t0))
    if [[ "$line" == "RESULT PASS"* ]]; then
        passed=$((passed + 1)); verdict=PASS
    else
        failed=$((failed + 1)); verdict=FAIL
        [[ -z "$line" ]] && echo "RESULT FAIL the scenario script ended without a verdict (exit $rc)"
    fi
    summary+=("$(printf '%-4s %-4s %4ss  %s' "$verdict" "$s" "$secs" "${TITLE[$s]}")")
done
echo
echo "== summary ($(( SECONDS - t_all )) s; logs in $FAULTS_TMP)"
printf '   %s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
(( failed == 0 ))
