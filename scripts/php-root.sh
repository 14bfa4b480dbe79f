#!/usr/bin/env bash
# A Debian 13 ("trixie") root with PHP 8.4, made once with debootstrap and
# cached, to build and test flame_kafka on PHP 8.4 from a Debian 12 machine.
#
#   scripts/php-root.sh ensure            make the root (or top up its packages); prints its path
#   scripts/php-root.sh run [VAR=VAL...] CMD [ARGS...]
#                                         run CMD inside the root (as root), in the current
#                                         directory when it is inside the project
#   scripts/php-root.sh path              print the root's path
#   scripts/php-root.sh mirror            print the Debian mirror it is made from
#
# Inside the root the project is mounted at the same path as outside, and so
# are ~/.cargo and ~/.rustup (the host's Rust toolchain and crate cache),
# the cache dir (the Kafka jars) and /tmp (the brokers' state: the secured
# broker's CA and passwords, scripts/kafka.sh secure env). The network is the host's (the broker on
# 127.0.0.1:29092 is reachable). Mounts live in a private mount namespace
# (unshare -m): nothing stays mounted on the host after a run.
#
# Env: FLAME_KAFKA_CACHE (~/.cache/flame_kafka), PHP_ROOT_MIRROR (the Debian
#      mirror of /etc/apt/sources.list.d/debian.sources), PHP_ROOT_SUITE (trixie).
set -euo pipefail

PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${FLAME_KAFKA_CACHE:-$HOME/.cache/flame_kafka}"
SUITE="${PHP_ROOT_SUITE:-trixie}"
R="$CACHE/root-$SUITE"
# What building, testing and the ZTS build (scripts/php-zts.sh) need (kcat: the
# interop phpt, e.g. message_tombstones_kcat). No Java:
# the tests create topics with flame\db\kafka\admin, and the brokers run on the host.
PACKAGES=(php8.4-cli php8.4-dev php8.4-opcache build-essential clang libclang-dev cmake pkg-config
          libssl-dev libsasl2-dev libcurl4-openssl-dev zlib1g-dev make python3 ca-certificates
          xz-utils kcat)

msg() { echo "php-root.sh: $*" >&2; }
die() { msg "error: $*"; exit 1; }

mirror() {
    [[ -n "${PHP_ROOT_MIRROR:-}" ]] && { echo "$PHP_ROOT_MIRROR"; return; }
    local m=""
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        m=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    fi
    if [[ -z "$m" && -f /etc/apt/sources.list ]]; then
        m=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
    fi
    echo "${m:-http://deb.debian.org/debian}"
}

need_root() { [[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot, mounts)"; }

# in_root ENV... -- CMD...: runs CMD chrooted into $R with the mounts.
in_root() {
    local envs=() cwd
    while [[ $# -gt 0 && "$1" != "--" ]]; do envs+=("$1"); shift; done
    shift
    cwd="$PWD"
    case "$cwd/" in "$PROJECT"/*) ;; *) cwd="$PROJECT" ;; esac
    cp -f /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
    cp -f /etc/hosts "$R/etc/hosts" 2>/dev/null || true
    mkdir -p "$R$PROJECT" "$R/root/.cargo" "$R/root/.rustup" "$R$CACHE" "$HOME/.cargo" "$HOME/.rustup"
    # shellcheck disable=SC2016
    unshare --mount --propagation private -- bash -c '
        set -e
        R=$1 PROJECT=$2 CACHE=$3 HOMEDIR=$4 cwd=$5; shift 5
        mount -t proc proc "$R/proc"
        mount --rbind /dev "$R/dev"
        mount --rbind /sys "$R/sys"
        mount --bind "$PROJECT" "$R$PROJECT"
        mount --bind "$HOMEDIR/.cargo" "$R/root/.cargo"
        mount --bind "$HOMEDIR/.rustup" "$R/root/.rustup"
        mount --bind "$CACHE" "$R$CACHE"
        mount --bind /tmp "$R/tmp"
        exec chroot "$R" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
            PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            FLAME_KAFKA_CACHE="$CACHE" ${CI:+CI=$CI} \
            /bin/bash -c "cd \"\$1\" && shift && exec /usr/bin/env \"\$@\"" bash "$cwd" "$@"
    ' bash "$R" "$PROJECT" "$CACHE" "$HOME" "$cwd" "${envs[@]}" "$@"
}

ensure() {
    need_root
    mkdir -p "$CACHE"
    local want have missing=()
    want=$(printf '%s\n' "${PACKAGES[@]}" | sort)
    have=$(cat "$R/.flame_kafka-packages" 2>/dev/null || true)
    [[ -x "$R/usr/bin/php8.4" && "$want" == "$have" ]] && { echo "$R"; return 0; }
    exec 9>"$CACHE/root-$SUITE.lock"
    flock 9
    have=$(cat "$R/.flame_kafka-packages" 2>/dev/null || true)
    [[ -x "$R/usr/bin/php8.4" && "$want" == "$have" ]] && { echo "$R"; return 0; }
    local m t0
    m=$(mirror)
    if [[ ! -f "$R/.flame_kafka-debootstrap" ]]; then
        command -v debootstrap >/dev/null || {
            msg "installing debootstrap ..."
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2 ||
                { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2; }
        }
        t0=$SECONDS
        msg "debootstrap $SUITE from $m into $R ..."
        rm -rf "$R.tmp"
        debootstrap --variant=minbase "$SUITE" "$R.tmp" "$m" >"$CACHE/root-$SUITE.debootstrap.log" 2>&1 ||
            { tail -20 "$CACHE/root-$SUITE.debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/root-$SUITE.debootstrap.log)"; }
        printf 'deb %s %s main\ndeb-src %s %s main\n' "$m" "$SUITE" "$m" "$SUITE" >"$R.tmp/etc/apt/sources.list"
        touch "$R.tmp/.flame_kafka-debootstrap"
        rm -rf "$R" && mv "$R.tmp" "$R"
        msg "root made in $((SECONDS - t0)) s"
    fi
    for p in "${PACKAGES[@]}"; do
        chroot "$R" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        t0=$SECONDS
        msg "installing in the root: ${missing[*]} ..."
        in_root DEBIAN_FRONTEND=noninteractive -- bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null' \
            bash "${missing[@]}" >&2 || die "apt-get install in the root failed"
        in_root -- apt-get clean
        msg "packages installed in $((SECONDS - t0)) s"
    fi
    echo "$want" >"$R/.flame_kafka-packages"
    echo "$R"
}

case "${1:-}" in
    ensure) ensure ;;
    path) echo "$R" ;;
    mirror) mirror ;;
    run)
        shift
        need_root
        [[ -x "$R/usr/bin/php8.4" ]] || die "no root yet (scripts/php-root.sh ensure)"
        envs=()
        while [[ $# -gt 0 && "$1" == *=* && "$1" != -* ]]; do envs+=("$1"); shift; done
        [[ $# -gt 0 ]] || die "run: no command"
        in_root "${envs[@]}" -- "$@"
        ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
