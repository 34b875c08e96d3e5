"""Recurring duties as cases (REC-1..6, NAT-4, STAT-3): the producer that opens each occurrence of the
active profile's duties on its day (source "duty"), and the administrators' list of what will open.

The schedule itself is pure (workflows/profiles/duties.py); here a duty's department, given by its
Chinese name or code, is resolved against the organisation. A duty whose department the organisation
lacks (the seed names 党群处, the organisation has none) opens nothing and is shown so on the admin
page, rather than retried as a failure every minute.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from workflows.profiles import Profile
from workflows.profiles.duties import Duty, Occurrence, due_openings, next_occurrence

from . import clocks, org, scheduled
from .engine import engine

SOURCE = "duty"
PROCESS = "recurring_duty"

log = logging.getLogger("govflow.duties")


@scheduled.producer(SOURCE)
def duty_openings(today: date, profile: Profile) -> Iterator[scheduled.Opening]:
    """The occurrence of each of the profile's duties whose window holds today."""
    view = org.org_view()
    for occurrence in due_openings(profile.duties, today):
        code = view.department_code(occurrence.duty.department)
        if code is None:
            log.info("duty %s: no department %s", occurrence.key, occurrence.duty.department)
            continue
        yield _opening(occurrence, code)


def _opening(occurrence: Occurrence, department: str) -> scheduled.Opening:
    duty, window = occurrence.duty, occurrence.window
    values = {
        "duty_key": duty.key,
        "duty_title": duty.title,
        "duty_rule": duty.rule,
        "duty_source": duty.source,
        "record_kind": duty.record.value,
        "owning_department": department,
        "opened_on": window.opens.isoformat(),
        "due_on": window.due.isoformat(),
    }
    reason = f"按{duty.source}（{duty.rule}）定期开展：{duty.title}，{window.due:%Y年%m月%d日}前完成"
    return scheduled.Opening(SOURCE, occurrence.key, PROCESS, reason, values)


@dataclass(frozen=True)
class DutyRow:
    """One line of the administrators' list: the duty, its next occurrence, and whether it opens."""

    duty: Duty
    occurrence: Occurrence
    department: str  # the department's name, or the duty's own text where the organisation lacks it
    known: bool
    opened: bool  # the occurrence already has a case


def duty_rows() -> list[DutyRow]:
    """The active profile's duties with the occurrence each opens next (or has open today)."""
    today, view = clocks.today(), org.org_view()
    upcoming = [next_occurrence(duty, today) for duty in engine().profile.duties]
    opened = scheduled.opened_occurrences(SOURCE, [occurrence.key for occurrence in upcoming])
    rows = []
    for occurrence in upcoming:
        code = view.department_code(occurrence.duty.department)
        name = view.departments[code] if code else occurrence.duty.department
        rows.append(DutyRow(occurrence.duty, occurrence, name, code is not None, occurrence.key in opened))
    return rows
