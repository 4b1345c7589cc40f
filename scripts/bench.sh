#!/usr/bin/env bash
# Runs the benchmarks (`npm run bench`): builds, makes sure PostgreSQL and Redis answer, runs each
# benchmark script as `node dist/bench/<name>.js`, and prints one summary table. Raw results go to
# bench/results/<run id>-<name>.json (gitignored). Every figure is a ratio against a baseline measured
# in the same run; see docs/benchmarks.md.
#
#   bash scripts/bench.sh            all benchmarks
#   bash scripts/bench.sh webhook    webhook acknowledgement under load (~9 min, most of it draining the inbox)
#   bash scripts/bench.sh archive    archiving throughput and worker memory (~6 min; needs 8 GiB free)
#   bash scripts/bench.sh retention  retention sweep: end to end vs bare DeleteObjects, query cost (~20 min)
#   bash scripts/bench.sh packaging  a 60-minute 720p recording packaged as encrypted HLS vs ffmpeg alone (~4 min)
#   bash scripts/bench.sh viewers    50 viewers streaming a 10-minute recording through the API vs straight from S3
#   bash scripts/bench.sh transcript talk time from a 60-minute transcript vs a bare line/regex pass (~10 s; CPU only)
#   bash scripts/bench.sh speech     speech detection on a 60-minute participant track vs silencedetect alone (~1 min)
#   bash scripts/bench.sh export     a research export of 1,000 sessions: build time and the worker's peak RSS (~3 min)
#   bash scripts/bench.sh deid       de-identification: corpus recall/keep-rate vs redact-pii, name detectors, throughput (~1 min; CPU only)
#   bash scripts/bench.sh audit      audit trail: append vs a plain INSERT, sealing lag under load, verifying 1,000,000 events (~3 min)
#   bash scripts/bench.sh workers    delivery processing and archiving with 1 against 2 worker processes (~4 min)
#
# The machine should be otherwise idle: the load generator, the service, PostgreSQL and Redis share it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

benches=()
for arg in "$@"; do
  case "$arg" in
    webhook | webhook-ack) benches+=(webhook-ack) ;;
    archive | archive-throughput) benches+=(archive-throughput) ;;
    retention | retention-sweep) benches+=(retention-sweep) ;;
    packaging | stream-packaging) benches+=(stream-packaging) ;;
    viewers | stream-viewers) benches+=(stream-viewers) ;;
    transcript | talk-time-transcript) benches+=(talk-time-transcript) ;;
    speech | speech-detection) benches+=(speech-detection) ;;
    export | research-export) benches+=(research-export) ;;
    deid | deidentify) benches+=(deidentify) ;;
    audit | audit-trail) benches+=(audit-trail) ;;
    workers | worker-scaling) benches+=(worker-scaling) ;;
    -h | --help)
      sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "bench: unknown benchmark '$arg' (known: webhook, archive, retention, packaging, viewers, transcript, speech, export, deid, audit, workers)" >&2
      exit 2
      ;;
  esac
done
[[ ${#benches[@]} -gt 0 ]] || benches=(webhook-ack archive-throughput retention-sweep stream-packaging stream-viewers talk-time-transcript speech-detection research-export deidentify audit-trail worker-scaling)

# The benchmarks are compiled only here: the production build (and image) leaves bench/ out.
node scripts/build.js --bench
# Only the benchmarks that start the service need PostgreSQL and Redis; transcript and deid are pure CPU.
needs_services=false
for name in "${benches[@]}"; do
  [[ "$name" == talk-time-transcript || "$name" == speech-detection || "$name" == deidentify ]] || needs_services=true
done
if [[ "$needs_services" == true && -f scripts/ensure-services.sh ]]; then
  bash scripts/ensure-services.sh
fi

BENCH_RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
export BENCH_RUN_ID
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
mkdir -p bench/results

failed=()
for name in "${benches[@]}"; do
  echo "bench: running $name" >&2
  if ! node "dist/bench/$name.js"; then
    failed+=("$name")
    echo "bench: $name failed" >&2
  fi
done

node dist/bench/summary.js "$BENCH_RUN_ID"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench: failed: ${failed[*]}" >&2
  exit 1
fi
