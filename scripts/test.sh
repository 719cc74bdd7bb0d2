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
# Layers only look down and nothing imports in a circle (rules and reasons: .dependency-cruiser.cjs).
echo "== layers"; npm run --silent lint:layers
echo "== unit tests"; npx vitest run --project unit
# The tests build into their own folder: `npm run demo` serves .next from this same checkout,
# and a build there would pull the JS chunks from under a running demo.
export NEXT_DIST_DIR="${NEXT_DIST_DIR:-.next-test}"
[ "$NEXT_DIST_DIR" != ".next" ] || { echo "NEXT_DIST_DIR=.next is the demo's build; the tests use their own" >&2; exit 1; }
demo_build_before="$(cat .next/BUILD_ID 2>/dev/null || echo none)"
echo "== production build ($NEXT_DIST_DIR)"; npx next build
export VERDICT_TEST_DIST_DIR="$NEXT_DIST_DIR"
echo "== integration tests (SQLite + PostgreSQL)"; npx vitest run --project integration
echo "== end-to-end tests (chromium)"; npx playwright test
# What a running demo serves was not touched.
[ "$(cat .next/BUILD_ID 2>/dev/null || echo none)" = "$demo_build_before" ] || { echo "the tests changed .next, the demo's build" >&2; exit 1; }
