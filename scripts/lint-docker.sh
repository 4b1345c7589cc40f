#!/usr/bin/env bash
# Static checks of docker/compose.yaml, docker/Dockerfile and docker/.env.example (no Docker engine
# needed). Prints `docker lint: ok`, or the problems and exits 1.
#
#  compose:    parses as YAML; every service has an image or a build; images carry a tag that is
#              not `latest`; depends_on names exist; the app services (those built from the
#              Dockerfile) use only environment names from CONTRACT.md's configuration table and
#              set NODE_ENV=production; secrets are interpolated (${VAR:?...}), never literal;
#              every interpolated ${VAR} is documented in docker/.env.example.
#  Dockerfile: every FROM has a tag that is not `latest`; the final stage runs as a non-root USER;
#              HEALTHCHECK, EXPOSE 3000 and CMD are present.
#
# YAML parser: js-yaml or yaml from node_modules, else python3's PyYAML, else structural greps.
# LINT_DOCKER_PARSER=node|python|grep forces one (for testing the fallbacks).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE="$ROOT/docker/compose.yaml"
DOCKERFILE="$ROOT/docker/Dockerfile"
ENV_EXAMPLE="$ROOT/docker/.env.example"

PROBLEMS=()
problem() { PROBLEMS+=("$*"); }

# --- the contract's configuration names -------------------------------------------------------
# Read from CONTRACT.md's "## Configuration" section when the file is at hand, else this copy.
BUILTIN_VARS="PORT DATABASE_URL REDIS_URL S3_ENDPOINT S3_BUCKET S3_REGION S3_ACCESS_KEY_ID
S3_SECRET_ACCESS_KEY S3_FORCE_PATH_STYLE ZOOM_WEBHOOK_SECRET_TOKEN ZOOM_DOWNLOAD_HOSTS
ZOOM_API_BASE_URL ZOOM_OAUTH_TOKEN_URL ZOOM_ACCOUNT_ID ZOOM_CLIENT_ID ZOOM_CLIENT_SECRET
ZOOM_CLOUD_COPY AUTH_JWT_SECRET AUTH_JWKS_URL AUTH_ISSUER AUTH_AUDIENCE MEDIA_MASTER_KEY
POLICY_PROFILE RUN_MODE"
CONTRACT_VARS=""
for candidate in "${CONTRACT_MD:-}" "$ROOT/docs/CONTRACT.md" "$ROOT/CONTRACT.md" "$ROOT/../shared/CONTRACT.md"; do
  [[ -n "$candidate" && -f "$candidate" ]] || continue
  CONTRACT_VARS="$(awk '/^## /{ on = ($0 ~ /^## Configuration/) } on' "$candidate" |
    grep -o '`[A-Z][A-Z0-9_]*`' | tr -d '`' | sort -u | tr '\n' ' ' || true)"
  [[ -n "$CONTRACT_VARS" ]] && break
done
[[ -n "$CONTRACT_VARS" ]] || CONTRACT_VARS="$(tr '\n' ' ' <<<"$BUILTIN_VARS")"
# NODE_ENV is named by the contract's start-up rules (production vs dev), outside the table.
CONTRACT_VARS="$CONTRACT_VARS NODE_ENV"

# --- files ------------------------------------------------------------------------------------
for f in "$COMPOSE" "$DOCKERFILE" "$ENV_EXAMPLE" "$ROOT/.dockerignore"; do
  [[ -f "$f" ]] || problem "missing file ${f#"$ROOT"/}"
done

# --- compose: parse ---------------------------------------------------------------------------
parser="${LINT_DOCKER_PARSER:-}"
if [[ -z "$parser" ]]; then
  if command -v node >/dev/null 2>&1 && { [[ -d "$ROOT/node_modules/js-yaml" ]] || [[ -d "$ROOT/node_modules/yaml" ]]; }; then
    parser=node
  elif command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
    parser=python
  else
    parser="grep"
  fi
fi

