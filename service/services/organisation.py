"""Running the organisation (ORG-2): departments, people, their roles and which departments a
leader oversees. Administrators only; each public function is one transaction with its audit entry.
Deactivating a person is service.services.handover."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from workflows.assignment import Role

from ..errors import forbidden, invalid, not_found
from ..extensions import db
from ..models import Department, HumanTask, LoginFailure, Membership, Oversight, ProcessInstance, User
from . import audit
from .accounts import lock_end, policy, temporary_password, user_named
from .audit import AuditKind
from .engine import now
from .org import LEADER_ROLES, forget_departments
from .unit import in_transaction

CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
NAME_MAX = 100


def require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise forbidden("只有系统管理员可以管理部门和人员", "admin_required")


def _refuse(errors: list[dict[str, str]], what: str) -> None:
    if errors:
        raise invalid(f"{what}：" + "；".join(e["message"] for e in errors), errors)


def _problem(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


# --- departments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRow:
    """A department as the administrator's list shows it, with what refers to it."""

    department: Department
    people: int
    tasks: int
    cases: int

    @property
    def deletable(self) -> bool:
        return not (self.people or self.tasks or self.cases)


def department_rows(actor: User) -> list[DepartmentRow]:
    require_admin(actor)
    people = _counts(select(Membership.department_id, func.count()).group_by(Membership.department_id))
    leaders = _counts(select(Oversight.department_id, func.count()).group_by(Oversight.department_id))
    tasks = _counts(select(HumanTask.department_id, func.count()).group_by(HumanTask.department_id))
    cases = _counts(
        select(ProcessInstance.owning_department_id, func.count()).group_by(
            ProcessInstance.owning_department_id
        )
    )
    rows = db.session.scalars(select(Department).order_by(Department.sort_order, Department.id))
    return [
        DepartmentRow(d, people.get(d.id, 0) + leaders.get(d.id, 0), tasks.get(d.id, 0), cases.get(d.id, 0))
        for d in rows
    ]


def _counts(query) -> dict[int, int]:
    return {key: count for key, count in db.session.execute(query) if key is not None}


def create_department(actor: User, body: dict[str, Any]) -> Department:
    """A new department: code (never changed afterwards: diagrams name it), name, leadership, order."""

    def work() -> Department:
        require_admin(actor)
        code = body.get("code")
        errors = []
        if not isinstance(code, str) or not CODE.match(code):
            message = "部门代码须为2至64位小写字母、数字或下划线，以字母开头"
            errors.append(_problem("code", "invalid_code", message))
        elif db.session.scalar(select(Department.id).where(Department.code == code)):
            errors.append(_problem("code", "code_taken", f"部门代码“{code}”已被使用"))
        department = Department(code=code)
        errors += _apply_department(department, body, creating=True)
        _refuse(errors, "部门未创建")
        db.session.add(department)
        db.session.flush()
        after = department_state(department)
        audit.record(
            actor,
            AuditKind.DEPARTMENT_CREATED,
            "department",
            code,
            f"新建部门“{department.name}”",
            after=after,
        )
        return department

    return _then_forget(work)


def update_department(actor: User, code: str, body: dict[str, Any]) -> Department:
    """Rename or reorder a department (or change its leadership flag); its code stays."""

    def work() -> Department:
        require_admin(actor)
        department = db.session.scalar(select(Department).where(Department.code == code))
        if department is None:
            raise not_found(f"部门“{code}”", "department_not_found")
        before = department_state(department)
        _refuse(_apply_department(department, body, creating=False), "部门未修改")
        after = department_state(department)
        if after != before:
            summary = f"修改部门“{before['name']}”" + (
                f"，更名为“{after['name']}”" if after["name"] != before["name"] else ""
            )
            audit.record(
                actor, AuditKind.DEPARTMENT_CHANGED, "department", code, summary, before=before, after=after
            )
        return department

    return _then_forget(work)


def _then_forget(work):
    result = in_transaction(work)
    forget_departments()  # this process sees the change at once; others within the cache's TTL
    return result


def department_state(department: Department) -> dict[str, Any]:
    return {
        "code": department.code,
        "name": department.name,
        "is_leadership": department.is_leadership,
        "sort_order": department.sort_order,
    }


def _apply_department(department: Department, body: dict[str, Any], *, creating: bool) -> list[dict]:
    errors = []
    name = body.get("name", None if creating else department.name)
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > NAME_MAX:
        errors.append(_problem("name", "name_required", f"请填写部门名称（不超过{NAME_MAX}个字）"))
    else:
        taken = select(Department.id).where(Department.name == name, Department.code != department.code)
        if db.session.scalar(taken):
            errors.append(_problem("name", "name_taken", f"部门名称“{name}”已被使用"))
    order = body.get("sort_order", department.sort_order if not creating else _next_order())
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 9999:
        errors.append(_problem("sort_order", "invalid_order", "排序须为0至9999的整数"))
    leadership = body.get("is_leadership", department.is_leadership if not creating else False)
    if not isinstance(leadership, bool):
        errors.append(_problem("is_leadership", "invalid_flag", "领导班子标志须为是或否"))
    elif leadership:
        other = select(Department.name).where(Department.is_leadership.is_(True))
        other_name = db.session.scalar(other.where(Department.code != department.code))
        if other_name:
            message = f"已有领导班子部门“{other_name}”，只能有一个"
            errors.append(_problem("is_leadership", "leadership_taken", message))
    if not errors:
        department.name, department.sort_order, department.is_leadership = name, order, leadership
    return errors


def _next_order() -> int:
    return (db.session.scalar(select(func.max(Department.sort_order))) or 0) + 1


# --- people ------------------------------------------------------------------------------------


