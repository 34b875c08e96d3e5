#!/bin/sh
# The image's one entry point (Dockerfile, compose.yaml): boot.sh ROLE [ARGS...].
#   migrate  run once per release: schema to this code's revision, starter 错敏 word list into an
#            empty one, bpmn/ deployed (flask upgrade); the only role that changes the schema
#   web      gunicorn on 0.0.0.0:$PORT (8000), $WEB_CONCURRENCY workers (2)
#   worker   a Celery worker (REDIS_URL), $CELERY_CONCURRENCY processes (2)
#   beat     Celery beat: the sweep and the daily backup on schedule; run exactly one
# web, worker and beat first wait until the database answers at this code's revision, and give up
# (exit 1, saying what they found) after $GOVFLOW_SCHEMA_WAIT_SECONDS (120). ARGS go to gunicorn or
# celery. Any other first word is run as a command, e.g. `boot.sh flask --app service seed-demo`.
set -e
role="${1:-web}"
[ $# -gt 0 ] && shift

wait_for_schema() {
    flask --app service wait-for-schema
}

case "$role" in
    migrate)
        exec flask --app service upgrade
        ;;
    web)
        wait_for_schema
        exec gunicorn --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" \
            --access-logfile - "$@" "service:create_app()"
        ;;
    worker)
        wait_for_schema
        exec celery -A service.worker worker --loglevel=INFO --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
        ;;
    beat)
        wait_for_schema
        exec celery -A service.worker beat --loglevel=INFO \
            --schedule "${CELERY_BEAT_SCHEDULE:-/tmp/celerybeat-schedule}" "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
