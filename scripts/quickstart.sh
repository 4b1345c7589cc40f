#!/usr/bin/env bash
# npm run quickstart: from a fresh clone to a running service with a simulated Zoom recording in it.
# Installs what is missing, starts local PostgreSQL/Redis when none answer, runs the service with
# the embedded S3 server and the system's ffmpeg, pushes a generated recording through the real
# webhook, and prints the recording id and what to open. The service keeps running: Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PORT="${PORT:-3000}"
export RUN_MODE="${RUN_MODE:-all}"
# The simulator plays Zoom's download host on 9999 and its signed storage on 9998 (loopback only).
export ZOOM_DOWNLOAD_HOSTS="${ZOOM_DOWNLOAD_HOSTS:-zoom.us,*.zoom.us,http://127.0.0.1:9999,http://127.0.0.1:9998}"
log=.data/quickstart-service.log

step() { echo "quickstart: $*"; }
# Node rather than curl: a fresh machine has Node but not always curl.
healthy() { node -e "fetch('http://127.0.0.1:$PORT/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }

step "checking Node.js and npm dependencies"
bash scripts/install-deps.sh
step "checking ffmpeg, PostgreSQL and Redis"
bash scripts/ensure-services.sh
step "building"
node scripts/build.js
step "migrating the database"
node dist/apps/cli/src/main.js migrate

if healthy; then
  echo "quickstart: port $PORT already answers; stop that service or run with PORT=<another port>" >&2
  exit 1
fi
mkdir -p .data
step "starting the service on port $PORT (RUN_MODE=$RUN_MODE, log: $log)"
node dist/apps/api/src/main.js >"$log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  healthy && break
  if ! kill -0 "$service" 2>/dev/null; then
    echo "quickstart: the service stopped during start-up; last lines of $log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  sleep 0.5
done

step "simulating Zoom: a generated recording (video, audio, per-participant audio, transcript, chat, timeline)"
recording=$(node dist/apps/cli/src/main.js zoom:simulate --url "http://127.0.0.1:$PORT" | grep -E '^recording ' | tail -1 | cut -d' ' -f2)
if [ -z "$recording" ]; then
  echo "quickstart: the simulated recording did not arrive; see $log" >&2
  exit 1
fi
token=$(node dist/apps/cli/src/main.js token --sub quickstart-admin --roles admin,reviewer --ttl 12h)

echo
echo "recording $recording"
echo
echo "What to open (the service keeps running; Ctrl-C stops it):"
echo "  API docs (OpenAPI):   http://127.0.0.1:$PORT/docs"
echo "  Review page (the stream is ready once packaged, a few seconds after the files are stored):"
echo "    http://127.0.0.1:$PORT/review/$recording#token=$token"
echo "  A dev token (admin, reviewer; 12 h), then the recording, its audit trail and the chain check:"
echo "    TOKEN=$token"
echo "    curl -s -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:$PORT/v1/recordings/$recording"
echo "    curl -s -H \"Authorization: Bearer \$TOKEN\" 'http://127.0.0.1:$PORT/v1/audit?subjectId=$recording'"
echo "    curl -s -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:$PORT/v1/audit/verify"
echo "  Talk time and safety flags (analysed a few seconds after the files are stored; the simulated"
echo "  recording has no registered session, so its speakers are unattributed):"
echo "    curl -s -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:$PORT/v1/recordings/$recording/talk-time"
echo "    curl -s -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:$PORT/v1/recordings/$recording/safety-flags"
echo "  Readiness, metrics:   http://127.0.0.1:$PORT/health/ready   http://127.0.0.1:$PORT/metrics"
echo "  Service log:          $log"
echo "  Another token:        npm run --silent cli -- token --sub you --roles reviewer"
wait "$service"
