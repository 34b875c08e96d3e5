"""抄送 (issue 11): a case copied to people who only read it, and whether they have read it.

Whoever may act on an open task of a case, or completed one of its tasks, may copy it. A copy lets
its recipient see the case read-only however far it is from their departments (queries.copied_to
widens the case's visibility, never what one may do); opening the case marks their copies read.
Each public function that changes something is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from workflows.assignment import Role
from workflows.text import text_problem

from ..errors import forbidden, invalid, not_found
from ..extensions import db
from ..models import CaseCopy, HumanTask, Membership, Notification, ProcessInstance, User
from ..models.events import EventKind
from .engine import now
from .inbox import case_title
from .notify import notify
from .org import can_act_on_task
from .queries import Page
from .unit import event, in_transaction

MAX_RECIPIENTS = 20
MAX_NOTE = 500
NOTIFICATION_KIND = "copy"


def copy_case(
    user: User, instance_id: int, to: Any, note: Any = None, from_task: int | None = None
) -> list[CaseCopy]:
    """Copy a case to 1–20 active people with an optional note; the copies they now hold unread,
    in the order they were named.

    `from_task` names the step it is sent from when the sender may copy from it; otherwise the
    step is the open one the sender may act on, else the last one they completed. A person who
    already holds an unread copy of the case is not copied again (nor told again).
    """
    return in_transaction(lambda: _copy(user, instance_id, to, note, from_task))


def mark_read(user: User, instance_id: int) -> int:
    """Mark one's copies of a case read (and their notifications); how many were unread.

    Called whenever the case is opened: it writes only when there is something unread.
    """
    if not db.session.scalar(select(_unread_of(user.id, instance_id))):
        return 0
    return in_transaction(lambda: _mark_read(user, instance_id))


def may_copy(user: User, instance_id: int) -> bool:
    """May this person copy this case (what the task page offers)?"""
    return bool(_steps_to_copy_from(user, _tasks_of(instance_id)))


def _tasks_of(instance_id: int) -> list[HumanTask]:
    return list(db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id)))


def _copy(user: User, instance_id: int, to: Any, note: Any, from_task: int | None) -> list[CaseCopy]:
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        raise not_found("案件", "instance_not_found")
    steps = _steps_to_copy_from(user, _tasks_of(instance_id))
    if not steps:
        raise forbidden("只有本案件待办环节的办理人员或办理过本案件的人员可以抄送", "may_not_copy")
    step = next((t for t in steps if t.id == from_task), steps[0])
    recipients, errors = _recipients(user, to)
    text, note_errors = _note(note)
    if errors or note_errors:
        errors += note_errors
        raise invalid("抄送未成功：" + "；".join(e["message"] for e in errors), errors)
    ids = _insert_copies(instance, step, user, recipients, text)
    if ids:
        _tell(instance, step, user, _copies(ids), text)
    held = select(CaseCopy.id).where(
        CaseCopy.instance_id == instance.id,
        CaseCopy.recipient_id.in_([r.id for r in recipients]),
        CaseCopy.read_at.is_(None),
    )
    order = {person.id: place for place, person in enumerate(recipients)}
    return sorted(_copies(list(db.session.scalars(held))), key=lambda c: order[c.recipient_id])


def _steps_to_copy_from(user: User, tasks: Sequence[HumanTask]) -> list[HumanTask]:
    """The steps this person may copy the case from: open ones they may act on, then the ones
    they completed, the latest first."""
    acting = [
        t for t in tasks if t.status == "open" and t.barred_user_id != user.id and can_act_on_task(user, t)
    ]
    done = [t for t in tasks if t.status == "done" and t.completed_by_id == user.id]
    done.sort(key=lambda t: (t.completed_at, t.id), reverse=True)
    return acting + done


def _recipients(sender: User, to: Any) -> tuple[list[User], list[dict[str, str]]]:
    """The people named by username, each once, in the order given; or why not (field `to`)."""

    def error(code: str, message: str) -> tuple[list[User], list[dict[str, str]]]:
        return [], [{"field": "to", "code": code, "message": message}]

    if not isinstance(to, list) or not to or not all(isinstance(name, str) for name in to):
        return error("required", "请选择抄送对象（用户名列表）")
    names = list(dict.fromkeys(name.strip() for name in to if name.strip()))
    if not names:
        return error("required", "请选择抄送对象（用户名列表）")
    if len(names) > MAX_RECIPIENTS:
        return error("too_many", f"一次最多抄送 {MAX_RECIPIENTS} 人")
    if sender.username in names:
        return error("self", "不能抄送给自己")
    query = select(User).where(User.username.in_(names), User.active.is_(True))
    found = {u.username: u for u in db.session.scalars(query)}
    unknown = [name[:64] for name in names if name not in found]
    if unknown:
        shown = "、".join(unknown[:5]) + ("等" if len(unknown) > 5 else "")
        return error("unknown_person", f"以下人员不存在或已停用：{shown}")
    return [found[name] for name in names], []


def _note(note: Any) -> tuple[str, list[dict[str, str]]]:
    if note is None:
        return "", []
    if not isinstance(note, str):
        return "", [{"field": "note", "code": "invalid", "message": "附言必须是文字"}]
    text = note.strip()
    if problem := text_problem(text):
        return "", [{"field": "note", "code": "invalid_text", "message": f"附言{problem}"}]
    if len(text) > MAX_NOTE:
        return "", [{"field": "note", "code": "too_long", "message": f"附言不能超过 {MAX_NOTE} 个字"}]
    return text, []


def _insert_copies(
    instance: ProcessInstance, step: HumanTask, sender: User, recipients: list[User], note: str
) -> list[int]:
    """Insert a copy for each recipient without an unread one; the new copies' ids.

    The unique index on unread copies decides, so two senders copying the same person at the
    same moment still leave one unread copy.
    """
    at = now()
    rows = [
        {
            "instance_id": instance.id,
            "task_id": step.id,
            "sender_id": sender.id,
            "recipient_id": person.id,
            "note": note,
            "created_at": at,
        }
        for person in recipients
    ]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(CaseCopy)
        .on_conflict_do_nothing(
            index_elements=["instance_id", "recipient_id"], index_where=CaseCopy.read_at.is_(None)
        )
        .returning(CaseCopy.id)
    )
    connection = db.session.connection()
    ids = []
    for row in rows:  # at most MAX_RECIPIENTS; a skipped row returns nothing
        inserted = connection.execute(statement, row).first()
        if inserted is not None:
            ids.append(inserted.id)
    return ids


def _tell(instance: ProcessInstance, step: HumanTask, sender: User, new: list[CaseCopy], note: str) -> None:
    """The history line and a notification to each new recipient."""
    details = {
        "task": step.name,
        "to": [c.recipient.name for c in new],
        "recipients": [c.recipient.username for c in new],
        "note": note,
    }
    event(instance, sender, EventKind.CASE_COPIED, step, details)
    number = instance.tracking_number or str(instance.id)
    title = f"抄送：{number}“{case_title(instance.data or {})}”"
    body = f"{sender.name}将案件抄送给您阅知" + (f"，附言：{note}" if note else "。")
    for copy in new:
        notify([copy.recipient], f"copy:{copy.id}", NOTIFICATION_KIND, title, body, instance_id=instance.id)


def _copies(ids: list[int]) -> list[CaseCopy]:
    if not ids:
        return []
    query = select(CaseCopy).where(CaseCopy.id.in_(ids)).order_by(CaseCopy.id)
    return list(db.session.scalars(query.options(selectinload(CaseCopy.task))))


def _unread_of(user_id: int, instance_id: int):
    return exists().where(
        CaseCopy.instance_id == instance_id,
        CaseCopy.recipient_id == user_id,
        CaseCopy.read_at.is_(None),
    )


def _mark_read(user: User, instance_id: int) -> int:
    at = now()
    marked = db.session.execute(
        update(CaseCopy)
        .where(
            CaseCopy.instance_id == instance_id,
            CaseCopy.recipient_id == user.id,
            CaseCopy.read_at.is_(None),
        )
        .values(read_at=at)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.instance_id == instance_id,
            Notification.kind == NOTIFICATION_KIND,
            Notification.read_at.is_(None),
        )
        .values(read_at=at)
        .execution_options(synchronize_session=False)
    )
    return marked.rowcount  # type: ignore[attr-defined]


def copies_of_case(instance_id: int) -> list[CaseCopy]:
    """Every copy of a case, the earliest first: who was copied, by whom, from which step, read when."""
    query = select(CaseCopy).where(CaseCopy.instance_id == instance_id).order_by(CaseCopy.id)
    return list(db.session.scalars(query.options(selectinload(CaseCopy.task))))


def copies_for(user: User, unread_only: bool, page: int, per_page: int) -> Page:
    """The copies sent to a person (抄送我的), the newest first."""
    query = select(CaseCopy).where(CaseCopy.recipient_id == user.id)
    if unread_only:
        query = query.where(CaseCopy.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    query = query.order_by(CaseCopy.id.desc()).limit(per_page).offset((page - 1) * per_page)
    rows = db.session.scalars(query.options(selectinload(CaseCopy.instance), selectinload(CaseCopy.task)))
    return Page(list(rows), total or 0, page, per_page)


def unread_count(user: User) -> int:
    """How many copies sent to this person are unread (the inbox tab's count)."""
    query = select(func.count()).where(CaseCopy.recipient_id == user.id, CaseCopy.read_at.is_(None))
    return db.session.scalar(query) or 0


def people_to_copy(sender: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """Whom the page offers: active staff but the sender, by department in display order, each
    under their first department as (username, "name（role）")."""
    query = (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(User.active.is_(True), User.is_admin.is_(False), User.id != sender.id)
        .order_by(Membership.user_id, Membership.id)
        .options(selectinload(Membership.user))
    )
    first: dict[int, Membership] = {}
    for membership in db.session.scalars(query):
        first.setdefault(membership.user_id, membership)
    groups: dict[int, tuple[Any, list[tuple[str, str]]]] = {}
    ordered = sorted(first.values(), key=lambda m: (m.department.sort_order, m.user.name))
    for m in ordered:
        role = Role.from_text(m.role)
        label = f"{m.user.name}（{role.label}）" if role else m.user.name
        groups.setdefault(m.department_id, (m.department, []))[1].append((m.user.username, label))
    return [(department.name, people) for department, people in groups.values()]
