"""Starting cases and acting on their tasks. Each public function is one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import defaultload, lazyload

from workflows.assignment import DRAFTING_DEPARTMENT
from workflows.engine.parser import ParsedDefinition
from workflows.engine.runner import TaskNotReady
from workflows.engine.serializer import GovWorkflow
from workflows.engine.step_errors import STEP_ERRORS, refusal_title, step_problem, unknown_deadlines
from workflows.engine.timers import SERVICE_TZ
from workflows.forms import Form, validate
from workflows.handlers import Refused
from workflows.text import text_problem

from ..errors import ServiceError, conflict, forbidden, invalid, not_found
from ..extensions import db
from ..models import Department, HumanTask, OpinionKind, ProcessDefinition, ProcessInstance, User
from ..models.events import EventKind
from . import (
    applicant,
    case_links,
    clock_actions,
    clocks,
    completion_hooks,
    opinions,
    published_replies,  # noqa: F401 - registers its completion hook
    routing,
    tracking,
)
from .deployment import newest_definition
from .engine import clock, clock_at, engine, now
from .org import can_act_on_task, can_start, department_by_code, home_department, org_view
from .progress import record_step
from .unit import event, in_transaction, in_transaction_then
from .writes import versioned_update

T = TypeVar("T")
OWNING_DEPARTMENT_FIELD = "owning_department"
STEP_ATTEMPTS = 3


def start_case(user: User, key: str, data: Any) -> ProcessInstance:
    """Start the newest version of a diagram with the start form's data."""
    return tracking.numbered(lambda: in_transaction(lambda: _start(user, key, data)))


def start_and_read(user: User, key: str, data: Any, read: Callable[[ProcessInstance], T]) -> T:
    """start_case, answering `read` of the new case in the same transaction, history included."""
    return tracking.numbered(lambda: in_transaction_then(lambda: _start(user, key, data), read))


def complete_task(user: User, task_id: int, data: Any) -> HumanTask:
    """Complete a task with form data and move the case on to its next tasks.

    Two departments answering their parallel tasks of one case at the same moment both change the
    case: the later step then finds it changed and is run again on the case as it now is. Every
    check is made again, so a task someone else completed or claimed meanwhile is still a 409.
    """
    return _stepping(lambda: _complete(user, task_id, data))


def complete_and_next(user: User, task_id: int, data: Any) -> tuple[HumanTask, list[HumanTask]]:
    """complete_task, and the tasks of the case this person may act on next (next_for), read in the
    same transaction: the step holds the case's lock, so they are what a read after the commit
    would find, without a second transaction (issue 15)."""

    def work() -> tuple[HumanTask, list[HumanTask]]:
        done = _complete(user, task_id, data)
        if done.has_clock:
            _ = done.own_clock  # how its deadline ended, read here rather than in a transaction of its own
        return done, next_for(user, done.instance_id)

    return _stepping(work)


def _stepping(work: Callable[[], T]) -> T:
    """Run a step in its own transaction, again on the case as it now is if a parallel step changed
    it meanwhile (at most STEP_ATTEMPTS times)."""
    for attempt in range(1, STEP_ATTEMPTS + 1):
        try:
            return in_transaction(work)
        except ServiceError as err:
            if err.code != "concurrent_modification" or attempt == STEP_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def advance_case(instance_id: int, moment: datetime | None = None) -> bool:
    """Fire the due timers of one case and move it on (the sweep's job); False if none was due."""
    with clock_at(moment):
        return in_transaction(lambda: _advance(instance_id))


def claim_task(user: User, task_id: int) -> HumanTask:
    """Take a task from the department queue into one's own inbox."""
    return in_transaction(lambda: _claim(user, task_id))


def unclaim_task(user: User, task_id: int) -> HumanTask:
    """Put a claimed task back into the department queue."""
    return in_transaction(lambda: _unclaim(user, task_id))