def people(actor: User, department: str | None = None, active: bool | None = None) -> list[User]:
    """Everyone, by username; only a department's members, only (in)active ones when asked."""
    require_admin(actor)
    query = select(User).order_by(User.username)
    if department:
        members = select(Membership.user_id).join(Department).where(Department.code == department)
        query = query.where(User.id.in_(members))
    if active is not None:
        query = query.where(User.active.is_(active))
    return list(db.session.scalars(query))


def person(actor: User, username: str) -> User:
    require_admin(actor)
    return user_named(username)


def locked_until(user: User) -> datetime | None:
    """Until when the person's name is locked out after failed log-ins (None: not locked)."""
    rules = policy()
    return lock_end(rules, now(), LoginFailure.username == user.username.casefold(), rules.account_failures)


def create_person(actor: User, body: dict[str, Any]) -> tuple[User, str]:
    """An account with a real name, a username, memberships (department and role) and, for a
    leader, the departments overseen; its initial password is returned once and must be changed at
    the first log-in (ORG-2)."""

    def work() -> tuple[User, str]:
        require_admin(actor)
        username = body.get("username")
        errors = []
        if not isinstance(username, str) or not USERNAME.match(username):
            message = "用户名须为2至64位小写字母、数字或 . _ -，以字母开头"
            errors.append(_problem("username", "invalid_username", message))
        elif db.session.scalar(select(User.id).where(User.username == username)):
            errors.append(_problem("username", "username_taken", f"用户名“{username}”已被使用"))
        user = User(username=username, password_hash="", is_admin=False, created_at=now())
        errors += _apply_person(user, body, creating=True)
        _refuse(errors, "人员未创建")
        initial = temporary_password(user)
        user.password_hash = generate_password_hash(initial)
        user.password_changed_at, user.must_change_password = now(), True
        db.session.add(user)
        db.session.flush()
        summary = f"新建人员“{user.name}”（{username}）"
        audit.record(actor, AuditKind.PERSON_CREATED, "user", username, summary, after=person_state(user))
        return user, initial

    return in_transaction(work)


def update_person(actor: User, username: str, body: dict[str, Any]) -> User:
    """Change a person's name, memberships and (leaders) oversight; what the body leaves out stays."""

    def work() -> User:
        require_admin(actor)
        user = user_named(username)
        before = person_state(user)
        _refuse(_apply_person(user, body, creating=False), "人员未修改")
        db.session.flush()
        after = person_state(user)
        if after != before:
            summary = f"修改人员“{user.name}”（{username}）的信息"
            audit.record(
                actor, AuditKind.PERSON_CHANGED, "user", username, summary, before=before, after=after
            )
        return user

    return in_transaction(work)


def person_state(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "active": user.active,
        "memberships": sorted([m.department.code, m.role] for m in user.memberships),
        "oversees": sorted(o.department.code for o in user.oversights),
    }


def _apply_person(user: User, body: dict[str, Any], *, creating: bool) -> list[dict]:
    errors = []
    name = body.get("name", None if creating else user.name)
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > NAME_MAX:
        errors.append(_problem("name", "name_required", f"请填写真实姓名（不超过{NAME_MAX}个字）"))
    pairs = _memberships(body, user, creating, errors)
    roles = {role for _, role in pairs}
    oversees = _oversees(body, user, creating, errors)
    if oversees and not roles & set(LEADER_ROLES):
        message = "只有分管领导或主要领导可以分管部门"
        errors.append(_problem("oversees", "not_a_leader", message))
    if errors:
        return errors
    user.name = name
    wanted = set(pairs)
    user.memberships[:] = [m for m in user.memberships if (m.department.code, m.role) in wanted]
    have = {(m.department.code, m.role) for m in user.memberships}
    for code, role in sorted(wanted - have):
        user.memberships.append(Membership(department=_department(code), role=role))
    user.oversights[:] = [o for o in user.oversights if o.department.code in oversees]
    have_oversight = {o.department.code for o in user.oversights}
    for code in sorted(set(oversees) - have_oversight):
        user.oversights.append(Oversight(department=_department(code)))
    return []


def _department(code: str) -> Department:
    return db.session.scalars(select(Department).where(Department.code == code)).one()


def _memberships(body, user: User, creating: bool, errors: list) -> list[tuple[str, str]]:
    """(department code, role) pairs from `memberships`: [{"department", "role"}, …]; at least one."""
    if "memberships" not in body and not creating:
        return [(m.department.code, m.role) for m in user.memberships]
    given = body.get("memberships")
    known = set(db.session.scalars(select(Department.code)))
    pairs: list[tuple[str, str]] = []
    for item in given if isinstance(given, list) else [None]:
        item = item if isinstance(item, dict) else {}
        code, role = item.get("department"), Role.from_text(str(item.get("role") or ""))
        if not isinstance(code, str) or code not in known:
            errors.append(_problem("memberships", "unknown_department", f"部门“{code}”不存在"))
        elif role is None:
            errors.append(_problem("memberships", "unknown_role", f"角色“{item.get('role')}”不存在"))
        elif (code, role.value) not in pairs:
            pairs.append((code, role.value))
    if not pairs and not errors:
        errors.append(_problem("memberships", "membership_required", "请至少选择一个部门及角色"))
    return pairs


def _oversees(body, user: User, creating: bool, errors: list) -> list[str]:
    if "oversees" not in body and not creating:
        return [o.department.code for o in user.oversights]
    given = body.get("oversees") or []
    known = set(db.session.scalars(select(Department.code)))
    if not isinstance(given, list) or any(not isinstance(c, str) or c not in known for c in given):
        errors.append(_problem("oversees", "unknown_department", "分管部门须为已有部门的代码"))
        return []
    return sorted(set(given))
