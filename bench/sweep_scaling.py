"""Does the sweep's cost grow with what is due, or with how many cases are open? One ratio, one run.

numerator:   median time of one sweep (finding due timers and deadline actions, publishing a job
             for each) with 100,000 open cases, each with a running deadline;
denominator: the same with 1,000 open cases.
Both have the same 50 due timers and 50 due deadline actions. The jobs themselves are not run
(they cost the same in both); the publisher only counts them, and the sweep's handed-out marks are
cleared between rounds (untimed), as the jobs would. Target: <= 1.5.
Uses DATABASE_URL when set (a database it may fill), else a throwaway SQLite file.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from setup import prepared_app, store_rows  # noqa: E402
from sqlalchemy import delete  # noqa: E402

DUE = 50
ROUNDS = 15
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


class CountingPublisher:
    def __init__(self) -> None:
        self.count = 0

    def publish(self, job: str, **kwargs) -> None:
        self.count += 1


def fill(open_cases: int) -> None:
    """Replace all cases with `open_cases` running ones; DUE of them have a due timer, DUE a due deadline."""
    from service.extensions import db
    from service.models import CaseEvent, Deadline, HumanTask, ProcessDefinition, ProcessInstance

    for model in (Deadline, CaseEvent, HumanTask, ProcessInstance):
        db.session.execute(delete(model))
    definition_id = db.session.query(ProcessDefinition.id).first()[0]
    later, earlier = NOW + timedelta(days=30), NOW - timedelta(minutes=5)
    cases, clocks = [], []
    for n in range(1, open_cases + 1):
        cases.append(
            {
                "id": n,
                "definition_id": definition_id,
                "tracking_number": f"BENCH-{n:07d}",
                "status": "running",
                "started_at": NOW,
                "state": "",
                "data": {},
                "next_timer_at": earlier if n <= DUE else (later if n % 3 == 0 else None),
                "version": 1,
            }
        )
        clocks.append(
            {
                "instance_id": n,
                "name": "disclosure.reply",
                "label": "答复期限",
                "amount": 20,
                "unit": "workday",
                "started_on": date(2026, 5, 1),
                "pauses": [],
                "escalate_at": [],
                "status": "running",
                "next_action_at": earlier if n > open_cases - DUE else later,
                "version": 1,
            }
        )
    store_rows(db, cases, Deadline.__table__, clocks)


def unmark() -> None:
    """Clear the handed-out marks (issue 15), as the jobs would, so every round publishes the same.
    Found through the due indexes: a scan of every case would flush the page cache between rounds."""
    from sqlalchemy import update

    from service.extensions import db
    from service.models import Deadline, ProcessInstance

    due_clocks = (Deadline.status == "running", Deadline.next_action_at <= NOW)
    db.session.execute(update(Deadline).where(*due_clocks).values(queued_at=None))
    due_timers = (ProcessInstance.status == "running", ProcessInstance.next_timer_at <= NOW)
    db.session.execute(update(ProcessInstance).where(*due_timers).values(timers_queued_at=None))
    db.session.commit()


def time_sweeps() -> float:
    from service.services import jobs

    times = []
    for _ in range(ROUNDS):
        publisher = CountingPublisher()
        began = time.perf_counter()
        jobs.sweep(NOW, publisher)
        times.append(time.perf_counter() - began)
        unmark()  # the counting publisher runs no job, so nothing clears the sweep's marks
        # + open_scheduled, deliver_messages and seal_audit, published by every sweep
        assert publisher.count == 2 * DUE + 3, publisher.count
    return statistics.median(times)


def main() -> None:
    app = prepared_app("sweep")
    with app.app_context():
        fill(1_000)
        small = time_sweeps()
        fill(100_000)
        large = time_sweeps()
        fill(0)
    print(f"sweep with   1,000 open cases: median {small * 1000:.2f} ms ({DUE} timers + {DUE} deadlines due)")
    print(f"sweep with 100,000 open cases: median {large * 1000:.2f} ms (same due)")
    print(f"sweep_scaling ratio: {large / small:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
