"""The case page (issue 11): a case's deadlines and history as a person reads them, the marks on its
diagram, and the search over the cases a person may see.

The facts are those GET /api/v1/process-instances/{id} shows (queries.instance_for_viewer,
queries.clocks_of); this only puts them into Chinese words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, or_, select

from workflows.assignment import Role
from workflows.calendar import SERVICE_TZ
from workflows.deadline_words import deadline_words
from workflows.periods import Period, Unit
from workflows.sla import lateness_unit

from ..errors import ServiceError
from ..extensions import db
from ..models import CaseEvent, Deadline, HumanTask, ProcessDefinition, ProcessInstance, User
from ..models.events import EventKind
from . import clocks
from .calendar import current_calendar
from .engine import now
from .org import visible_department_ids
from .queries import APPLICANT_FIELDS, MAX_QUERY_TEXT, TITLE_FIELDS, Page, copied_to

# What each history line's kind says (a test checks every kind has its words).
EVENT_LABELS: dict[str, str] = {
    EventKind.STARTED: "发起案件",
    EventKind.COMPLETED: "案件办结",
    EventKind.TASK_CREATED: "生成待办",
    EventKind.TASK_COMPLETED: "办结环节",
    EventKind.TASK_CLAIMED: "签收",
    EventKind.TASK_UNCLAIMED: "退回待签收",
    EventKind.TASK_TRANSFERRED: "转办",
    EventKind.TASK_RETURNED: "退回",
    EventKind.TASK_WITHDRAWN: "撤回",
    EventKind.TASK_CANCELLED: "环节取消",
    EventKind.TASK_DELEGATED: "委派",
    EventKind.TASK_RESOLVED: "委派办理完毕交回",
    EventKind.DELEGATION_TAKEN_BACK: "收回委派",
    EventKind.TASK_HANDED_BACK: "人员停用交回",
    EventKind.TASK_URGED: "催办",
    EventKind.REMINDED: "到期提醒",
    EventKind.ESCALATED: "超期督办",
    EventKind.DEADLINE_STARTED: "开始计时",
    EventKind.DEADLINE_STOPPED: "停止计时（期限已满足）",
    EventKind.DEADLINE_RESTARTED: "重新计时",
    EventKind.DEADLINE_CONTINUED: "继续计时",
    EventKind.DEADLINE_EXTENDED: "延长期限",
    EventKind.DEADLINE_PAUSED: "暂停计时",
    EventKind.DEADLINE_RESUMED: "恢复计时",
    EventKind.CORRECTED_ONLINE: "申请人在线补正",
    EventKind.CASE_CANCELLED: "撤销案件",
    EventKind.CASE_MIGRATED: "迁移到新版流程",
    EventKind.CASE_LINKED: "关联案件",
    EventKind.APPLICANT_NOTIFIED: "告知申请人",
    EventKind.PUBLIC_SUBMITTED: "公众在线提交",
    EventKind.OPENED_ON_SCHEDULE: "系统按期发起",
    EventKind.TIMERS_FIRED: "定时处理",
    EventKind.CASE_COPIED: "抄送",
    EventKind.ATTACHMENT_ADDED: "上传附件",
    EventKind.ATTACHMENT_REMOVED: "删除附件",
}
ENDINGS = {
    "abandoned": "视为放弃",
    "withdrawn": "申请人撤回",
    "returned": "退回（未受理）",
    "cancelled": "已撤销",
}
BINDS = {"target": "本地承诺时限", "ceiling": "法定时限"}

# A case's status as people read it.
CASE_STATUS = {"running": "办理中", "completed": "已办结", "cancelled": "已撤销"}


def moment(value) -> str:
    return value.astimezone(SERVICE_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True)
class ClockLine:
    """One deadline as the case page shows it."""

    label: str
    task: str  # the step it belongs to, "" for the case's own
    period: str
    started_on: str
    due: str
    extension: str
    pauses: list[str]
    target: str
    ceiling_due_on: str
    target_due_on: str
    binds: str
    state: str  # 剩余2个工作日 / 暂停计时 / 按期办结 / 超期3个工作日办结 / 视为放弃 …
    status: str  # the clock's status code, for a CSS class
    overdue: bool
    waiting: bool  # a clock on someone outside the agency: 等待外部


def clock_lines(rows: list[Deadline], tasks: list[HumanTask]) -> list[ClockLine]:
    names = {t.id: t.name for t in tasks}
    calendar, at = current_calendar(), now()
    out = []
    for row in rows:
        unit = Unit(row.unit)
        running = row.status in ("running", "paused")
        overdue = row.status == "running" and row.due_at is not None and at >= row.due_at
        if running:
            state = deadline_words(
                calendar, at, row.due_at, unit, paused=row.status == "paused", provisional=row.provisional
            )
        elif row.status == "met" and row.on_time:
            state = "按期办结"
        elif row.status == "met" and row.on_time is False:
            late = lateness_unit(clocks.bound_unit(row))
            state = f"超期{row.late_by}{late.label}办结"
        elif row.status == "met":
            state = "已办结"
        else:
            state = ENDINGS.get(row.status, row.status)
        pauses = [f"{start} 至 {end or '今'}" for start, end in (row.pauses or [])]
        target = ""
        if row.target_unit is not None and row.target_amount is not None:
            target = Period(row.target_amount, Unit(row.target_unit)).label
        out.append(
            ClockLine(
                label=row.label,
                task=names.get(row.task_id, "") if row.task_id else "",
                period=Period(row.amount, unit).label,
                started_on=row.started_on.isoformat(),
                # "2026-03-30 24:00" as the reminders say it; "03-31 00:00" would read a day late.
                due=f"{row.due_on.isoformat()} {calendar.close_hour}:00" if row.due_on else "待定",
                extension=Period(row.extension, unit).label if row.extension else "",
                pauses=pauses,
                target=target,
                ceiling_due_on=row.ceiling_due_on.isoformat() if row.ceiling_due_on else "",
                target_due_on=row.target_due_on.isoformat() if row.target_due_on else "",
                binds=BINDS.get(clocks.binds(row) or "", ""),
                state=state,
                status=row.status,
                overdue=overdue,
                waiting=row.waiting,
            )
        )
    return out


@dataclass(frozen=True)
class HistoryLine:
    at: str
    who: str
    what: str
    kind: str
    detail: str


def history_lines(events: list[CaseEvent], labels: dict[str, str] | None = None) -> list[HistoryLine]:
    """The history in order; `labels` names the case's deadlines (clock name: label) so a line about
    a deadline says 依申请公开答复期限, not its code."""
    return [
        HistoryLine(
            moment(e.at),
            e.actor.name if e.actor else "系统",
            EVENT_LABELS.get(e.kind, e.kind),
            e.kind,
            _detail(e, labels or {}),
        )
        for e in events
    ]


def _detail(event: CaseEvent, labels: dict[str, str]) -> str:
    """The few words of a history line's details a reader needs: the step, the reason, to whom."""
    details: dict[str, Any] = event.details or {}
    parts = []
    if not details.get("label") and isinstance(details.get("deadline"), str):
        name = details["deadline"]
        parts.append(labels.get(name, name))
    if isinstance(details.get("granted"), str):
        parts.append("延长" + details["granted"])
    for key in ("task", "label", "case", "reason", "message", "filename"):
        value = details.get(key)
        if key == "reason" and event.kind == EventKind.TASK_CREATED:
            value = _routed_to(details)  # where it went, not how the lane was read
        if isinstance(value, str) and value:
            parts.append(value)
        if key == "task" and event.kind == EventKind.TASK_RETURNED and isinstance(details.get("to"), str):
            parts.append(f"退回至“{details['to']}”")
    if isinstance(details.get("delegate"), str):
        parts.append("受委派人：" + details["delegate"])
    to = details.get("to")
    if isinstance(to, list) and to:
        told = "阅知人 " if event.kind == EventKind.CASE_COPIED else "通知 "
        parts.append(told + "、".join(str(p) for p in to))
    if isinstance(details.get("note"), str) and details["note"]:
        parts.append("附言：" + details["note"])
    if details.get("waiting"):
        parts.append("等待外部")
    return "；".join(parts)


