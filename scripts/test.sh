#!/usr/bin/env bash
# The test command: unit tests, integration tests on a real SQLite file and a real
# PostgreSQL server (and a real server process for concurrency and crash safety), then
# Playwright in Debian's chromium against the same production build.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm install
echo "== typecheck"; npx tsc --noEmit
echo "== unit tests"; npx vitest run --project unit
echo "== production build"; npx next build
export VERDICT_TEST_DIST_DIR="${NEXT_DIST_DIR:-.next}"
echo "== integration tests (SQLite + PostgreSQL)"; npx vitest run --project integration
echo "== end-to-end tests (chromium)"; npx playwright test
