#!/bin/sh
# The whole test command: types, lint, dependency direction, unit and cross-process tests.
set -eu
cd "$(dirname "$0")/.."

# Test callers and fixtures, all from Debian: the AWS CLI (smoke tests), skopeo (a real registry
# client), the CNCF Distribution registry (a reference registry), a static busybox from which
# the tests build their container images, boto3 (a second SDK, for CloudWatch's protocols) and
# PostgreSQL's server (a throwaway cluster per test file, for the PostgreSQL store).
missing=""
command -v aws >/dev/null 2>&1 || missing="$missing awscli"
command -v skopeo >/dev/null 2>&1 || missing="$missing skopeo"
command -v docker-registry >/dev/null 2>&1 || missing="$missing docker-registry"
dpkg -s busybox-static >/dev/null 2>&1 || missing="$missing busybox-static"
python3 -c 'import boto3' >/dev/null 2>&1 || missing="$missing python3-boto3"
# Debian puts the server's binaries in /usr/lib/postgresql/<version>/bin, off PATH.
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$missing postgresql"
if [ -n "$missing" ]; then
  apt-get update
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi

npm run --silent typecheck
npm run --silent lint
npx vitest run
