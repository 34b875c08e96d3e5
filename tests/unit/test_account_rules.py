"""The account rules (ORG-2) as pure functions: passwords, expiry, lock-out, token terms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workflows.accounts import (
    AccountPolicy,
    locked_until,
    password_due,
    password_problems,
    token_expiry,
)

RULES = AccountPolicy()
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def codes(password: str, username: str = "zhang.wei", name: str = "张伟") -> list[str]:
    return [code for code, _ in password_problems(password, username, name, RULES)]


def test_org2_which_passwords_do_the_rules_refuse_and_why():
    """Does a password need ten characters in three of four classes, without the name in it?"""
    assert codes("Aa1-short") == ["password_too_short"]
    assert codes("alllowercase1") == ["password_too_simple"]
    assert codes("Zhang-2026-x") == ["password_contains_name"]  # a pinyin part of the username
    assert codes("我是张伟-2026ab") == ["password_contains_name"]  # the name as stored
    assert codes("zhangwei-X1y2") == ["password_contains_name"]
    assert codes("Harbour-Lights-7") == []
    assert codes("x" * 129)[0] == "password_too_long"


def test_org2_are_the_numbers_read_from_configuration():
    """Does a configured minimum length replace the default, and is the message saying it?"""
    rules = AccountPolicy.from_config({"GOVFLOW_ACCOUNT_MIN_LENGTH": "14", "OTHER": 1})
    assert rules.min_length == 14 and rules.history == 5
    assert password_problems("Harbour-Lights", "qian.yu", "钱宇", rules) == []
    assert "14" in password_problems("Harbour-Light", "qian.yu", "钱宇", rules)[0][1]


def test_org2_when_is_a_password_due_for_a_change():
    """Is a password due at first log-in, after a reset, and from its 90th day, not before?"""
    assert password_due(None, False, T0, RULES)
    assert password_due(T0, True, T0, RULES)
    assert not password_due(T0, False, T0 + timedelta(days=89, hours=23), RULES)
    assert password_due(T0, False, T0 + timedelta(days=90), RULES)


def test_org2_when_does_a_lock_out_start_and_end():
    """Do five failures within fifteen minutes lock for fifteen minutes from the fifth, and four not?"""
    four = [T0 + timedelta(minutes=i) for i in range(4)]
    assert locked_until(four, 5, RULES, T0 + timedelta(minutes=4)) is None
    five = [*four, T0 + timedelta(minutes=10)]
    assert locked_until(five, 5, RULES, T0 + timedelta(minutes=11)) == T0 + timedelta(minutes=25)
    assert locked_until(five, 5, RULES, T0 + timedelta(minutes=25)) is None  # over by time
    spread = [T0 + timedelta(minutes=5 * i) for i in range(5)]  # five over twenty minutes
    assert locked_until(spread, 5, RULES, T0 + timedelta(minutes=21)) is None


def test_org2_how_long_may_a_token_live():
    """Is a token's term 90 days unless asked, at most 365, at least one?"""
    assert token_expiry(T0, None, RULES) == T0 + timedelta(days=90)
    assert token_expiry(T0, 365, RULES) == T0 + timedelta(days=365)
    assert token_expiry(T0, 366, RULES) is None and token_expiry(T0, 0, RULES) is None
