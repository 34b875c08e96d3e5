"""Administrators' acts on a whole case: cancel it (撤销), or move it to a newer version of its diagram.

Each public function is one transaction. Both lock the case row first (FOR UPDATE where the
database has row locks) and write it through its version, so a step taken on the case meanwhile
makes one of the two a 409, never a lost update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workflows.engine.migration import LostStep, MigrationRefused, migrate
from workflows.engine.parser import ParsedDefinition
from workflows.text import reason_problem

from ..errors import ServiceError, conflict, forbidden, invalid, not_found
from ..extensions import db
from ..models import LARGEST_INTEGER, HumanTask, ProcessDefinition, ProcessInstance, User
from ..models.events import EventKind
from . import audit, clock_actions, clocks
from .cases import open_tasks_of
from .deployment import newest_definition
from .engine import clock, engine
from .progress import record_step
from .unit import event, in_transaction, rehearse
from .writes import versioned_update

MAX_REASON = 500
ENDED = {"completed": "已办结", "cancelled": "已撤销"}


def cancel_case(user: User, instance_id: int, reason: Any, withdrawn: Any = False) -> ProcessInstance:
    """Cancel a running case with a reason: its open tasks leave every inbox, every clock and timer stops.

    `withdrawn`: the applicant withdrew the request (撤回申请), so its clocks close as withdrawn, not
    as cancelled by the office; statistics count neither as kept nor as late.
    The workflow state is kept as it was, to show where the case stood; the applicant is not told.
    """
    return in_transaction(lambda: _cancel(user, instance_id, reason, withdrawn))


@dataclass(frozen=True)
class Moved:
    """A case moved to another version of its diagram."""

    instance: ProcessInstance
    tracking_number: str | None
    from_version: int
    to_version: int
    renamed: list[dict[str, str]]  # {"from", "to"}: open tasks the new version calls otherwise
    tasks: list[dict[str, Any]]  # {"task_id", "element", "name"}: each open task in the new version


def migrate_case(user: User, instance_id: int, version: Any = None, *, dry_run: bool = False) -> Moved:
    """Move a running case to a newer version of its diagram (the newest when `version` is None).

    Its open tasks keep their ids, holders and deadlines (and take the new version's names); what
    comes after them follows the new diagram. `dry_run`: the very same move, rolled back at its
    end, so what it answers (or refuses) is what the move would do; nothing changes.
    """
    work = lambda: _migrate(user, instance_id, version)  # noqa: E731
    return rehearse(work) if dry_run else in_transaction(work)


def _cancel(user: User, instance_id: int, reason: Any, withdrawn: Any) -> ProcessInstance:
    _admin_only(user, "撤销案件")
    instance = _case(instance_id)
    text = _reason(reason)
    if not isinstance(withdrawn, bool):
        message = "“申请人撤回”只能是 true 或 false"
        raise invalid(message, [{"field": "withdrawn", "code": "invalid", "message": message}])
    _check_running(instance, "撤销")
    # The case row first: its version guards against a step taken since it was read.
    versioned_update(instance, status="cancelled", next_timer_at=None, clock_paused=False)
    clocks.close_all(instance.id, "withdrawn" if withdrawn else "cancelled")
    for row in open_tasks_of(instance.id):
        versioned_update(row, status="cancelled")
        event(instance, user, EventKind.TASK_CANCELLED, row, {"task": row.name})
    event(instance, user, EventKind.CASE_CANCELLED, details={"reason": text, "withdrawn": withdrawn})
    how = "（申请人撤回）" if withdrawn else ""
    audit.record(
        user,
        audit.AuditKind.CASE_CANCELLED,
        "case",
        instance.id,
        f"撤销案件 {instance.tracking_number}{how}：{text}",
        before={"status": "running"},
        after={"status": "cancelled", "reason": text, "withdrawn": withdrawn},
    )
    return instance


def _migrate(user: User, instance_id: int, version: Any) -> Moved:
    _admin_only(user, "迁移案件")
    instance = _case(instance_id)
    _check_running(instance, "迁移")
    current = instance.definition
    target = _target(current, version)
    old, new = engine().definition(current), engine().definition(target)
    runner = engine().runner
    workflow = runner.loads(instance.state, old, clock())
    try:
        migrate(workflow, old, new)
    except MigrationRefused as err:
        raise _refusal(err.lost, target) from err
    open_rows = open_tasks_of(instance.id)
    ready = {t.id: t for t in runner.ready_tasks(workflow, new)}
    renamed = _follow_new_names(open_rows, ready)
    _carry_pauses(instance, old, new, open_rows)
    details = {"from_version": current.version, "to_version": target.version, "renamed": renamed}
    event(instance, user, EventKind.CASE_MIGRATED, details=details)
    audit.record(
        user,
        audit.AuditKind.CASE_MIGRATED,
        "case",
        instance.id,
        f"案件 {instance.tracking_number} 从第 {current.version} 版迁移到第 {target.version} 版",
        before={"version": current.version},
        after={"version": target.version, "renamed": renamed},
    )
    record_step(instance, workflow, user, open_rows, new, definition=target)
    tasks = [
        {"task_id": row.id, "element": row.task_spec, "name": ready[row.spiff_task_id].name}
        for row in open_rows
        if row.spiff_task_id in ready
    ]
    return Moved(instance, instance.tracking_number, current.version, target.version, renamed, tasks)


def _admin_only(user: User, what: str) -> None:
    if not user.is_admin:
        raise forbidden(f"只有管理员可以{what}", "admin_only")


def _case(instance_id: int) -> ProcessInstance:
    # FOR UPDATE: a step on the same case waits for this act to commit, then finds the case changed.
    instance = db.session.get(ProcessInstance, instance_id, with_for_update={"of": ProcessInstance})
    if instance is None:
        raise not_found("案件", "instance_not_found")
    return instance


def _check_running(instance: ProcessInstance, doing: str) -> None:
    if instance.status != "running":
        state = ENDED.get(instance.status, instance.status)
        raise conflict(f"案件 {instance.tracking_number} {state}，不能{doing}", "case_not_running")


def _reason(reason: Any) -> str:
    """The cancellation reason as it will be stored, or a 422 naming `reason`."""
    problem = reason_problem(reason, "撤销理由", MAX_REASON)
    if problem is not None:
        code, message = problem
        raise invalid(message, [{"field": "reason", "code": code, "message": message}])
    return reason.strip()


def _target(current: ProcessDefinition, version: Any) -> ProcessDefinition:
    """The version to move to: the one asked for, or the newest; never the case's own or an older one."""
    if version is None:
        target = newest_definition(current.key)
    elif isinstance(version, bool) or not isinstance(version, int):
        raise _bad_version("invalid", "版本号必须是整数")
    elif not 1 <= version <= LARGEST_INTEGER:  # no such version, and no query the database can run
        raise _bad_version("version_not_found", f"流程“{current.name}”没有第 {version} 版")
    else:
        query = select(ProcessDefinition).where(
            ProcessDefinition.key == current.key, ProcessDefinition.version == version
        )
        target = db.session.scalar(query)
        if target is None:
            raise _bad_version("version_not_found", f"流程“{current.name}”没有第 {version} 版")
    assert target is not None  # the case's own version at least exists
    if target.version == current.version:
        raise conflict(f"案件已在第 {current.version} 版上运行，无需迁移", "already_on_version")
    if target.version < current.version:
        raise _bad_version("not_newer", f"案件在第 {current.version} 版上运行，只能迁移到更新的版本")
    return target


def _bad_version(code: str, message: str) -> ServiceError:
    return invalid(message, [{"field": "version", "code": code, "message": message}])


LOST_MESSAGES = {
    (True, "missing"): "待办任务“{name}”（{element}）在新版本中不存在",
    (True, "not_human"): "待办任务“{name}”（{element}）在新版本中不再是人工任务",
    (True, "moved"): "待办任务“{name}”（{element}）在新版本中的前后环节不同（如增加了边界事件）",
    (True, "form"): "待办任务“{name}”（{element}）在新版本中的表单不兼容",
    (False, "missing"): "案件已经过的环节“{name}”（{element}）在新版本中不存在",
    (False, "changed_kind"): "案件正在等待的环节“{name}”（{element}）在新版本中类型不同",
    (False, "moved"): "案件到达“{name}”（{element}）的路径在新版本中不存在",
}


def _refusal(lost: tuple[LostStep, ...], target: ProcessDefinition) -> ServiceError:
    """A 409 naming every step the move would lose."""
    errors = []
    for step in lost:
        template = LOST_MESSAGES.get((step.open, step.reason), "环节“{name}”（{element}）无法对应")
        message = template.format(name=step.name, element=step.element)
        if step.fields:
            message += "：" + "，".join(change.message for change in step.fields)
        errors.append({"element": step.element, "name": step.name, "code": step.reason, "message": message})
    title = f"案件不能迁移到第 {target.version} 版：" + "；".join(e["message"] for e in errors)
    return ServiceError("migration_refused", title, 409, errors=errors)


def _follow_new_names(open_rows: list[HumanTask], ready: dict[str, Any]) -> list[dict[str, str]]:
    """Open tasks show the new version's name and lane; they stay with their department and holder."""
    renamed = []
    for row in open_rows:
        now_called = ready.get(row.spiff_task_id)
        if now_called is None:
            continue  # not waiting in the workflow either: the inbox sync cancels it
        if (now_called.name, now_called.lane) != (row.name, row.lane):
            if now_called.name != row.name:
                renamed.append({"from": row.name, "to": now_called.name})
            versioned_update(row, name=now_called.name, lane=now_called.lane)
    return renamed


def _carry_pauses(
    instance: ProcessInstance, old: ParsedDefinition, new: ParsedDefinition, open_rows: list[HumanTask]
) -> None:
    """A case clock an open task stops in one version and not the other starts or stops now (REQ-4)."""

    def paused_by(parsed: ParsedDefinition) -> set[str]:
        actions = (a for row in open_rows for a in parsed.clock_actions.get(row.task_spec, ()))
        return {a.deadline for a in actions if a.action == "pause"}

    before, after = paused_by(old), paused_by(new)
    for name in sorted(before - after):
        clock_actions.resume_case_clock(instance, name)
    for name in sorted(after - before):
        clock_actions.pause_case_clock(instance, name)
