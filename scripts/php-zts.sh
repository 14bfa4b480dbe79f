#!/usr/bin/env bash
# A thread-safe (ZTS) PHP 8.4 built from the upstream tarball of Debian's
# php8.4 source package, inside the root of scripts/php-root.sh, installed
# there under /opt/php8.4-zts and cached with the root. Only what the tests
# need: the CLI and embed SAPIs (libphp.so, for the multi-thread harness),
# opcache, pcntl and posix; everything else off (--disable-all).
#
# Why not `apt-get source php8.4`: the Debian mirror reached here answers 404
# for the current php8.4 source files (8.4.27-1~deb13u1: .dsc, .orig.tar.xz,
# .debian.tar.xz; the same for trixie-security's 8.4.28), while the pool still
# serves php8.4_8.4.24.orig.tar.xz, the upstream php-8.4.24 tarball of an
# earlier upload. It is fetched with apt's own downloader (apt-helper) and
# checked against the SHA-256 pinned below; Debian's patches are not applied.
#
#   scripts/php-zts.sh build     build it unless the cached one matches (prints nothing else)
#   scripts/php-zts.sh prefix    print the install prefix inside the root
set -euo pipefail
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${FLAME_KAFKA_CACHE:-$HOME/.cache/flame_kafka}"
PREFIX=/opt/php8.4-zts
ORIG=php8.4_8.4.24.orig.tar.xz
ORIG_SHA256=e127be09a8506f4327c5cfa78a614b00d210714484ec215ce0011b4a03c00731
CONFIGURE=(--prefix="$PREFIX" --enable-zts --disable-all --enable-cli --enable-embed
           --disable-cgi --disable-phpdbg --without-pear --enable-opcache --enable-pcntl --enable-posix
           --with-config-file-path="$PREFIX/etc" --with-config-file-scan-dir="$PREFIX/etc/conf.d")

case "${1:-}" in
    prefix) echo "$PREFIX"; exit 0 ;;
    build) ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac

R=$("$PROJECT/scripts/php-root.sh" ensure)
stamp="$ORIG_SHA256 ${CONFIGURE[*]}"
[[ -x "$R$PREFIX/bin/php" && "$(cat "$R$PREFIX/.flame_kafka-configure" 2>/dev/null)" == "$stamp" ]] && exit 0

t0=$SECONDS
echo "php-zts.sh: building a ZTS PHP 8.4 from $ORIG into $PREFIX (in $R) ..." >&2
if [[ "$(sha256sum "$CACHE/$ORIG" 2>/dev/null | cut -d' ' -f1)" != "$ORIG_SHA256" ]]; then
    url="$("$PROJECT/scripts/php-root.sh" mirror)/pool/main/p/php8.4/$ORIG"
    rm -f "$CACHE/$ORIG"
    /usr/lib/apt/apt-helper download-file "$url" "$CACHE/$ORIG.part" "SHA256:$ORIG_SHA256" >&2 ||
        { echo "php-zts.sh: could not fetch $url (or its SHA-256 is not $ORIG_SHA256)" >&2; exit 1; }
    mv "$CACHE/$ORIG.part" "$CACHE/$ORIG"
fi
log="$CACHE/php-zts-build.log"
# shellcheck disable=SC2016
"$PROJECT/scripts/php-root.sh" run PREFIX="$PREFIX" ORIG="$CACHE/$ORIG" bash -c '
    set -euo pipefail
    rm -rf /usr/src/php-zts && mkdir -p /usr/src/php-zts && cd /usr/src/php-zts
    tar -xJf "$ORIG" --strip-components=1
    echo "source: $(basename "$ORIG")"
    ./configure "$@" >/dev/null
    make -j"$(nproc)" >/dev/null
    rm -rf "$PREFIX"
    make install >/dev/null
    mkdir -p "$PREFIX/etc/conf.d"
    "$PREFIX/bin/php" -v
    cd / && rm -rf /usr/src/php-zts
' bash "${CONFIGURE[@]}" >"$log" 2>&1 || { tail -30 "$log" >&2; echo "php-zts.sh: build failed (log: $log)" >&2; exit 1; }
echo "$stamp" >"$R$PREFIX/.flame_kafka-configure"
grep -E '^(source:|PHP )' "$log" >&2
echo "php-zts.sh: ZTS PHP built in $((SECONDS - t0)) s" >&2
