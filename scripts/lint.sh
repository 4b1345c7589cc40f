#!/usr/bin/env bash
# npm run lint: eslint (typescript-eslint, eslint.config.mjs) and the module boundaries
# (dependency-cruiser, .dependency-cruiser.cjs; see docs/architecture.md). Both always run, so one
# pass reports every problem; the exit status is non-zero if either found one.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
npx eslint --max-warnings 0 . || status=1
npx depcruise apps libs migrations test bench scripts --config .dependency-cruiser.cjs || status=1
exit $status
