"""API tokens (ORG-2): named, expiring, listed without their secret, revocable."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from workflows.accounts import token_expiry

from ..errors import conflict, forbidden, invalid, not_found
from ..extensions import db
from ..models import ApiToken, User
from .accounts import named, policy, record, user_named
from .audit import AuditKind
from .engine import now
from .org import digest
from .unit import in_transaction

NAME_MAX = 100


def create_token(
    owner: User, name: str, days: int | None = None, actor: User | None = None, *, operator: bool = False
) -> tuple[ApiToken, str]:
    """A new token of `owner` and its secret, which is shown this once and stored only hashed.
    The act is the owner's unless `actor` says otherwise; `operator`: the command line's (no actor)."""

    def work() -> tuple[ApiToken, str]:
        name_ = (name or "").strip()
        errors = []
        if not name_ or len(name_) > NAME_MAX:
            errors.append(
                {
                    "field": "name",
                    "code": "name_required",
                    "message": f"请填写令牌名称（不超过{NAME_MAX}个字）",
                }
            )
        rules, moment = policy(), now()
        expires = token_expiry(moment, days, rules)
        if expires is None:
            message = f"有效期须为 1 至 {rules.token_max_days} 天"
            errors.append({"field": "days", "code": "days_out_of_range", "message": message})
        if errors:
            raise invalid("令牌未创建：" + "；".join(e["message"] for e in errors), errors)
        secret = secrets.token_urlsafe(32)
        token = ApiToken(
            user_id=owner.id, token_hash=digest(secret), created_at=moment, name=name_, expires_at=expires
        )
        db.session.add(token)
        db.session.flush()
        by = None if operator else actor or owner
        summary = f"为{named(owner)}新建访问令牌“{name_}”"
        after = {"token": token.id, "name": name_, "expires_at": _iso(expires)}
        record(by, owner, AuditKind.TOKEN_CREATED, summary, after=after)
        return token, secret

    return in_transaction(work)


def create_token_for(username: str, name: str, days: int | None = None) -> str:
    """The command line's token for a person (an operator's act: no actor recorded)."""
    owner = user_named(username)
    return create_token(owner, name, days, operator=True)[1]


def tokens_of(actor: User, username: str | None = None) -> list[ApiToken]:
    """One's own tokens that are not revoked, newest first; an administrator may ask for anyone's."""
    owner = actor
    if username and username != actor.username:
        if not actor.is_admin:
            raise forbidden("只有系统管理员可以查看他人的令牌", "admin_required")
        owner = user_named(username)
    query = select(ApiToken).where(ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(actor: User, token_id: int) -> ApiToken:
    """Revoke a token: from now on it gets 401. One's own, or anyone's for an administrator."""

    def work() -> ApiToken:
        token = db.session.get(ApiToken, token_id)
        if token is None:
            raise not_found("令牌", "token_not_found")
        if token.user_id != actor.id and not actor.is_admin:
            raise forbidden("只能撤销自己的令牌", "not_your_token")
        if token.revoked_at is not None:
            raise conflict("该令牌已撤销", "token_revoked")
        token.revoked_at = now()
        summary = f"撤销{named(token.user)}的访问令牌“{token.name}”"
        before = {"token": token.id, "name": token.name, "revoked": False}
        record(
            actor,
            token.user,
            AuditKind.TOKEN_REVOKED,
            summary,
            before=before,
            after={**before, "revoked": True},
        )
        return token

    return in_transaction(work)


def token_view(token: ApiToken) -> dict[str, Any]:
    """What a list shows of a token: never its secret."""
    expired = token.expires_at is not None and token.expires_at <= now()
    return {
        "id": token.id,
        "name": token.name,
        "user": token.user.username,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "expired": expired,
    }


def _iso(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat()