COMPOSE_JSON=""
if [[ -f "$COMPOSE" ]]; then
  case "$parser" in
    node)
      if ! COMPOSE_JSON="$(cd "$ROOT" && node -e '
        const fs = require("fs");
        let load;
        try { load = require("js-yaml").load; } catch { load = require("yaml").parse; }
        // YAML 1.2 loaders keep "<<" as a plain key; apply merge keys the way Compose does
        // (explicit keys win over merged ones, earlier merge sources over later ones).
        const merge = (node) => {
          if (Array.isArray(node)) return node.map(merge);
          if (!node || typeof node !== "object") return node;
          const own = {};
          for (const [k, v] of Object.entries(node)) if (k !== "<<") own[k] = merge(v);
          if (!("<<" in node)) return own;
          const sources = [].concat(merge(node["<<"])).filter((s) => s && typeof s === "object");
          return Object.assign({}, ...sources.reverse(), own);
        };
        let doc;
        try {
          doc = load(fs.readFileSync(process.argv[1], "utf8"));
        } catch (e) {
          process.stdout.write(String(e.message).split("\n")[0]);
          process.exit(1);
        }
        process.stdout.write(JSON.stringify(merge(doc)));
      ' "$COMPOSE" 2>&1)"; then
        problem "docker/compose.yaml is not valid YAML: $COMPOSE_JSON"
        COMPOSE_JSON=""
      fi
      ;;
    python)
      if ! COMPOSE_JSON="$(python3 -c '
import json, sys, yaml
json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)
' "$COMPOSE" 2>&1)"; then
        problem "docker/compose.yaml is not valid YAML: $(echo "$COMPOSE_JSON" | tail -n 3 | tr '\n' ' ')"
        COMPOSE_JSON=""
      fi
      ;;
    grep) ;;
    *)
      echo "lint-docker: unknown LINT_DOCKER_PARSER '$parser' (node, python or grep)" >&2
      exit 2
      ;;
  esac
fi

