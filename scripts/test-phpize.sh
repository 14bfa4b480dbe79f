#!/usr/bin/env bash
# The PHP way to install, tested: in a clean copy of the project (the files
# git tracks or would track, no target/ or modules/), inside the PHP 8.4 root
# of scripts/php-root.sh (so the host's PHP is never touched):
#   1. ./configure without cargo fails, naming cargo;
#   2. cd ext && phpize && ./configure && make && make install;
#   3. with the ini line PIE writes (conf.d/20-flame_kafka.ini), `php -m`
#      lists flame_kafka and `php --ri flame_kafka` answers; then the
#      installed module and the ini line are removed again.
# Ends with "N passed, N failed". cargo's target dir is target/php8.4, the one
# of `make build PHP_VERSION=8.4` (same PHP, same PHP/PHP_CONFIG for
# ext-php-rs): the dependencies are built once for both.
set -euo pipefail
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$PROJECT/scripts/php-root.sh" ensure >/dev/null
copy=/tmp/flame_kafka-phpize  # the root sees the host's /tmp
t0=$SECONDS

rm -rf "$copy" && mkdir -p "$copy"
# tar keeps the files' times: cargo sees unchanged sources as unchanged.
git -C "$PROJECT" ls-files -z -co --exclude-standard | (cd "$PROJECT" && tar -c --null -T - -f -) | tar -x -C "$copy"

passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }

# 1. no cargo anywhere: configure must stop and say so.
out=$("$PROJECT/scripts/php-root.sh" run HOME=/nonexistent PATH=/usr/bin:/bin bash -c \
    "cd $copy/ext && phpize >/dev/null 2>&1 && ./configure 2>&1; echo rc=\$?" | tail -3)
if grep -q "rc=0" <<<"$out"; then
    bad "configure without cargo succeeded"
elif grep -q "error: cargo not found" <<<"$out"; then
    ok "configure without cargo: $(grep -o 'error: cargo not found[^:]*' <<<"$out")"
else
    bad "configure without cargo failed without naming cargo: $out"
fi

# 2. + 3. the real build and install (phpize again on the clean tree).
rm -rf "$copy/ext" && (cd "$PROJECT" && tar -c -f - ext/.gitignore ext/config.m4 ext/Makefile.frag) | tar -x -C "$copy"
log="$PROJECT/target/phpize8.4.log"
mkdir -p "$PROJECT/target"
# shellcheck disable=SC2016
if "$PROJECT/scripts/php-root.sh" run CARGO_TARGET_DIR="$PROJECT/target/php8.4" COPY="$copy" bash -c '
    set -euo pipefail
    cd "$COPY/ext"
    t=$SECONDS; phpize; ./configure --with-php-config=/usr/bin/php-config8.4; echo "TIME phpize+configure $((SECONDS - t)) s"
    t=$SECONDS; make; echo "TIME make $((SECONDS - t)) s"
    t=$SECONDS; make install; echo "TIME make install $((SECONDS - t)) s"
    dir=$(php-config8.4 --extension-dir)
    ls -l "$dir/flame_kafka.so"
    ini=$(php-config8.4 --ini-dir)
    echo "extension=flame_kafka.so" > "$ini/20-flame_kafka.ini"
    trap "rm -f \"$ini/20-flame_kafka.ini\" \"$dir/flame_kafka.so\"" EXIT
    echo "PHPM $(php -m | grep -x flame_kafka || true)"
    php --ri flame_kafka | sed -n "1,8p" | sed "s/^/RI /"
' >"$log" 2>&1; then
    grep "^TIME" "$log" | sed 's/^TIME /  /'
    grep -A1 "^Installing shared extensions" "$log" | head -1 | sed 's/^/  /'
    if grep -qx "PHPM flame_kafka" "$log"; then
        ok "phpize && ./configure && make && make install; php -m lists flame_kafka"
        grep "^RI " "$log" | sed 's/^RI /  /'
    else
        bad "php -m does not list flame_kafka after make install"
    fi
else
    tail -30 "$log"
    bad "phpize && ./configure && make && make install failed (log: $log)"
fi
rm -rf "$copy"
echo "test-phpize.sh: took $((SECONDS - t0)) s"
echo
echo "$passed passed, $failed failed"
((failed == 0))
