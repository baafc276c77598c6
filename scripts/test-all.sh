#!/usr/bin/env bash
# The whole test suite, as CI runs it: typecheck, lint, build, then unit, integration and
# e2e tests against real PostgreSQL 15, sshd, a TLS S3 server, pgBackRest, restic and
# headless Chromium. Prints "N passed, N failed, N skipped" at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1

status=0
step() { echo; echo "== $*"; }

step typecheck
npm run -s typecheck || status=1
step lint
npm run -s lint || status=1
step build
npm run -s build || status=1

step "tests (unit, integration, e2e)"
mkdir -p test-results
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_status=$?
[ $vitest_status -eq 0 ] || status=1

node scripts/summarize-tests.mjs test-results/vitest.json || status=1
if [ $status -ne 0 ]; then echo "FAILED (typecheck, lint, build or tests: see above)"; fi
exit $status
