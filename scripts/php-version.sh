#!/usr/bin/env bash
# Builds flame_kafka for, and runs the phpt suite on, a PHP other than the
# host's: PHP 8.4 NTS from Debian 13 and a thread-safe (ZTS) PHP 8.4 built
# from Debian's php8.4 source, both inside the root of scripts/php-root.sh.
#
#   scripts/php-version.sh build VERSION          build modules/phpVERSION/flame_kafka.so
#   scripts/php-version.sh test VERSION [--jit] [phpt files...]
#                                                 the phpt suite (--jit: opcache + tracing JIT on)
#   scripts/php-version.sh run VERSION CMD...     CMD in the root with PHP, PHP_CONFIG, FLAME_KAFKA_SO set
#
# VERSION: 8.4 (Debian 13's php8.4, NTS) or 8.4-zts (scripts/php-zts.sh).
# Each VERSION has its own cargo target dir (target/phpVERSION) and .so
# (modules/phpVERSION/flame_kafka.so): the host's build (target/release,
# modules/flame_kafka.so) is never touched. The broker is the host's
# (scripts/kafka.sh start, 127.0.0.1:29092).
set -euo pipefail
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JIT_INI="-d zend_extension=opcache -d opcache.enable_cli=1 -d opcache.jit=tracing -d opcache.jit_buffer_size=64M"

die() { echo "php-version.sh: error: $*" >&2; exit 1; }

[[ $# -ge 2 ]] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
cmd=$1 version=$2
shift 2
case "$version" in
    8.4) php=/usr/bin/php8.4 php_config=/usr/bin/php-config8.4 ;;
    8.4-zts)
        zts_prefix=$("$PROJECT/scripts/php-zts.sh" prefix)
        php=$zts_prefix/bin/php php_config=$zts_prefix/bin/php-config ;;
    *) die "unknown PHP version '$version' (8.4 or 8.4-zts; the host's PHP is plain make build/test)" ;;
esac
target="$PROJECT/target/php$version"
so="$PROJECT/modules/php$version/flame_kafka.so"

ensure_php() {
    "$PROJECT/scripts/php-root.sh" ensure >/dev/null
    [[ "$version" == *-zts ]] && "$PROJECT/scripts/php-zts.sh" build >&2
    return 0
}

in_root() {
    "$PROJECT/scripts/php-root.sh" run PHP="$php" PHP_CONFIG="$php_config" FLAME_KAFKA_SO="$so" "$@"
}

case "$cmd" in
    build)
        ensure_php
        t0=$SECONDS
        # A first build for this PHP starts from a copy of another PHP's
        # target dir: only ext-php-rs (bindings of this PHP) and the
        # extension recompile, not librdkafka and the other crates (cargo
        # relocates the copied build scripts' output).
        if [[ ! -d "$target/release" ]]; then
            for other in "$PROJECT"/target/php8.*; do
                [[ "$other" != "$target" && -f "$other/release/libflame_kafka.so" ]] || continue
                echo "php-version.sh: seeding $target from $other" >&2
                rm -rf "$target.tmp" && cp -a "$other" "$target.tmp" && mv "$target.tmp" "$target"
                break
            done
        fi
        # shellcheck disable=SC2016
        in_root CARGO_TARGET_DIR="$target" bash -c '
            set -e
            cargo build --release
            mkdir -p "$(dirname "$FLAME_KAFKA_SO")"
            cp "$CARGO_TARGET_DIR/release/libflame_kafka.so" "$FLAME_KAFKA_SO.tmp"
            mv -f "$FLAME_KAFKA_SO.tmp" "$FLAME_KAFKA_SO"
            "$PHP" -n -d extension="$FLAME_KAFKA_SO" --ri flame_kafka | sed -n "2,7p"'
        echo "php-version.sh: built $so for PHP $version in $((SECONDS - t0)) s" >&2
        ;;
    test)
        ini=""
        if [[ "${1:-}" == "--jit" ]]; then ini=$JIT_INI; shift; fi
        [[ -f "$so" ]] || die "$so not built (make build PHP_VERSION=$version)"
        brokers="${KAFKA_BROKERS:-$("$PROJECT/scripts/kafka.sh" bootstrap)}"
        "$PROJECT/scripts/kafka.sh" status >/dev/null || die "no Kafka broker at $brokers (scripts/kafka.sh start)"
        t0=$SECONDS
        set +e
        in_root KAFKA_BROKERS="$brokers" PHPT_INI="$ini" "$PROJECT/scripts/run-phpt.sh" "$@"
        rc=$?
        set -e
        echo "php-version.sh: phpt suite on PHP $version${ini:+ (opcache + JIT)} took $((SECONDS - t0)) s" >&2
        exit $rc
        ;;
    run)
        in_root "$@"
        ;;
    *) die "unknown command '$cmd' (build, test, run)" ;;
esac
