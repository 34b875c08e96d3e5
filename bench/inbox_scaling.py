"""Does the inbox page's time grow with the open tasks in the database? One ratio, one run.

numerator:   median time of GET /inbox (the default tab, 待我办理, with its counts) for 王芳 of
             规划处, logged in, through the Flask test client, with 10,000 open tasks in the database;
denominator: the same with 100 open tasks.
The tasks are spread over the demo departments (规划处 holds one in ten, as one department among
ten would), their deadlines spread over the coming weeks, one in ten with none. Target: <= 2.
Also printed, not part of the ratio: the page with a text search (q=). One in five tasks (never
规划处's) is a 领导审批 for the leader in charge; 王芳 holds a quarter of 规划处's (25 at 1,000: a
full page of 20).
That on a throwaway SQLite file. With DATABASE_URL (a PostgreSQL database it may fill) it measures
instead the inbox query itself, queries.list_tasks (20 a page, its COUNT and its page), in its own
app context per call, at 100,000 open tasks over 1,000, for each scope: 王芳's own (mine), her
department's, a leader's five departments (赵磊: 局领导 and the four he oversees), all (admin),
her department's overdue ones, and page 50 of all; each ratio, the worst last (target <= 2), and
beside each time that of its COUNT statement and how many tasks the scope holds.
BENCH_EXPLAIN=1 also prints EXPLAIN (ANALYZE, BUFFERS) of each statement at 100,000.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from setup import cleared_for_filling, prepared_app, store_rows  # noqa: E402
from sqlalchemy import select  # noqa: E402

ROUNDS = 25
NOW = datetime.now(UTC)
LEADER = "leader_in_charge"  # workflows.assignment.Role.LEADER_IN_CHARGE
# PostgreSQL: the inbox query (queries.list_tasks, 20 a page) by scope: (label, person, scope, due, page)
SCOPES = (
    ("mine (王芳)", "wang.fang", "mine", None, 1),
    ("department (王芳, 规划处)", "wang.fang", "department", None, 1),
    ("a leader's five departments (赵磊)", "zhao.lei", "department", None, 1),
    ("all (admin)", "admin", "all", None, 1),
    ("overdue (王芳, 规划处)", "wang.fang", "department", "overdue", 1),
    ("page 50 of all (admin)", "admin", "all", None, 50),
)
SIZES = (1_000, 100_000)
SCOPE_ROUNDS = 51  # calls are short and the machine may be shared: more of them steady the median


def fill(open_tasks: int) -> None:
    """Replace all cases with `open_tasks` running ones, each with one open task."""
    from service.extensions import db
    from service.models import Department, HumanTask

    definition_id, planning, holder = cleared_for_filling()
    others = [d for d in db.session.scalars(select(Department.id)) if d != planning]
    cases, tasks = [], []
    for n in range(1, open_tasks + 1):
        cases.append(
            {
                "id": n,
                "definition_id": definition_id,
                "tracking_number": f"BENCH-{n:07d}",
                "status": "running",
                "started_at": NOW - timedelta(hours=n),
                "state": "",
                "data": {"applicant_name": f"申请人{n}", "request_content": f"请公开第{n}号文件"},
                "version": 1,
            }
        )
        due = None if n % 10 == 3 else NOW + timedelta(days=n % 40 - 5, hours=n % 7)
        tasks.append(
            {
                "id": n,
                "instance_id": n,
                "spiff_task_id": f"bench-{n:030d}",
                "task_spec": "draft_reply" if n % 5 != 1 else "leader_approval",
                "name": "起草答复" if n % 5 != 1 else "领导审批",
                "department_id": planning if n % 10 == 0 else others[n % len(others)],
                "role": LEADER if n % 5 == 1 else None,  # never 规划处's: its page is as it was
                "assignee_id": holder if n % 40 == 0 else None,  # 王芳 holds a quarter of 规划处's
                "status": "open",
                "created_at": NOW - timedelta(hours=n),
                "due_at": due,
                "remind_at": due - timedelta(days=1) if due else None,
                "due_provisional": False,
                "escalation_level": 1 if due and due < NOW else 0,
                "has_clock": False,
                "version": 1,
            }
        )
    store_rows(db, cases, HumanTask.__table__, tasks)
    if db.engine.dialect.name == "postgresql":
        # The rows the previous fill deleted are vacuumed away and the visibility map set, as
        # autovacuum keeps a real database: else the first queries after a fill pay for the cleanup.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) human_task, process_instance")


def logged_in(app, username: str):
    """A test client logged in through the log-in page, as a person would be."""
    from service.services.demo import DEMO_PASSWORD

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "the log-in page has no CSRF token"
    form = {"csrf_token": token.group(1), "username": username, "password": DEMO_PASSWORD}
    response = client.post("/login", data=form)
    assert response.status_code == 302, response.status_code
    return client


def time_page(client, path: str) -> float:
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def measure(app, open_tasks: int) -> tuple[float, float]:
    with app.app_context():
        fill(open_tasks)
    client = logged_in(app, "wang.fang")
    client.get("/inbox")  # warm: templates compiled, diagrams parsed
    return time_page(client, "/inbox"), time_page(client, "/inbox?q=申请人7")


def time_scope(app, username: str, scope: str, due: str | None, page: int) -> tuple[float, float, str]:
    """Median time of one list_tasks call, each in its own app context (a request's session); the
    median time of its COUNT statement alone; how many tasks the scope holds ("1,000+": at least,
    the count stopped at queries.COUNT_CAP)."""
    from sqlalchemy import event

    from service.extensions import db
    from service.models import User
    from service.services import queries

    times, counting = [], []
    began_count = {"at": 0.0}

    def before(_conn, _cursor, statement, *_args) -> None:
        began_count["at"] = time.perf_counter() if statement.startswith("SELECT count(*)") else 0.0

    def after(*_args) -> None:
        if began_count["at"]:
            counting.append(time.perf_counter() - began_count["at"])

    for _ in range(SCOPE_ROUNDS):
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            _ = user.memberships, user.oversights  # loaded as the request's log-in would
            event.listen(db.engine, "before_cursor_execute", before)
            event.listen(db.engine, "after_cursor_execute", after)
            began = time.perf_counter()
            found = queries.list_tasks(user, scope, "open", page, 20, due=due)
            times.append(time.perf_counter() - began)
            event.remove(db.engine, "before_cursor_execute", before)
            event.remove(db.engine, "after_cursor_execute", after)
            assert found.items, (username, scope, due, page)
    total = f"{found.total:,}{'+' if found.total_capped else ''}"
    return statistics.median(times), statistics.median(counting), total


def explain(app, username: str, scope: str, due: str | None, page: int) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement one list_tasks call runs (BENCH_EXPLAIN=1)."""
    from sqlalchemy import event

    from service.extensions import db
    from service.models import User
    from service.services import queries

    caught: list[tuple[str, object]] = []
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _ = user.memberships, user.oversights

        def catch(_conn, _cursor, statement, params, _context, _many) -> None:
            caught.append((statement, params))

        event.listen(db.engine, "before_cursor_execute", catch)
        try:
            queries.list_tasks(user, scope, "open", page, 20, due=due)
        finally:
            event.remove(db.engine, "before_cursor_execute", catch)
        for statement, params in caught:
            plan = db.session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            print("   ", " ".join(statement.split())[:200])
            print("\n".join("      " + row[0] for row in plan))


def scopes(app) -> None:
    """PostgreSQL: each scope's inbox query at SIZES open tasks, its ratio, the worst last."""
    timed: dict[str, list[tuple[float, float, str]]] = {label: [] for label, *_ in SCOPES}
    for size in SIZES:
        with app.app_context():
            fill(size)
        for label, *wanted in SCOPES:
            timed[label].append(time_scope(app, *wanted))
            if os.environ.get("BENCH_EXPLAIN") == "1" and size == SIZES[-1]:
                print(f"{label} at {size:,}:")
                explain(app, *wanted)
    with app.app_context():
        fill(0)
    ratios = {}
    for label, (small, large) in timed.items():
        ratios[label] = large[0] / small[0]
        sizes = "; ".join(_figure(size, *found) for size, found in zip(SIZES, (small, large), strict=True))
        print(f"{label:34} {sizes}: {ratios[label]:.2f}x")
    worst = max(ratios, key=ratios.__getitem__)
    print(f"inbox_scaling worst ratio, {worst}: {ratios[worst]:.2f} (target <= 2)")


def _figure(size: int, median: float, counting: float, total: str) -> str:
    return f"{size:,}: {median * 1000:6.2f} ms (COUNT {counting * 1000:5.2f} ms, {total} tasks)"


def main() -> None:
    app = prepared_app("inbox")
    if os.environ.get("DATABASE_URL"):
        scopes(app)
        return
    small, small_search = measure(app, 100)
    large, large_search = measure(app, 10_000)
    with app.app_context():
        fill(0)
    print(f"inbox with    100 open tasks: median {small * 1000:.2f} ms (search {small_search * 1000:.2f} ms)")
    print(f"inbox with 10,000 open tasks: median {large * 1000:.2f} ms (search {large_search * 1000:.2f} ms)")
    print(f"inbox_scaling ratio: {large / small:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
