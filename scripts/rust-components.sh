#!/usr/bin/env bash
# Adds the rustup components named (e.g. rustfmt clippy) that the active
# toolchain lacks; prints nothing when all are there.
#   scripts/rust-components.sh rustfmt clippy
set -euo pipefail
missing=()
for c in "$@"; do
    case "$c" in
        rustfmt) cargo fmt --version >/dev/null 2>&1 || missing+=("$c") ;;
        clippy) cargo clippy --version >/dev/null 2>&1 || missing+=("$c") ;;
        *) missing+=("$c") ;;
    esac
done
((${#missing[@]})) || exit 0
command -v rustup >/dev/null 2>&1 || { echo "rust-components.sh: ${missing[*]} missing and no rustup to add them" >&2; exit 1; }
echo "rust-components.sh: adding ${missing[*]}" >&2
rustup component add "${missing[@]}"
