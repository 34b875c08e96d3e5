"""Human tasks completed per second over HTTP, and what one completion costs beside the engine.

The service runs under gunicorn (WORKERS sync workers, 127.0.0.1 only) on PostgreSQL: DATABASE_URL
when set (a database it may fill), else a fresh database govflow_bench_throughput on the local
server. Clients (1, 2 and 4 threads, each on its own keep-alive connection and bearer token) drive
two-task cases through the API: start, complete 办理 (the answer names 复核 in next_tasks), complete
复核. Printed: tasks per second at each concurrency, statements per case, and last, one ratio:

numerator:   median time of one HTTP completion (1 client: request, permission checks, workflow
             load/save, inbox sync, history, commit, response);
denominator: median time for bare SpiffWorkflow to load the same instance from JSON, complete the
             same task and save it again (as engine_overhead.py measures it).
Target: <= 4.

Statements per case are counted with a SQLAlchemy before_cursor_execute listener on an app run
in-process (the Flask test client) over the same database, for one case: pg_stat_statements is
not loaded on a default server. Transactions (each a BEGIN and a COMMIT or ROLLBACK, round trips
the statements leave out) are counted with a begin listener. BENCH_SQL=1 prints the statements
of one completion. Printed as information before the ratio: the gunicorn workers' CPU time per
completion (from /proc) against the bare step's, which other guests' load on a shared machine
stretches far less than wall time.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bare_engine import bare_step, compare  # noqa: E402
from setup import local_postgresql, prepared_app  # noqa: E402

KEY = "bench_two_steps"
USER = "zhang.wei"  # 办公室: both steps are in its lane
CASES = 60  # per concurrency level
CLIENTS = (1, 2, 4)
WORKERS = 4
FORM = '<govflow:form><govflow:field name="note" type="text" label="办理意见"/></govflow:form>'
STEPS = ("handle", "review")
FIRST = {"note": "已办理"}
DIAGRAM = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:govflow="urn:govflow:bpmn:1.0"
                  id="Definitions_bench" targetNamespace="urn:govflow:bench">
  <bpmn:process id="{KEY}" name="两步办理（基准）" isExecutable="true">
    <bpmn:documentation>Benchmark only (issue 15): two steps of 办公室, no deadline.</bpmn:documentation>
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_office" name="办公室">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>handle</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="收到"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle"/>
    <bpmn:userTask id="handle" name="办理"><bpmn:extensionElements>{FORM}</bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="review"/>
    <bpmn:userTask id="review" name="复核"><bpmn:extensionElements>{FORM}</bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="end"/>
    <bpmn:endEvent id="end" name="办结"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


def prepare() -> tuple[object, list[str]]:
    """Migrate, seed, deploy the two-step diagram; one bearer token per client thread."""
    from service.services import deployment, tokens
    from tests.layout import laid_out

    app = prepared_app("throughput")
    with app.app_context():
        deployment.deploy_xml(KEY, laid_out(DIAGRAM.encode()))
        secrets = [tokens.create_token_for(USER, f"bench {n}") for n in range(max(CLIENTS))]
    return app, secrets


class Client:
    """One person's keep-alive connection to the service."""

    def __init__(self, port: int, secret: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

    def post(self, path: str, body: dict) -> dict:
        self.connection.request("POST", "/api/v1" + path, json.dumps(body), self.headers)
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        assert response.status in (200, 201), answer
        return answer

    def timed_case(self) -> list[float]:
        """case(), answering how long each completion took."""
        timings: list[float] = []
        self.case(timings)
        return timings

    def case(self, timings: list[float] | None = None) -> None:
        """Start a case and complete both its steps; the second task is taken from next_tasks."""
        case = self.post(f"/process-definitions/{KEY}/instances", {"data": {}})
        task = case["open_tasks"][0]
        for step in STEPS:
            assert task["task_spec"] == step, task
            began = time.perf_counter()
            answer = self.post(f"/tasks/{task['id']}/complete", {"data": FIRST})
            if timings is not None:
                timings.append(time.perf_counter() - began)
            task = answer["next_tasks"][0] if answer["next_tasks"] else None
        assert task is None and answer["case"]["status"] == "completed", answer


def serve(port: int, log=subprocess.DEVNULL) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port`, once it accepts connections; its log (stderr) to `log`."""
    command = [str(ROOT / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
    env = {**os.environ, "SECRET_KEY": "bench", "GOVFLOW_FILES": "/tmp/govflow-bench-files"}
    command.append("service:create_app()")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throughput(port: int, secrets: list[str], clients: int) -> float:
    """Human tasks completed per second with `clients` threads sharing CASES cases."""
    people = [Client(port, secret) for secret in secrets[:clients]]
    for person in people:
        person.case()  # every worker a client reaches has parsed the diagram and warmed its pool
    share = CASES // clients

    def drive(person: Client) -> None:
        for _ in range(share):
            person.case()

    threads = [threading.Thread(target=drive, args=(person,)) for person in people]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return share * clients * len(STEPS) / (time.perf_counter() - began)


def worker_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) the gunicorn master's worker processes have used so far (Linux)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_per_completion(server: subprocess.Popen, person: Client, cases: int) -> float:
    """The workers' CPU time per HTTP completion (sum of the CPU used during each completion
    request, over `cases` cases): steadier than wall time on a shared machine, where other
    guests' load stretches every wait."""
    used, completions = 0.0, 0
    for _ in range(cases):
        case = person.post(f"/process-definitions/{KEY}/instances", {"data": {}})
        task = case["open_tasks"][0]
        for _step in STEPS:
            before = worker_cpu_seconds(server)
            answer = person.post(f"/tasks/{task['id']}/complete", {"data": FIRST})
            used += worker_cpu_seconds(server) - before
            completions += 1
            task = answer["next_tasks"][0] if answer["next_tasks"] else None
    return used / completions


def bare_cpu(bare_once, rounds: int) -> float:
    """The bare engine step's CPU time (mean over `rounds`)."""
    began = time.process_time()
    for _ in range(rounds):
        bare_once()
    return (time.process_time() - began) / rounds


def statements_per_case(app, secret: str, show: bool = False) -> Counter:
    """The statements and transactions (BEGIN) of one case, counted in-process, by request."""
    from sqlalchemy import event

    from service.extensions import db

    counts: Counter = Counter()
    label = {"now": ""}

    def began(_conn) -> None:
        counts[label["now"] + " (transactions)"] += 1

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:
        counts[label["now"]] += 1
        if show and label["now"] == "complete handle":
            print("   ", " ".join(statement.split())[:160])

    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        event.listen(db.engine, "begin", began)
    try:
        label["now"] = "start"
        case = client.post(f"/api/v1/process-definitions/{KEY}/instances", json={"data": {}}, headers=headers)
        task = case.get_json()["open_tasks"][0]
        for step in STEPS:
            label["now"] = f"complete {step}"
            url = f"/api/v1/tasks/{task['id']}/complete"
            answer = client.post(url, json={"data": FIRST}, headers=headers)
            task = (answer.get_json()["next_tasks"] or [None])[0]
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
            event.remove(db.engine, "begin", began)
    return counts


def split(counts: Counter) -> dict[str, dict[str, int]]:
    """Statements and transactions, each by request."""
    found: dict[str, dict[str, int]] = {"statements": {}, "transactions": {}}
    for key, number in counts.items():
        request, _, kind = key.partition(" (")
        found["transactions" if kind else "statements"][request] = number
    return found


def main() -> None:
    local_postgresql("govflow_bench_throughput")
    app, secrets = prepare()
    for _ in range(2):  # caches warm: the count of a steady state
        statements_per_case(app, secrets[0])
    counts = statements_per_case(app, secrets[0], show=os.environ.get("BENCH_SQL") == "1")
    for what, counted in split(counts).items():
        print(
            f"{what} per case: {sum(counted.values())} ({', '.join(f'{k} {v}' for k, v in counted.items())})"
        )
    port = free_port()
    server = serve(port)
    try:
        for clients in CLIENTS:
            print(f"{clients} client(s): {throughput(port, secrets, clients):.1f} tasks/s")
        http_once, bare_once = Client(port, secrets[0]), bare_step(DIAGRAM, KEY, {}, FIRST)
        service_cpu, engine_cpu = cpu_per_completion(server, http_once, CASES * 2), bare_cpu(bare_once, 200)
        print(
            f"CPU per completion, information: service {service_cpu * 1000:.2f} ms, bare engine"
            f" {engine_cpu * 1000:.2f} ms, ratio {service_cpu / engine_cpu:.2f} (the service's own"
            " processes only; steadier than wall time when the machine is shared)"
        )
        service = "HTTP complete (1 client, incl. commit)"
        compare(bare_once, http_once.timed_case, CASES // 2, service, "api_throughput", 4)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
