"""What must hold after a fault run (issue 15, ESC-1): every case loads, the inbox matches the
workflow, nothing due is left undone, and no reminder or escalation happened twice."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Findings:
    cases: int = 0
    unloadable: list[int] = field(default_factory=list)
    inbox_mismatch: list[int] = field(default_factory=list)
    overdue_left: list[int] = field(default_factory=list)  # deadline ids still due after settling
    twice: list[str] = field(default_factory=list)
    missing_levels: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def ok(self) -> bool:
        lists = (self.unloadable, self.inbox_mismatch, self.overdue_left, self.twice, self.missing_levels)
        return self.cases > 0 and not any(lists)

    def report(self) -> list[str]:
        lines = [f"cases: {self.cases}"]
        lines += [f"{kind}: {number}" for kind, number in sorted(self.counts.items())]
        for name in ("unloadable", "inbox_mismatch", "overdue_left", "twice", "missing_levels"):
            found = getattr(self, name)
            lines.append(f"{name}: {len(found)}" + (f" e.g. {found[:5]}" if found else ""))
        return lines


def due_left(app) -> list[int]:
    """Running deadlines whose next reminder or escalation moment has passed."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import Deadline

    with app.app_context():
        now = datetime.now(UTC)
        query = select(Deadline.id).where(Deadline.status == "running", Deadline.next_action_at <= now)
        found = list(db.session.scalars(query))
        db.session.rollback()
    return found


def settle(app, seconds: float) -> float:
    """Wait (the sweeps run every second) until nothing due is left, at most `seconds`; how long it took."""
    began = time.monotonic()
    while time.monotonic() - began < seconds and due_left(app):
        time.sleep(1)
    return time.monotonic() - began


def loads(port: int, secret: str, ids: list[int], findings: Findings) -> None:
    """GET every case over HTTP: 200 each (a case that does not load is a broken case)."""
    from harness import Person

    person = Person(port, secret)
    for case_id in ids:
        status, _ = person.call("GET", f"/process-instances/{case_id}")
        if status != 200:
            findings.unloadable.append(case_id)


def inbox(app, findings: Findings) -> list[int]:
    """Open human_task rows against the engine's ready user tasks, case by case; the case ids."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import HumanTask, ProcessInstance
    from service.services.engine import clock, engine

    with app.app_context():
        ids = []
        for instance in db.session.scalars(select(ProcessInstance).order_by(ProcessInstance.id)):
            ids.append(instance.id)
            findings.counts[f"cases {instance.status}"] += 1
            parsed = engine().definition(instance.definition)
            workflow = engine().runner.loads(instance.state, parsed, clock())
            ready = {task.id for task in engine().runner.ready_tasks(workflow, parsed)}
            rows = select(HumanTask.spiff_task_id).where(
                HumanTask.instance_id == instance.id, HumanTask.status == "open"
            )
            if ready != set(db.session.scalars(rows)):
                findings.inbox_mismatch.append(instance.id)
        db.session.rollback()
    findings.cases = len(ids)
    return ids


def once(app, findings: Findings) -> None:
    """Each reminder and each escalation level of a deadline at most once in the history and the
    notifications; every level a deadline reached recorded (levels 1..level)."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import CaseEvent, Deadline, Notification

    with app.app_context():
        seen: Counter = Counter()
        for row in db.session.scalars(select(CaseEvent).where(CaseEvent.kind.in_(("reminded", "escalated")))):
            details = row.details or {}
            seen[(row.instance_id, row.task_id, details.get("deadline"), row.kind, details.get("level"))] += 1
        findings.counts["history reminded"] = sum(n for k, n in seen.items() if k[3] == "reminded")
        findings.counts["history escalated"] = sum(n for k, n in seen.items() if k[3] == "escalated")
        findings.twice += [str(key) for key, number in seen.items() if number > 1]
        kinds = Counter(db.session.scalars(select(Notification.kind)))
        findings.counts["notifications reminder"] = kinds["reminder"]
        findings.counts["notifications escalation"] = kinds["escalation"]
        for clock in db.session.scalars(select(Deadline)):
            findings.counts[f"deadlines {clock.status} level {clock.level}"] += 1
            for level in range(1, clock.level + 1):
                if not seen[(clock.instance_id, clock.task_id, clock.name, "escalated", level)]:
                    findings.missing_levels.append(f"deadline {clock.id} level {level}")
        db.session.rollback()


def check(app, port: int, secret: str, settle_seconds: float) -> Findings:
    """Settle, then run every check; the findings to print."""
    findings = Findings()
    findings.counts["settle seconds"] = round(settle(app, settle_seconds))
    findings.overdue_left = due_left(app)
    ids = inbox(app, findings)
    loads(port, secret, ids, findings)
    once(app, findings)
    return findings
