"""The sweep without Redis: a daemon thread in the serving process, once every GOVFLOW_SWEEP_SECONDS.

Production runs Celery beat instead (REDIS_URL set). The jobs are the same and safe to run
twice, so a second process sweeping as well does no harm.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger("govflow.sweeper")


def start_sweeper(app: Flask) -> threading.Thread:
    """Start sweeping in the background; returns the (daemon) thread."""
    stop = threading.Event()
    app.extensions["govflow_sweeper_stop"] = stop

    def loop() -> None:
        from .services.jobs import InlinePublisher, run_job, sweep

        while not stop.wait(app.config["GOVFLOW_SWEEP_SECONDS"]):
            with app.app_context():
                try:
                    report = sweep(None, InlinePublisher())
                    if report.timers or report.deadlines:
                        log.info("sweep: %s", report)
                except Exception:  # noqa: BLE001 - the next sweep tries again
                    log.exception("sweep failed")
                run_job("daily_backup")  # once a day; logs its own failure (ORG-5)

    thread = threading.Thread(target=loop, name="govflow-sweeper", daemon=True)
    thread.start()
    return thread
