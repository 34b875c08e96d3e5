"""What a citizen reads of their own case on the public status page (issue 13, REQ-5), and the 补正
they send through it (NAT-2).

The answer is a plain dataclass holding only what the public may read: the kind of case, its
number, when it was submitted, the stage in the channel's words, the deadline, pauses and
extensions with their reasons, and the reply once it has been sent. No staff names, no opinions,
no department internals: nothing else of the case leaves this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from workflows.engine.parser import ParsedDefinition
from workflows.public_channels import CHANNELS, Channel
from workflows.text import text_problem

from ..errors import conflict, invalid
from ..extensions import db
from ..models import CaseEvent, Deadline, HumanTask, PublicAccess
from ..models.events import EventKind
from . import cases
from .calendar import current_calendar
from .clocks import OPEN, date_value
from .engine import engine
from .unit import event, in_transaction

log = logging.getLogger("govflow.public")
CORRECTION_LENGTH = 5000


@dataclass(frozen=True)
class ClockChange:
    """A pause (from `on` until `until`, None while it lasts) or an extension (`granted`) of the deadline."""

    on: date
    reason: str
    until: date | None = None
    granted: str = ""


@dataclass(frozen=True)
class CorrectionAsked:
    """补正 waiting for the applicant: what to correct and by when."""

    items: str
    due_on: date | None


@dataclass(frozen=True)
class PublicStatus:
    kind: str
    tracking_number: str
    submitted_on: date
    stage: str
    due_on: date | None
    provisional: bool
    paused: bool
    pauses: list[ClockChange]
    extensions: list[ClockChange]
    reply: list[tuple[str, str]] | None  # (field label, value) once the reply is sent
    correction: CorrectionAsked | None


def status_of(access: PublicAccess) -> PublicStatus:
    """What the public may read of the case `access` opens (public_access.find gave it)."""
    instance, channel = access.instance, CHANNELS[access.channel]
    parsed = engine().definition(instance.definition)
    open_rows = cases.open_tasks_of(instance.id)
    open_specs = [row.task_spec for row in open_rows]
    clock = _case_clock(instance.id)
    pauses, extensions = _clock_changes(instance.id, channel)
    data = instance.data or {}
    return PublicStatus(
        kind=channel.title,
        tracking_number=instance.tracking_number or "",
        submitted_on=current_calendar().day_of(instance.started_at),
        stage=channel.stage(open_specs, instance.status == "completed"),
        due_on=clock.due_on if clock else None,
        provisional=bool(clock and clock.provisional),
        paused=bool(clock and clock.status == "paused"),
        pauses=pauses,
        extensions=extensions,
        reply=_reply(instance.id, channel, parsed, data),
        correction=_correction(channel, open_specs, data),
    )


def send_correction(access_id: int, text: Any) -> None:
    """The applicant's 补正 through the status page (NAT-2): completes the channel's waiting step as
    the system with the channel's values and their words, in one transaction; the office then
    registers the corrected request, whose date restarts the reply clock (in the diagram)."""
    in_transaction(lambda: _send_correction(access_id, text))


def _send_correction(access_id: int, text: Any) -> None:
    access = _access(access_id)
    channel = CHANNELS[access.channel]
    step = channel.correction
    words = text.strip() if isinstance(text, str) else ""
    problem = "请填写补正内容" if not words else _worded(text_problem(words))
    if not problem and len(words) > CORRECTION_LENGTH:
        problem = f"补正内容不能超过{CORRECTION_LENGTH}字"
    if problem:
        raise invalid(problem, [{"field": "correction", "code": "invalid_text", "message": problem}])
    waiting = next(
        (row for row in cases.open_tasks_of(access.instance_id) if step and row.task_spec == step.task), None
    )
    if step is None or waiting is None:
        raise conflict("本事项当前不需要补正", "no_correction_asked")
    cases.complete_as_system(waiting.id, {**step.values, step.text_field: words})
    event(access.instance_id, None, EventKind.CORRECTED_ONLINE, waiting.id, {"task": waiting.name})


def _worded(problem: str | None) -> str | None:
    return f"补正内容{problem}" if problem else None


def access_by_id(access_id: int) -> PublicAccess | None:
    """The access a right pair opened earlier in this session (the web keeps only its id)."""
    return db.session.get(PublicAccess, access_id)


def _access(access_id: int) -> PublicAccess:
    access = access_by_id(access_id)
    if access is None:
        raise conflict("本事项当前不需要补正", "no_correction_asked")
    return access


def _case_clock(instance_id: int) -> Deadline | None:
    """The case's own running deadline (not a task's, not one that waits on someone else)."""
    query = select(Deadline).where(
        Deadline.instance_id == instance_id,
        Deadline.task_id.is_(None),
        Deadline.waiting.is_(False),
        Deadline.status.in_(OPEN),
    )
    return db.session.scalars(query.order_by(Deadline.id.desc()).limit(1)).first()


def _clock_changes(instance_id: int, channel: Channel) -> tuple[list[ClockChange], list[ClockChange]]:
    """Pauses and extensions of the case's deadlines from its history, with their reasons."""
    kinds = (EventKind.DEADLINE_PAUSED, EventKind.DEADLINE_RESUMED, EventKind.DEADLINE_EXTENDED)
    query = select(CaseEvent).where(CaseEvent.instance_id == instance_id, CaseEvent.kind.in_(kinds))
    calendar = current_calendar()
    pauses: list[ClockChange] = []
    extensions: list[ClockChange] = []
    for line in db.session.scalars(query.order_by(CaseEvent.at, CaseEvent.id)):
        details: dict[str, Any] = line.details or {}
        day = calendar.day_of(line.at)
        if line.kind == EventKind.DEADLINE_PAUSED:
            spec = str(details.get("task_spec") or "")
            pauses.append(ClockChange(day, channel.stages.get(spec) or str(details.get("task") or "")))
        elif line.kind == EventKind.DEADLINE_RESUMED and pauses and pauses[-1].until is None:
            last = pauses[-1]
            pauses[-1] = ClockChange(last.on, last.reason, until=day)
        elif line.kind == EventKind.DEADLINE_EXTENDED:
            reason, granted = str(details.get("reason") or ""), str(details.get("granted") or "")
            extensions.append(ClockChange(day, reason, granted=granted))
    return pauses, extensions


