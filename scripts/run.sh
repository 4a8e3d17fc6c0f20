#!/usr/bin/env bash
# Runs the portal for a developer or a demo: a Celery worker and beat in the background,
# the web server in the foreground. When the web server stops (Ctrl-C), so do the others.
# A worker or beat that exits (the broker went away, it was killed) is started again after
# a short pause, which grows while it keeps exiting at once; each restart is logged.
set -euo pipefail

BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Seconds before a restart; doubled after each quick exit, up to RESTART_MAX_DELAY.
RESTART_DELAY=${RESTART_DELAY:-2}
RESTART_MAX_DELAY=${RESTART_MAX_DELAY:-60}
# A process that ran at least this long before exiting is restarted after RESTART_DELAY again.
RESTART_HEALTHY_SECONDS=${RESTART_HEALTHY_SECONDS:-60}

# supervise NAME LOG COMMAND...: run COMMAND (output to LOG), and again whenever it exits,
# until this (background) shell is sent TERM or INT, which stops COMMAND too.
supervise() {
    local name=$1 log=$2
    shift 2
    local delay=$RESTART_DELAY child="" started status
    trap '[[ -n $child ]] && kill -TERM "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
    while true; do
        started=$SECONDS
        "$@" >>"$log" 2>&1 &
        child=$!
        status=0
        wait "$child" || status=$?
        child=""
        if ((SECONDS - started >= RESTART_HEALTHY_SECONDS)); then
            delay=$RESTART_DELAY
        fi
        echo "$(date '+%Y-%m-%d %H:%M:%S') The Celery $name exited (status $status); starting it again in ${delay} s." |
            tee -a "$log" >&2
        sleep "$delay" &
        wait $! || true
        delay=$((delay * 2 > RESTART_MAX_DELAY ? RESTART_MAX_DELAY : delay * 2))
    done
}

main() {
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

    : >var/log/worker.log
    : >var/log/beat.log
    supervise worker var/log/worker.log \
        "$BIN/celery" -A config worker --loglevel=INFO --concurrency=2 -n "portal@%h" &
    pids+=($!)
    # No pidfile: a stale one left by a killed beat would stop the next start.
    supervise beat var/log/beat.log "$BIN/celery" -A config beat --loglevel=INFO --pidfile= &
    pids+=($!)
    echo "Celery worker (log var/log/worker.log) and beat (log var/log/beat.log) started; either is restarted if it exits."
    echo "Portal on http://$HOST:$PORT/ - press Ctrl-C to stop everything."

    "$BIN/python" manage.py runserver "$HOST:$PORT"
}

# Sourced (by tests/test_run_script.py), it only defines the functions.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
