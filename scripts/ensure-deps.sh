#!/usr/bin/env bash
# Makes sure this machine has what Kumiko Recovery's demo and tests need: Debian packages
# (PostgreSQL 15, pgBackRest, restic, eatmydata, OpenSSH server, Chromium, poppler, Xvfb, zstd,
# systemd for systemd-analyze, debootstrap for the rebuild bench's fresh host) and the npm
# packages. Installs them when it can (root, apt-get), otherwise stops with the exact command.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(postgresql-15 postgresql-client-15 pgbackrest restic eatmydata openssh-server openssh-client
  chromium poppler-utils xvfb zstd openssl procps iproute2 systemd debootstrap)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The Debian package starts a default cluster and sshd as services; we run our own.
  else
    echo "Missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  echo "PostgreSQL 15 binaries not found in /usr/lib/postgresql/15/bin. Run: sudo apt-get install -y postgresql-15" >&2
  exit 1
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci)…" >&2
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-fund --no-audit >&2
fi