def _reply(
    instance_id: int, channel: Channel, parsed: ParsedDefinition, data: dict[str, Any]
) -> list[tuple[str, str]] | None:
    """The answer the submitter may read, enums by their label: the reply once a step that sends it
    is completed, or what they were told where the case ended without one (不予受理 and the like)."""
    answers = [a for a in channel.answers() if a.holds(data)]
    if not answers:
        return None
    done = select(HumanTask.task_spec).where(
        HumanTask.instance_id == instance_id,
        HumanTask.status == "done",
        HumanTask.task_spec.in_([spec for a in answers for spec in a.after]),
    )
    finished = set(db.session.scalars(done))
    answer = next((a for a in answers if finished & set(a.after)), None)
    if answer is None:
        return None
    labels, names = parsed.option_labels(), _field_labels(parsed)
    shown = []
    for name in answer.fields:
        value = data.get(name)
        if value is None or value == "":
            continue
        shown.append((names.get(name, name), labels.get(name, {}).get(str(value), str(value))))
    return shown


def _field_labels(parsed: ParsedDefinition) -> dict[str, str]:
    """Each field's label, the first form that names it winning (the start form first)."""
    return {f.name: f.label for f in reversed(parsed.every_field().fields)}


def _correction(channel: Channel, open_specs: list[str], data: dict[str, Any]) -> CorrectionAsked | None:
    step = channel.correction
    if step is None or step.task not in open_specs:
        return None
    return CorrectionAsked(str(data.get(step.items_field) or ""), date_value(data.get(step.due_field)))
