#!/bin/sh
# The whole test command: types, lint, dependency direction, unit and cross-process tests.
set -eu
cd "$(dirname "$0")/.."

# The AWS CLI is a test caller (smoke tests); Debian packages it.
if ! command -v aws >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y awscli
fi

npm run --silent typecheck
npm run --silent lint
npx vitest run
