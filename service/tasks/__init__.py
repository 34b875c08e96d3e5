"""Celery tasks: ids and a moment in, one service call each, safe to deliver twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import shared_task

from ..services import jobs


@shared_task(name="govflow.sweep", ignore_result=False)
def sweep(now: str | None = None) -> dict[str, int]:
    """Beat calls this every minute; `now` lets operations and tests sweep at a given moment."""
    report = jobs.sweep(datetime.fromisoformat(now) if now else None)
    return {"timers": report.timers, "deadlines": report.deadlines}


@shared_task(name="govflow.fire_timers", ignore_result=False)
def fire_timers(instance_id: int, at: str | None = None) -> Any:
    return jobs.run_job("fire_timers", instance_id=instance_id, at=at)


@shared_task(name="govflow.act_on_deadline", ignore_result=False)
def act_on_deadline(deadline_id: int, at: str | None = None) -> Any:
    return jobs.run_job("act_on_deadline", deadline_id=deadline_id, at=at)


@shared_task(name="govflow.deliver_messages", ignore_result=False)
def deliver_messages() -> Any:
    return jobs.run_job("deliver_messages")


@shared_task(name="govflow.seal_audit", ignore_result=False)
def seal_audit() -> Any:
    return jobs.run_job("seal_audit")


@shared_task(name="govflow.daily_backup", ignore_result=False)
def daily_backup(at: str | None = None) -> Any:
    return jobs.run_job("daily_backup", at=at)


@shared_task(name="govflow.open_scheduled", ignore_result=False)
def open_scheduled(at: str | None = None) -> Any:
    return jobs.run_job("open_scheduled", at=at)
