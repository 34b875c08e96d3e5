"""People and departments: lookups, permissions, accounts and tokens."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import and_, bindparam, false, null, or_, select, true, union_all, update
from sqlalchemy.orm import joinedload, make_transient_to_detached
from werkzeug.security import generate_password_hash

from workflows.assignment import AssignmentError, OrgView, Role, assign

from ..errors import ServiceError, not_found
from ..extensions import db
from ..models import ApiToken, Department, HumanTask, Membership, Oversight, User
from ..models.types import UTCDateTime
from .engine import now

DEPARTMENTS_TTL = 30.0
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
_departments_lock = threading.Lock()


def _snapshot() -> dict[str, Department]:
    """Departments by code, as detached read-only copies kept per process.

    Every request needs them (validation, assignment); departments change a few times a year. A
    change made in this process is seen at once (forget_departments), another process's within
    DEPARTMENTS_TTL seconds.
    """
    store = current_app.extensions.setdefault("govflow_departments", {})
    with _departments_lock:
        cached = store.get("snapshot")
        if cached is not None and time.monotonic() - cached[0] < DEPARTMENTS_TTL:
            return cached[1]
    with db.session.no_autoflush:
        rows = db.session.scalars(_departments_query()).all()
    fresh = {}
    for row in rows:
        # Copies outside any session: each request merges the ones it uses into its own session.
        copy = Department(
            id=row.id,
            code=row.code,
            name=row.name,
            is_leadership=row.is_leadership,
            sort_order=row.sort_order,
        )
        make_transient_to_detached(copy)
        fresh[row.code] = copy
    with _departments_lock:
        store["snapshot"] = (time.monotonic(), fresh)
    return fresh


def forget_departments() -> None:
    """Drop this process's copy of the departments (after one was added or changed)."""
    with _departments_lock:
        current_app.extensions.setdefault("govflow_departments", {}).pop("snapshot", None)


@cache
def _departments_query():
    return select(Department).order_by(Department.sort_order)


def departments() -> list[Department]:
    """Every department, in display order (read-only copies)."""
    return sorted(_snapshot().values(), key=lambda d: d.sort_order)


def org_view() -> OrgView:
    """The organisation as assignment rules see it."""
    departments = _snapshot()
    leadership = next((d.code for d in departments.values() if d.is_leadership), None)
    return OrgView({d.code: d.name for d in departments.values()}, leadership)


def department_by_code(code: str) -> Department:
    """The department with this code, as an object of the current session (no query)."""
    copy = _snapshot().get(code)
    if copy is None:
        raise not_found(f"部门“{code}”", "department_not_found")
    # The session's own instance if it has one, else one built from the copy; never the copy itself.
    return db.session.merge(copy, load=False)


def home_department(user: User) -> Department | None:
    """The department a person acts for by default (their first membership)."""
    return user.memberships[0].department if user.memberships else None


def visible_department_ids(user: User) -> set[int]:
    """Departments whose inbox a person may look into: their own and those they oversee."""
    return {m.department_id for m in user.memberships} | {o.department_id for o in user.oversights}


LEADER_ROLES = (Role.LEADER_IN_CHARGE.value, Role.PRINCIPAL_LEADER.value)


def is_leader(user: User) -> bool:
    """Does this person hold a leader's role or oversee a department (the leader pages are theirs)?"""
    return any(m.role in LEADER_ROLES for m in user.memberships) or bool(user.oversights)


def can_see_task(user: User, task: HumanTask) -> bool:
    return user.is_admin or task.department_id in visible_department_ids(user)


def can_act_on_task(user: User, task: HumanTask) -> bool:
    """May this person claim and complete this task (its department, and its role if any)?"""
    return acts_for(user, task.department_id, task.role)


def can_start(user: User, start_lane: str | None) -> bool:
    """May this person start a case whose start event sits in this lane? The lane is read relative
    to their own department (a 信息员 drafts for their department, PUB-1); no lane: anyone on staff.
    An administrator may start any case whose lane names a department without needing theirs."""
    if start_lane is None:
        return True
    home = home_department(user)
    try:
        decision = assign(start_lane, home.code if home else None, org_view())
    except AssignmentError:
        return False  # the lane is relative to a department this person does not have
    role = decision.role.value if decision.role else None
    return acts_for(user, department_by_code(decision.department).id, role)


def acts_for(user: User, department_id: int, role: str | None) -> bool:
    """Does this person act for the department in that role (anyone of it when role is None)?"""
    if user.is_admin:
        return True
    if role is None:
        return any(m.department_id == department_id for m in user.memberships)
    if role == Role.LEADER_IN_CHARGE.value:
        return any(o.department_id == department_id for o in user.oversights)
    return any(m.department_id == department_id and m.role == role for m in user.memberships)


