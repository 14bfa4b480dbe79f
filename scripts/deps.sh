#!/usr/bin/env bash
# Installs what building and testing flame_kafka needs on Debian 12, only
# what is missing (apt-get as root; a Rust toolchain through rustup's
# crates.io-free path is expected to exist: cargo/rustc must be on PATH).
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in php8.2-cli php8.2-dev libclang-dev clang cmake pkg-config libssl-dev libsasl2-dev \
         libcurl4-openssl-dev zlib1g-dev openjdk-17-jre-headless maven make python3 kcat; do
    have_pkg "$p" || need+=("$p")
done
if ((${#need[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "deps.sh: missing Debian packages: ${need[*]} (run as root, or install them)" >&2
        exit 1
    fi
    echo "deps.sh: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${need[@]}" >&2
fi
if ! command -v cargo >/dev/null 2>&1; then
    for d in "$HOME/.cargo/bin" /usr/local/cargo/bin; do
        [[ -x "$d/cargo" ]] && { echo "deps.sh: cargo is in $d: add it to PATH" >&2; exit 1; }
    done
    echo "deps.sh: no Rust toolchain (cargo) found; install one (e.g. rustup) and re-run" >&2
    exit 1
fi
