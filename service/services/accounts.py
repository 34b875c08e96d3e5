"""Account rules in use (ORG-2): log-in with lock-out, password changes and resets, unlocking.

The rules themselves are workflows.accounts; this module holds the rows and the transactions.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from workflows.accounts import (
    AccountPolicy,
    failures_relevant_since,
    locked_until,
    password_due,
    password_problems,
)

from ..errors import ServiceError, forbidden, invalid, not_found
from ..extensions import db
from ..models import LoginFailure, PasswordHistory, User
from . import audit
from .audit import AuditKind
from .engine import now
from .unit import in_transaction

# Checked against when a name is unknown, so a wrong name takes as long as a wrong password.
_NO_SUCH_USER_HASH = generate_password_hash(secrets.token_hex(16))
LOGIN_FAILED = "用户名或密码错误"


def policy() -> AccountPolicy:
    """The account rules' numbers as this app is configured (GOVFLOW_ACCOUNT_*)."""
    return AccountPolicy.from_config(current_app.config)


def record(
    actor: User | None,
    whom: User,
    kind: AuditKind,
    summary: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Keep an account act (ORG-4) in the audit log, its target the person by username; written with
    the transaction it belongs to, and never with a password, a hash or a token's secret."""
    audit.record(actor, kind, "user", whom.username, summary, before=before, after=after)


def named(user: User) -> str:
    return f"{user.name}（{user.username}）"


def user_named(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise not_found(f"用户“{username}”", "user_not_found")
    return user


def log_in(username: str, password: str, address: str | None) -> User:
    """The person with this name and password. Refused alike (401 login_failed) whether the name,
    the password or the account's state was wrong; refused without looking (429 login_locked) while
    the name or the client address is locked out after too many failures."""
    outcome = in_transaction(lambda: _attempt(username.strip(), password, (address or "unknown")[:64]))
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def _attempt(username: str, password: str, address: str) -> User | ServiceError:
    rules, moment, key = policy(), now(), username.casefold()[:64]
    lock = lock_end(rules, moment, LoginFailure.username == key, rules.account_failures)
    lock = lock or lock_end(rules, moment, LoginFailure.address == address, rules.address_failures)
    if lock is not None:
        minutes = max(1, math.ceil((lock - moment).total_seconds() / 60))
        return ServiceError("login_locked", f"登录失败次数过多，请{minutes}分钟后再试", 429)
    user = db.session.scalar(select(User).where(User.username == username))
    matches = check_password_hash(user.password_hash if user else _NO_SUCH_USER_HASH, password)
    if user is None or not matches or not user.active:
        db.session.add(LoginFailure(username=key, address=address, at=moment))
        return ServiceError("login_failed", LOGIN_FAILED, 401)
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    if password_due(user.password_changed_at, user.must_change_password, moment, rules):
        user.must_change_password = True  # older than the rules allow: changed before anything else
    return user


def lock_end(rules: AccountPolicy, moment: datetime, which, limit: int) -> datetime | None:
    since = failures_relevant_since(rules, moment)
    times = db.session.scalars(select(LoginFailure.at).where(which, LoginFailure.at >= since))
    return locked_until(times, limit, rules, moment)


def change_password(user: User, current: str, new: str, repeat: str) -> None:
    """Change one's own password: the current one first, then a new one the rules allow that is
    none of the last `history` ones, typed the same twice. Every refusal is a 422 naming its field
    (current, new, repeat); nothing is changed unless all are right."""

    def work() -> None:
        errors = []
        if not check_password_hash(user.password_hash, current or ""):
            errors.append(("current", "wrong_password", "当前密码不正确"))
        problems = password_problems(new or "", user.username, user.name, policy())
        if not problems and _used_before(user, new):
            problems = [("password_reused", f"新密码不能与最近 {policy().history} 次使用的密码相同")]
        errors += [("new", code, message) for code, message in problems]
        if not errors and new != repeat:
            errors.append(("repeat", "passwords_differ", "两次输入的新密码不一致"))
        if errors:
            raise invalid(
                "密码未修改：" + "；".join(message for _, _, message in errors),
                [{"field": field, "code": code, "message": message} for field, code, message in errors],
            )
        set_password(user, new, must_change=False)
        record(user, user, AuditKind.PASSWORD_CHANGED, f"{named(user)}修改了自己的密码")

    in_transaction(work)


def _used_before(user: User, password: str) -> bool:
    earlier = db.session.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.replaced_at.desc(), PasswordHistory.id.desc())
        .limit(max(policy().history - 1, 0))
    )
    return any(check_password_hash(h, password) for h in [user.password_hash, *earlier])


def set_password(user: User, password: str, *, must_change: bool) -> None:
    """The new password's hash; the old one joins the history, trimmed to what the rule reads."""
    db.session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash, replaced_at=now()))
    db.session.flush()
    keep = select(PasswordHistory.id).where(PasswordHistory.user_id == user.id)
    keep = keep.order_by(PasswordHistory.replaced_at.desc(), PasswordHistory.id.desc()).limit(
        policy().history
    )
    db.session.execute(
        delete(PasswordHistory).where(
            PasswordHistory.user_id == user.id, PasswordHistory.id.not_in(list(db.session.scalars(keep)))
        )
    )
    user.password_hash = generate_password_hash(password)  # also ends other sessions (User.get_id)
    user.password_changed_at = now()
    user.must_change_password = must_change


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise forbidden("只有系统管理员可以管理他人的账号", "admin_required")


def reset_password(actor: User, username: str) -> str:
    """An administrator gives a person a temporary password (returned once, never stored in
    clear), which must be changed at the next log-in; a lock-out on the name ends with it."""

    def work() -> str:
        _require_admin(actor)
        user = user_named(username)
        temporary = temporary_password(user)
        set_password(user, temporary, must_change=True)
        db.session.execute(delete(LoginFailure).where(LoginFailure.username == user.username.casefold()))
        summary = f"重置{named(user)}的密码（临时密码，下次登录须修改）"
        record(actor, user, AuditKind.PASSWORD_RESET, summary, after={"must_change_password": True})
        return temporary

    return in_transaction(work)


def temporary_password(user: User) -> str:
    """A random password the rules accept (four character classes)."""
    while True:
        candidate = f"Gf-{secrets.randbelow(10)}{secrets.token_urlsafe(12)}"
        if not password_problems(candidate, user.username, user.name, policy()):
            return candidate


def unlock(actor: User, username: str) -> int:
    """An administrator ends a person's lock-out: their failed log-ins are forgotten (how many)."""

    def work() -> int:
        _require_admin(actor)
        user = user_named(username)
        gone = db.session.execute(
            delete(LoginFailure).where(LoginFailure.username == user.username.casefold())
        )
        count = getattr(gone, "rowcount", 0) or 0
        summary = f"解除{named(user)}的登录锁定（清除 {count} 次失败记录）"
        record(
            actor,
            user,
            AuditKind.ACCOUNT_UNLOCKED,
            summary,
            before={"failures": count},
            after={"failures": 0},
        )
        return count

    return in_transaction(work)
