"""Celery with Redis as broker: beat runs the sweep, workers run the jobs it publishes.

Follows Flask's Celery pattern: every task runs inside the app's context, the Celery app is the
default one and lives in app.extensions["celery"]; nothing here runs at import time.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Celery, Task
from flask import Flask

log = logging.getLogger("govflow.jobs")


def init_celery(app: Flask) -> Celery:
    """Create the Celery app bound to this Flask app (broker: REDIS_URL)."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["REDIS_URL"],
        result_backend=app.config["REDIS_URL"],
        task_ignore_result=True,
        # A job is acknowledged after it ran: a worker killed mid-job leaves it to another
        # worker instead of stranding the case (the jobs are safe to run twice).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2,  # a Redis that went away is noticed within seconds (issue 15)
        # GOVFLOW_LOG_FORMAT=json: the worker and beat keep the JSON lines create_app set up.
        worker_hijack_root_logger=app.config.get("GOVFLOW_LOG_FORMAT") != "json",
        timezone="Asia/Shanghai",
        beat_schedule={
            "sweep": {"task": "govflow.sweep", "schedule": float(app.config["GOVFLOW_SWEEP_SECONDS"])},
            # Hourly, but one backup a day: a day whose usual hour was missed still gets its own.
            "daily-backup": {"task": "govflow.daily_backup", "schedule": 3600.0},
        },
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    from . import tasks  # noqa: F401  (registers the shared tasks with this app)

    return celery_app


class CeleryPublisher:
    """Jobs go to the Redis queue; a worker runs them. With Redis unreachable a job is not retried
    here (that would hold whoever published it): publish raises NotQueued, the sweep takes back its
    mark on the row, and the next sweep finds the same due work again, since every job is found from
    the database, not from the queue (/health says what waits, issue 15). After a failure the
    publisher rests for a few seconds instead of trying each of the sweep's jobs in turn."""

    REST_SECONDS = 30.0

    def __init__(self) -> None:
        self.resting_until = 0.0

    def publish(self, job: str, **kwargs: Any) -> None:
        from flask import current_app

        from .services.jobs import NotQueued

        if time.monotonic() < self.resting_until:
            log.info("job %s not queued: Redis was unreachable moments ago", job)
            raise NotQueued(job)
        try:
            current_app.extensions["celery"].send_task(
                f"govflow.{job}",
                kwargs=kwargs,
                retry=False,
                ignore_result=True,  # nobody waits on it
            )
        except Exception as err:  # noqa: BLE001 - see above
            self.resting_until = time.monotonic() + self.REST_SECONDS
            log.warning("job %s not queued (%s): the next sweep tries again", job, type(err).__name__)
            raise NotQueued(job) from err
