#!/usr/bin/env bash
# Tandem's production topology on this machine (loopback only): gunicorn (several workers,
# WhiteNoise for static files), PostgreSQL, Redis (cache, rate limits), the RQ worker and the
# deadline scheduler. docs/deploy.md explains how the same pieces spread over several machines.
#
#   ops/prod.sh run      start everything, print the address, stop everything on Ctrl+C (make serve-prod)
#   ops/prod.sh start    start everything in the background and return once /readyz answers 200
#   ops/prod.sh stop     stop what `start` started (by the process ids it wrote)
#   ops/prod.sh env      print the environment the processes run with (source it to use manage.py)
#
# Variables: DATABASE_URL (PostgreSQL; default postgres://postgres@127.0.0.1:5432/tandem_prod, created
# if missing), PORT (8000), GUNICORN_WORKERS (cores x 2 + 1), GUNICORN_THREADS (1), REDIS_CACHE_DB (1),
# REDIS_QUEUE_DB (2), PROD_DIR (var/prod: process ids, logs, secrets), PROD_DEMO (1: load the demo world
# into an empty database).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="${PY:-$ROOT/.venv/bin/python}"
PROD_DIR="${PROD_DIR:-$ROOT/var/prod}"
PORT="${PORT:-8000}"
HOST=127.0.0.1
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tandem_prod}"
REDIS_CACHE_DB="${REDIS_CACHE_DB:-1}"
REDIS_QUEUE_DB="${REDIS_QUEUE_DB:-2}"
PROD_DEMO="${PROD_DEMO:-1}"

mkdir -p "$PROD_DIR/log" "$PROD_DIR/run"

secret() {  # a random value kept in $PROD_DIR (created once)
    local file="$PROD_DIR/$1"
    [ -s "$file" ] || { umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$file"; }
    cat "$file"
}

prod_env() {
    export TANDEM_ENV=production
    export SECRET_KEY="$(secret secret_key)"
    export TANDEM_METRICS_TOKEN="${TANDEM_METRICS_TOKEN:-$(secret metrics_token)}"
    export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
    # Plain HTTP on loopback: behind a TLS-terminating load balancer these stay at their defaults.
    export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}" SECURE_COOKIES="${SECURE_COOKIES:-false}"
    export SECURE_HSTS_SECONDS="${SECURE_HSTS_SECONDS:-0}"
    export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/$REDIS_CACHE_DB}"
    export TANDEM_TASKS_BACKEND=rq
    export TANDEM_RQ_URL="${TANDEM_RQ_URL:-redis://127.0.0.1:6379/$REDIS_QUEUE_DB}"
    export PROMETHEUS_MULTIPROC_DIR="$PROD_DIR/metrics"
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    export GUNICORN_BIND="$HOST:$PORT"
    export TANDEM_SITE_URL="${TANDEM_SITE_URL:-http://$HOST:$PORT}"
}

ensure_services() {
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        version="$(ls /etc/postgresql | sort -V | tail -n 1)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
        for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        command -v redis-server >/dev/null || { apt-get update -qq; apt-get install -y -qq redis-server; }
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379
        for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
    fi
    "$PY" - <<'PYEOF'
import os, psycopg, dj_database_url
s = dj_database_url.parse(os.environ["DATABASE_URL"])
admin = psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                        password=s["PASSWORD"] or None, dbname="postgres", autocommit=True)
if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [s["NAME"]]).fetchone():
    admin.execute(f'CREATE DATABASE "{s["NAME"]}"')
    print(f"Created database {s['NAME']}")
PYEOF
}

prepare() {
    rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    "$PY" manage.py migrate --noinput -v 0
    "$PY" manage.py collectstatic --noinput -v 0
    if [ "$PROD_DEMO" = 1 ] && ! DJANGO_SETTINGS_MODULE=tandem.settings "$PY" -c 'import django; django.setup(); from tandem.core.demo import demo_present; raise SystemExit(0 if demo_present() else 1)'; then
        echo "Loading the demo world (an empty database)"
        "$PY" manage.py load_jurisdictions -v 0 >/dev/null
        "$PY" manage.py load_demo >/dev/null
    fi
}

start_bg() {  # name, command...: a process of its own group, its id in run/<name>.pid
    local name="$1"
    shift
    setsid "$@" >>"$PROD_DIR/log/$name.log" 2>&1 </dev/null &
    echo $! >"$PROD_DIR/run/$name.pid"
}

start() {
    prod_env
    ensure_services
    prepare
    "$PY" -c "import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); sys.exit(s.bind(('$HOST', $PORT)))" 2>/dev/null ||
        { echo "Port $PORT on $HOST is in use: choose another, e.g. PORT=8001" >&2; exit 1; }
    start_bg web "$ROOT/.venv/bin/gunicorn" -c ops/gunicorn.conf.py
    start_bg worker "$PY" manage.py rqworker default --with-scheduler --job-class django_tasks_rq.Job
    start_bg scheduler "$PY" manage.py run_scheduled --every 3600
    for _ in $(seq 1 90); do
        if "$PY" -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://$HOST:$PORT/readyz', timeout=2).status != 200)" 2>/dev/null; then
            echo "Tandem (production settings) is ready on http://$HOST:$PORT/ - gunicorn ${GUNICORN_WORKERS:-default} workers, RQ worker, scheduler. Logs: $PROD_DIR/log/"
            return 0
        fi
        sleep 1
    done
    echo "Tandem did not become ready in 90 s; the logs are in $PROD_DIR/log/" >&2
    tail -n 30 "$PROD_DIR/log/web.log" >&2 || true
    stop
    return 1
}

stop() {
    local pidfile pid
    for pidfile in "$PROD_DIR"/run/*.pid; do
        [ -e "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        # Each was started with setsid: its process group holds it and its children (gunicorn's workers).
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for pidfile in "$PROD_DIR"/run/*.pid; do
        [ -e "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

case "${1:-run}" in
run)
    start
    trap 'echo; echo Stopping; stop' EXIT INT TERM
    echo "Stop with Ctrl+C."
    while kill -0 "$(cat "$PROD_DIR/run/web.pid")" 2>/dev/null; do sleep 2; done
    ;;
start) start ;;
stop) stop ;;
env)
    prod_env
    env | grep -E '^(TANDEM_|DATABASE_URL|REDIS_URL|SECRET_KEY|ALLOWED_HOSTS|SECURE_|PROMETHEUS_|GUNICORN_)' | sed 's/^/export /'
    ;;
*)
    echo "usage: ops/prod.sh run|start|stop|env" >&2
    exit 2
    ;;
esac
