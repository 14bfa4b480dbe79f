#!/usr/bin/env bash
# Several PHP threads in one process, each producing and consuming with its
# own request (tests/zts/mt_embed.c on the ZTS PHP's embed SAPI, running
# tests/zts/mt_worker.php in every thread), inside the root of
# scripts/php-root.sh. Needs modules/php8.4-zts/flame_kafka.so
# (make build PHP_VERSION=8.4-zts) and the broker.
#
#   scripts/test-zts-threads.sh [THREADS [MESSAGES_PER_THREAD]]   (default 4 400)
#
# Prints each thread's figures and ends with "N passed, N failed" (one per
# thread, plus the process itself: it must exit 0 within the time limit).
set -euo pipefail
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=${1:-4}
messages=${2:-400}
prefix=$("$PROJECT/scripts/php-zts.sh" prefix)
so="$PROJECT/modules/php8.4-zts/flame_kafka.so"
bin="$PROJECT/target/php8.4-zts/mt_embed"
[[ -f "$so" ]] || { echo "test-zts-threads.sh: $so not built (make build PHP_VERSION=8.4-zts)" >&2; exit 1; }
"$PROJECT/scripts/kafka.sh" status >/dev/null || { echo "test-zts-threads.sh: no Kafka broker (scripts/kafka.sh start)" >&2; exit 1; }
brokers="${KAFKA_BROKERS:-$("$PROJECT/scripts/kafka.sh" bootstrap)}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# shellcheck disable=SC2016
"$PROJECT/scripts/php-root.sh" run PREFIX="$prefix" SO="$so" BIN="$bin" SRC="$PROJECT/tests/zts" \
    KAFKA_BROKERS="$brokers" FLAME_KAFKA_ROOT="$PROJECT" MT_MESSAGES="$messages" \
    MT_TOPIC="mt_$(date +%s)_$$" THREADS="$threads" bash -c '
    set -euo pipefail
    if [[ ! -x "$BIN" || "$SRC/mt_embed.c" -nt "$BIN" ]]; then
        mkdir -p "$(dirname "$BIN")"
        cc -O2 -Wall -Werror -o "$BIN" "$SRC/mt_embed.c" $("$PREFIX/bin/php-config" --includes) \
            -L"$PREFIX/lib" -lphp -Wl,-rpath,"$PREFIX/lib" -lpthread
    fi
    ini=$(mktemp --suffix=.ini)
    printf "extension=%s\nflame_kafka.shutdown_timeout_ms=10000\ndisplay_errors=stderr\nlog_errors=0\n" "$SO" > "$ini"
    t0=$(date +%s%N)
    set +e
    "$BIN" "$ini" "$SRC/mt_worker.php" "$THREADS" 180
    rc=$?
    set -e
    echo "PROCESS rc=$rc ms=$(( ($(date +%s%N) - t0) / 1000000 ))"
    rm -f "$ini"
' | tee "$out"

passed=0 failed=0
lines=$(grep -c '^{' "$out" || true)
while IFS= read -r line; do
    if grep -q '"ok":true' <<<"$line"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done < <(grep '^{' "$out")
failed=$((failed + threads - lines))   # a thread that printed nothing failed
if grep -q '^PROCESS rc=0 ' "$out"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
php -r '
    $rows = array_map(fn ($l) => json_decode($l, true), array_filter(file($argv[1], FILE_IGNORE_NEW_LINES), fn ($l) => str_starts_with($l, "{")));
    $sum = fn ($k) => array_sum(array_column($rows, $k));
    printf("test-zts-threads.sh: %d threads in one process, %d messages each: %d sent, %d acknowledged, %d consumed, %d ack mismatches, %d foreign, %d missing, %d duplicated\n",
        count($rows), $argv[2], $sum("sent"), $sum("acked"), $sum("consumed"), $sum("ack_mismatch"), $sum("foreign"), $sum("missing"), $sum("duplicated"));
' "$out" "$messages"
echo
echo "$passed passed, $failed failed"
((failed == 0))