def transfer_task(user: User, task_id: int, department: Any, reason: Any) -> HumanTask:
    """Send a task to another department with a reason; its deadline keeps running (ESC-3)."""
    return in_transaction(lambda: _transfer(user, task_id, department, reason))


def _start(user: User, key: str, data: Any) -> ProcessInstance:
    row, parsed = startable(key)
    if not can_start(user, parsed.start_lane):
        raise forbidden(f"您不能发起“{parsed.name}”：应由泳道“{parsed.start_lane}”的人员发起", "not_starter")
    values = validated(engine().profile.offered(parsed.start_form or Form()), data)
    owner = home_department(user)
    # Set here, after the form: nobody can claim to have drafted in another department (PUB-15).
    values[DRAFTING_DEPARTMENT] = owner.code if owner else None
    return begin_case(row, parsed, values, user, owner)


def startable(key: str) -> tuple[ProcessDefinition, ParsedDefinition]:
    """The newest deployed version of a diagram, stored and parsed; 404 when there is none."""
    row = newest_definition(key)
    if row is None:
        raise not_found(f"流程“{key}”", "process_definition_not_found")
    return row, engine().definition(row)


def begin_case(
    row: ProcessDefinition,
    parsed: ParsedDefinition,
    values: dict[str, Any],
    user: User | None,
    owner: Department | None,
) -> ProcessInstance:
    """Start a case with start-form values already checked, by a person or (user None) by the public,
    inside the caller's transaction: the case, its first tasks, its clocks and its history."""
    form = parsed.start_form or Form()
    if values.get(OWNING_DEPARTMENT_FIELD):
        owner = department_by_code(values[OWNING_DEPARTMENT_FIELD])
        _check_owner(parsed, owner.code, form, values)
    at = clock()
    workflow = run_engine(lambda: engine().runner.start(parsed, values, at))
    instance = ProcessInstance(
        definition=row,
        tracking_number=tracking.free_number(parsed.tracking_prefix, at.now().astimezone(SERVICE_TZ).year),
        status="running",
        owning_department=owner,
        started_by_id=user.id if user else None,
        started_at=at.now(),
        state="",
        data={},
    )
    db.session.add(instance)
    db.session.flush()  # the id the history lines name
    event(instance, user, EventKind.STARTED, details={"definition": row.key, "version": row.version})
    for kind, details in clock_actions.case_started(instance, parsed, values):
        event(instance, user, kind, details=details)
    with _naming_the_field(form, values):
        record_step(instance, workflow, user, [], parsed)
    return instance


def _complete(user: User, task_id: int, data: Any) -> HumanTask:
    lock_case_of(task_id)
    open_rows = open_tasks_of_case(task_id)  # loads the task itself too: one query, not two
    task = task_to_act_on(user, task_id)
    refuse_while_delegated(task)
    if task.assignee_id is not None and task.assignee_id != user.id and not user.is_admin:
        raise claimed_by_other(task)
    return completion_step(user, task, open_rows, data)


def complete_as_system(task_id: int, data: Any) -> HumanTask:
    """Complete a task on nobody's behalf inside the caller's transaction (the applicant's online
    补正 through the public status page): the same step as a person's, with no person named."""
    lock_case_of(task_id)
    open_rows = open_tasks_of_case(task_id)
    task = next((row for row in open_rows if row.id == task_id), None)
    if task is None:
        raise conflict("该任务已不在待办状态", "task_not_open")
    return completion_step(None, task, open_rows, data)