def acts_for_clause(user: User):
    """The tasks this person may act on by department and role (acts_for as SQL), barring four eyes."""
    member_of = [m.department_id for m in user.memberships]
    by_role = [
        and_(HumanTask.department_id == m.department_id, HumanTask.role == m.role)
        for m in user.memberships
        if m.role != Role.LEADER_IN_CHARGE.value  # a leader in charge acts through oversight
    ]
    overseen = [o.department_id for o in user.oversights]
    return and_(
        or_(
            and_(HumanTask.role.is_(None), HumanTask.department_id.in_(member_of or [-1])),
            and_(
                HumanTask.role == Role.LEADER_IN_CHARGE.value, HumanTask.department_id.in_(overseen or [-1])
            ),
            *by_role,
        ),
        or_(HumanTask.barred_user_id.is_(None), HumanTask.barred_user_id != user.id),
    )


def someone_acts_for(department_id: int, role: str | None, barred_user_id: int | None = None) -> bool:
    """Is there an active person (administrators aside) who acts for the department in that role?"""
    return bool(_staffing().get((department_id, role), frozenset()) - {barred_user_id})


def _staffing() -> dict[tuple[int, str | None], frozenset[int]]:
    """Who acts for each (department, role), and for each department in any role (None), read once
    per transaction: a step checks several lanes and tasks, each would otherwise be a query."""
    transaction = db.session().get_transaction()
    cached = db.session.info.get("govflow_staffing")
    if cached is not None and cached[0] is transaction:
        return cached[1]
    found: dict[tuple[int, str | None], set[int]] = {}
    for department_id, role, user_id, oversight in db.session.execute(_staffing_query()):
        if oversight:
            found.setdefault((department_id, Role.LEADER_IN_CHARGE.value), set()).add(user_id)
            continue
        found.setdefault((department_id, None), set()).add(user_id)
        if role != Role.LEADER_IN_CHARGE.value:  # a leader in charge acts through oversight (acts_for)
            found.setdefault((department_id, role), set()).add(user_id)
    staffing = {key: frozenset(ids) for key, ids in found.items()}
    db.session.info["govflow_staffing"] = (transaction, staffing)
    return staffing


@cache
def _staffing_query():
    people = (User.active.is_(True), User.is_admin.is_(False))
    members = select(Membership.department_id, Membership.role, Membership.user_id, false())
    leaders = select(Oversight.department_id, null(), Oversight.leader_id, true())
    return union_all(
        members.join(User, User.id == Membership.user_id).where(*people),
        leaders.join(User, User.id == Oversight.leader_id).where(*people),
    )


def create_user(
    username: str,
    name: str,
    password: str,
    *,
    department: str | None = None,
    role: str | None = None,
    admin: bool = False,
) -> User:
    """Create an account; staff need a department, an administrator does not. The password given
    is an initial one: the person changes it at their first log-in."""
    if db.session.scalar(select(User).where(User.username == username)):
        raise ServiceError("username_taken", f"用户名“{username}”已被使用", 409, field="username")
    if not admin and not department:
        raise ServiceError("department_required", "非管理员用户必须指定部门", 422, field="department")
    user = User(
        username=username,
        name=name,
        password_hash=generate_password_hash(password),
        is_admin=admin,
        created_at=now(),
        password_changed_at=now(),
        must_change_password=True,  # ORG-2: an initial password is changed at the first log-in
    )
    if department:
        role_enum = Role.from_text(role or Role.MEMBER.value)
        if role_enum is None:
            raise ServiceError("unknown_role", f"角色“{role}”不存在", 422, field="role")
        user.memberships.append(Membership(department=department_by_code(department), role=role_enum.value))
    db.session.add(user)
    db.session.flush()
    _audit_created(user, department, user.memberships[0].role if user.memberships else None)
    db.session.commit()
    return user


def _audit_created(user: User, department: str | None, role: str | None) -> None:
    """The command line's create-user (no actor): who, in which department and role; never the password."""
    from . import audit

    after = {"name": user.name, "department": department, "role": role, "is_admin": user.is_admin}
    summary = f"创建账号{user.name}（{user.username}）" + ("，系统管理员" if user.is_admin else "")
    audit.record(None, audit.AuditKind.USER_CREATED, "user", user.username, summary, after=after)


def user_for_token(token: str) -> User | None:
    """The active person a bearer token belongs to, if the token is neither revoked nor expired."""
    found = db.session.execute(_user_for_token_query(), {"token_hash": digest(token), "now": now()})
    row = found.unique().first()
    if row is None:
        return None
    user, token_id, last_used = row
    if last_used is None or now() - last_used >= TOKEN_USE_RESOLUTION:
        # Written at most once a TOKEN_USE_RESOLUTION per token: not a write on every call.
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now()))
        db.session.commit()
    return user


@cache
def _user_for_token_query():
    # Built once: constructing the statement and its loader options on every request cost more
    # than running it. Permission checks need department ids and roles, not Department rows.
    return (
        select(User, ApiToken.id, ApiToken.last_used_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == bindparam("token_hash"),
            User.active.is_(True),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > bindparam("now", type_=UTCDateTime()),
        )
        .options(
            joinedload(User.memberships).lazyload(Membership.department),
            # Oversights (leaders in charge only) are loaded when a check needs them.
        )
    )


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_oversight(leader: User, department: Department) -> None:
    if not any(o.department_id == department.id for o in leader.oversights):
        leader.oversights.append(Oversight(department=department))