def _routed_to(details: dict[str, Any]) -> str:
    """Whose inbox a new task went to, as people say it: 交规划处（处室负责人）, 由王芳办理."""
    department = details.get("department")
    if not isinstance(department, str):
        return ""
    role = Role(details["role"]).label if details.get("role") in set(Role) else ""
    words = f"交{department}" + (f"（{role}）" if role else "")
    assignee = details.get("assignee")
    return words + (f"，由{assignee}办理" if isinstance(assignee, str) else "")


def diagram_marks(instance: ProcessInstance, tasks: list[HumanTask]) -> dict[str, Any]:
    """The diagram and which of its steps are finished, current (open) and overdue.

    A step open again (sent back for rework) is current, not finished; overdue steps are current too.
    """
    at = now()
    current = sorted({t.task_spec for t in tasks if t.status == "open"})
    finished = sorted({t.task_spec for t in tasks if t.status == "done"} - set(current))
    overdue = sorted(
        {t.task_spec for t in tasks if t.status == "open" and t.due_at is not None and at >= t.due_at}
    )
    xml = db.session.scalar(
        select(ProcessDefinition.xml).where(ProcessDefinition.id == instance.definition_id)
    )
    text = xml.decode("utf-8") if isinstance(xml, bytes) else str(xml or "")
    return {"xml": text, "finished": finished, "current": current, "overdue": overdue}


def search_cases(user: User, q: str, page: int, per_page: int) -> Page:
    """The cases this person may see (as GET /process-instances/{id} decides), newest first, those
    whose tracking number, applicant or title contains `q` (LIKE with its wildcards escaped)."""
    if len(q) > MAX_QUERY_TEXT:
        raise ServiceError("invalid_parameter", f"检索文字不能超过 {MAX_QUERY_TEXT} 个字", 400, field="q")
    query = select(ProcessInstance)
    if not user.is_admin:
        departments = visible_department_ids(user) or {-1}
        involved = exists().where(
            HumanTask.instance_id == ProcessInstance.id,
            or_(
                HumanTask.department_id.in_(departments),
                HumanTask.assignee_id == user.id,
                HumanTask.completed_by_id == user.id,
            ),
        )
        query = query.where(
            or_(
                ProcessInstance.started_by_id == user.id,
                ProcessInstance.owning_department_id.in_(departments),
                involved,
                copied_to(user, ProcessInstance.id),
            )
        )
    text = q.strip()
    if text:
        fields = [ProcessInstance.data[name].as_string() for name in APPLICANT_FIELDS + TITLE_FIELDS]
        query = query.where(
            or_(*[c.icontains(text, autoescape=True) for c in (ProcessInstance.tracking_number, *fields)])
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(ProcessInstance.started_at.desc(), ProcessInstance.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(list(rows), total or 0, page, per_page)
