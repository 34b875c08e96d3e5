"""Does the 已办 list slow down as done tasks pile up over the years? One ratio per list, one run.

PostgreSQL only: DATABASE_URL (a database it may fill), else a database govflow_bench_done it creates
on the local server. The done lists, newest first, as
queries.list_tasks reads them (20 a page, with its capped count), each call in its own app context:
王芳's own (已办, scope mine) and her department's (scope department, status done), with 200,000 done
tasks in the database against 1,000. 王芳 completed one in eight, all of them 规划处's. Printed: each
list's median time at both sizes and its ratio, the worst last (target <= 2).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from setup import cleared_for_filling, local_postgresql, prepared_app, store_rows  # noqa: E402
from sqlalchemy import select  # noqa: E402

NOW = datetime.now(UTC)
SIZES = (1_000, 200_000)
LISTS = (("已办 (王芳, mine)", "mine"), ("规划处 done (王芳, department)", "department"))
ROUNDS = 31


def fill(done_tasks: int) -> None:
    """Replace all cases with `done_tasks` completed ones, each with one done task of 规划处."""
    from service.extensions import db
    from service.models import HumanTask, User

    definition, planning, me = cleared_for_filling()
    others = [user for user in db.session.scalars(select(User.id)) if user != me]
    cases, tasks = [], []
    for n in range(1, done_tasks + 1):
        by = me if n % 8 == 0 else others[n % len(others)]
        done_at = NOW - timedelta(hours=n)
        cases.append(
            {
                "id": n,
                "definition_id": definition,
                "tracking_number": f"DONE-{n:07d}",
                "status": "completed",
                "started_at": done_at - timedelta(days=3),
                "state": "",
                "data": {},
                "version": 1,
            }
        )
        tasks.append(
            {
                "id": n,
                "instance_id": n,
                "spiff_task_id": f"done-{n:029d}",
                "task_spec": "draft_reply",
                "name": "起草答复",
                "department_id": planning,
                "assignee_id": by,
                "completed_by_id": by,
                "status": "done",
                "created_at": done_at - timedelta(days=1),
                "completed_at": done_at,
                "due_provisional": False,
                "escalation_level": 0,
                "has_clock": False,
                "version": 1,
            }
        )
    store_rows(db, cases, HumanTask.__table__, tasks)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE) human_task, process_instance")


def time_list(app, scope: str) -> float:
    from service.extensions import db
    from service.models import User
    from service.services import queries

    times = []
    for _ in range(ROUNDS):
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == "wang.fang"))
            _ = user.memberships, user.oversights  # loaded as the request's log-in would
            began = time.perf_counter()
            found = queries.list_tasks(user, scope, "done", 1, 20)
            times.append(time.perf_counter() - began)
            assert len(found.items) == 20, scope
    return statistics.median(times)


def main() -> None:
    local_postgresql("govflow_bench_done")
    app = prepared_app("done")
    timed: dict[str, list[float]] = {label: [] for label, _ in LISTS}
    for size in SIZES:
        with app.app_context():
            fill(size)
        for label, scope in LISTS:
            timed[label].append(time_list(app, scope))
    with app.app_context():
        fill(0)
    ratios = {label: large / small for label, (small, large) in timed.items()}
    for label, (small, large) in timed.items():
        sizes = f"{SIZES[0]:,}: {small * 1000:6.2f} ms; {SIZES[1]:,}: {large * 1000:6.2f} ms"
        print(f"{label:32} {sizes}: {ratios[label]:.2f}x")
    worst = max(ratios, key=ratios.__getitem__)
    print(f"done_scaling worst ratio, {worst}: {ratios[worst]:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
