"""Agency profiles: the deadlines diagrams name, each with its period, rule IDs and source article.

A diagram says `deadline = disclosure.reply`, never a number; the number comes from the active
profile (setting GOVFLOW_PROFILE, default `national`). `national` carries the national rules
(NAT-*) and is the hard ceiling: a profile may be stricter (shorter) than national, never looser
(REQUIREMENTS, "National rules"). A local profile starts from national and overrides only what its
measure states, so its file shows what differs and why.

Where a local measure counts in another unit than the national ceiling (5 working days under 60
calendar days, PET-2; the 3rd calendar day under working days, PUB-13), the profile keeps the
ceiling as the period and adds its own value as a `target`: both dates are computed, the earlier
binds. A rule also says whether its calendar days roll past a holiday (ESC-2) or are natural days
that do not (ERR-2), and whether it counts from receipt (MBX-3).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from ..assignment import Role
from ..calendar import WorkCalendar
from ..forms import Form
from ..periods import Period, Unit
from ..sla import Terms
from .columns import COLUMNS, ColumnRules, column_problems
from .duties import AgencyKind, Duty, duty_problems
from .publishing import TIERED, PublishingRules, publishing_problems

DEFAULT_PROFILE = "national"

# The catalogue: every deadline name a diagram may use and every profile must define.
DEADLINE_NAMES: frozenset[str] = frozenset(
    {
        "disclosure.reply",
        "disclosure.extension",
        "disclosure.correction_notice",
        "disclosure.third_party",
        "disclosure.registration",
        "mailbox.intake",
        "mailbox.dispatch",
        "mailbox.reply",
        "mailbox.reply_complex",
        "mailbox.review",
        "petition.routing",
        "petition.acceptance",
        "petition.misroute_objection",
        "petition.handling",
        "petition.handling_complex",
        "petition.extension",
        "petition.review",
        "petition.rereview",
        "petition.review_request",
        "petition.rereview_request",
        "proposal.reply",
        "proposal.extension",
        "proposal.co_handler_opinion",
        "proposal.registration",
        "error_report.handle",
        "error.fix",
        "error.fix_urgent",
        "error.notify_department",
        "publishing.news",
        "publishing.policy",
        "publishing.proactive",
        "publishing.centre_edit",
        "publishing.emergency",
        # 000 annex: column groups with their own days, item types of the profiles that offer them.
        "publishing.organisation",
        "publishing.plans",
        # A recurring duty's case (REC-1..6, NAT-4): counted from the day it opens, never past the
        # occurrence's due day, which the case carries (dueNoLaterThan).
        "duty.window",
        # COL-4, COL-2: a stale column's reminder, the centre's answer to a request or a closure.
        "column.update",
        "column.decision",
    }
)

# ESC-1 defaults. The reminder (催办) comes one working day ahead: the shortest deadlines in the
# catalogue are one working day (MBX-2, ERR-1, 002 §27), so a longer lead would fall before such
# a task exists. The section head is raised the moment the deadline passes ("past it the task is
# raised"), the leader in charge one working day later: the same one-day pace the measures ask of
# dispatching a letter (MBX-2). No seed gives these as numbers, so every profile uses the defaults.
REMIND_BEFORE = Period(1, Unit.WORKDAY)
ESCALATE_AFTER: tuple[Period, ...] = (Period(0, Unit.WORKDAY), Period(1, Unit.WORKDAY))

# Four eyes: who approves in place of a drafter who holds the approval's own role (the only section
# head drafted): the next role up, in the order ESC-1 raises a late task.
SUBSTITUTES: tuple[Role, ...] = (Role.SECTION_HEAD, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER)

_RULE_IDS = re.compile(r"[A-Z]+-\d+(, [A-Z]+-\d+)*")


class ProfileError(ValueError):
    """A profile that is unknown, incomplete, malformed or looser than the national ceiling."""


class UnknownDeadline(KeyError):
    """A deadline name the profile does not define (a typo in a diagram, usually)."""

    def __init__(self, name: str, profile: Profile) -> None:
        close = difflib.get_close_matches(name, list(profile.deadlines), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"profile {profile.name!r} defines no deadline named {name!r}{hint}")
        self.name = name
        self.profile = profile.name

    def __str__(self) -> str:
        # KeyError would show the repr of its argument, quotes and all.
        return str(self.args[0])


@dataclass(frozen=True)
class DeadlineRule:
    """One deadline: its period, the rule IDs it carries out, the article it comes from, its Chinese name.

    `period` is the ceiling, in the national rule's unit. `target` is a stricter local target in
    another unit (PET-2: 5 working days under 60 calendar days); both dates are computed and the
    earlier binds. `rolls` says whether calendar days ending on a holiday end on the next working
    day (ESC-2's default) or are natural days that do not (ERR-2). `from_receipt` says the period
    covers acceptance and reply together and so counts from the receipt, not from dispatch
    (MBX-3, 002 §13(三)); a diagram names the receipt date a clock then starts from.
    """

    period: Period
    rule: str  # rule IDs from REQUIREMENTS, e.g. "REQ-2, NAT-1"
    source: str  # e.g. "000 §12" or "政府信息公开条例 Art. 33"
    label: str  # e.g. "依申请公开答复期限"
    target: Period | None = None
    rolls: bool = True
    from_receipt: bool = False

    @classmethod
    def parse(
        cls,
        period: str,
        rule: str,
        source: str,
        label: str,
        *,
        target: str | None = None,
        rolls: bool = True,
        from_receipt: bool = False,
    ) -> DeadlineRule:
        """A rule from period text such as '15 workdays'."""
        found = Period.parse(target) if target is not None else None
        return cls(Period.parse(period), rule, source, label, found, rolls, from_receipt)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The cited rule IDs one by one."""
        return tuple(part.strip() for part in self.rule.split(","))

    @property
    def terms(self) -> Terms:
        """What a clock started under this rule counts: ceiling, local target, rolling (sla.Terms)."""
        return Terms(self.period, self.target, self.rolls)


class Override(NamedTuple):
    """A local value for a catalogue name; the label stays national's so the UI names it one way.

    `period` None keeps the base's period (the ceiling) where the profile adds only a `target`;
    `rolls` and `from_receipt` None keep the base's setting.
    """

    period: str | None
    rule: str
    source: str
    target: str | None = None
    rolls: bool | None = None
    from_receipt: bool | None = None


@dataclass(frozen=True)
class LateStreak:
    """STAT-2: after `count` late submissions in a row, the department's principal leader explains
    (a task, not only a flag). A profile without one (national) asks nobody to explain."""

    count: int
    rule: str  # rule IDs, e.g. "STAT-2"
    source: str  # e.g. "002 §40"


@dataclass(frozen=True)
class Profile:
    """An agency's deadlines by name, with its reminder lead time and escalation levels (ESC-1)."""

    name: str
    title: str  # the agency's Chinese name
    deadlines: Mapping[str, DeadlineRule]
    remind_before: Period = REMIND_BEFORE
    # Level 1 = section head (处室负责人), level 2 = leader in charge (分管领导), after the deadline.
    escalate_after: tuple[Period, ...] = ESCALATE_AFTER
    substitutes: tuple[Role, ...] = SUBSTITUTES  # who approves instead of a barred drafter, in order
    publishing: PublishingRules = TIERED  # who reviews, signs and proofreads an item (PUB-4)
    agency_kind: AgencyKind = AgencyKind.DEPARTMENT  # which annual report day binds it (NAT-4)
    duties: tuple[Duty, ...] = ()  # what it does on a schedule, each opened as a case (REC, NAT-4)
    columns: ColumnRules = COLUMNS  # column update intervals and inspection lines (COL-3, NAT-7)
    late_streak: LateStreak | None = None  # who must explain a run of late submissions (STAT-2)

    def __post_init__(self) -> None:
        # Read-only copies: a loaded profile cannot change under the diagrams that use it.
        object.__setattr__(self, "deadlines", MappingProxyType(dict(self.deadlines)))
        object.__setattr__(self, "escalate_after", tuple(self.escalate_after))
        object.__setattr__(self, "duties", tuple(self.duties))

    def option_list(self, name: str) -> tuple[str, ...]:
        """The values of a list of form options this profile provides (a field's profileOptions)."""
        return OPTION_LISTS[name](self)

    def offered(self, form: Form) -> Form:
        """A form with only the options this profile offers; the others refused with its title."""
        return form.narrowed(self.option_list, f"{self.title}不设此项")

    def deadline(self, name: str) -> DeadlineRule:
        """The rule for a deadline name; UnknownDeadline if the profile has none by that name."""
        try:
            return self.deadlines[name]
        except KeyError:
            raise UnknownDeadline(name, self) from None


# Lists of form options a profile provides, by the name a form field's profileOptions gives
# (docs/diagrams.md): the diagram names the list, the profile fills it.
OPTION_LISTS: Mapping[str, Callable[[Profile], tuple[str, ...]]] = MappingProxyType(
    {"publishing.item_types": lambda profile: profile.publishing.item_types}
)


def derive(
    base: Profile,
    *,
    name: str,
    title: str,
    overrides: Mapping[str, Override],
    remind_before: Period | None = None,
    escalate_after: tuple[Period, ...] | None = None,
    agency_kind: AgencyKind | None = None,
    duties: tuple[Duty, ...] | None = None,
    columns: ColumnRules | None = None,
) -> Profile:
    """A profile that takes every value from `base` except the ones overridden."""
    unknown = sorted(set(overrides) - set(base.deadlines))
    if unknown:
        raise ProfileError(f"profile {name!r}: overrides names not in the catalogue: {', '.join(unknown)}")
    deadlines = dict(base.deadlines)
    for key, local in overrides.items():
        inherited = base.deadlines[key]
        deadlines[key] = DeadlineRule(
            inherited.period if local.period is None else Period.parse(local.period),
            local.rule,
            local.source,
            inherited.label,
            Period.parse(local.target) if local.target is not None else None,
            inherited.rolls if local.rolls is None else local.rolls,
            inherited.from_receipt if local.from_receipt is None else local.from_receipt,
        )
    return Profile(
        name=name,
        title=title,
        deadlines=deadlines,
        remind_before=base.remind_before if remind_before is None else remind_before,
        escalate_after=base.escalate_after if escalate_after is None else escalate_after,
        substitutes=base.substitutes,
        publishing=base.publishing,
        agency_kind=base.agency_kind if agency_kind is None else agency_kind,
        duties=base.duties if duties is None else duties,
        columns=base.columns if columns is None else columns,
        late_streak=base.late_streak,
    )


def check_profile(profile: Profile, ceiling: Profile | None = None) -> Profile:
    """The profile itself if it defines the whole catalogue within the national ceiling, else ProfileError."""
    limits = national.NATIONAL if ceiling is None else ceiling
    problems: list[str] = []
    missing = DEADLINE_NAMES - profile.deadlines.keys()
    if missing:
        problems.append(f"missing deadlines: {', '.join(sorted(missing))}")
    extra = profile.deadlines.keys() - DEADLINE_NAMES
    if extra:
        problems.append(f"deadlines not in the catalogue: {', '.join(sorted(extra))}")
    for key in sorted(profile.deadlines.keys() & DEADLINE_NAMES):
        problems.extend(_rule_problems(key, profile.deadlines[key], limits.deadlines.get(key)))
    problems.extend(_escalation_problems(profile))
    problems.extend(publishing_problems(profile.publishing))
    problems.extend(duty_problems(profile.duties, profile.agency_kind))
    problems.extend(column_problems(profile.columns, limits.columns))
    problems.extend(_late_streak_problems(profile.late_streak))
    if problems:
        raise ProfileError("; ".join(f"profile {profile.name!r}: {problem}" for problem in problems))
    return profile


def _rule_problems(key: str, rule: DeadlineRule, limit: DeadlineRule | None) -> list[str]:
    if not isinstance(rule.period, Period):
        return [f"{key} = {rule.period!r} is not a period"]
    problems = []
    if not _RULE_IDS.fullmatch(rule.rule):
        problems.append(f"{key} cites no rule ID ({rule.rule!r}; expected e.g. 'REQ-2' or 'REQ-2, NAT-1')")
    if not rule.source.strip() or not rule.label.strip():
        problems.append(f"{key} needs a source article and a label")
    problems.extend(_days_problems(key, rule, limit))
    if limit is None:
        return problems
    if rule.period.unit != limit.period.unit:
        problems.append(
            f"{key} = {rule.period} counts {rule.period.unit.value}s, "
            f"but the national ceiling {limit.period} counts {limit.period.unit.value}s"
        )
    elif rule.period.exceeds(limit.period):
        problems.append(f"{key} = {rule.period} is looser than the national ceiling {limit.period}")
    return problems


def _days_problems(key: str, rule: DeadlineRule, limit: DeadlineRule | None) -> list[str]:
    """How the days are counted: rolling (ESC-2, ERR-2) and a target beside the ceiling (PET-2)."""
    problems = []
    if not rule.rolls and rule.period.unit is Unit.WORKDAY:
        problems.append(
            f"{key} counts workdays, which always end on a working day: 'does not roll' is for calendar days"
        )
    if rule.rolls and limit is not None and not limit.rolls:
        problems.append(
            f"{key} rolls to the next working day, looser than the national ceiling, which does not "
            "(ERR-2: natural days)"
        )
    target = rule.target
    if target is None:
        return problems
    if not isinstance(target, Period):
        return [*problems, f"{key} target {target!r} is not a period"]
    if target.unit is rule.period.unit:
        problems.append(
            f"{key} target {target} counts {target.unit.value}s like its period {rule.period}: "
            "a stricter value in the same unit is the period itself"
        )
    elif not _can_bind(target, rule.period, rule.rolls):
        first, last = _SAMPLE_YEARS[0], _SAMPLE_YEARS[-1]
        problems.append(
            f"{key} target {target} never ends before its ceiling {rule.period} "
            f"(for no start day from {first} to {last}), so it could never bind"
        )
    return problems


# The years a target is tried against its ceiling: official calendar data, every kind of holiday.
_SAMPLE_YEARS = range(2024, 2027)


@cache
def _can_bind(target: Period, ceiling: Period, rolls: bool) -> bool:
    """Is there a start day on which the target ends before the ceiling?"""
    calendar = WorkCalendar()
    day, last = date(_SAMPLE_YEARS[0], 1, 1), date(_SAMPLE_YEARS[-1], 12, 31)
    while day <= last:
        if calendar.add(day, target, rolls=rolls).day < calendar.add(day, ceiling, rolls=rolls).day:
            return True
        day += timedelta(days=1)
    return False


def _late_streak_problems(streak: LateStreak | None) -> list[str]:
    if streak is None:
        return []
    problems = []
    if not isinstance(streak.count, int) or streak.count < 2:
        problems.append(f"late_streak.count = {streak.count!r}: a run needs at least 2 late submissions")
    if not _RULE_IDS.fullmatch(streak.rule) or not streak.source.strip():
        problems.append("late_streak needs rule IDs (e.g. 'STAT-2') and a source article")
    return problems


def _escalation_problems(profile: Profile) -> list[str]:
    levels = profile.escalate_after
    if not levels:
        return ["escalate_after needs at least one level (ESC-1: section head, then leader in charge)"]
    for lower, higher in zip(levels, levels[1:], strict=False):
        if lower.unit != higher.unit:
            return [f"escalate_after mixes units ({lower}, {higher}), so the levels cannot be ordered"]
        if lower.exceeds(higher):
            return [f"escalate_after level {higher} comes before the level below it ({lower})"]
    return []


def load_profile(name: str) -> Profile:
    """The registered profile called `name`, checked against the national ceiling."""
    try:
        profile = PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ProfileError(f"unknown profile {name!r}; known profiles: {known}") from None
    return check_profile(profile)


# The profile modules build on the types above, so they can only be imported once those exist.
from . import guangdong_land, hainan_sasac, national, shaanxi_miit, wanzhou, xingning  # noqa: E402

PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        profile.name: profile
        for profile in (
            national.NATIONAL,
            hainan_sasac.PROFILE,
            shaanxi_miit.PROFILE,
            xingning.PROFILE,
            guangdong_land.PROFILE,
            wanzhou.PROFILE,
        )
    }
)
