"""Does the annual disclosure report's time follow the year's requests, not the years of history behind
them? One ratio, one run.

An office's database grows by years: the requests of one year are a few thousand at most, and a
report is asked of one year while the cases of every earlier year stay in the tables. So:
numerator:   median time of GET /api/v1/reports/disclosure?year=2026 (the request table, the published
             items, the entered figures) for the office's 张伟, logged in, through the Flask test client
             (as inbox_scaling times its page), with 100,000 disclosure requests: 5,000 a year over
             twenty years, 2007 to 2026;
denominator: the same with 10,000: 5,000 a year over 2025 and 2026.
Also printed, not part of the ratio: the report's service call alone (no request around it), and the
other growth, ten times the requests within the same two years (100,000 over 2025 and 2026), where a
report that reads each of its year's requests once must take about ten times as long.
Each request comes from a citizen or one of the five kinds of organisation, with the reply categories
and reasons in proportions an office sees (most disclosed); each is answered 3 to 40 days after
receipt, and one in twenty-five of the last two years is still open. They are bulk-inserted rows, not
cases run through the engine (the report reads rows only). Target: <= 5.
Uses DATABASE_URL when set (a database it may fill), else a throwaway SQLite file.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inbox_scaling import logged_in  # noqa: E402
from setup import prepared_app  # noqa: E402
from sqlalchemy import delete, insert, select  # noqa: E402

ROUNDS = 11
NOW = datetime(2027, 1, 11, 2, 0, tzinfo=UTC)
LAST_YEAR = 2026
PER_YEAR = 5_000
# (category, reason field, reason) and how often each is drawn
REPLIES = [
    (("disclosed", None, None), 50),
    (("already_public", None, None), 10),
    (("partly_disclosed", None, None), 10),
    (("withheld", "withheld_reason", "process_information"), 5),
    (("withheld", "withheld_reason", "third_party_rights"), 3),
    (("not_held", "unable_reason", "not_held"), 12),
    (("not_processed", "not_processed_reason", "repeated"), 4),
    (("not_processed", "not_processed_reason", "petition_complaint"), 3),
    (("other", "other_reason", "not_corrected"), 3),
]
KINDS = ["business", "research", "public_interest", "legal_service", "other"]


def request(n: int, rng: random.Random, definition_id: int, years: int) -> dict:
    first = date(LAST_YEAR - years + 1, 1, 1)
    received = first + timedelta(days=rng.randrange((date(LAST_YEAR + 1, 1, 1) - first).days))
    started = datetime.combine(received, datetime.min.time(), UTC) + timedelta(hours=1)
    data = {"applicant_name": f"申请人{n}", "received_on": received.isoformat(), "applicant_type": "person"}
    if rng.random() < 0.3:
        data.update(applicant_type="organisation", organisation_kind=rng.choice(KINDS))
    finished = started + timedelta(days=rng.randint(3, 40))
    running = (n % 25 == 0 and received.year >= LAST_YEAR - 1) or finished > NOW
    if not running:
        (category, field, reason), _ = rng.choices(REPLIES, weights=[w for _, w in REPLIES])[0]
        data["category"] = category
        if field:
            data[field] = reason
    return {
        "id": n,
        "definition_id": definition_id,
        "tracking_number": f"BENCH-{n:07d}",
        "status": "running" if running else "completed",
        "started_at": started,
        "completed_at": None if running else finished,
        "state": "",
        "data": data,
        "version": 1,
    }


def fill(cases: int, years: int) -> None:
    """Replace all cases with `cases` disclosure requests received over the last `years` years, committed
    and analysed."""
    from service.extensions import db
    from service.models import Deadline, HumanTask, ProcessDefinition, ProcessInstance

    for model in (Deadline, HumanTask, ProcessInstance):
        db.session.execute(delete(model))
    definition_id = db.session.scalar(
        select(ProcessDefinition.id).where(ProcessDefinition.key == "disclosure_request").limit(1)
    )
    rng = random.Random(2026)
    rows = [request(n, rng, definition_id, years) for n in range(1, cases + 1)]
    for start in range(0, len(rows), 10000):
        db.session.execute(insert(ProcessInstance.__table__), rows[start : start + 10000])
    db.session.commit()
    analyze = "ANALYZE" if db.engine.dialect.name == "sqlite" else "ANALYZE process_instance"
    db.session.execute(db.text(analyze))
    db.session.commit()


def median_time(call) -> float:
    call()  # warm: templates and diagrams parsed, statements compiled
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(app, cases: int, years: int) -> tuple[float, float, int]:
    """The API's median time, the service call's, and the 2026 总计 of new requests (a check)."""
    from service.extensions import db
    from service.models import User
    from service.services import disclosure_report

    with app.app_context():
        fill(cases, years)
    client = logged_in(app, "zhang.wei")

    def read() -> None:
        response = client.get("/api/v1/reports/disclosure?year=2026")
        assert response.status_code == 200, response.status_code

    api = median_time(read)
    with app.app_context():
        office = db.session.scalar(select(User).where(User.username == "zhang.wei"))
        service = median_time(lambda: disclosure_report.report(office, 2026))
        new = disclosure_report.report(office, 2026).requests.get("new", "total")
    return api, service, new


def main() -> None:
    app = prepared_app("report")
    small = measure(app, 10_000, 2)
    history = measure(app, 100_000, 20)
    crowded = measure(app, 100_000, 2)
    with app.app_context():
        fill(0, 1)
    rows = (
        (" 10,000 over  2 years", small),
        ("100,000 over 20 years", history),
        ("100,000 over  2 years", crowded),
    )
    for words, (api, service, new) in rows:
        figures = f"API median {api * 1000:.1f} ms, service call {service * 1000:.1f} ms"
        print(f"2026 report, {words} ({new} new in 2026): {figures}")
    print(f"ten times the requests in the same two years (not the target): {crowded[0] / small[0]:.2f}")
    print(f"service-call ratio over twenty years (not the target): {history[1] / small[1]:.2f}")
    print(f"report_scaling ratio: {history[0] / small[0]:.2f} (target <= 5)")


if __name__ == "__main__":
    main()
