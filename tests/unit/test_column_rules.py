"""The column rules without a database (COL-3, COL-4, NAT-7): a column's state from its interval, and
each of NAT-7's fail lines failing exactly at the count the national profile gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workflows.columns import ColumnFacts, freshness, risk_lines
from workflows.periods import Period, Unit
from workflows.profiles import PROFILES, ProfileError, check_profile, derive
from workflows.profiles.columns import ColumnRules, Interval
from workflows.profiles.national import NATIONAL

TODAY = date(2026, 9, 30)
LINES = NATIONAL.columns.inspection


def col(n: int, kind="other", level=2, last: date | None = TODAY, opened=date(2026, 1, 1)) -> ColumnFacts:
    interval = NATIONAL.columns.interval(kind, level).period
    return ColumnFacts(n, f"栏目{n}", kind, level, interval, opened, last)


def failed(columns, unanswered=()) -> dict[str, tuple[int, bool]]:
    return {
        line.key: (line.count, line.failed) for line in risk_lines(columns, TODAY, LINES, list(unanswered))
    }


def test_col3_the_national_intervals_by_kind_and_level():
    """Are news 14 days, level-1 notices 6 months, deeper ones a year and hot topics a week (COL-3, NAT-7)?"""
    rules = NATIONAL.columns
    assert rules.interval("news", 1).period == Period(14, Unit.DAY)
    assert rules.interval("notice", 1).period == Period(6, Unit.MONTH)
    assert rules.interval("notice", 3).period == Period(12, Unit.MONTH)
    assert rules.interval("hot_topic", 2).period == Period(7, Unit.DAY)
    assert all(p.columns.interval("news", 1).period == Period(14, Unit.DAY) for p in PROFILES.values())


def test_col4_a_column_is_stale_the_day_after_its_interval_ends():
    """Is a news column updated on 16 Sep fresh on 30 Sep and stale from 1 Oct; a never-updated one empty (COL-4)?"""
    news = col(1, "news", last=date(2026, 9, 16))
    assert freshness(news, TODAY).state == "fresh"
    assert freshness(news, date(2026, 10, 1)).stale_since == date(2026, 10, 1)
    empty = col(2, "news", last=None, opened=date(2026, 9, 1))
    assert (freshness(empty, TODAY).state, freshness(empty, TODAY).stale_since) == (
        "empty",
        date(2026, 9, 16),
    )


def test_nat7_one_news_column_two_weeks_old_fails():
    """Does a single news column not updated in two weeks fail the site (NAT-7)?"""
    assert failed([col(1, "news", last=date(2026, 9, 16))])["news"] == (0, False)
    assert failed([col(1, "news", last=date(2026, 9, 15))])["news"] == (1, True)


@pytest.mark.parametrize(("count", "fails"), [(4, False), (5, True)])
def test_nat7_level1_notice_columns_fail_at_five(count, fails):
    """Do 4 level-1 notice columns unchanged for 6 months pass and 5 fail (NAT-7)?"""
    old = [col(n, "notice", level=1, last=date(2026, 3, 29)) for n in range(count)]
    deeper = [col(100, "notice", level=2, last=date(2026, 3, 29))]
    assert failed(old + deeper)["notice"] == (count, fails)


@pytest.mark.parametrize(("count", "fails"), [(9, False), (10, True)])
def test_nat7_stale_columns_fail_at_ten(count, fails):
    """Do 9 columns past their intervals pass and 10 fail (NAT-7, COL-4)?"""
    stale = [col(n, "other", last=date(2025, 9, 1)) for n in range(count)]
    assert failed(stale + [col(99)])["stale"] == (count, fails)


@pytest.mark.parametrize(("count", "fails"), [(4, False), (5, True)])
def test_nat7_empty_columns_fail_at_five(count, fails):
    """Do 4 open columns never updated pass and 5 fail (NAT-7: no empty columns)?"""
    empty = [col(n, last=None, opened=date(2026, 9, 1)) for n in range(count)]
    assert failed(empty)["empty"] == (count, fails)


def test_nat7_one_message_unanswered_fails():
    """Does one message open for more than 3 months fail the site (NAT-7)?"""
    assert failed([])["unanswered"] == (0, False)
    assert failed([], ["XX-2026-00000001"])["unanswered"] == (1, True)


def test_col3_a_profile_may_not_loosen_an_interval():
    """Is a profile whose news interval is longer than national's refused (COL-3)?"""
    loose = ColumnRules(
        intervals={**NATIONAL.columns.intervals, "news": Interval(Period(30, Unit.DAY), "COL-3", "test")}
    )
    profile = derive(NATIONAL, name="loose", title="测试", overrides={}, columns=loose)
    with pytest.raises(ProfileError, match="news"):
        check_profile(profile)


def test_nat7_a_profile_may_not_move_the_inspection_lines():
    """Is a profile that lets 10 empty columns pass refused: the fail lines are national (NAT-7)?"""
    lenient = replace(NATIONAL.columns, inspection=replace(LINES, empty_fail_at=10))
    with pytest.raises(ProfileError, match="NAT-7"):
        check_profile(derive(NATIONAL, name="lenient", title="测试", overrides={}, columns=lenient))
