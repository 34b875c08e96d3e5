"""The sweep hands each due clock and timer out once, not on every sweep until a worker got to it
(issue 15): a failed publish and a lost job are published again, a finished job frees its row."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service.services.jobs import NotQueued
from tests.service.test_deadlines import START, history, start_and_register

DIAGRAMS = Path(__file__).parent / "diagrams"
RECEIVED = "2026-02-13"
REMINDER = datetime.fromisoformat("2026-03-18T16:00:00+00:00")  # 催办 of a request received 13 Feb
TIMER = datetime.fromisoformat("2026-02-24T16:00:00+00:00")  # timer_drill: two working days on


class Recording:
    """The edge where jobs leave for the queue: keeps them (never runs them), or refuses them."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.handed: list[tuple[str, int]] = []

    def publish(self, job: str, **kwargs) -> None:
        if self.refuse:
            raise NotQueued(job)
        row = kwargs.get("deadline_id") or kwargs.get("instance_id")
        if row is not None:
            self.handed.append((job, row))


@pytest.fixture(scope="module")
def timer_drill(app):
    from service.services import deployment

    with app.app_context():
        deployment.deploy_directory(str(DIAGRAMS))


def sweep(app, moment, publisher, **kwargs):
    from service.services import jobs

    with app.app_context():
        return jobs.sweep(moment, publisher, **kwargs)


def due_clocks(app, case_id, moment):
    from service.extensions import db
    from service.models import Deadline

    with app.app_context():
        query = select(Deadline.id).where(
            Deadline.instance_id == case_id, Deadline.status == "running", Deadline.next_action_at <= moment
        )
        return sorted(db.session.scalars(query))


def window(app):
    return timedelta(seconds=app.config["GOVFLOW_REQUEUE_SECONDS"])


def a_request(app, api, clock):
    """A request received 13 Feb whose 催办 falls due at REMINDER; its due clocks' ids."""
    clock.set("2026-02-13T02:00:00+00:00")
    case = start_and_register(api, RECEIVED, data=START)
    clocks = due_clocks(app, case["id"], REMINDER)
    assert clocks
    return case, clocks


def finish(app, moment):
    """Let the jobs run (inline), so no mark of these tests stays behind."""
    from service.services.jobs import InlinePublisher

    sweep(app, moment, InlinePublisher())


def test_two_sweeps_at_one_moment_hand_out_each_due_clock_and_timer_once(app, api, clock, timer_drill):
    """Does a second sweep before any worker ran pass over the clocks and timers the first handed out?"""
    case, clocks = a_request(app, api, clock)
    timed = api.post(
        "/process-definitions/timer_drill/instances", "zhang.wei", {"data": {"received_on": RECEIVED}}
    ).get_json()
    publisher = Recording()
    sweep(app, REMINDER, publisher)
    sweep(app, REMINDER, publisher)
    for clock_id in clocks:
        assert publisher.handed.count(("act_on_deadline", clock_id)) == 1
    assert publisher.handed.count(("fire_timers", timed["id"])) == 1
    finish(app, REMINDER + window(app))
    assert len(history(app, case["id"], "reminded")) == 1  # ESC-1: once
    assert len(history(app, timed["id"], "timers_fired")) == 1


def test_a_publish_that_failed_is_handed_out_by_the_next_sweep(app, api, clock):
    """With Redis away the publish fails: is the clock published by the very next sweep, not after the window?"""
    case, clocks = a_request(app, api, clock)
    refused = Recording(refuse=True)
    report = sweep(app, REMINDER, refused)
    assert report.deadlines >= len(clocks)
    publisher = Recording()
    sweep(app, REMINDER + timedelta(seconds=1), publisher)
    assert [row for job, row in publisher.handed if row in clocks] == clocks
    finish(app, REMINDER + 2 * window(app))
    assert len(history(app, case["id"], "reminded")) == 1


def test_a_lost_job_is_handed_out_again_once_the_window_ran_out(app, api, clock):
    """A job lost with a killed worker: is its clock published again after the window, and not before?"""
    case, clocks = a_request(app, api, clock)
    sweep(app, REMINDER, Recording())
    before = Recording()
    sweep(app, REMINDER + window(app) - timedelta(seconds=1), before)
    assert [row for job, row in before.handed if row in clocks] == []
    after = Recording()
    sweep(app, REMINDER + window(app), after)
    assert [row for job, row in after.handed if row in clocks] == clocks
    finish(app, REMINDER + 2 * window(app))
    assert len(history(app, case["id"], "reminded")) == 1


def test_after_its_job_ran_the_clocks_next_moment_is_handed_out_by_the_next_sweep(app, api, clock):
    """Once the worker reminded (ESC-1), is the escalation due later published at once, however long the window?"""
    from service.extensions import db
    from service.models import Deadline
    from service.services.jobs import run_job

    case, clocks = a_request(app, api, clock)
    long_window = timedelta(days=30)
    first = Recording()
    sweep(app, REMINDER, first, requeue_after=long_window)
    with app.app_context():
        for job, row in first.handed:
            if row in clocks:
                run_job(job, deadline_id=row, at=REMINDER.isoformat())  # the worker's part
    assert len(history(app, case["id"], "reminded")) == 1
    with app.app_context():
        escalation = min(db.session.get(Deadline, clock_id).next_action_at for clock_id in clocks)
    later = Recording()
    sweep(app, escalation, later, requeue_after=long_window)
    assert {row for job, row in later.handed if row in clocks} == set(due_clocks(app, case["id"], escalation))
    finish(app, escalation + long_window)


def test_without_redis_a_sweep_leaves_no_mark_behind(app, api, clock):
    """Run in place (no Redis), is every clock the sweep acted on free again when the sweep returns?"""
    from service.extensions import db
    from service.models import Deadline

    case, clocks = a_request(app, api, clock)
    finish(app, REMINDER)
    assert len(history(app, case["id"], "reminded")) == 1
    with app.app_context():
        assert [db.session.get(Deadline, clock_id).queued_at for clock_id in clocks] == [None] * len(clocks)
