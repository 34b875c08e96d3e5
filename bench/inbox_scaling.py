"""Does the inbox page's time grow with the open tasks in the database? One ratio, one run.

numerator:   median time of GET /inbox (the default tab, 待我办理, with its counts) for 王芳 of
             规划处, logged in, through the Flask test client, with 10,000 open tasks in the database;
denominator: the same with 100 open tasks.
The tasks are spread over the demo departments (规划处 holds one in ten, as one department among
ten would), their deadlines spread over the coming weeks, one in ten with none. Target: <= 2.
Also printed, not part of the ratio: the page with a text search (q=).
Uses DATABASE_URL when set (a database it may fill), else a throwaway SQLite file.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from setup import prepared_app, store_rows  # noqa: E402
from sqlalchemy import delete, select  # noqa: E402

ROUNDS = 25
NOW = datetime.now(UTC)


def fill(open_tasks: int) -> None:
    """Replace all cases with `open_tasks` running ones, each with one open task."""
    from service.extensions import db
    from service.models import CaseEvent, Deadline, Department, HumanTask, ProcessDefinition, ProcessInstance

    for model in (Deadline, CaseEvent, HumanTask, ProcessInstance):
        db.session.execute(delete(model))
    definition_id = db.session.scalar(
        select(ProcessDefinition.id).where(ProcessDefinition.key == "disclosure_request").limit(1)
    )
    planning = db.session.scalar(select(Department.id).where(Department.code == "planning"))
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
                "task_spec": "draft_reply",
                "name": "起草答复",
                "department_id": planning if n % 10 == 0 else others[n % len(others)],
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


def main() -> None:
    app = prepared_app("inbox")
    small, small_search = measure(app, 100)
    large, large_search = measure(app, 10_000)
    with app.app_context():
        fill(0)
    print(f"inbox with    100 open tasks: median {small * 1000:.2f} ms (search {small_search * 1000:.2f} ms)")
    print(f"inbox with 10,000 open tasks: median {large * 1000:.2f} ms (search {large_search * 1000:.2f} ms)")
    print(f"inbox_scaling ratio: {large / small:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