def completion_step(user: User | None, task: HumanTask, open_rows: list[HumanTask], data: Any) -> HumanTask:
    """What completing `task` does once the caller has checked who may: validate, move the workflow,
    close the task, and write its opinion, clocks, notices and history (`user` None: the system)."""
    instance = task.instance
    parsed = engine().definition(instance.definition)
    form = engine().profile.offered(parsed.form_for(task.task_spec))
    # The case data is loaded only when the form needs it: a step replaces it anyway.
    values = validated(form, data, instance.data if form.needs_case_data() else None)
    if user is not None:  # a step that links cases names who linked them; the system links none
        values = case_links.follow(user, instance, parsed, task, values)
    runner = engine().runner
    workflow = runner.loads(instance.state, parsed, clock())
    try:
        unanswered = [f.name for f in form.fields if f.name not in values]
        run_engine(lambda: runner.complete(workflow, task.spiff_task_id, values, unanswered))
    except TaskNotReady as err:
        raise conflict("该任务已不在待办状态", "task_not_open") from err
    versioned_update(
        task, status="done", assignee=task.assignee or user, completed_at=now(), completed_by=user
    )
    moved = {}
    if values.get(OWNING_DEPARTMENT_FIELD):
        moved["owning_department"] = department_by_code(values[OWNING_DEPARTMENT_FIELD])
        _check_owner(parsed, values[OWNING_DEPARTMENT_FIELD], form, values)
    event(instance, user, EventKind.TASK_COMPLETED, task, {"task": task.name, "data": values})
    opinions.record_completion(instance, parsed, task, user, values)
    case_data = runner.case_data(workflow)  # the case as this step leaves it
    for kind, details in clock_actions.task_closed(instance, parsed, task, values, case_data):
        event(instance, user, kind, task, details)
        if kind == EventKind.DEADLINE_EXTENDED:
            applicant.tell_of_extension(instance, case_data, details)
    applicant.send_notices(instance, parsed, task, values, case_data)
    completion_hooks.run(instance, task, values, case_data)
    with _naming_the_field(form, values):
        record_step(instance, workflow, user, open_rows, parsed, **moved)
    return task


def _advance(instance_id: int) -> bool:
    # FOR UPDATE: two workers given the same case take turns; the second finds nothing due.
    instance = db.session.get(ProcessInstance, instance_id, with_for_update={"of": ProcessInstance})
    if instance is None or instance.status != "running":
        return False
    if instance.next_timer_at is None or instance.next_timer_at > now():
        return False
    parsed = engine().definition(instance.definition)
    query = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    open_rows = list(db.session.scalars(query))
    runner = engine().runner
    workflow = runner.loads(instance.state, parsed, clock())
    run_engine(lambda: runner.advance(workflow))
    event(instance, None, EventKind.TIMERS_FIRED, details={"at": now().isoformat()})
    record_step(instance, workflow, None, open_rows, parsed)
    return True


def _claim(user: User, task_id: int) -> HumanTask:
    task = task_to_act_on(user, task_id)
    refuse_while_delegated(task)
    if task.assignee_id == user.id:
        return task
    if task.assignee_id is not None:
        raise claimed_by_other(task)
    versioned_update(task, assignee=user)
    event(task.instance, user, EventKind.TASK_CLAIMED, task, {"task": task.name})
    return task


def _unclaim(user: User, task_id: int) -> HumanTask:
    task = task_to_act_on(user, task_id)
    refuse_while_delegated(task)
    if task.assignee_id is None:
        return task
    if task.assignee_id != user.id and not user.is_admin:
        raise forbidden("只能退回自己签收的任务", "not_assignee")
    # A delegate's draft answer was made for the one who gives the task up: it goes with them.
    versioned_update(task, assignee=None, draft=None)
    event(task.instance, user, EventKind.TASK_UNCLAIMED, task, {"task": task.name})
    return task


