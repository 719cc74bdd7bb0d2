#!/usr/bin/env bash
# The test command: unit tests, integration tests on a real SQLite file and a real
# PostgreSQL server, then Playwright in Debian's chromium against a production build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm install
echo "== typecheck"; npx tsc --noEmit
echo "== unit tests"; npx vitest run --project unit
echo "== integration tests (SQLite + PostgreSQL)"; npx vitest run --project integration
echo "== production build"; npx next build
echo "== end-to-end tests (chromium)"; npx playwright test
