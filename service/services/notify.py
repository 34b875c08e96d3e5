"""Telling people: in-app notifications and the outgoing-message box (e-mail, SMS).

Every notification and message has a key naming its cause (e.g. `deadline:12:remind:user:5`); a
unique index on it makes each effect happen once even if two workers race to cause it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from workflows.assignment import Role

from ..extensions import db
from ..models import Membership, Notification, OutgoingMessage, Oversight, User
from .engine import now


def _insert_ignoring_duplicates(model: type, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).on_conflict_do_nothing(index_elements=["key"])
    db.session.connection().execute(statement, rows)


def notify(
    users: Iterable[User],
    key: str,
    kind: str,
    title: str,
    body: str,
    *,
    instance_id: int | None = None,
    task_id: int | None = None,
) -> list[User]:
    """Write one notification per person (and queue an e-mail to those with an address)."""
    people = {u.id: u for u in users if u.active}
    at = now()
    _insert_ignoring_duplicates(
        Notification,
        [
            {
                "key": f"{key}:user:{uid}",
                "user_id": uid,
                "instance_id": instance_id,
                "task_id": task_id,
                "kind": kind,
                "title": title,
                "body": body,
                "created_at": at,
            }
            for uid in people
        ],
    )
    for user in people.values():
        if user.email:
            queue_message("mail", user.email, title, body, f"{key}:mail:{user.id}", instance_id)
    return list(people.values())


# A secret in a message (a query code) is marked so the outbox keeps it only until it is sent: the
# sender gets the text unmarked, and the stored copy has the secret blanked once sending succeeded.
SECRET_OPEN, SECRET_CLOSE = "\u27e6", "\u27e7"
_SECRET = re.compile(f"{SECRET_OPEN}(.*?){SECRET_CLOSE}", re.S)
BLANKED = "（已隐去）"


def secret(text: str) -> str:
    """Mark `text` within a message body as a secret the outbox forgets once the message is sent."""
    return f"{SECRET_OPEN}{text}{SECRET_CLOSE}"


def revealed(body: str) -> str:
    """The body as the person receives it."""
    return _SECRET.sub(lambda m: m.group(1), body)


def blanked(body: str) -> str:
    """The body as it is kept after sending: every secret replaced."""
    return _SECRET.sub(BLANKED, body)


def queue_message(
    channel: str, address: str, subject: str, body: str, key: str, instance_id: int | None = None
) -> None:
    """Put an e-mail or SMS in the outbox; it is sent after the transaction commits."""
    row = {
        "key": key,
        "channel": channel,
        "address": address[:200],
        "subject": subject[:200],
        "body": body,
        "instance_id": instance_id,
        "created_at": now(),
        "attempts": 0,
        "version": 1,
    }
    _insert_ignoring_duplicates(OutgoingMessage, [row])


def people_of(department_id: int, role: Role | str | None) -> list[User]:
    """The people who hold a role in a department (everyone in it when role is None)."""
    role_value = role.value if isinstance(role, Role) else role
    if role_value == Role.LEADER_IN_CHARGE.value:
        query = select(User).join(Oversight, Oversight.leader_id == User.id)
        query = query.where(Oversight.department_id == department_id)
    elif role_value == Role.PRINCIPAL_LEADER.value:
        query = select(User).join(Membership, Membership.user_id == User.id)
        query = query.where(Membership.role == role_value)
    else:
        query = select(User).join(Membership, Membership.user_id == User.id)
        query = query.where(Membership.department_id == department_id)
        if role_value is not None:
            query = query.where(Membership.role == role_value)
    return list(db.session.scalars(query.where(User.active.is_(True))).unique())


def contact_channel(contact: str) -> str:
    """An applicant's contact is an e-mail address or a phone number for SMS."""
    return "mail" if "@" in contact else "sms"
