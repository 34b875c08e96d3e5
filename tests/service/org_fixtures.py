"""Organisation test helpers: the organisation outlives each test, so what a test adds goes again."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from service.extensions import db
from service.models import ApiToken, AuditEntry, Department, User
from service.services.org import forget_departments
from tests.db import delete_cases
from tests.service.pages import reset_password


def remove_people(app, *usernames: str) -> None:
    with app.app_context():
        delete_cases()  # their tasks and history first
        for user in db.session.scalars(select(User).where(User.username.in_(usernames))):
            db.session.delete(user)
        db.session.commit()


def remove_departments(app, *codes: str) -> None:
    with app.app_context():
        db.session.execute(delete(Department).where(Department.code.in_(codes)))
        db.session.commit()
        forget_departments()


def give_back(app, username: str) -> None:
    """A demo person deactivated by a test: active again, their password and test token back."""
    reset_password(app, username)
    with app.app_context():
        owner = select(User.id).where(User.username == username).scalar_subquery()
        db.session.execute(update(ApiToken).where(ApiToken.user_id == owner).values(revoked_at=None))
        db.session.commit()


def audit_kinds(app, target: str) -> list[str]:
    with app.app_context():
        query = select(AuditEntry.kind).where(AuditEntry.target_id == target).order_by(AuditEntry.id)
        found = list(db.session.scalars(query))
        db.session.rollback()
        return found
