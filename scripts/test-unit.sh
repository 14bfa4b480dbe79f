#!/usr/bin/env bash
# Runs the phpt files that need no Kafka broker (the runtime, the mock
# cluster, the stubs) against the built extension, with no broker: the list
# is every phpt that includes neither inc/kafka.php nor inc/secure.php (the
# broker helpers) and does not read KAFKA_BROKERS,
# and KAFKA_BROKERS points nowhere (127.0.0.1:1), so a test that starts to
# need the broker fails instead of quietly using one. Ends with the line
# "N passed, N failed"; exit code 1 when anything failed.
#   scripts/test-unit.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PHP="${PHP:-$(command -v php)}"
EXT="${FLAME_KAFKA_SO:-$ROOT/modules/flame_kafka.so}"
RUN_TESTS="$("${PHP_CONFIG:-php-config}" --extension-dir)/../../build/run-tests.php"
[[ -f "$RUN_TESTS" ]] || RUN_TESTS=$(ls /usr/lib/php/*/build/run-tests.php 2>/dev/null | head -1)
[[ -f "$RUN_TESTS" ]] || { echo "test-unit.sh: run-tests.php not found (install php8.2-dev)" >&2; exit 1; }
[[ -f "$EXT" ]] || { echo "test-unit.sh: $EXT not built (make build)" >&2; exit 1; }

mapfile -t tests < <(grep -L -e 'inc/kafka.php' -e 'inc/secure.php' -e 'KAFKA_BROKERS' "$ROOT"/php-tests/*.phpt)
((${#tests[@]})) || { echo "test-unit.sh: no broker-free phpt found" >&2; exit 1; }
export KAFKA_BROKERS=127.0.0.1:1
export TEST_PHP_EXECUTABLE="$PHP"
export FLAME_KAFKA_ROOT="$ROOT"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
set +e
"$PHP" "$RUN_TESTS" -q -n --show-diff -d "extension=$EXT" "${tests[@]}" 2>&1 | tee "$out"
set -e
num() { sed -n "s/^$1 *: *\([0-9]*\).*/\1/p" "$out" | head -1; }
passed=$(num "Tests passed"); failed=$(num "Tests failed"); skipped=$(num "Tests skipped")
borked=$(grep -c "^BORK" "$out" || true); leaked=$(num "Tests leaked")
passed=${passed:-0}; failed=$(( ${failed:-0} + ${borked:-0} + ${leaked:-0} )); skipped=${skipped:-0}
echo
echo "$passed passed, $failed failed$( ((skipped > 0)) && echo ", $skipped skipped")"
(( failed == 0 && skipped == 0 && passed > 0 ))
