#!/bin/sh
# Production entry point (Dockerfile): bring the schema up to date, deploy bpmn/, serve.
set -e
flask --app service db upgrade
flask --app service deploy
exec gunicorn --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" --access-logfile - "service:create_app()"
