"""Lengths of time as the rules state them: so many working days, calendar days or months."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """The units the measures count in (ESC-2)."""

    WORKDAY = "workday"  # 工作日: State Council calendar, make-up workdays included
    DAY = "day"  # 自然日: calendar days (petitions, NAT-5)
    MONTH = "month"  # 月: proposals (NAT-6)

    @property
    def label(self) -> str:
        """The unit's Chinese name."""
        return {"workday": "个工作日", "day": "日", "month": "个月"}[self.value]


_TEXT = re.compile(r"^\s*(\d+)\s*(workdays?|days?|months?)\s*$")


@dataclass(frozen=True)
class Period:
    """A number of units, e.g. Period(15, Unit.WORKDAY)."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or self.amount < 0:
            raise ValueError(f"a period needs a whole number of units ≥ 0, got {self.amount!r}")
        object.__setattr__(self, "unit", Unit(self.unit))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read '15 workdays', '60 days', '3 months' (singular or plural)."""
        match = _TEXT.match(text)
        if match is None:
            raise ValueError(f"not a period: {text!r} (expected e.g. '15 workdays', '60 days', '3 months')")
        unit = match.group(2).rstrip("s")
        return cls(int(match.group(1)), Unit(unit))

    def __add__(self, other: Period) -> Period:
        if not isinstance(other, Period) or other.unit != self.unit:
            raise ValueError(f"cannot add {other!r} to {self!r}: units differ")
        return Period(self.amount + other.amount, self.unit)

    def exceeds(self, other: Period) -> bool:
        """Is this period longer than another of the same unit? (Units differing is an error.)"""
        if other.unit != self.unit:
            raise ValueError(f"cannot compare {self} with {other}: units differ")
        return self.amount > other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}{'s' if self.amount != 1 else ''}"

    @property
    def label(self) -> str:
        """Chinese text, e.g. '15个工作日'."""
        return f"{self.amount}{self.unit.label}"
