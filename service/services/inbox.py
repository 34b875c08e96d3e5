"""The inbox page's rows: each task with its case's title and applicant and its deadline in words.

The list itself comes from queries.list_tasks (the same scopes as the API); this adds what a row
shows, with one query for the clocks of the whole page, not one per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from workflows.calendar import SERVICE_TZ
from workflows.deadline_words import deadline_words
from workflows.periods import Unit

from ..extensions import db
from ..models import Deadline, HumanTask
from .calendar import current_calendar
from .clocks import OPEN
from .engine import now
from .queries import APPLICANT_FIELDS, TITLE_FIELDS

# A case with no title field (a disclosure request) is known by the start of what it asks.
CONTENT_FIELDS = ("request_content", "letter_content", "petition_content", "error_description")
TITLE_LENGTH = 40


@dataclass(frozen=True)
class Row:
    """One line of the inbox as a person reads it."""

    task: HumanTask
    title: str
    applicant: str
    deadline: str  # in words: 剩余2个工作日, 今日到期, 已超期3个工作日 …
    overdue: bool
    finished: str = ""  # when a done task was completed, Beijing time


def rows(tasks: list[HumanTask]) -> list[Row]:
    """The page's tasks as rows, in the order given."""
    clocks = _clocks_of(tasks)
    calendar, at = current_calendar(), now()
    out = []
    for task in tasks:
        data = task.instance.data or {}
        running = task.status == "open"
        unit, paused = _unit_and_pause(task, clocks)
        words = ""
        if running:
            words = deadline_words(
                calendar, at, task.due_at, unit, paused=paused, provisional=task.due_provisional
            )
        overdue = running and not paused and task.due_at is not None and at >= task.due_at
        finished = ""
        if task.completed_at is not None:
            finished = task.completed_at.astimezone(SERVICE_TZ).strftime("%Y-%m-%d %H:%M")
        out.append(Row(task, case_title(data), _first(data, APPLICANT_FIELDS), words, overdue, finished))
    return out


def _clocks_of(tasks: list[HumanTask]) -> list[Deadline]:
    own = [t.id for t in tasks if t.has_clock and t.status == "open"]
    cases = [t.instance_id for t in tasks if not t.has_clock and t.status == "open"]
    if not own and not cases:
        return []
    query = select(Deadline).where(
        Deadline.status.in_(OPEN),
        or_(
            Deadline.task_id.in_(own or [-1]),
            Deadline.instance_id.in_(cases or [-1])
            & Deadline.task_id.is_(None)
            & Deadline.waiting.is_(False),
        ),
    )
    return list(db.session.scalars(query))


def _unit_and_pause(task: HumanTask, clocks: list[Deadline]) -> tuple[Unit, bool]:
    if task.has_clock:
        mine = [c for c in clocks if c.task_id == task.id]
    else:
        mine = [c for c in clocks if c.task_id is None and c.instance_id == task.instance_id]
    # The clock the row shows is the one whose moment it copied; paused ones have none.
    shown = next((c for c in mine if c.due_at is not None and c.due_at == task.due_at), None)
    shown = shown or next(iter(mine), None)
    paused = task.instance.clock_paused if not task.has_clock else bool(shown and shown.status == "paused")
    unit = Unit(shown.unit) if shown is not None else Unit.WORKDAY
    return unit, bool(paused) and task.due_at is None


def _first(data: dict, names: tuple[str, ...]) -> str:
    return next((str(data[name]) for name in names if data.get(name)), "")


def case_title(data: dict) -> str:
    """What a case is known by in a list: its title, else the start of what it asks."""
    title = _first(data, TITLE_FIELDS) or _first(data, CONTENT_FIELDS)
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"
