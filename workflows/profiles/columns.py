"""How often each kind of website column must be updated (COL-3) and where a site fails the national
inspection (NAT-7): the numbers a profile gives the column register, its reminders and its risk page.

A column's kind and level choose its interval: `news` (动态、要闻), `notice` (通知公告、政策文件; level 1
apart from level 2 and below), `fixed` (概况、指南: revised yearly), `hot_topic` (热点专题: weekly) and
`other` (whatever the name does not tell). Intervals count calendar days or months without rolling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..periods import Period, Unit

KINDS: tuple[str, ...] = ("news", "notice", "fixed", "hot_topic", "other")
KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "news": "动态、要闻、工作进展类",
        "notice": "通知公告、政策文件类",
        "fixed": "概况、指南等固定内容",
        "hot_topic": "热点专题",
        "other": "其他栏目",
    }
)
# The interval keys: every kind, the notice kind split by level (COL-3).
INTERVAL_KEYS: tuple[str, ...] = ("news", "notice.1", "notice.2", "fixed", "hot_topic", "other")


@dataclass(frozen=True)
class Interval:
    """The longest a column of one kind may go without an update, with the rule and article it comes from."""

    period: Period
    rule: str
    source: str


@dataclass(frozen=True)
class Inspection:
    """NAT-7's fail lines (国办秘函〔2019〕19号): how old a news or level-1 notice column may get,
    how many stale or empty columns fail the site, and how long a valid message may wait."""

    news_stale_after: Period = Period(14, Unit.DAY)
    news_fail_at: int = 1  # one such column fails the site
    notice_stale_after: Period = Period(6, Unit.MONTH)
    notice_fail_at: int = 5
    stale_fail_at: int = 10
    empty_fail_at: int = 5
    unanswered_after: Period = Period(3, Unit.MONTH)
    unanswered_fail_at: int = 1
    # The diagrams whose open cases are messages from the public (领导信箱、在线咨询).
    message_processes: tuple[str, ...] = ("mailbox",)


def _national_intervals() -> Mapping[str, Interval]:
    nat = "NAT-7, COL-3"
    return {
        "news": Interval(Period(14, Unit.DAY), nat, "国办秘函〔2019〕19号"),
        "notice.1": Interval(Period(6, Unit.MONTH), nat, "国办秘函〔2019〕19号"),
        "notice.2": Interval(Period(12, Unit.MONTH), "COL-3", "004 §20(二)"),
        "fixed": Interval(Period(12, Unit.MONTH), "COL-3", "004 §20(四)"),
        "hot_topic": Interval(Period(7, Unit.DAY), "COL-3", "000 annex 热点专题"),
        "other": Interval(Period(12, Unit.MONTH), "COL-3", "004 §20(五)"),
    }


@dataclass(frozen=True)
class ColumnRules:
    """A profile's column intervals (COL-3) and inspection lines (NAT-7)."""

    intervals: Mapping[str, Interval] = field(default_factory=_national_intervals)
    inspection: Inspection = Inspection()

    def __post_init__(self) -> None:
        object.__setattr__(self, "intervals", MappingProxyType(dict(self.intervals)))

    def interval(self, kind: str, level: int) -> Interval:
        """The interval for a column of this kind at this level (1 = top level)."""
        if kind == "notice":
            return self.intervals["notice.1" if level <= 1 else "notice.2"]
        return self.intervals[kind]


COLUMNS = ColumnRules()


def column_problems(rules: ColumnRules, ceiling: ColumnRules) -> list[str]:
    """What is wrong with a profile's column rules: a missing kind, a bad period, looser than national."""
    problems = []
    missing = set(INTERVAL_KEYS) - set(rules.intervals)
    if missing:
        problems.append(f"columns: intervals missing for {', '.join(sorted(missing))}")
    for key in sorted(set(rules.intervals) & set(INTERVAL_KEYS)):
        found, limit = rules.intervals[key], ceiling.intervals[key]
        if not isinstance(found.period, Period) or found.period.unit is Unit.WORKDAY:
            problems.append(f"columns: {key} needs calendar days or months, not {found.period!r}")
        elif found.period.amount < 1:
            problems.append(f"columns: {key} = {found.period} is no interval")
        elif found.period.unit is limit.period.unit and found.period.exceeds(limit.period):
            problems.append(f"columns: {key} = {found.period} is looser than the national {limit.period}")
    lines = rules.inspection
    if lines != ceiling.inspection:
        problems.append("columns: the inspection lines are the national ones (NAT-7) and may not change")
    if (
        min(
            lines.news_fail_at,
            lines.notice_fail_at,
            lines.stale_fail_at,
            lines.empty_fail_at,
            lines.unanswered_fail_at,
        )
        < 1
    ):
        problems.append("columns: the inspection's counts must be at least 1")
    return problems
