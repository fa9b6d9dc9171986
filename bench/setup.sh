#!/usr/bin/env bash
# Installs what the benchmark needs beyond npm: Xapian's Python bindings for Debian's own python3
# (the Xapian peer runs under /usr/bin/python3, not a pyenv python). Idempotent; needs root.
set -euo pipefail

if /usr/bin/python3 -c 'import xapian' 2>/dev/null; then
  echo "python3-xapian: already installed ($(/usr/bin/python3 -c 'import xapian; print(xapian.version_string())'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "bench/setup.sh: need root (or sudo) to apt-get install python3-xapian" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Try with the package lists as they are; refresh them once if that fails (missing or stale lists).
if ! $SUDO apt-get install -y -qq python3-xapian; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq python3-xapian
fi
/usr/bin/python3 -c 'import xapian; print("python3-xapian:", xapian.version_string())'
