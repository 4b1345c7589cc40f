#!/usr/bin/env bash
# npm test: the whole suite — unit specs and end-to-end suites against real PostgreSQL, Redis,
# an S3 server (embedded s3rver) and ffmpeg — bringing up what it needs first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
bash scripts/ensure-services.sh
# Code style and module boundaries (eslint + dependency-cruiser, docs/architecture.md). A violation
# fails the run, but the suites still run so one report shows everything.
lint_status=0
npm run --silent lint || lint_status=$?
# End-to-end suites also start the built service as a separate process (workers to kill, bad config).
node scripts/build.js
mkdir -p .data
set +e
npx jest --maxWorkers=2 --json --outputFile=.data/jest-results.json "$@"
status=$?
set -e
node -e '
  const r = require("./.data/jest-results.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`npm test: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' 2>/dev/null || true
if [[ $lint_status -ne 0 ]]; then
  echo "npm test: lint failed (npm run lint)" >&2
  [[ $status -ne 0 ]] || status=$lint_status
fi
exit $status
