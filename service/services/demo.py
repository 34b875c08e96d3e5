"""The demo organisation `make run` starts with (idempotent)."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from workflows.assignment import OrgView, Role

from ..extensions import db
from ..models import Department, Membership, User
from . import audit
from .engine import now
from .org import add_oversight, forget_departments
from .screening import load_starter_terms

DEPARTMENTS = [
    # code, name, is_leadership
    ("leadership", "局领导", True),
    ("office", "办公室", False),
    ("secrecy", "保密室", False),
    ("info_center", "信息中心", False),
    ("petition", "信访处", False),
    ("legal", "法规处", False),
    ("planning", "规划处", False),
    ("finance", "财务处", False),
]

PEOPLE = [
    # username, name, department, role, departments overseen
    ("zhang.wei", "张伟", "office", Role.INFORMATION_OFFICER, ()),
    ("li.na", "李娜", "office", Role.SECTION_HEAD, ()),
    ("ma.li", "马丽", "secrecy", Role.MEMBER, ()),
    ("xu.ming", "徐明", "info_center", Role.INFORMATION_OFFICER, ()),
    # The centre's head: approves the centre's own news (PUB-15, guangdong-land 003 ch.3).
    ("gao.yan", "高燕", "info_center", Role.SECTION_HEAD, ()),
    ("hu.jun", "胡军", "petition", Role.MEMBER, ()),
    ("chen.jing", "陈静", "legal", Role.SECTION_HEAD, ()),
    ("wang.fang", "王芳", "planning", Role.INFORMATION_OFFICER, ()),
    ("liu.yang", "刘洋", "planning", Role.SECTION_HEAD, ()),
    # A second planning officer: a colleague to delegate a task to (委派, issue 11).
    ("wu.min", "吴敏", "planning", Role.INFORMATION_OFFICER, ()),
    (
        "zhao.lei",
        "赵磊",
        "leadership",
        Role.LEADER_IN_CHARGE,
        ("office", "secrecy", "info_center", "planning"),
    ),
    ("sun.li", "孙丽", "leadership", Role.LEADER_IN_CHARGE, ("petition", "legal", "finance")),
    ("zhou.qiang", "周强", "leadership", Role.PRINCIPAL_LEADER, ()),
]

DEMO_PASSWORD = "govflow-demo"


def org_view() -> OrgView:
    """The demo organisation as assignment sees it, without a database (for `validate --org demo`)."""
    leadership = next(code for code, _, is_leadership in DEPARTMENTS if is_leadership)
    return OrgView({code: name for code, name, _ in DEPARTMENTS}, leadership)


def seed_demo(password: str = DEMO_PASSWORD) -> dict[str, int]:
    """Create the demo departments, people and an administrator where they are missing, and load
    the starter 错敏 word list into an empty one."""
    created = {"departments": 0, "users": 0}
    depts = {}
    for order, (code, name, leadership) in enumerate(DEPARTMENTS):
        dept = db.session.scalar(select(Department).where(Department.code == code))
        if dept is None:
            dept = Department(code=code, name=name, is_leadership=leadership, sort_order=order)
            db.session.add(dept)
            created["departments"] += 1
        depts[code] = dept
    db.session.flush()
    for username, name, dept_code, role, overseen in [("admin", "系统管理员", None, None, ())] + PEOPLE:
        if db.session.scalar(select(User).where(User.username == username)):
            continue
        user = User(
            username=username,
            name=name,
            password_hash=generate_password_hash(password),
            is_admin=dept_code is None,
            created_at=now(),
            # Demo people log in with the shared demo password without a forced change (make run);
            # it still ages from the seeding like any other password (ORG-2).
            password_changed_at=now(),
        )
        if dept_code and role:
            user.memberships.append(Membership(department=depts[dept_code], role=role.value))
        for code in overseen:
            add_oversight(user, depts[code])
        db.session.add(user)
        created["users"] += 1
    if created["departments"] or created["users"]:
        summary = f"创建演示组织：新增 {created['departments']} 个部门、{created['users']} 个账号"
        audit.record(None, audit.AuditKind.DEMO_SEEDED, "organisation", "demo", summary, after=dict(created))
    db.session.commit()
    forget_departments()
    created["terms"] = load_starter_terms()
    return created
