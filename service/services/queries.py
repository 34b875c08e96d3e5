"""Read-only views: the inbox and lists read the human-task table, never workflow state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, literal_column, or_, select
from sqlalchemy.orm import selectinload

from workflows.forms import Form

from ..errors import ServiceError, forbidden, not_found
from ..extensions import db
from ..models import (
    CaseCopy,
    CaseEvent,
    Deadline,
    HumanTask,
    Notification,
    ProcessDefinition,
    ProcessInstance,
    User,
)
from .deployment import latest_definitions
from .engine import engine, now
from .org import acts_for_clause, can_act_on_task, can_see_task, visible_department_ids
from .urging import may_urge

SCOPES = ("mine", "department", "actionable", "all")
STATUSES = ("open", "done")
# How far an inbox count reads (issue 15): a tab's count or a list's total past this many tasks (or
# past the page's end, deeper in a list) is a lower bound shown "99+", the badge convention, not an
# exact count of every row. Counting reads each row it counts: at 999 the count of a department's
# overdue tasks alone took 5-7 ms at 100,000 open tasks (bench/inbox_scaling.py, 2.4-3x), at 99 well
# under 1 ms.
COUNT_CAP = 99


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    total_capped: bool = False  # True: there are more than `total` (the count stopped there)


@dataclass(frozen=True)
class Tally:
    """A count that stopped at its bound: `capped` says there are more than `value` ("99+")."""

    value: int
    capped: bool = False

    def __str__(self) -> str:
        return f"{self.value}+" if self.capped else str(self.value)


def capped_count(query, bound: int) -> Tally:
    """How many rows a SELECT finds, reading at most bound + 1 of them: past `bound`, "bound+"."""
    return _tally(db.session.scalar(_count_of_at_most(query, bound)) or 0, bound)


def _count_of_at_most(query, bound: int):
    counted = query.with_only_columns(literal_column("1")).order_by(None).limit(bound + 1)
    return select(func.count()).select_from(counted.subquery())


def _tally(found: int, bound: int) -> Tally:
    return Tally(bound, True) if found > bound else Tally(found)


def latest_parsed_definitions() -> list[tuple]:
    """The newest version of each diagram with what it parsed to (its start form and start lane)."""
    return [(row, engine().definition(row)) for row in latest_definitions()]


DUE_FILTERS = ("soon", "overdue", "provisional")
MAX_QUERY_TEXT = 100
# Where a case keeps its applicant and its title, diagram by diagram (the start forms' field names):
# the inbox's text search looks in these besides the task's name and the tracking number.
APPLICANT_FIELDS = ("applicant_name", "petitioner_name", "writer_name", "deputy_name")
TITLE_FIELDS = ("title", "item_title", "letter_title", "petition_title", "survey_title", "duty_title")


@dataclass(frozen=True)
class TaskFilter:
    """What an inbox list is narrowed to: a diagram (process key), a deadline state, a text."""

    process: str | None = None
    due: str | None = None
    q: str | None = None


def list_tasks(
    user: User,
    scope: str,
    status: str,
    page: int,
    per_page: int,
    due: str | None = None,
    process: str | None = None,
    q: str | None = None,
) -> Page:
    """A page of tasks for an inbox view, open ones by deadline, done ones newest first.

    mine: what I hold or was delegated (open) or did (done); department: my departments' open tasks
    I may act on (their done tasks, all of them); actionable ("waiting for me"): open tasks I may
    claim or complete now, held by nobody else, and those delegated to me (not those I delegated
    and wait to get back); all: everything (administrators). Open tasks come soonest
    deadline first, those without one last, then the oldest first. `due` keeps those due soon,
    overdue or with a provisional deadline; `process` one diagram's; `q` those whose task name,
    tracking number, applicant or title contains the text.
    """
    query = _filtered(_scoped(user, scope, status), TaskFilter(process, due, q))
    offset = (page - 1) * per_page
    # Counted up to COUNT_CAP, or to the page's end if that is further: a capped total still says
    # that a next page exists, and stays "99+" over the first pages.
    total = capped_count(query, max(COUNT_CAP, offset + per_page))
    if status == "done":
        order = [HumanTask.completed_at.desc(), HumanTask.id.desc()]
    else:
        order = [HumanTask.due_at.asc().nulls_last(), HumanTask.created_at.asc(), HumanTask.id.asc()]
    # The page's ids first, without the joins a task loads with, so the database walks the order's
    # index and stops at the page; then those tasks, in that order.
    ids = list(
        db.session.scalars(
            query.with_only_columns(HumanTask.id).order_by(*order).limit(per_page).offset(offset)
        )
    )
    return Page(_tasks_in_order(ids, status), total.value, page, per_page, total.capped)


def _tasks_in_order(ids: list[int], status: str) -> list[HumanTask]:
    if not ids:
        return []
    query = select(HumanTask).where(HumanTask.id.in_(ids))
    if status == "done":
        query = query.options(selectinload(HumanTask.own_clock))  # how each task's deadline ended
    else:
        query = query.options(selectinload(HumanTask.delegate))  # the rows name who works on it
    found = {task.id: task for task in db.session.scalars(query)}
    return [found[task_id] for task_id in ids]


def _scoped(user: User, scope: str, status: str):
    if scope not in SCOPES:
        message = "scope 只能是 mine、department、actionable 或 all"
        raise ServiceError("invalid_parameter", message, 400, field="scope")
    if status not in STATUSES or (scope == "actionable" and status != "open"):
        raise ServiceError(
            "invalid_parameter", "status 只能是 open 或 done（actionable 只有 open）", 400, field="status"
        )
    query = select(HumanTask).where(HumanTask.status == status)
    if scope == "mine" and status == "done":
        return query.where(HumanTask.completed_by_id == user.id)
    if scope == "mine":
        return query.where(_mine(user))
    if scope == "department" and status == "done":
        return query.where(HumanTask.department_id.in_(visible_department_ids(user) or {-1}))
    if scope == "department":
        return query.where(acts_for_clause(user))
    if scope == "actionable":
        return query.where(_waiting_for(user, acts_for_clause(user)))
    if not user.is_admin:
        raise forbidden("只有管理员可以查看全部任务", "admin_only")
    return query


def _free_for(user: User):
    return or_(HumanTask.assignee_id.is_(None), HumanTask.assignee_id == user.id)


def _mine(user: User):
    """Open tasks I hold, or that their holder delegated to me (委派)."""
    return or_(HumanTask.assignee_id == user.id, HumanTask.delegate_id == user.id)


def _waiting_for(user: User, acts):
    """Open tasks I can act on now: free or mine and not delegated away, or delegated to me."""
    return or_(and_(acts, _free_for(user), HumanTask.delegate_id.is_(None)), HumanTask.delegate_id == user.id)


def _filtered(query, wanted: TaskFilter):
    if wanted.due is not None:
        query = _due_filter(query, wanted.due)
    if wanted.process is not None:
        if wanted.process not in deployed_keys():
            raise ServiceError("invalid_parameter", "process 不是已部署的流程", 400, field="process")
        of_process = select(ProcessDefinition.id).where(ProcessDefinition.key == wanted.process)
        query = query.where(HumanTask.instance_id.in_(_instances_of(of_process)))
    text = (wanted.q or "").strip()
    if len(wanted.q or "") > MAX_QUERY_TEXT:
        message = f"检索文字不能超过 {MAX_QUERY_TEXT} 个字"
        raise ServiceError("invalid_parameter", message, 400, field="q")
    if text:
        # LIKE with the wildcards in the text escaped (autoescape): "100%" finds "100%", not "100…".
        # The scope's indexed conditions narrow the rows first; the join reads only their cases.
        fields = [ProcessInstance.data[name].as_string() for name in APPLICANT_FIELDS + TITLE_FIELDS]
        matches = [
            column.icontains(text, autoescape=True)
            for column in (HumanTask.name, ProcessInstance.tracking_number, *fields)
        ]
        query = query.join(ProcessInstance, HumanTask.instance_id == ProcessInstance.id).where(or_(*matches))
    return query


def _instances_of(definitions):
    return select(ProcessInstance.id).where(ProcessInstance.definition_id.in_(definitions))


def deployed_keys() -> set[str]:
    """The keys of every deployed diagram (the inbox's flow filter offers these)."""
    return set(db.session.scalars(select(ProcessDefinition.key).distinct()))


def _due_filter(query, due: str):
    if due not in DUE_FILTERS:
        raise ServiceError("invalid_parameter", "due 只能是 soon、overdue 或 provisional", 400, field="due")
    at = now()
    if due == "overdue":
        return query.where(HumanTask.due_at <= at)
    if due == "provisional":
        return query.where(HumanTask.due_provisional.is_(True), HumanTask.due_at.is_not(None))
    return query.where(HumanTask.remind_at <= at, HumanTask.due_at > at)


def task_counts(user: User) -> dict[str, Tally]:
    """How many tasks each inbox tab holds: 待我办理, 我的在办, 本处室, 已办, each as list_tasks
    counts it, read no further than COUNT_CAP rows (more show as "99+")."""
    tabs = {
        "actionable": ("actionable", "open"),
        "mine": ("mine", "open"),
        "department": ("department", "open"),
        "done": ("mine", "done"),
    }
    bound = COUNT_CAP
    counts = [_count_of_at_most(_scoped(user, *wanted), bound).scalar_subquery() for wanted in tabs.values()]
    found = db.session.execute(select(*counts)).one()  # one round trip, each count bounded
    return {tab: _tally(count, bound) for tab, count in zip(tabs, found, strict=True)}


def actionable_tasks(user: User, instance_id: int) -> list[HumanTask]:
    """The open tasks of a case this person may act on now (not barred from, not held by another)."""
    query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
    return [
        task
        for task in db.session.scalars(query.order_by(HumanTask.id))
        if can_act_on_task(user, task)
        and task.barred_user_id != user.id
        and task.assignee_id in (None, user.id)
    ]


def may_open_task(user: User, task: HumanTask) -> bool:
    """May this person open the task's page? Its departments' people, and besides them the colleague
    it was delegated to and whoever may urge it (a copy's reader may read the case, not its tasks)."""
    seen = can_see_task(user, task) or (task.delegated and task.delegate_id == user.id)
    return seen or may_urge(user, task)


def task_for_viewer(user: User, task_id: int) -> tuple[HumanTask, Form]:
    """A task and its form as its case offers it (no option its data rules out), if this person may see it."""
    task = db.session.get(HumanTask, task_id)
    if task is None:
        raise not_found("任务", "task_not_found")
    if not may_open_task(user, task):
        raise forbidden("您无权查看该任务", "not_task_department")
    form = engine().profile.offered(engine().definition(task.instance.definition).form_for(task.task_spec))
    return task, form.offered(task.instance.data) if form.needs_case_data() else form


def clocks_of(instance_id: int) -> list[Deadline]:
    """A case's deadlines, the case's own first."""
    query = select(Deadline).where(Deadline.instance_id == instance_id)
    return list(db.session.scalars(query.order_by(Deadline.task_id.is_not(None), Deadline.id)))


def notifications_for(user: User, unread_only: bool, page: int, per_page: int) -> Page:
    """A person's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Notification.id.desc()).limit(per_page).offset((page - 1) * per_page)
    )
    return Page(list(rows), total or 0, page, per_page)


def instance_for_viewer(
    user: User, instance_id: int
) -> tuple[ProcessInstance, list[HumanTask], list[CaseEvent]]:
    """A case with its tasks and history, if this person started it, works in a department involved,
    or was copied it (抄送: to read, never to act)."""
    instance, tasks = instance_and_tasks_for_viewer(user, instance_id)
    events = list(
        db.session.scalars(
            select(CaseEvent).where(CaseEvent.instance_id == instance.id).order_by(CaseEvent.id)
        )
    )
    return instance, tasks, events


def instance_and_tasks_for_viewer(user: User, instance_id: int) -> tuple[ProcessInstance, list[HumanTask]]:
    """A case with its tasks, if this person may see it (as instance_for_viewer decides)."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        raise not_found("案件", "instance_not_found")
    tasks = list(
        db.session.scalars(
            select(HumanTask)
            .where(HumanTask.instance_id == instance.id)
            .order_by(HumanTask.id)
            .options(selectinload(HumanTask.own_clock))
        )
    )
    if not _may_see_instance(user, instance, tasks):
        raise forbidden("您无权查看该案件", "not_involved")
    return instance, tasks


def _may_see_instance(user: User, instance: ProcessInstance, tasks: list[HumanTask]) -> bool:
    if user.is_admin or instance.started_by_id == user.id:
        return True
    involved = {t.department_id for t in tasks} | {instance.owning_department_id}
    return (
        bool(involved & visible_department_ids(user))
        or any(
            user.id in (t.assignee_id, t.completed_by_id) or (t.delegated and t.delegate_id == user.id)
            for t in tasks
        )
        or bool(db.session.scalar(select(copied_to(user, instance.id))))
    )


def copied_to(user: User, instance_id):
    """Whether a case was copied to this person (EXISTS, `instance_id` a value or a column): they
    may read it, as the case page, the API and the case search show it."""
    return exists().where(CaseCopy.instance_id == instance_id, CaseCopy.recipient_id == user.id)


def case_for_viewer(user: User, instance_id: int) -> ProcessInstance:
    """A case, if this person may see it as instance_for_viewer decides, without reading its history."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        raise not_found("案件", "instance_not_found")
    tasks = list(db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)))
    if not _may_see_instance(user, instance, tasks):
        raise forbidden("您无权查看该案件", "not_involved")
    return instance
