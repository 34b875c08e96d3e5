#!/bin/sh
# Production entry point (Dockerfile): bring the schema up to date, deploy bpmn/, load the
# starter word list into an empty one, serve.
set -e
flask --app service db upgrade
flask --app service deploy
# The starter 错敏 word list on first start; administrators maintain it from then on.
flask --app service screening-import --if-empty service/data/screening_terms.csv
exec gunicorn --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" --access-logfile - "service:create_app()"
