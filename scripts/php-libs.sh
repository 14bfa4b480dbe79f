#!/usr/bin/env bash
# Fetches the pure-PHP libraries the event-loop tests and benchmarks load:
# Revolt's event loop (php-revolt-event-loop 1.0.9) and ReactPHP's promises
# (php-react-promise 3.x), from Debian unstable's packages. The system's apt
# is not touched: a temporary sources list and lists directory, then
# `apt-get download` and `dpkg -x` into a cache. Idempotent; prints the
# directory that holds usr/share/php (the autoloaders are
# usr/share/php/Revolt/EventLoop/autoload.php and
# usr/share/php/React/Promise/autoload.php).
#   scripts/php-libs.sh            -> e.g. ~/.cache/flame_kafka/php-libs
set -euo pipefail
CACHE="${FLAME_KAFKA_CACHE:-$HOME/.cache/flame_kafka}/php-libs"
PKGS=(php-revolt-event-loop php-react-promise)
stamp="$CACHE/.done"
if [[ -f "$stamp" && -f "$CACHE/root/usr/share/php/Revolt/EventLoop/autoload.php" \
      && -f "$CACHE/root/usr/share/php/React/Promise/autoload.php" ]]; then
    echo "$CACHE/root"
    exit 0
fi
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    mirror=$(sed -n 's/^URIs: *\([^ ]*debian\)\/*$/\1/p' "$f" | head -1)
    [[ -n "$mirror" ]] && break
done
if [[ -z "$mirror" && -f /etc/apt/sources.list ]]; then
    mirror=$(sed -n 's/^deb  *\(http[^ ]*debian\)\/* .*/\1/p' /etc/apt/sources.list | head -1)
fi
mirror="${mirror:-http://deb.debian.org/debian}"
work="$CACHE/apt"
rm -rf "$work" "$CACHE/root.tmp"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$CACHE/root.tmp"
echo "deb $mirror sid main" > "$work/sources.list"
opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
      -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
      -o "Dir::State::status=/var/lib/dpkg/status" -o "APT::Get::List-Cleanup=0"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
echo "php-libs.sh: fetching ${PKGS[*]} from $mirror sid" >&2
apt-get "${opts[@]}" -qq update >&2
( cd "$work/archives" && apt-get "${opts[@]}" -qq download "${PKGS[@]}" >&2 )
for deb in "$work"/archives/*.deb; do
    echo "php-libs.sh: unpacking $(basename "$deb")" >&2
    dpkg -x "$deb" "$CACHE/root.tmp"
done
rm -rf "$CACHE/root"
mv "$CACHE/root.tmp" "$CACHE/root"
rm -rf "$work/lists"
touch "$stamp"
echo "$CACHE/root"
