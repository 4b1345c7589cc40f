#!/usr/bin/env bash
# Makes sure what `npm run quickstart` and `npm test` need is present and answering:
#   ffmpeg + ffprobe, Chromium (the review page's browser test and `npm run screenshots`),
#   PostgreSQL at DATABASE_URL, Redis at REDIS_URL; and, optionally, espeak-ng (a real voice for
#   the speech detection tests, which fall back to synthetic speech without it: never a failure).
#
# Idempotent and quick (well under a second) when everything is already fine; then it prints nothing.
# Otherwise it prints one short line per thing it had to do, to stderr (stdout stays clean).
#
#   DATABASE_URL  default postgres://postgres@127.0.0.1:5432/recordings
#   REDIS_URL     default redis://127.0.0.1:6379
#
# Only local servers (127.0.0.1 / localhost / ::1) are installed or started. As root, missing Debian
# packages are installed with apt-get. A PostgreSQL that is not running is started from the Debian
# cluster on the requested port if there is one (pg_lsclusters), or else from a private cluster in
# .data/postgres (trust auth, loopback only, log in .data/postgres.log). A Redis that is not running
# is started on the requested port with no persistence (data and log in .data/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$ROOT/.data"
PG_DIR="$DATA_DIR/postgres"
PG_LOG="$DATA_DIR/postgres.log"
WAIT_SECONDS=30

for arg in "$@"; do
  case "$arg" in
    --with-chromium) ;; # kept for old callers: Chromium is always ensured now
    -h | --help)
      sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "ensure-services: unknown option '$arg' (known: --with-chromium)" >&2
      exit 2
      ;;
  esac
done

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/recordings}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

say() { echo "ensure-services: $*" >&2; }
die() {
  echo "ensure-services: $*" >&2
  exit 1
}
is_root() { [[ "$(id -u)" -eq 0 ]]; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- URL parsing ------------------------------------------------------------------------------
# parse_url URL DEFAULT_PORT: sets URL_HOST and URL_PORT (scheme://[user[:pass]@]host[:port][/path][?q]).
parse_url() {
  local rest hostport
  rest="${1#*://}"
  rest="${rest%%[/?#]*}"
  hostport="${rest##*@}"
  URL_USER=""
  if [[ "$rest" == *@* ]]; then
    URL_USER="${rest%@*}"
    URL_USER="${URL_USER%%:*}"
  fi
  [[ -n "$URL_USER" ]] || URL_USER=postgres
  if [[ "$hostport" == \[* ]]; then # [ipv6]:port
    URL_HOST="${hostport%%]*}"
    URL_HOST="${URL_HOST#[}"
    URL_PORT="${hostport#*]}"
  else
    URL_HOST="${hostport%%:*}"
    URL_PORT="${hostport#"$URL_HOST"}"
  fi
  URL_PORT="${URL_PORT#:}"
  [[ -n "$URL_HOST" ]] || URL_HOST=127.0.0.1
  [[ -n "$URL_PORT" ]] || URL_PORT="$2"
  [[ "$URL_PORT" =~ ^[0-9]+$ ]] || die "cannot read a port from '$1'"
}

is_local() {
  case "$1" in
    127.0.0.1 | localhost | ::1 | "") return 0 ;;
    *) return 1 ;;
  esac
}

parse_url "$DATABASE_URL" 5432
PG_HOST="$URL_HOST" PG_PORT="$URL_PORT" PG_USER="$URL_USER"
parse_url "$REDIS_URL" 6379
REDIS_HOST="$URL_HOST" REDIS_PORT="$URL_PORT"

# --- helpers ----------------------------------------------------------------------------------
LOCKED=0
# Serialise the slow paths between concurrent runs (quickstart and tests started together).
# The lock is fd 9: everything spawned that may outlive us (servers, apt) gets 9>&- so that a
# daemon never inherits it and holds the lock forever.
take_lock() {
  [[ "$LOCKED" -eq 0 ]] || return 0
  LOCKED=1
  mkdir -p "$DATA_DIR"
  if have flock; then
    exec 9>"$DATA_DIR/.ensure-services.lock"
    flock 9
  fi
}

