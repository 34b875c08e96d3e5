"""Redis away (issue 15): the broker stops for --seconds while a steady client keeps using the API
and deadlines fall due; once Redis is back, within a bounded time, everything that fell due must
have happened exactly once, every case load and every inbox match its workflow.
It also prints how many jobs of each kind the worker received after Redis came back: the sweep
publishes a still-due deadline once per requeue window, not once per sweep.

A fresh PostgreSQL database (govflow_h_redis_away), a private redis-server on a free port (the
machine's Redis is never touched; stopped with SIGTERM, restarted empty on the same port, so jobs
queued before the stop are lost as in a real crash), gunicorn, a Celery worker and beat (sweep
every second). The client starts cases of the drill diagram received weeks ago, so each new task
is overdue at once (督办, ESC-1), reads them back and completes some steps. Printed: requests by
status and the slowest request before, during and after the outage; deadlines still due when
Redis came back and how long the sweeps took to act on them; the checks of checks.py; PASS/FAIL
last. PASS needs no 5xx, nothing due left, nothing twice, every case loading, inboxes matching.

    .venv/bin/python bench/faults/redis_away.py            # 300 s without Redis
    .venv/bin/python bench/faults/redis_away.py --quick    # 30 s without Redis
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks import check, due_left  # noqa: E402
from harness import (  # noqa: E402
    Person,
    Redis,
    Services,
    fresh_database,
    jobs_received,
    log_size,
    logged_errors,
    prepare,
)


class SteadyClient(threading.Thread):
    """Starts a case, reads it, completes a step, over and over; statuses and the slowest
    request counted per phase (before, during, after the outage)."""

    def __init__(self, person: Person) -> None:
        super().__init__()
        self.person = person
        self.phase = "before"
        self.stop = threading.Event()
        self.figures: dict[str, dict[str, float]] = {}

    def note(self, status: int, seconds: float) -> None:
        figures = self.figures.setdefault(
            self.phase, {"2xx": 0, "4xx": 0, "5xx": 0, "refused": 0, "slowest": 0}
        )
        figures["refused" if status == 0 else f"{status // 100}xx"] += 1
        figures["slowest"] = max(figures["slowest"], seconds)

    def timed(self, method: str, path: str, body: dict | None = None) -> dict | None:
        began = time.monotonic()
        status, answer = self.person.call(method, path, body)
        self.note(status, time.monotonic() - began)
        return answer if status in (200, 201) else None

    def run(self) -> None:
        rng, today = random.Random(15), date.today()
        while not self.stop.is_set():
            began = time.monotonic()
            case_id = self.person.start_case(rng, today)
            self.note(201 if case_id else 500, time.monotonic() - began)
            if case_id is None:
                time.sleep(0.5)
                continue
            case = self.timed("GET", f"/process-instances/{case_id}")
            if case and case.get("open_tasks") and rng.random() < 0.5:
                task = case["open_tasks"][0]
                self.timed("POST", f"/tasks/{task['id']}/complete", {"data": {"note": "已办理"}})
            time.sleep(0.2)


def restart_dead(services: Services) -> list[str]:
    """Start again any role that exited (as a container's restart policy would); which ones."""
    dead = [role for role, process in services.processes.items() if process.poll() is not None]
    for role in dead:
        services.start(role)
    return dead


def outage(services: Services, redis: Redis, client: SteadyClient, seconds: float) -> list[str]:
    """Stop Redis for `seconds`; the roles that exited meanwhile."""
    redis.stop()
    client.phase = "during"
    ends, exited = time.monotonic() + seconds, []
    while time.monotonic() < ends:
        time.sleep(1)
        exited += restart_dead(services)
    redis.start()
    client.phase = "after"
    return exited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300, help="how long Redis stays away")
    parser.add_argument("--warm", type=float, default=20, help="seconds of traffic before the outage")
    parser.add_argument("--recover", type=float, default=120, help="at most this long to catch up after")
    parser.add_argument("--quick", action="store_true", help="30 s without Redis")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.warm, args.recover = 30, 10, 60
    fresh_database("govflow_h_redis_away")
    app, secrets = prepare("redis_away", 2)
    logs = Path(tempfile.mkdtemp(prefix="govflow-faults-redis-"))
    redis = Redis()
    redis.start()
    services = Services(redis.url, logs)
    try:
        services.start_all()
        client = SteadyClient(Person(services.port, secrets[0]))
        client.start()
        time.sleep(args.warm)
        exited = outage(services, redis, client, args.seconds)
        worker_log_when_back = log_size(logs, "worker")
        due_when_back = len(due_left(app))
        time.sleep(min(10.0, args.warm))  # the client goes on a while with Redis back
        client.stop.set()
        client.join()
        findings = check(app, services.port, secrets[1], args.recover)
        exited += restart_dead(services)
    finally:
        services.stop_all()
        redis.stop()
    print(f"logs in {logs}; Redis away {args.seconds:.0f} s")
    for phase, figures in client.figures.items():
        shown = ", ".join(f"{k} {v:.2f} s" if k == "slowest" else f"{k} {v:.0f}" for k, v in figures.items())
        print(f"requests {phase} the outage: {shown}")
    print(f"processes that exited during the outage: {exited or 'none'}")
    print(f"deadlines due when Redis came back: {due_when_back}")
    received = jobs_received(logs, worker_log_when_back)
    shown = ", ".join(f"{kind} {n}" for kind, n in sorted(received.items()))
    print(f"jobs the worker received after Redis came back: {shown or 'none'}")
    print("in the logs: " + ", ".join(f"{k} {n}" for k, n in logged_errors(logs).items()))
    for line in findings.report():
        print(line)
    errors = {phase: f["5xx"] for phase, f in client.figures.items() if f["5xx"]}
    passed = findings.ok() and not errors and not exited
    why = f" (answers 5xx {errors}, exited {exited}, checks {'passed' if findings.ok() else 'failed'})"
    print("PASS" if passed else "FAIL" + why)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
