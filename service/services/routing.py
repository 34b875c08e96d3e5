"""Who a new task reaches: the department and role its lane names, someone there able to act, and
four eyes (nobody approves their own work). A task that would reach nobody refuses the step that
made it, naming the department and the role, instead of waiting for ever. A task marked
govflow:assignee is held at once by the person its data names, who must act for that department."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from workflows.assignment import OWNING_DEPARTMENT_LANE, Assignment, AssignmentError, Role, assign
from workflows.engine.parser import ParsedDefinition
from workflows.engine.runner import ReadyTask
from workflows.forms import Form

from ..errors import ServiceError, invalid
from ..extensions import db
from ..models import HumanTask, ProcessInstance, User
from .engine import engine
from .org import acts_for, department_by_code, org_view, someone_acts_for

ANY_STAFF = "工作人员"


@dataclass
class Unstaffed(ServiceError):
    """A task would land where nobody can act; `department` is the code of the department concerned."""

    department: str = ""

    def naming_field(self, form: Form, values: Mapping[str, Any]) -> ServiceError:
        """The refusal as a 422 naming the form field that chose the department, if one did."""
        chosen = next(
            (
                f.name
                for f in form.fields
                if f.type in ("department", "departments")
                and (values.get(f.name) == self.department or self.department in (values.get(f.name) or ()))
            ),
            None,
        )
        return invalid(self.message, [{"field": chosen, "code": "nobody_to_act", "message": self.message}])


@dataclass
class Unassignable(Unstaffed):
    """A task's named person (govflow:assignee) cannot hold it; `field` is the field that named them."""

    def naming_field(self, form: Form, values: Mapping[str, Any]) -> ServiceError:
        return invalid(self.message, [{"field": self.field, "code": self.code, "message": self.message}])


def route(instance: ProcessInstance, parsed: ParsedDefinition, ready: ReadyTask, owner: str | None):
    """The assignment of a task just made ready, and the person barred from it (four eyes)."""
    try:
        decision = assign(ready.lane, owner, org_view(), ready.department)
    except AssignmentError as err:
        raise ServiceError("assignment_failed", f"无法确定任务“{ready.name}”的办理部门：{err}", 422) from err
    barred = _barred(instance, parsed, ready.spec_name)
    for candidate in [decision, *(_substitutes(decision) if barred else [])]:
        if _staffed(candidate, barred):
            return candidate, barred
    raise _nobody(decision, ready.name, barred is not None)


def named_assignee(
    parsed: ParsedDefinition, ready: ReadyTask, decision: Assignment, barred: int | None
) -> User | None:
    """The person a task marked govflow:assignee is given to: an active member of the department
    (in the lane's role, if it names one), not barred by four eyes; else the step is refused,
    naming the field (PUB-15: the host unit's 指派专人). None for a task without the markup."""
    if ready.assignee is None:
        return None
    field = parsed.assignee_fields.get(ready.spec_name, "")
    department = department_by_code(decision.department)
    role = decision.role.value if decision.role else None
    person = db.session.scalars(select(User).where(User.username == ready.assignee)).first()
    who = person.name if person else f"用户名“{ready.assignee}”"
    if not ready.assignee:
        problem = f"请填写办理“{ready.name}”的人员的用户名"
    elif person is None:
        problem = f"没有用户名为“{ready.assignee}”的人员，无法办理“{ready.name}”"
    elif not person.active:
        problem = f"{who}的账号已停用，不能办理“{ready.name}”"
    elif person.is_admin or not acts_for(person, department.id, role):
        as_role = f"的{decision.role.label}" if decision.role else "的人员"
        problem = f"{who}不是{department.name}{as_role}，不能办理“{ready.name}”"
    elif person.id == barred:
        problem = f"{who}不能审核本人办理的工作（“{ready.name}”）"
    else:
        return person
    message = f"{problem}，请填写{department.name}的人员"
    raise Unassignable("assignee_not_allowed", message, 422, field=field, department=decision.department)


def check_owner(parsed: ParsedDefinition, code: str) -> None:
    """Refuse an owning department that cannot staff every lane the diagram reads relative to the owner."""
    org = org_view()
    for task_id, lane in sorted(parsed.user_task_lanes.items()):
        if lane in parsed.lane_department_fields:
            continue
        try:
            decision = assign(lane, code, org)
        except AssignmentError:
            continue  # a lane that does not depend on the owner is checked when its task opens
        relative = (lane or OWNING_DEPARTMENT_LANE) == OWNING_DEPARTMENT_LANE or decision.department == code
        if relative and not _staffed(decision, None):
            spec = parsed.spec.task_specs.get(task_id)  # type: ignore[attr-defined]
            name = getattr(spec, "bpmn_name", None) or task_id
            raise _nobody(decision, name, False)


def _barred(instance: ProcessInstance, parsed: ParsedDefinition, spec_name: str) -> int | None:
    approved = parsed.approves.get(spec_name)
    if approved is None:
        return None
    query = (
        select(HumanTask.completed_by_id)
        .where(HumanTask.instance_id == instance.id, HumanTask.task_spec == approved)
        .where(HumanTask.status == "done")
        .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc())
    )
    return db.session.scalars(query.limit(1)).first()


def _substitutes(decision: Assignment) -> list[Assignment]:
    """Those who approve instead of a drafter holding the lane's role: the profile's roles above it."""
    chain = list(engine().profile.substitutes)
    above = chain[chain.index(decision.role) + 1 :] if decision.role in chain else chain
    leadership = org_view().leadership_department
    found = []
    for role in above:
        department = leadership if role is Role.PRINCIPAL_LEADER else decision.department
        if department:
            reason = f"{decision.reason}；起草人不能审核本人的工作，改由{role.label}办理"
            found.append(replace(decision, department=department, role=role, reason=reason))
    return found


def _staffed(decision: Assignment, barred: int | None) -> bool:
    role = decision.role.value if decision.role else None
    return someone_acts_for(department_by_code(decision.department).id, role, barred)


def _nobody(decision: Assignment, task_name: str, four_eyes: bool) -> Unstaffed:
    department = org_view().departments[decision.department]
    role = decision.role.label if decision.role else ANY_STAFF
    message = f"{department}没有能以“{role}”身份办理“{task_name}”的人员"
    if four_eyes:
        message += "（起草人不能审核本人的工作，也没有可以代为审核的领导）"
    message += "，请选择其他部门或联系管理员"
    return Unstaffed("nobody_to_act", message, 422, department=decision.department)