def _transfer(user: User, task_id: int, department: Any, reason: Any) -> HumanTask:
    lock_case_of(task_id)
    task = task_to_act_on(user, task_id)
    refuse_while_delegated(task)
    errors = []
    if not isinstance(reason, str) or not reason.strip():
        errors.append({"field": "reason", "code": "required", "message": "请填写转办理由"})
    elif problem := text_problem(reason):
        errors.append({"field": "reason", "code": "invalid_text", "message": f"转办理由{problem}"})
    known = org_view().departments
    if not isinstance(department, str) or department not in known:
        errors.append({"field": "department", "code": "not_allowed", "message": "请选择有效的部门"})
    elif department == task.department.code:
        errors.append({"field": "department", "code": "same_department", "message": "任务已在该部门"})
    if errors:
        raise invalid("转办信息不完整", errors)
    target = department_by_code(department)
    instance = task.instance
    details = {"task": task.name, "from": task.department.name, "to": target.name}
    parsed = engine().definition(instance.definition)
    named_by = parsed.lane_department_fields.get(task.lane or "")
    if named_by:
        # One of several parallel departments (a co-handler): the task's own data names it, so the
        # answer is recorded under the department that gives it; the case's owner stays.
        runner = engine().runner
        workflow = runner.loads(instance.state, parsed, clock())
        try:
            runner.set_task_value(workflow, task.spiff_task_id, named_by, target.code)
        except TaskNotReady as err:
            raise conflict("该任务已不在待办状态", "task_not_open") from err
        versioned_update(instance, state=runner.dumps(workflow))
    elif instance.owning_department_id == task.department_id:
        versioned_update(instance, owning_department=target)
    # The reason is an opinion given in the department the task leaves (recorded before it moves).
    opinions.record_opinion(instance, task, user, reason, f"转办至{target.name}", OpinionKind.TRANSFER)
    versioned_update(task, department=target, assignee=None, draft=None)
    event(instance, user, EventKind.TASK_TRANSFERRED, task, {**details, "reason": reason.strip()})
    return task


def _check_owner(parsed: ParsedDefinition, code: str, form: Form, values: dict[str, Any]) -> None:
    with _naming_the_field(form, values):
        routing.check_owner(parsed, code)


@contextmanager
def _naming_the_field(form: Form, values: dict[str, Any]) -> Iterator[None]:
    """A task that would reach nobody is refused as the answer's fault, naming the field that chose where."""
    try:
        yield
    except routing.Unstaffed as err:
        raise err.naming_field(form, values) from err


def refuse_while_delegated(task: HumanTask) -> None:
    """委派: while a colleague works on the task, nobody claims, releases, transfers or completes it."""
    if task.delegated:
        delegate = task.delegate.name if task.delegate else "他人"
        raise conflict(f"该任务已委派给{delegate}办理，须待其交回或收回委派", "task_delegated")


def claimed_by_other(task: HumanTask):
    holder = task.assignee.name if task.assignee else "他人"
    return conflict(f"该任务已由{holder}签收", "task_claimed_by_other")


def task_to_act_on(user: User, task_id: int) -> HumanTask:
    task = db.session.get(HumanTask, task_id)
    if task is None:
        raise not_found("任务", "task_not_found")
    if not can_act_on_task(user, task):
        raise forbidden("您不是该任务所属部门的办理人员", "not_task_department")
    if task.barred_user_id == user.id:
        raise forbidden("该任务审核的是您本人办理的工作，须由他人审核", "own_work")
    if task.status != "open":
        raise conflict("该任务已不在待办状态", "task_not_open")
    return task


def validated(form: Form, data: Any, case_data: dict[str, Any] | None = None) -> dict[str, Any]:
    departments = list(org_view().departments)
    result = validate(form, data if data is not None else {}, departments, case_data, clocks.today())
    if result.errors:
        errors = [{"field": e.field, "code": e.code, "message": e.message} for e in result.errors]
        raise invalid("提交的数据有误：" + "；".join(e["message"] for e in errors), errors)
    return result.data


def run_engine(step: Callable[[], T]) -> T:
    """Run engine work; a diagram that breaks the step is a 422 naming its element, nothing is stored
    (also when an element it reached names a deadline the profile lacks: the clocks read it next)."""
    cause: Exception | None = None
    try:
        result = step()
        problems = unknown_deadlines(result, engine().profile) if isinstance(result, GovWorkflow) else []
    except STEP_ERRORS as err:
        if isinstance(err.__cause__, Refused):  # the answer's fault, not the diagram's
            refused = err.__cause__
            raise invalid(
                refused.message, [{"field": refused.field, "code": refused.code, "message": refused.message}]
            ) from err
        cause, problems = err, [step_problem(err)]
    if problems:
        errors = [p.to_dict() for p in problems]
        raise ServiceError("workflow_error", refusal_title(problems), 422, errors=errors) from cause
    return result


