"""Whether a website column is fresh, stale or empty (COL-3, COL-4), and NAT-7's fail lines over the
whole register. Pure: the service passes the columns, today and the profile's rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import shift
from .periods import Period
from .profiles.columns import Inspection


@dataclass(frozen=True)
class ColumnFacts:
    """What the rules need of one open column: its kind, level, interval and dates."""

    id: int
    name: str
    kind: str
    level: int
    interval: Period
    opened_on: date
    last_update: date | None


@dataclass(frozen=True)
class Freshness:
    """A column's state today: `fresh`, `stale` (past its interval since `stale_since`) or `empty`
    (never updated; stale too once its interval from opening has passed)."""

    state: str
    stale_since: date | None
    due_on: date


def freshness(column: ColumnFacts, today: date) -> Freshness:
    """Is the column past its interval (last update, or opening if never updated, + interval < today)?"""
    due = shift(column.last_update or column.opened_on, column.interval)
    since = due + timedelta(days=1) if due < today else None
    if column.last_update is None:
        return Freshness("empty", since, due)
    return Freshness("stale" if since else "fresh", since, due)


def older_than(column: ColumnFacts, limit: Period, today: date) -> bool:
    """Has the column gone longer than `limit` without an update (counted from opening if never)?"""
    return shift(column.last_update or column.opened_on, limit) < today


@dataclass(frozen=True)
class RiskLine:
    """One NAT-7 line: what it counts, the count that fails the site, how many there are, and which."""

    key: str
    label: str
    fail_at: int
    count: int
    names: tuple[str, ...]

    @property
    def failed(self) -> bool:
        """Does the count reach the line?"""
        return self.count >= self.fail_at


def risk_lines(
    columns: Sequence[ColumnFacts], today: date, lines: Inspection, unanswered: Sequence[str]
) -> list[RiskLine]:
    """NAT-7's lines over the open columns and the names of messages unanswered too long."""
    states = {column.id: freshness(column, today) for column in columns}
    news = [c for c in columns if c.kind == "news" and older_than(c, lines.news_stale_after, today)]
    notices = [
        c
        for c in columns
        if c.kind == "notice" and c.level <= 1 and older_than(c, lines.notice_stale_after, today)
    ]
    stale = [c for c in columns if states[c.id].stale_since is not None]
    empty = [c for c in columns if c.last_update is None]
    after, months = lines.news_stale_after.label, lines.notice_stale_after.label
    return [
        _line("news", f"动态类栏目超过{after}未更新", lines.news_fail_at, news),
        _line("notice", f"通知公告、政策文件类一级栏目超过{months}未更新", lines.notice_fail_at, notices),
        _line("stale", "栏目超过更新时限未更新", lines.stale_fail_at, stale),
        _line("empty", "空白栏目（开设后从未更新）", lines.empty_fail_at, empty),
        RiskLine(
            "unanswered",
            f"有效留言超过{lines.unanswered_after.label}未办结",
            lines.unanswered_fail_at,
            len(unanswered),
            tuple(unanswered),
        ),
    ]


def _line(key: str, label: str, fail_at: int, found: Sequence[ColumnFacts]) -> RiskLine:
    return RiskLine(key, label, fail_at, len(found), tuple(column.name for column in found))
