"""PostgreSQL restarted under load: do requests fail cleanly and succeed again by themselves? (issue 15)

The machine's PostgreSQL is never touched. A private cluster is made for the run (initdb into a
temporary folder, its own port, trust authentication; as root, run as the postgres user), migrated
and seeded as api_throughput.py prepares its database; gunicorn (api_throughput.WORKERS sync workers) serves
it. CLIENTS threads drive two-task cases through the API (start, 办理, 复核, and a read of their
task list per case) while the cluster is, in turn:
  1. restarted: `pg_ctl restart -m fast` (every connection is cut mid-transaction);
  2. stopped (`pg_ctl stop -m fast`), left down DOWN_SECONDS, started again.
A client that gets anything but success leaves its case where it is and starts a new one.
PASS when, over the whole run:
  - every answer that is not a success is a 503 application/problem+json with Retry-After (no 500,
    no other status, no connection dropped by the server);
  - no answer takes longer than HANG_SECONDS;
  - the stop is noticed (503s while the database is down);
  - after each fault every client succeeds again within RECOVERY_SECONDS of the database accepting
    connections, and no failure comes later than that;
  - gunicorn is never restarted: the same master and the same workers serve from first to last.
Printed: answers by phase and status, how long the database was down, how long until requests
succeeded again, the slowest answer; PASS or FAIL last (exit status 1 on FAIL). BENCH_KEEP_LOG=path
copies gunicorn's log there (the traces behind any 500). PG_BIN: where initdb and pg_ctl are.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from api_throughput import FIRST, KEY, STEPS, Client, free_port, prepare, serve  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "govflow_fault"
CLIENTS = 4
WARM_SECONDS = 3.0  # load before the first fault, and between and after the faults
DOWN_SECONDS = 5.0
HANG_SECONDS = 10.0  # the longest any answer may take, the database up or down
RECOVERY_SECONDS = 10.0  # from the database accepting connections to every client succeeding again
PAUSE_AFTER_FAILURE = 0.1  # a client that failed waits this long before its next case


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="govflow-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:  # initdb refuses to run as root: the folder becomes the postgres user's
            shutil.chown(self.folder, "postgres")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, tool: str, *args: str, check: bool = True) -> None:
        command = [*self.as_postgres, str(PG_BIN / tool), "-D", str(self.data), *args]
        subprocess.run(command, check=check, capture_output=True)

    def ctl(self, *args: str) -> None:
        """pg_ctl, waiting (-w) until it is done: a started server accepts connections."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-l", str(self.folder / "log"), "-w", "-o", options, *args)

    def create(self) -> None:
        self.run("initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        self.ctl("start")
        create = ["psql", self.url(), "-qc", f"CREATE DATABASE {DATABASE}"]
        subprocess.run(create, check=True, capture_output=True)

    def remove(self) -> None:
        self.run("pg_ctl", "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class Answer:
    client: int
    what: str  # the request: its method and route
    began: float
    ended: float
    status: int  # 0: no answer (connection refused, dropped, timed out)
    kind: str  # the Content-Type, or the error when there was no answer
    retry_after: bool

    @property
    def ok(self) -> bool:
        return self.status in (200, 201)


class Driver:
    """CLIENTS threads driving cases until stopped; every answer recorded."""

    def __init__(self, port: int, secrets: list[str]) -> None:
        self.port, self.secrets = port, secrets
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.drive, args=(n,)) for n in range(CLIENTS)]

    def send(self, n: int, client: Client, method: str, path: str, body: dict | None = None) -> dict | None:
        began = time.monotonic()
        try:
            data = json.dumps(body) if body is not None else None
            client.connection.request(method, "/api/v1" + path, data, client.headers)
            response = client.connection.getresponse()
            raw = response.read()
            status, kind = response.status, response.getheader("Content-Type", "")
            retry = response.getheader("Retry-After") is not None
        except (OSError, http.client.HTTPException) as err:
            client.connection.close()
            raw, status, kind, retry = b"", 0, type(err).__name__, False
        route = path.split("?")[0].split("/")[1]
        answer = Answer(n, f"{method} {route}", began, time.monotonic(), status, kind, retry)
        with self.lock:
            self.answers.append(answer)
        return json.loads(raw) if answer.ok else None

    def case(self, n: int, client: Client) -> bool:
        """One case from start to 办结; False at the first answer that is not a success."""
        if self.send(n, client, "GET", "/tasks?scope=mine&status=open&per_page=5") is None:
            return False
        case = self.send(n, client, "POST", f"/process-definitions/{KEY}/instances", {"data": {}})
        task = case["open_tasks"][0] if case else None
        for _ in STEPS:
            answer = task and self.send(n, client, "POST", f"/tasks/{task['id']}/complete", {"data": FIRST})
            if not answer:
                return False
            task = (answer["next_tasks"] or [None])[0]
        return True

    def drive(self, n: int) -> None:
        client = Client(self.port, self.secrets[n])
        client.connection.timeout = HANG_SECONDS
        while not self.stopping.is_set():
            if not self.case(n, client):
                time.sleep(PAUSE_AFTER_FAILURE)

    def first_successes_after(self, moment: float) -> dict[int, float]:
        """Each client's first success begun after `moment`: when it ended."""
        found: dict[int, float] = {}
        with self.lock:
            for answer in self.answers:
                if answer.ok and answer.began >= moment:
                    found[answer.client] = min(found.get(answer.client, answer.ended), answer.ended)
        return found


@dataclass
class Fault:
    name: str
    down: float = 0.0  # the fault began (pg_ctl called)
    up: float = 0.0  # the database accepts connections again (pg_ctl -w returned)
    recovered: dict[int, float] | None = None  # client: its first success after `up`


