#!/usr/bin/env bash
# Runs the portal for a developer or a demo: a Celery worker and beat in the background,
# the web server in the foreground. When the web server stops (Ctrl-C), so do the others.
set -euo pipefail

BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log var/celery/out var/celery/processed var/celery/control

pids=()
stop_background() {
    trap - EXIT INT TERM
    if ((${#pids[@]})); then
        echo "Stopping the Celery worker and beat..."
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap stop_background EXIT
trap 'stop_background; exit 130' INT
trap 'stop_background; exit 143' TERM

"$BIN/celery" -A config worker --loglevel=INFO --concurrency=2 -n "portal@%h" >var/log/worker.log 2>&1 &
pids+=($!)
# No pidfile: a stale one left by a killed beat would stop the next start.
"$BIN/celery" -A config beat --loglevel=INFO --pidfile= >var/log/beat.log 2>&1 &
pids+=($!)
echo "Celery worker (pid ${pids[0]}, log var/log/worker.log) and beat (pid ${pids[1]}, log var/log/beat.log) started."
echo "Portal on http://$HOST:$PORT/ - press Ctrl-C to stop everything."

"$BIN/python" manage.py runserver "$HOST:$PORT"
