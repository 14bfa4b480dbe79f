#!/usr/bin/env bash
# Runs the phpt suite with PHP's own run-tests.php against the built
# extension and a real broker, then prints the closing line
# "N passed, N failed[, N skipped]". Exit code 1 when anything failed.
#   scripts/run-phpt.sh [phpt files or dirs...]
# Env: PHP, PHP_CONFIG (the PHP under test), FLAME_KAFKA_SO (the extension),
#      PHPT_INI (more "-d name=value" words for every test, e.g. opcache + JIT),
#      KAFKA_BROKERS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PHP="${PHP:-$(command -v php)}"
EXT="${FLAME_KAFKA_SO:-$ROOT/modules/flame_kafka.so}"
RUN_TESTS="$("${PHP_CONFIG:-php-config}" --extension-dir)/../../build/run-tests.php"
[[ -f "$RUN_TESTS" ]] || RUN_TESTS="$(dirname "$("${PHP_CONFIG:-php-config}" --extension-dir)")/build/run-tests.php"
[[ -f "$RUN_TESTS" ]] || RUN_TESTS=$(ls /usr/lib/php/*/build/run-tests.php 2>/dev/null | head -1)
[[ -f "$RUN_TESTS" ]] || { echo "run-phpt.sh: run-tests.php not found (install php8.2-dev)" >&2; exit 1; }
[[ -f "$EXT" ]] || { echo "run-phpt.sh: $EXT not built (make build)" >&2; exit 1; }

export KAFKA_BROKERS="${KAFKA_BROKERS:-$("$ROOT/scripts/kafka.sh" bootstrap)}"
export TEST_PHP_EXECUTABLE="$PHP"
export FLAME_KAFKA_ROOT="$ROOT"
# Fail, never skip, when the broker is missing.
"$ROOT/scripts/kafka.sh" status >/dev/null || { echo "run-phpt.sh: no Kafka broker at $KAFKA_BROKERS (scripts/kafka.sh start)" >&2; exit 1; }

ini=()
# shellcheck disable=SC2206
[[ -n "${PHPT_INI:-}" ]] && ini=(${PHPT_INI})
"$PHP" -n "${ini[@]}" -d "extension=$EXT" -r 'echo "run-phpt.sh: PHP ", PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS",
    function_exists("opcache_get_status") && ($s = opcache_get_status(false)) && !empty($s["jit"]["on"]) ? ", opcache JIT on" : "",
    ", ", PHP_BINARY, "\n";' >&2

targets=("$@")
((${#targets[@]})) || targets=("$ROOT/php-tests")
out="$(mktemp)"
set +e
"$PHP" "$RUN_TESTS" -q -n --show-diff "${ini[@]}" \
    -d "extension=$EXT" -d "flame_kafka.shutdown_timeout_ms=10000" \
    "${targets[@]}" 2>&1 | tee "$out"
set -e
num() { sed -n "s/^$1 *: *\([0-9]*\).*/\1/p" "$out" | head -1; }
passed=$(num "Tests passed"); failed=$(num "Tests failed"); skipped=$(num "Tests skipped")
borked=$(grep -c "^BORK" "$out" || true)
leaked=$(num "Tests leaked"); warned=$(num "Tests warned")
# "warned" = passed only when run-tests.php retried it: counted as passed,
# but named, so a flaky test is never silent.
if (( ${warned:-0} > 0 )); then
    echo "run-phpt.sh: passed only on retry (flaky):" >&2
    grep -o 'WARN.*passed on retry attempt' "$out" | sed 's/^/  /' >&2 || true
fi
passed=$(( ${passed:-0} + ${warned:-0} )); failed=$(( ${failed:-0} + ${borked:-0} + ${leaked:-0} )); skipped=${skipped:-0}
rm -f "$out"
echo
if (( skipped > 0 )); then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
(( failed == 0 && skipped == 0 && passed > 0 ))