APT_UPDATED=0
apt_install() { # apt_install PACKAGE...
  local log
  log="$(mktemp)"
  if [[ "$APT_UPDATED" -eq 0 ]]; then
    say "apt-get update"
    if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 9>&-; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      die "apt-get update failed"
    fi
    APT_UPDATED=1
  fi
  say "installing $* (apt-get)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$log" 2>&1 9>&-; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    die "apt-get install $* failed"
  fi
  rm -f "$log"
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.2 s for up to SECONDS.
wait_until() {
  local seconds="$1" i
  shift
  for ((i = 0; i < seconds * 5; i++)); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  return 1
}

# --- ffmpeg / ffprobe (and chromium) ----------------------------------------------------------
ensure_package_binary() { # ensure_package_binary PACKAGE BINARY...
  local pkg="$1" bin missing=0
  shift
  for bin in "$@"; do have "$bin" || missing=1; done
  [[ "$missing" -eq 1 ]] || return 0
  if ! is_root; then
    echo "$pkg is missing: run 'sudo apt-get install -y $pkg'" >&2
    exit 1
  fi
  have apt-get || die "$pkg is missing and apt-get is not available: install $pkg"
  take_lock
  for bin in "$@"; do have "$bin" || missing=2; done
  [[ "$missing" -eq 2 ]] || return 0 # another run installed it meanwhile
  apt_install "$pkg"
  hash -r
  for bin in "$@"; do have "$bin" || die "$pkg was installed but '$bin' is still not on PATH"; done
}

ensure_package_binary ffmpeg ffmpeg ffprobe
# Debian's chromium at /usr/bin/chromium: test/review-page.e2e-spec.ts and scripts/screenshots.ts launch it.
if [[ ! -x /usr/bin/chromium ]]; then
  ensure_package_binary chromium chromium
fi

# Optional packages: installed when we can, a one-line note when we cannot, never a failed run. A
# failed install is remembered (.data/.optional-PACKAGE-unavailable) so that an offline machine does
# not retry apt on every run; delete that file to try again.
ensure_optional_package_binary() { # ensure_optional_package_binary PACKAGE BINARY WITHOUT_IT
  local pkg="$1" bin="$2" without="$3" marker="$DATA_DIR/.optional-$1-unavailable"
  have "$bin" && return 0
  [[ ! -f "$marker" ]] || return 0
  if ! is_root || ! have apt-get; then
    say "optional: $pkg is not installed ('sudo apt-get install -y $pkg'); $without"
    mkdir -p "$DATA_DIR" && touch "$marker"
    return 0
  fi
  take_lock
  have "$bin" && return 0
  # A subshell: apt_install's failure ends it, not this script.
  if (apt_install "$pkg") && hash -r && have "$bin"; then return 0; fi
  say "optional: $pkg could not be installed; $without (delete $marker to try again)"
  touch "$marker"
}

# test/speech-detection.e2e-spec.ts and bench/speech-detection.ts speak with it when it is there.
ensure_optional_package_binary espeak-ng espeak-ng "speech detection is tested on synthetic speech only"

# --- PostgreSQL -------------------------------------------------------------------------------
pg_ready() {
  if have pg_isready; then
    # As the URL's user, against the always-present "postgres" database: no FATAL noise in the log.
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -t 3 >/dev/null 2>&1
  elif [[ -d "$ROOT/node_modules/pg" ]] && have node; then
    # A server that answers with any SQL error (unknown database, auth) is up; 57P03 = starting up.
    (cd "$ROOT" && node -e '
      const { Client } = require("pg");
      const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
      c.connect().then(() => c.end().then(() => process.exit(0)),
        (e) => process.exit(/^[0-9A-Z]{5}$/.test(e.code || "") && e.code !== "57P03" ? 0 : 1));
    ' "$DATABASE_URL") >/dev/null 2>&1
  else
    tcp_open "$PG_HOST" "$PG_PORT"
  fi
}

tcp_open() { # tcp_open HOST PORT
  local host="$1"
  [[ "$host" == localhost ]] && host=127.0.0.1
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$2" 2>/dev/null
}

# Directory holding initdb/pg_ctl/postgres: the newest Debian version, else whatever is on PATH.
pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    echo "$dir"
  elif have initdb && have pg_ctl; then
    dirname "$(command -v pg_ctl)"
  fi
}

# The Debian cluster ("ver name status") configured for our port, if any.
debian_cluster_for_port() {
  have pg_lsclusters || return 0
  pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2, $4; exit }'
}

# Runs a command as the user that owns the private cluster (postgres when we are root).
as_pg_owner() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

start_private_cluster() {
  local bindir="$1" listen sockdir opts
  if is_root; then
    if ! id postgres >/dev/null 2>&1; then
      say "creating system user postgres"
      useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    if ! runuser -u postgres -- test -x "$DATA_DIR"; then
      die "user postgres cannot reach $DATA_DIR (a parent directory is not searchable); set DATABASE_URL to a running server"
    fi
  fi
  mkdir -p "$DATA_DIR"
  if [[ ! -f "$PG_DIR/PG_VERSION" ]]; then
    say "creating a private PostgreSQL cluster in .data/postgres"
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    chmod 700 "$PG_DIR"
    is_root && chown postgres: "$PG_DIR"
    local log
    log="$(mktemp)"
    if ! as_pg_owner "$bindir/initdb" -D "$PG_DIR" --auth=trust --username=postgres \
      --encoding=UTF8 --locale=C >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      die "initdb failed"
    fi
    rm -f "$log"
  fi
  touch "$PG_LOG"
  is_root && chown postgres: "$PG_LOG"

  case "$PG_HOST" in
    localhost) listen=localhost ;;
    ::1) listen='::1' ;;
    *) listen=127.0.0.1 ;;
  esac
  # Unix socket next to the data (psql -h "$PG_DIR" -p PORT); none if the path would be too long.
  sockdir="$PG_DIR"
  [[ "${#sockdir}" -lt 90 ]] || sockdir=""
  opts="-p $PG_PORT -c listen_addresses='$listen' -c unix_socket_directories='$sockdir'"

  if as_pg_owner "$bindir/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
    # Running, but not answering on our port (DATABASE_URL changed): restart on the new port.
    say "restarting the private PostgreSQL cluster on port $PG_PORT"
    as_pg_owner "$bindir/pg_ctl" -D "$PG_DIR" -l "$PG_LOG" -o "$opts" -w -t "$WAIT_SECONDS" -m fast restart >/dev/null 9>&- ||
      die "PostgreSQL did not restart (see .data/postgres.log)"
  else
    say "starting the private PostgreSQL cluster on $listen:$PG_PORT (log: .data/postgres.log)"
    as_pg_owner "$bindir/pg_ctl" -D "$PG_DIR" -l "$PG_LOG" -o "$opts" -w -t "$WAIT_SECONDS" start >/dev/null 9>&- ||
      die "PostgreSQL did not start (see .data/postgres.log)"
  fi
}

