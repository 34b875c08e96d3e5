"""Cases the service opens by itself (issue 14): each occurrence once, and nothing recorded that did not open."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.models import HumanTask, ScheduledCase
from service.services import jobs, scheduled

MOMENT = datetime.fromisoformat("2026-03-02T02:00:00+00:00")
ASK = {
    "owning_department": "planning",
    "late_department": "planning",
    "explainer": "section_head",
    "late_summary": "GX-2026-1《测试》：应于2026-03-04前发布，迟2个工作日",
}


@pytest.fixture
def wanted():
    """A producer the test fills: the openings it names on every sweep."""
    openings: list[scheduled.Opening] = []
    scheduled.producer("test")(lambda today, profile: list(openings))
    yield openings
    scheduled._PRODUCERS.pop("test")


def opened(source: str = "test") -> int:
    return db.session.scalar(
        select(func.count()).select_from(ScheduledCase).where(ScheduledCase.source == source)
    )


def test_an_occurrence_opens_once_however_often_the_sweep_runs(app, wanted):
    """Does the sweep open a wanted case once, with its reason in the history, and never again?"""
    wanted.append(scheduled.Opening("test", "planning:1", "late_explanation", "测试原因", ASK))
    with app.app_context():
        assert jobs.sweep(MOMENT, jobs.InlinePublisher()) is not None
        assert scheduled.open_due(MOMENT) == 0
        case = scheduled.case_of("test", "planning:1")
        assert case is not None and case.owning_department.code == "planning"
        tasks = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == case.id)).all()
        assert [(t.name, t.status) for t in tasks] == [("说明连续迟报情况", "open")]
        assert opened() == 1


def test_an_occurrence_that_cannot_open_is_tried_again_not_recorded(app, wanted):
    """Is a case whose diagram is not deployed, or whose department is unknown, left for the next sweep?"""
    wanted.append(scheduled.Opening("test", "x:1", "no_such_diagram", "测试", ASK))
    wanted.append(
        scheduled.Opening("test", "x:2", "late_explanation", "测试", {**ASK, "late_department": "nowhere"})
    )
    with app.app_context():
        assert scheduled.open_due(MOMENT) == 0
        assert opened() == 0
        wanted[:] = [scheduled.Opening("test", "x:2", "late_explanation", "测试", ASK)]
        assert scheduled.open_due(MOMENT) == 1