def run_fault(driver: Driver, fault: Fault, cause) -> None:
    """Cause the fault, then wait (at most RECOVERY_SECONDS) until every client has succeeded again."""
    fault.down = time.monotonic()
    cause()
    fault.up = time.monotonic()
    while time.monotonic() < fault.up + RECOVERY_SECONDS:
        fault.recovered = driver.first_successes_after(fault.up)
        if len(fault.recovered) == CLIENTS:
            break
        time.sleep(0.05)
    fault.recovered = driver.first_successes_after(fault.up)
    time.sleep(WARM_SECONDS)


def stop_wait_start(cluster: Cluster) -> None:
    cluster.ctl("-m", "fast", "stop")
    time.sleep(DOWN_SECONDS)
    cluster.ctl("start")


def workers_of(server: subprocess.Popen) -> set[int]:
    """The master's pid and its workers' (its child processes)."""
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True)
    return {server.pid, *(int(pid) for pid in found.stdout.split())}


def phase(answer: Answer, faults: list[Fault]) -> str:
    """While down: the answer overlaps a fault. After: it began within RECOVERY_SECONDS of one."""
    for fault in faults:
        if answer.ended >= fault.down and answer.began <= fault.up:
            return f"{fault.name}: while down"
    for fault in faults:
        if fault.up < answer.began <= fault.up + RECOVERY_SECONDS:
            return f"{fault.name}: after"
    return "database up"


def print_phases(answers: list[Answer], faults: list[Fault]) -> None:
    by_phase: dict[str, Counter] = {}
    for answer in answers:
        by_phase.setdefault(phase(answer, faults), Counter())[answer.status or answer.kind] += 1
    for name, counts in by_phase.items():
        print(f"{name:34} " + ", ".join(f"{status}×{n}" for status, n in sorted(counts.items(), key=str)))


def recovered_within_bound(fault: Fault) -> bool:
    """Print how long the fault lasted and how soon requests succeeded again; every client did?"""
    times = sorted(moment - fault.up for moment in (fault.recovered or {}).values())
    first = f"{times[0]:.2f} s" if times else "never"
    every = f"{times[-1]:.2f} s" if len(times) == CLIENTS else f"never ({len(times)} of {CLIENTS})"
    down = fault.up - fault.down
    print(
        f"{fault.name}: database down {down:.2f} s; back, a first success in {first}, every client's {every}"
    )
    return len(times) == CLIENTS


def report(answers: list[Answer], faults: list[Fault], same_workers: bool) -> bool:
    """Print the figures and each check; True when every check holds."""
    print_phases(answers, faults)
    failures = [a for a in answers if not a.ok]
    clean = (503, "application/problem+json", True)
    unclean = [a for a in failures if (a.status, a.kind, a.retry_after) != clean]
    slowest = max(a.ended - a.began for a in answers)
    stopped = [a for a in answers if phase(a, faults[1:]).endswith("while down")]
    checks = {
        "every failure a 503 application/problem+json with Retry-After": not unclean,
        f"slowest answer {slowest:.2f} s (bound {HANG_SECONDS:.0f} s)": slowest <= HANG_SECONDS,
        "the stop was noticed (503 while down)": any(a.status == 503 for a in stopped),
        f"no failure while the database was up (but within {RECOVERY_SECONDS:.0f} s of a fault)": not any(
            phase(a, faults) == "database up" for a in failures
        ),
        "gunicorn's master and workers the same from first to last": same_workers,
    }
    for fault in faults:
        checks[f"{fault.name}: every client succeeded again within {RECOVERY_SECONDS:.0f} s"] = (
            recovered_within_bound(fault)
        )
    for text, held in checks.items():
        print(f"  [{'ok' if held else 'FAILED'}] {text}")
    for answer in unclean[:5]:
        print(f"    unclean: {answer.what} {answer.status} {answer.kind} retry-after={answer.retry_after}")
    return all(checks.values())


def main() -> None:
    cluster = Cluster()
    server = None
    try:
        cluster.create()
        os.environ["DATABASE_URL"] = cluster.url(DATABASE)
        app, secrets = prepare()
        from service.extensions import db

        with app.app_context():
            db.engine.dispose()  # this process's connections are not the service's
        port = free_port()
        server = serve(port, log=(cluster.folder / "gunicorn.log").open("w"))
        passed = exercise(cluster, Driver(port, secrets), server)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        if os.environ.get("BENCH_KEEP_LOG"):
            shutil.copy(cluster.folder / "gunicorn.log", os.environ["BENCH_KEEP_LOG"])
        cluster.remove()
    print(f"postgres_restart: {'PASS' if passed else 'FAIL'}")
    sys.exit(0 if passed else 1)


def exercise(cluster: Cluster, driver: Driver, server: subprocess.Popen) -> bool:
    """Load, the two faults, load again; then the report."""
    for secret in driver.secrets:  # every worker booted, its pool and parsed diagrams warm: not timed
        Client(driver.port, secret).case()
    before = workers_of(server)
    for thread in driver.threads:
        thread.start()
    time.sleep(WARM_SECONDS)
    faults = [Fault("restart -m fast"), Fault(f"stop, {DOWN_SECONDS:.0f} s down, start")]
    run_fault(driver, faults[0], lambda: cluster.ctl("-m", "fast", "restart"))
    run_fault(driver, faults[1], lambda: stop_wait_start(cluster))
    driver.stopping.set()
    for thread in driver.threads:
        thread.join(HANG_SECONDS + 5)
    same = server.poll() is None and workers_of(server) == before and len(before) > 1
    if not same:
        print(f"gunicorn processes before the faults {sorted(before)}, after {sorted(workers_of(server))}")
    return report(driver.answers, faults, same)


if __name__ == "__main__":
    main()
