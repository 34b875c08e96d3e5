"""会签: which tasks of a case signed one parallel approval together.

A parallel multi-instance task (publishing's 联合发布处室确认, proposal's 提出协办意见) opens one task
per participant in a single step, and none of them can close before all are open. So, replaying a
case's task history in order, a task of such a step that opens while another of the same step is
still open joins that round; one that opens when none is open (the step reached again after a
return) starts the next round. Clock readings are not used: steps done within one second, or under
a fixed test clock, would otherwise run together.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Happening(StrEnum):
    OPENED = "opened"
    CLOSED = "closed"  # completed or cancelled


@dataclass
class Round:
    """One round of a parallel step: its tasks in the order they opened."""

    spec: str
    task_ids: list[int] = field(default_factory=list)


def rounds(
    history: Iterable[tuple[Happening, int]], spec_of: Mapping[int, str], parallel: Collection[str]
) -> list[Round]:
    """The rounds of the case's parallel steps, in the order they began, from its task history in order."""
    out: list[Round] = []
    current: dict[str, Round] = {}
    still_open: dict[str, set[int]] = {}
    for happening, task_id in history:
        spec = spec_of.get(task_id)
        if spec is None or spec not in parallel:
            continue
        open_ids = still_open.setdefault(spec, set())
        if happening == Happening.CLOSED:
            open_ids.discard(task_id)
            continue
        if not open_ids:
            current[spec] = Round(spec)
            out.append(current[spec])
        if task_id not in open_ids:
            current[spec].task_ids.append(task_id)
            open_ids.add(task_id)
    return out


def round_of(task_id: int, found: Iterable[Round]) -> tuple[int, Round] | None:
    """The round a task signed in, numbered from 1 among the rounds of its step."""
    seen: dict[str, int] = {}
    for r in found:
        seen[r.spec] = seen.get(r.spec, 0) + 1
        if task_id in r.task_ids:
            return seen[r.spec], r
    return None