# --- compose: checks on the parsed document (node) --------------------------------------------
if [[ -n "$COMPOSE_JSON" ]]; then
  if ! command -v node >/dev/null 2>&1; then
    parser="grep" # parsed by python but nothing to walk it with: fall back to the greps
  else
    while IFS= read -r line; do
      [[ -n "$line" ]] && problem "$line"
    done < <(printf '%s' "$COMPOSE_JSON" | node -e '
      const fs = require("fs");
      const [contractVars, rawFile, envExampleFile] = process.argv.slice(1);
      const allowed = new Set(contractVars.split(/\s+/).filter(Boolean));
      const doc = JSON.parse(fs.readFileSync(0, "utf8") || "null");
      const out = (m) => console.log(m);
      const services = doc && doc.services;
      if (!services || typeof services !== "object" || Object.keys(services).length === 0) {
        out("compose: no services");
        process.exit(0);
      }
      const envOf = (svc) => {
        const env = svc.environment || {};
        if (Array.isArray(env)) {
          return Object.fromEntries(env.map((e) => { const i = String(e).indexOf("="); return i < 0 ? [e, null] : [e.slice(0, i), e.slice(i + 1)]; }));
        }
        return env;
      };
      const isInterpolation = (v) => /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}$/.test(String(v));
      const secretName = (k) => /(SECRET|PASSWORD|TOKEN|_KEY$|_KEY_ID$|^REDISCLI_AUTH$)/.test(k);
      const appImages = new Set(Object.values(services).filter((s) => s && s.build).map((s) => s.image).filter(Boolean));
      for (const [name, svc] of Object.entries(services)) {
        if (!svc || typeof svc !== "object") { out(`compose: service ${name} is empty`); continue; }
        if (!svc.image && !svc.build) out(`compose: service ${name} has neither image nor build`);
        if (svc.image) {
          const image = String(svc.image);
          const lastPart = image.split("/").pop();
          if (!image.includes("@sha256:") && !lastPart.includes(":")) out(`compose: service ${name} image ${image} has no tag`);
          if (/:latest$/.test(image)) out(`compose: service ${name} uses the latest tag (${image})`);
        }
        const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on || {});
        for (const d of deps) if (!services[d]) out(`compose: service ${name} depends on unknown service ${d}`);
        const env = envOf(svc);
        const isApp = Boolean(svc.build) || appImages.has(svc.image);
        for (const [key, value] of Object.entries(env)) {
          if (isApp && !allowed.has(key)) out(`compose: service ${name} sets ${key}, which is not a CONTRACT.md configuration name`);
          if (value === null || value === undefined) continue;
          const v = String(value);
          if (secretName(key) && !isInterpolation(v)) out(`compose: service ${name} has a literal secret in ${key} (use \${${key}:?...})`);
          const userinfo = v.match(/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:([^/@]*)@/i);
          if (userinfo && !isInterpolation(userinfo[1])) out(`compose: service ${name} has a literal password inside ${key}`);
        }
        if (isApp && env.NODE_ENV !== "production") out(`compose: app service ${name} must set NODE_ENV=production`);
      }
      for (const name of ["api", "worker"]) {
        const svc = services[name];
        if (!svc) { out(`compose: service ${name} is missing`); continue; }
        const env = envOf(svc);
        for (const key of ["DATABASE_URL", "REDIS_URL", "ZOOM_WEBHOOK_SECRET_TOKEN", "MEDIA_MASTER_KEY"]) {
          if (!(key in env)) out(`compose: service ${name} does not set ${key}`);
        }
        if (!("AUTH_JWT_SECRET" in env) && !("AUTH_JWKS_URL" in env)) out(`compose: service ${name} sets neither AUTH_JWT_SECRET nor AUTH_JWKS_URL`);
        const mode = { api: "api", worker: "worker" }[name];
        if (env.RUN_MODE !== mode) out(`compose: service ${name} must set RUN_MODE=${mode}`);
      }
      // Every ${VAR} the compose file interpolates ($$ escapes excluded) is documented in .env.example.
      const raw = fs.readFileSync(rawFile, "utf8").replace(/^\s*#.*$/gm, "");
      const documented = fs.existsSync(envExampleFile)
        ? new Set(fs.readFileSync(envExampleFile, "utf8").split("\n").map((l) => (l.match(/^([A-Za-z_][A-Za-z0-9_]*)=/) || [])[1]).filter(Boolean))
        : new Set();
      const used = new Set([...raw.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
      for (const v of [...used].sort()) if (!documented.has(v)) out(`compose: \${${v}} is not documented in docker/.env.example`);
    ' "$CONTRACT_VARS" "$COMPOSE" "$ENV_EXAMPLE")
  fi
fi

# --- compose: structural greps (no YAML parser) -----------------------------------------------
if [[ "$parser" == grep && -f "$COMPOSE" ]]; then
  grep -q '^services:' "$COMPOSE" || problem "compose: no top-level services:"
  if grep -nP '\t' "$COMPOSE" >/dev/null 2>&1; then problem "compose: contains tab characters (YAML forbids tabs for indentation)"; fi
  # Per service (two-space keys under services:): image/build (directly or through a <<: merge).
  while IFS= read -r line; do
    [[ -n "$line" ]] && problem "$line"
  done < <(awk '
    /^[^ #]/ { in_services = ($0 ~ /^services:/); next }
    in_services && /^  [A-Za-z0-9_.-]+:/ {
      if (svc != "" && !has) print "compose: service " svc " has neither image nor build"
      svc = $1; sub(":", "", svc); has = 0; next
    }
    in_services && /^    (image|build|<<):/ { has = 1 }
    END { if (svc != "" && !has) print "compose: service " svc " has neither image nor build" }
  ' "$COMPOSE")
  grep -nE '^\s*image:.*:latest\b' "$COMPOSE" >/dev/null && problem "compose: an image uses the latest tag"
  # Environment names of the app: the x-app-env block and environment: blocks of services that merge *app.
  while IFS= read -r key; do
    [[ -z "$key" ]] && continue
    [[ " $CONTRACT_VARS " == *" $key "* ]] || problem "compose: app environment sets $key, which is not a CONTRACT.md configuration name"
  done < <(awk '
    /^[^ #]/ { top = $1; in_services = ($0 ~ /^services:/); app_env = (top == "x-app-env:"); next }
    app_env && /^  [A-Z][A-Z0-9_]*:/ { k = $1; sub(":", "", k); print k; next }
    in_services && /^  [A-Za-z0-9_.-]+:/ { app = 0; in_env = 0; next }
    in_services && /^    <<: \*app$/ { app = 1 }
    in_services && /^    environment:/ { in_env = 1; next }
    in_services && /^    [A-Za-z_]/ { in_env = 0 }
    in_services && app && in_env && /^      [A-Z][A-Z0-9_]*:/ { k = $1; sub(":", "", k); print k }
  ' "$COMPOSE" | sort -u)
  if [[ -f "$ENV_EXAMPLE" ]]; then
    while IFS= read -r v; do
      grep -q "^$v=" "$ENV_EXAMPLE" || problem "compose: \${$v} is not documented in docker/.env.example"
    done < <(grep -v '^\s*#' "$COMPOSE" | grep -oP '(?<!\$)\$\{\K[A-Za-z_][A-Za-z0-9_]*' | sort -u)
  fi
fi

# --- Dockerfile -------------------------------------------------------------------------------
if [[ -f "$DOCKERFILE" ]]; then
  declare -A ARG_DEFAULT=()
  declare -A STAGES=()
  last_user=""
  while IFS= read -r line; do
    # Instructions only (continuation lines start with spaces or are part of RUN/CMD bodies).
    if [[ "$line" =~ ^ARG[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
      ARG_DEFAULT["${BASH_REMATCH[1]}"]="${BASH_REMATCH[2]//\"/}"
    elif [[ "$line" =~ ^FROM[[:space:]]+(.*)$ ]]; then
      read -r -a words <<<"${BASH_REMATCH[1]}"
      image=""
      alias=""
      for ((i = 0; i < ${#words[@]}; i++)); do
        w="${words[$i]}"
        [[ "$w" == --* ]] && continue
        if [[ -z "$image" ]]; then image="$w"; elif [[ "${w,,}" == as ]]; then alias="${words[$((i + 1))]:-}"; break; fi
      done
      if [[ "$image" =~ ^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$ ]]; then
        image="${ARG_DEFAULT[${BASH_REMATCH[1]}]:-}"
        [[ -n "$image" ]] || problem "Dockerfile: FROM ${BASH_REMATCH[0]} has no ARG default"
      fi
      if [[ -n "$image" && -z "${STAGES[$image]:-}" && "$image" != scratch ]]; then
        if [[ "$image" != *@sha256:* && "${image##*/}" != *:* ]]; then
          problem "Dockerfile: FROM $image has no tag"
        elif [[ "$image" == *:latest ]]; then
          problem "Dockerfile: FROM $image uses the latest tag"
        fi
      fi
      [[ -n "$alias" ]] && STAGES["$alias"]=1
      last_user="" # USER does not carry over between stages
    elif [[ "$line" =~ ^USER[[:space:]]+([^[:space:]]+) ]]; then
      last_user="${BASH_REMATCH[1]}"
    fi
  done <"$DOCKERFILE"
  grep -qiE '(^|[^a-z0-9_])latest([^a-z0-9_]|$)' <(grep -vE '^\s*#' "$DOCKERFILE") &&
    problem "Dockerfile: mentions a latest tag"
  case "${last_user%%:*}" in
    "") problem "Dockerfile: the final stage has no USER (it would run as root)" ;;
    root | 0) problem "Dockerfile: the final stage runs as root (USER $last_user)" ;;
  esac
  grep -qE '^HEALTHCHECK[[:space:]]' "$DOCKERFILE" || problem "Dockerfile: no HEALTHCHECK"
  grep -qE '^EXPOSE[[:space:]]+3000\b' "$DOCKERFILE" || problem "Dockerfile: no EXPOSE 3000"
  grep -qE '^CMD[[:space:]]' "$DOCKERFILE" || problem "Dockerfile: no CMD"
fi

# --- .dockerignore ----------------------------------------------------------------------------
if [[ -f "$ROOT/.dockerignore" ]]; then
  for entry in node_modules dist .data .git; do
    grep -qxE "/?$entry/?" "$ROOT/.dockerignore" || problem ".dockerignore: does not exclude $entry"
  done
fi

if [[ "${#PROBLEMS[@]}" -gt 0 ]]; then
  mapfile -t PROBLEMS < <(printf '%s\n' "${PROBLEMS[@]}" | awk '!seen[$0]++')
  printf '%s\n' "${PROBLEMS[@]}"
  echo "docker lint: ${#PROBLEMS[@]} problem(s)"
  exit 1
fi
echo "docker lint: ok"
