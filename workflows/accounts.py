"""Account rules (ORG-2): what a new password must be, when it is due, when log-in is locked.

Pure: every number comes in as an AccountPolicy, every moment as an argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class AccountPolicy:
    """The numbers of the account rules; AccountPolicy.from_config reads them from app config."""

    min_length: int = 10
    max_length: int = 128
    min_classes: int = 3
    history: int = 5  # a new password may not be any of the last `history` ones (the current included)
    max_age_days: int = 90
    account_failures: int = 5
    address_failures: int = 20
    failure_window_minutes: int = 15
    lock_minutes: int = 15
    token_days: int = 90
    token_max_days: int = 365

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AccountPolicy:
        """The policy from keys named GOVFLOW_ACCOUNT_<FIELD> (upper case); defaults where absent."""
        values = {
            name: int(config[key])
            for name in cls.__dataclass_fields__
            if (key := f"GOVFLOW_ACCOUNT_{name.upper()}") in config
        }
        return cls(**values)

    @property
    def failure_window(self) -> timedelta:
        return timedelta(minutes=self.failure_window_minutes)

    @property
    def lock_duration(self) -> timedelta:
        return timedelta(minutes=self.lock_minutes)


_CLASSES = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^a-zA-Z0-9]")),
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    return sum(1 for _, pattern in _CLASSES if pattern.search(password))


def derived_words(username: str, name: str) -> list[str]:
    """What a password may not contain: the username (with and without its separators), each part
    of it of four letters or more (a pinyin surname or given name) and the name as stored."""
    user = username.casefold()
    parts = [p for p in re.split(r"[._\-@\s]+", user) if len(p) >= 4]
    words = [user, re.sub(r"[._\-@\s]+", "", user), *parts, re.sub(r"\s+", "", name.casefold())]
    return [w for w in dict.fromkeys(words) if w]


def password_problems(
    password: str, username: str, name: str, policy: AccountPolicy
) -> list[tuple[str, str]]:
    """Why a new password is refused, as (code, Chinese message) pairs; empty: it may be used.
    Reuse is checked by the caller, which holds the previous hashes."""
    if len(password) < policy.min_length:
        return [("password_too_short", f"新密码至少需要 {policy.min_length} 个字符")]
    if len(password) > policy.max_length:
        return [("password_too_long", f"新密码不能超过 {policy.max_length} 个字符")]
    problems = []
    if character_classes(password) < policy.min_classes:
        problems.append(
            (
                "password_too_simple",
                f"新密码须包含小写字母、大写字母、数字、符号中的至少 {policy.min_classes} 类",
            )
        )
    folded = password.casefold()
    if any(word in folded for word in derived_words(username, name)):
        problems.append(("password_contains_name", "新密码不能包含用户名或姓名"))
    return problems


def password_due(
    changed_at: datetime | None, must_change: bool, now: datetime, policy: AccountPolicy
) -> bool:
    """Must the person change their password before doing anything else (first log-in, a reset by
    an administrator, or a password older than max_age_days)?"""
    if must_change or changed_at is None:
        return True
    return now - changed_at >= timedelta(days=policy.max_age_days)


def locked_until(
    failures: Iterable[datetime], limit: int, policy: AccountPolicy, now: datetime
) -> datetime | None:
    """The end of a lock-out, if one is running: `limit` failures within the window lock log-in for
    lock_minutes from the failure that reached the limit. Attempts during a lock are not counted
    (the caller does not record them), so a lock ends on time however often someone tries."""
    times: Sequence[datetime] = sorted(failures)
    end = None
    for i in range(limit - 1, len(times)):
        if times[i] - times[i - limit + 1] <= policy.failure_window:
            end = times[i] + policy.lock_duration
    return end if end is not None and end > now else None


def failures_relevant_since(policy: AccountPolicy, now: datetime) -> datetime:
    """The oldest failure that can still take part in a running lock."""
    return now - policy.failure_window - policy.lock_duration


def token_expiry(created_at: datetime, days: int | None, policy: AccountPolicy) -> datetime | None:
    """When a token made now for `days` expires; None when `days` is out of range (1..token_max_days)."""
    days = policy.token_days if days is None else days
    if not 1 <= days <= policy.token_max_days:
        return None
    return created_at + timedelta(days=days)
