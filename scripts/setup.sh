#!/bin/sh
# Installs what minato needs on a fresh Debian machine (run as root), then builds it.
# Idempotent and quick when everything is already in place.
set -eu
cd "$(dirname "$0")/.."

missing=""
command -v g++ >/dev/null 2>&1 || missing="$missing g++ make"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
# The task runtime: runc starts containers, conmon holds their stdio and exit status, the CNI
# plugins give each task its network namespace and address; iptables backs port mappings.
command -v runc >/dev/null 2>&1 || missing="$missing runc"
command -v conmon >/dev/null 2>&1 || missing="$missing conmon"
[ -x /usr/lib/cni/bridge ] || missing="$missing containernetworking-plugins"
command -v iptables >/dev/null 2>&1 || missing="$missing iptables"
# Load balancers: HAProxy is the data plane of every listener.
command -v haproxy >/dev/null 2>&1 || missing="$missing haproxy"
# SNS signs its deliveries with a self-signed certificate the openssl CLI issues.
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
# The web console's tests drive Debian's Chromium headless (playwright-core speaks to it).
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
# `ip netns` names task namespaces; nsenter runs a local node's agent inside its namespace.
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v nsenter >/dev/null 2>&1 || missing="$missing util-linux"
# initProcessEnabled: a static tini is bind-mounted into containers as their PID 1.
[ -x /usr/bin/tini-static ] || missing="$missing tini"
if [ -n "${MINATO_SETUP_EXTRA_PACKAGES:-}" ]; then missing="$missing $MINATO_SETUP_EXTRA_PACKAGES"; fi
if [ -n "$missing" ]; then
  echo "setup: installing system packages:$missing"
  apt-get update
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi

# npm packages, as pinned by the lockfile; only when it changed since the last install.
# (`npm install --no-save` rather than `npm ci`: npm 11 records only this platform's optional
# packages in the lockfile and `npm ci` then refuses it as out of sync.)
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save
fi

npm run --silent build
