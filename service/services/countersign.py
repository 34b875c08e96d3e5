"""会签 (issue 11): who has signed a parallel approval — each participant of the round, signed or
waiting, when, and their opinion. The rounds are found by workflows.countersign from the case's
task history; a step is parallel when its diagram draws it as a parallel multi-instance task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from workflows.countersign import Happening, Round, round_of, rounds

from ..extensions import db
from ..models import CaseEvent, HumanTask, Opinion, OpinionKind, ProcessInstance
from ..models.events import EventKind
from .engine import engine

HAPPENINGS = {
    EventKind.TASK_CREATED: Happening.OPENED,
    EventKind.TASK_COMPLETED: Happening.CLOSED,
    EventKind.TASK_CANCELLED: Happening.CLOSED,
    EventKind.TASK_RETURNED: Happening.CLOSED,
}
# A participant's state, and how people read it.
SIGN_STATUS = {"signed": "已签", "waiting": "待签", "cancelled": "已取消"}
# A signature withdrawn (撤回) is no signature: its step opens again in the same round.
_FROM_TASK = {"done": "signed", "open": "waiting", "cancelled": "cancelled", "withdrawn": "cancelled"}


@dataclass(frozen=True)
class Signer:
    task: HumanTask
    status: str  # signed | waiting | cancelled (a key of SIGN_STATUS)
    opinion: Opinion | None

    @property
    def status_label(self) -> str:
        return SIGN_STATUS[self.status]


@dataclass(frozen=True)
class Countersign:
    """One round of a parallel approval: its step, its number among the step's rounds, its signers."""

    step: str
    task_spec: str
    round: int
    signers: list[Signer]

    @property
    def signed(self) -> int:
        return sum(1 for s in self.signers if s.status == "signed")

    @property
    def expected(self) -> int:
        """How many signatures the round needs: a cancelled participant's is no longer awaited."""
        return sum(1 for s in self.signers if s.status != "cancelled")


def countersigns(
    instance: ProcessInstance,
    tasks: Sequence[HumanTask],
    said: Sequence[Opinion],
    events: Sequence[CaseEvent] | None = None,
) -> list[Countersign]:
    """Every round of the case's parallel approvals, in the order they began."""
    parallel = engine().definition(instance.definition).parallel_tasks
    if not any(t.task_spec in parallel for t in tasks):
        return []
    found = rounds(_history(instance.id, events), {t.id: t.task_spec for t in tasks}, parallel)
    by_id = {t.id: t for t in tasks}
    numbers: dict[str, int] = {}
    out = []
    for r in found:
        numbers[r.spec] = numbers.get(r.spec, 0) + 1
        out.append(_countersign(r, numbers[r.spec], by_id, said))
    return out


def countersign_of(task: HumanTask, said: Sequence[Opinion]) -> Countersign | None:
    """The round of the parallel approval this task is part of (None for any other task)."""
    if task.task_spec not in engine().definition(task.instance.definition).parallel_tasks:
        return None
    query = select(HumanTask).where(
        HumanTask.instance_id == task.instance_id, HumanTask.task_spec == task.task_spec
    )
    tasks = list(db.session.scalars(query))
    found = round_of(
        task.id, rounds(_history(task.instance_id), {t.id: t.task_spec for t in tasks}, {task.task_spec})
    )
    if found is None:
        return None
    number, r = found
    return _countersign(r, number, {t.id: t for t in tasks}, said)


def _countersign(r: Round, number: int, by_id: dict[int, HumanTask], said: Sequence[Opinion]) -> Countersign:
    given = {o.task_id: o for o in said if o.kind == OpinionKind.APPROVAL}
    signers = [Signer(by_id[i], _FROM_TASK.get(by_id[i].status, "waiting"), given.get(i)) for i in r.task_ids]
    return Countersign(by_id[r.task_ids[0]].name, r.spec, number, signers)


def _history(instance_id: int, events: Sequence[CaseEvent] | None = None) -> list[tuple[Happening, int]]:
    """The case's tasks opening and closing, in the order it happened (the history's order)."""
    if events is None:
        query = (
            select(CaseEvent.kind, CaseEvent.task_id)
            .where(CaseEvent.instance_id == instance_id, CaseEvent.kind.in_(list(HAPPENINGS)))
            .order_by(CaseEvent.id)
        )
        pairs = [(kind, task_id) for kind, task_id in db.session.execute(query)]
    else:
        pairs = [(e.kind, e.task_id) for e in events]
    return [(HAPPENINGS[EventKind(k)], t) for k, t in pairs if k in HAPPENINGS and t is not None]