def lock_case_of(task_id: int) -> None:
    """Take the case's write lock before reading its state.

    Departments answering parallel tasks of one case at once then take turns, each reading the
    state the one before it committed, instead of all reading one state and all but one conflicting.
    PostgreSQL locks the row (FOR NO KEY UPDATE: a claim on one of the case's tasks still writes
    its history line, whose reference to the case needs only a key-share lock; FOR UPDATE would make
    the two wait for each other, a deadlock, when the step then changes that task). SQLite has no
    row locks: a write that changes nothing takes its database write lock, waiting for the one
    before (its driver begins the transaction at the first write, so no earlier read has pinned an
    older snapshot).
    """
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    db.session.execute(_lock_case_statement(sqlite, by_task=True), {"key": task_id})


def lock_case(instance_id: int) -> None:
    """lock_case_of for a case known by its id: a sweep's job on one of its clocks takes the case
    first too, so it and a step lock case, task and clock in the same order and never deadlock."""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    db.session.execute(_lock_case_statement(sqlite, by_task=False), {"key": instance_id})


@cache
def _lock_case_statement(sqlite: bool, *, by_task: bool):
    key: Any = bindparam("key")
    case = select(HumanTask.instance_id).where(HumanTask.id == key).scalar_subquery() if by_task else key
    if sqlite:
        return (
            update(ProcessInstance)
            .where(ProcessInstance.id == case)
            .values(version=ProcessInstance.version)
            .execution_options(synchronize_session=False)
        )
    return select(ProcessInstance.id).where(ProcessInstance.id == case).with_for_update(key_share=True)


def open_tasks_of(instance_id: int) -> list[HumanTask]:
    """The open inbox rows of a case, oldest first."""
    return list(db.session.scalars(_open_rows_query(), {"instance_id": instance_id}))


def next_for(user: User, instance_id: int) -> list[HumanTask]:
    """The open tasks of a case this person may act on now (theirs or their department's, not barred
    by four eyes): what a completion answers with, so a client needs no second call."""
    return [
        row
        for row in db.session.scalars(_next_tasks_query(), {"instance_id": instance_id})
        if row.assignee_id in (None, user.id) and row.barred_user_id != user.id and can_act_on_task(user, row)
    ]


@cache
def _open_rows_query():
    open_rows = (HumanTask.instance_id == bindparam("instance_id"), HumanTask.status == "open")
    return select(HumanTask).where(*open_rows).order_by(HumanTask.id)


@cache
def _next_tasks_query():
    # The step that asks holds the case in the session: its state is not read a second time.
    return _open_rows_query().options(lazyload(HumanTask.instance), lazyload(HumanTask.completed_by))


def open_tasks_of_case(task_id: int) -> list[HumanTask]:
    """The open inbox rows of the case a task belongs to, read before anything changes."""
    return list(db.session.scalars(_open_tasks_query(), {"task_id": task_id}))


@cache
def _open_tasks_query():
    case = select(HumanTask.instance_id).where(HumanTask.id == bindparam("task_id")).scalar_subquery()
    return (
        select(HumanTask)
        .where(HumanTask.instance_id == case, HumanTask.status == "open")
        # Open tasks have nobody who completed them; the assignee is loaded only if asked for.
        .options(
            lazyload(HumanTask.assignee),
            lazyload(HumanTask.completed_by),
            # The step replaces the case data from the workflow; parsing the old copy is wasted.
            defaultload(HumanTask.instance).defer(ProcessInstance.data),
        )
    )
