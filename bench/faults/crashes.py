"""Crashes (issue 15): web, worker and beat SIGKILLed at random moments while people start cases
and complete steps and the sweep (every second) reminds and escalates; then every case must load,
its inbox rows match its workflow, and every due reminder and escalation have happened exactly once.

A fresh PostgreSQL database (govflow_h_crashes), a private redis-server on a free port, gunicorn
(2 workers), a Celery worker (2 processes) and beat, all on 127.0.0.1. Cases of a two-step diagram
whose tasks carry 来信接收转交期限 counted from received_on, some received weeks ago (escalated as
soon as the task opens), some days ago (reminded), some today. A killer SIGKILLs the process group
of a random role (a crashed container: master and children at once) and starts it again, --kills
times within --seconds; dead processes found in between are counted and restarted too. Then all
three run, the sweeps settle what is due, and the checks of checks.py run. PASS/FAIL is printed last.

    .venv/bin/python bench/faults/crashes.py            # 200 kills, at most 480 s
    .venv/bin/python bench/faults/crashes.py --quick    # 20 kills in 60 s
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

from checks import check  # noqa: E402
from harness import Person, Redis, Services, fresh_database, logged_errors, prepare  # noqa: E402

CLIENTS = 3
# Steps a client takes on a case before it moves on: some cases stay open with a task whose
# deadline the sweep then reminds or escalates while processes die (a step that failed counts too).
LEAVE_AFTER = (0, 1, 3, 3, 3)


def drive(person: Person, stop: threading.Event, seed: int, cases: list[int]) -> None:
    """Start cases and complete their steps until told to stop, riding out whatever fails."""
    rng, today = random.Random(seed), date.today()
    while not stop.is_set():
        case_id = person.start_case(rng, today)
        if case_id is None:
            time.sleep(0.2)
            continue
        cases.append(case_id)
        steps = rng.choice(LEAVE_AFTER)
        for _ in range(20):  # failures while web is down are retried
            if stop.is_set() or steps == 0 or person.step(case_id):
                break
            steps -= 1
            time.sleep(rng.uniform(0, 0.3))


def kill_loop(services: Services, kills: int, seconds: float, seed: int) -> dict[str, int]:
    """SIGKILL a random role and start it again, `kills` times within `seconds`."""
    rng, done = random.Random(seed), {"web": 0, "worker": 0, "beat": 0, "found dead": 0}
    ends = time.monotonic() + seconds
    gap = seconds / max(kills, 1)
    while sum(done[r] for r in Services.ROLES) < kills and time.monotonic() < ends:
        time.sleep(rng.uniform(0.2, max(0.3, 2 * gap - 1.5)))
        for role, process in services.processes.items():
            if process.poll() is not None:
                done["found dead"] += 1
                print(f"  {role} had exited by itself ({process.returncode}); restarted", flush=True)
                services.start(role)
        role = rng.choice(Services.ROLES)
        services.kill(role)
        done[role] += 1
        services.start(role)
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=480)
    parser.add_argument("--settle", type=float, default=90, help="at most this long for the sweeps to settle")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="20 kills within 60 s")
    args = parser.parse_args()
    if args.quick:
        args.kills, args.seconds, args.settle = 20, 60, 45
    fresh_database("govflow_h_crashes")
    app, secrets = prepare("crashes", CLIENTS)
    logs = Path(tempfile.mkdtemp(prefix="govflow-faults-crashes-"))
    redis = Redis()
    redis.start()
    services = Services(redis.url, logs)
    began = time.monotonic()
    try:
        services.start_all()
        stop, cases = threading.Event(), []
        people = [Person(services.port, secret) for secret in secrets]
        threads = [threading.Thread(target=drive, args=(p, stop, n, cases)) for n, p in enumerate(people)]
        for thread in threads:
            thread.start()
        kills = kill_loop(services, args.kills, args.seconds, args.seed)
        stop.set()
        for thread in threads:
            thread.join()
        for role, process in services.processes.items():
            if process.poll() is not None:
                services.start(role)
        findings = check(app, services.port, secrets[0], args.settle)
    finally:
        services.stop_all()
        redis.stop()
    statuses: dict[str, int] = {}
    for person in people:
        for label, number in person.statuses.items():
            statuses[label] = statuses.get(label, 0) + number
    print(f"run: {time.monotonic() - began:.0f} s, logs in {logs}")
    print("kills: " + ", ".join(f"{role} {number}" for role, number in kills.items()))
    print("client requests: " + ", ".join(f"{label} {n}" for label, n in sorted(statuses.items())))
    print(f"slowest request: {max(p.slowest for p in people):.2f} s")
    print(f"cases started by clients: {len(cases)}")
    print("in the logs: " + ", ".join(f"{k} {n}" for k, n in logged_errors(logs).items()))
    for line in findings.report():
        print(line)
    print("PASS" if findings.ok() else "FAIL")
    sys.exit(0 if findings.ok() else 1)


if __name__ == "__main__":
    main()
