#!/usr/bin/env bash
# Real MCP clients that cannot be pinned in package-lock.json, installed beside the project for the
# real-client tests: opencode ships its binary as per-platform optional packages, and a registry that
# lacks some platforms' packages leaves them out of the lock, which `npm ci` then refuses.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tools/clients
[ -f .tools/clients/package.json ] || echo '{"private":true}' > .tools/clients/package.json
npm install --prefix .tools/clients --no-save --no-audit --no-fund --ignore-scripts opencode-ai@1.18.33 >/dev/null
echo "== real clients beside the project: opencode $(ls .tools/clients/node_modules | grep -E '^opencode-(linux|darwin|windows)' | head -n 1)"
