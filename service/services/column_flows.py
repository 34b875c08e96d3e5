"""How the column register changes through cases (COL-2, COL-4): a publishing case moves its column's
last update; an approved column request opens or closes the column; a stale column gets a reminder
case, which ends by itself when the column is updated meanwhile and otherwise goes on to the centre's
closure decision. Each change happens in the transaction of the step that causes it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from workflows.columns import freshness
from workflows.profiles import Profile

from ..errors import ServiceError, invalid
from ..extensions import db
from ..models import HumanTask, ProcessInstance, ScheduledCase, SiteColumn
from . import columns, scheduled
from .cases import complete_as_system
from .clocks import date_value, today
from .completion_hooks import on_completion

SOURCE = "column"
UPKEEP = "column_upkeep"
UPDATE_TASK = "update_column"


@on_completion("publishing", "publish")
def published(
    instance: ProcessInstance, task: HumanTask, values: dict[str, Any], case: dict[str, Any]
) -> None:
    """An item published in a column of the register moves the column's last update (COL-4)."""
    day = date_value(case.get("published_on"))
    row = columns.matching(str(case.get("column") or ""))
    if day is not None and row is not None:
        columns.touch(row, day)


@on_completion(UPKEEP, UPDATE_TASK)
def updated(instance: ProcessInstance, task: HumanTask, values: dict[str, Any], case: dict[str, Any]) -> None:
    """The department says when it updated the column: the register takes that date."""
    row = _column_of(case)
    day = date_value(case.get("updated_on"))
    if row is not None and day is not None:
        columns.touch(row, day)


@on_completion(UPKEEP, "decide_closure")
def closure_decided(
    instance: ProcessInstance, task: HumanTask, values: dict[str, Any], case: dict[str, Any]
) -> None:
    """The centre closes a column still stale after its reminder (COL-4)."""
    row = _column_of(case)
    if row is not None and row.status == "open" and case.get("closure") == "close":
        reason = str(case.get("closure_reason") or "")
        columns.close(row, None, f"经提醒仍未更新，关停栏目“{row.name}”（{row.path}）：{reason}")


@on_completion("column_request", "answer_request")
def answered(
    instance: ProcessInstance, task: HumanTask, values: dict[str, Any], case: dict[str, Any]
) -> None:
    """An approved request opens the column with the centre's path, interval and owner, or closes it
    (COL-2)."""
    if case.get("decision") != "approve":
        return
    if case.get("request_action") == "close":
        _close_requested(case)
    else:
        _open_requested(case)


def _open_requested(case: dict[str, Any]) -> None:
    # The office's ruling on a disputed owner binds the centre's answer (COL-1).
    owner = case.get("office_owner") or case.get("owner")
    data = {
        "name": case.get("column_name"),
        "path": case.get("column_path"),
        "level": case.get("column_level"),
        "kind": case.get("column_kind"),
        "department": owner,
        "interval_days": case.get("interval_days"),
        "content_plan": case.get("content_plan") or "",
    }
    values, errors = columns.check_column(data)
    if errors:
        named = {"name": "column_name", "level": "column_level", "kind": "column_kind", "department": "owner"}
        fixed = [{**error, "field": named.get(error["field"], error["field"])} for error in errors]
        raise invalid("无法按答复开设栏目：" + "；".join(e["message"] for e in fixed), fixed)
    values.pop("last_update", None)
    columns.create(values, None, f"按栏目申请开设栏目“{values['name']}”（{values['path']}）")


def _close_requested(case: dict[str, Any]) -> None:
    path = str(case.get("column_path") or case.get("path_wish") or "").strip()
    row = db.session.scalar(select(SiteColumn).where(SiteColumn.path == path, SiteColumn.status == "open"))
    if row is None:
        message = f"登记簿中没有开设中的栏目“{path}”"
        raise invalid(message, [{"field": "column_path", "code": "column_not_found", "message": message}])
    columns.close(row, None, f"按栏目申请关停栏目“{row.name}”（{row.path}）")


def _column_of(case: dict[str, Any]) -> SiteColumn | None:
    column_id = case.get("column_id")
    return db.session.get(SiteColumn, column_id) if isinstance(column_id, int) else None


@scheduled.producer(SOURCE)
def stale_columns(day: date, profile: Profile) -> Iterable[scheduled.Opening]:
    """A reminder for each open column past its interval, once per stale period (COL-4)."""
    for row in columns.open_columns():
        state = freshness(columns.facts(row, profile), day)
        if state.stale_since is None:
            continue
        last = row.last_update.isoformat() if row.last_update else "never"
        words = f"最近更新 {row.last_update.isoformat()}" if row.last_update else "开设后从未更新"
        yield scheduled.Opening(
            SOURCE,
            f"column:{row.id}:{last}",
            UPKEEP,
            f"栏目“{row.name}”（{row.path}）{words}，已超过更新时限",
            {
                "owning_department": row.department.code,
                "column_id": row.id,
                "column_name": row.name,
                "column_path": row.path,
                "last_update": row.last_update.isoformat() if row.last_update else "",
                "stale_since": state.stale_since.isoformat(),
                "reminded_on": day.isoformat(),
            },
        )


def end_reminders(row: SiteColumn) -> None:
    """A column updated while its reminder is open: the reminder ends as done, in this transaction."""
    query = (
        select(HumanTask.id)
        .join(ProcessInstance, HumanTask.instance_id == ProcessInstance.id)
        .join(ScheduledCase, ScheduledCase.instance_id == ProcessInstance.id)
        .where(
            ScheduledCase.source == SOURCE,
            ScheduledCase.occurrence.like(f"column:{row.id}:%"),
            HumanTask.status == "open",
            HumanTask.task_spec == UPDATE_TASK,
        )
    )
    day = (row.last_update or today()).isoformat()
    for task_id in list(db.session.scalars(query)):
        try:
            complete_as_system(
                task_id, {"updated_on": day, "update_note": f"栏目已于 {day} 更新，系统自动办结"}
            )
        except ServiceError:  # e.g. the update lies in the future of the form's notAfter: leave it open
            continue


columns.TOUCH_HOOKS.append(end_reminders)