ensure_postgres() {
  pg_ready && return 0
  if ! is_local "$PG_HOST"; then
    die "PostgreSQL at $PG_HOST:$PG_PORT is not answering (DATABASE_URL); start it or point DATABASE_URL elsewhere"
  fi
  take_lock
  pg_ready && return 0

  local bindir cluster ver name status
  bindir="$(pg_bindir)"
  if [[ -z "$bindir" ]]; then
    if ! is_root; then
      die "PostgreSQL is not installed: run 'sudo apt-get install -y postgresql' (then run this again, or start a server on port $PG_PORT)"
    fi
    have apt-get || die "PostgreSQL is not installed and apt-get is not available"
    apt_install postgresql
    hash -r
    bindir="$(pg_bindir)"
    [[ -n "$bindir" ]] || die "postgresql was installed but initdb/pg_ctl were not found"
    # The package may have created and started its own cluster on this port.
    if wait_until 5 pg_ready; then return 0; fi
  fi

  cluster="$(debian_cluster_for_port)"
  if [[ -n "$cluster" ]]; then
    read -r ver name status <<<"$cluster"
    if ! is_root && [[ "$(id -un)" != postgres ]]; then
      die "PostgreSQL cluster $ver/$name (port $PG_PORT) is $status: run 'sudo pg_ctlcluster --skip-systemctl-redirect $ver $name start'"
    fi
    if [[ "$status" != online* ]]; then
      say "starting PostgreSQL cluster $ver/$name on port $PG_PORT"
      pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 9>&- ||
        die "pg_ctlcluster $ver $name start failed (see /var/log/postgresql/postgresql-$ver-$name.log)"
    fi
  else
    start_private_cluster "$bindir"
  fi

  wait_until "$WAIT_SECONDS" pg_ready ||
    die "PostgreSQL on $PG_HOST:$PG_PORT did not become ready within ${WAIT_SECONDS}s"
}

# --- Redis ------------------------------------------------------------------------------------
redis_ready() {
  local reply
  if have redis-cli; then
    reply="$(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null || true)"
  else
    local host="$REDIS_HOST"
    [[ "$host" == localhost ]] && host=127.0.0.1
    reply="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "PING\r\n" >&3 && read -r line <&3 && echo "$line"' \
      "$host" "$REDIS_PORT" 2>/dev/null || true)"
  fi
  # PONG, or a password-protected server that answers NOAUTH: it is up either way.
  [[ "$reply" == *PONG* || "$reply" == *NOAUTH* ]]
}

ensure_redis() {
  redis_ready && return 0
  if ! is_local "$REDIS_HOST"; then
    die "Redis at $REDIS_HOST:$REDIS_PORT is not answering (REDIS_URL); start it or point REDIS_URL elsewhere"
  fi
  take_lock
  redis_ready && return 0

  if ! have redis-server; then
    if ! is_root; then
      die "Redis is not installed: run 'sudo apt-get install -y redis-server' (then run this again, or start a server on port $REDIS_PORT)"
    fi
    have apt-get || die "Redis is not installed and apt-get is not available"
    apt_install redis-server
    hash -r
    have redis-server || die "redis-server was installed but is not on PATH"
    if wait_until 3 redis_ready; then return 0; fi
  fi

  local bind
  case "$REDIS_HOST" in
    localhost) bind=(127.0.0.1 -::1) ;;
    ::1) bind=(::1) ;;
    *) bind=(127.0.0.1) ;;
  esac
  mkdir -p "$DATA_DIR"
  say "starting Redis on ${bind[0]}:$REDIS_PORT (log: .data/redis.log)"
  redis-server --daemonize yes --bind "${bind[@]}" --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$DATA_DIR" --logfile "$DATA_DIR/redis.log" --pidfile "$DATA_DIR/redis-$REDIS_PORT.pid" >&2 9>&- ||
    die "redis-server did not start (see .data/redis.log)"
  wait_until "$WAIT_SECONDS" redis_ready ||
    die "Redis on $REDIS_HOST:$REDIS_PORT did not answer PING within ${WAIT_SECONDS}s (see .data/redis.log)"
}

ensure_postgres
ensure_redis
