#!/usr/bin/env bash
# The whole test suite: lint and format check, type-check, build (the end-to-end tests drive the built renderer and the
# built command line), then every test inside a private keychain session.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== lint and format"
npx eslint . --max-warnings 0
npx prettier --check . > /dev/null || { npx prettier --check . ; exit 1; }
echo "== type-check"
npx tsc --noEmit -p tsconfig.json
echo "== build"
npm run build > /tmp/keywarden-build.log 2>&1 || { cat /tmp/keywarden-build.log; exit 1; }
echo "== tests"
exec bash scripts/with-keyring.sh npx vitest run "$@"
