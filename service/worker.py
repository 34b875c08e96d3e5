"""Entry point for Celery: `celery -A service.worker worker` and `celery -A service.worker beat`."""

from . import create_app

flask_app = create_app()
if "celery" not in flask_app.extensions:
    raise SystemExit("The Celery worker and beat need REDIS_URL (e.g. redis://127.0.0.1:6379/0).")
celery_app = flask_app.extensions["celery"]
