"""What both fault scripts share: a private Redis, web + worker + beat as process groups on a fresh
PostgreSQL database, a tolerant HTTP client, a diagram whose deadlines fall due at once, and the
checks run afterwards (issue 15). Traffic stays on 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import api_throughput as two_steps  # noqa: E402
from setup import fresh_postgresql, prepared_app  # noqa: E402

KEY = "fault_drill"
USER = "zhang.wei"  # 办公室: both steps are in its lane
# mailbox.intake counts from received_on (MBX-1): a case received weeks ago is overdue as soon as
# its task opens, one received a few days ago is due for a reminder, one received today for nothing.
AGES = (40, 20, 6, 3, 2, 1, 0)
DEADLINE = '<govflow:deadline name="mailbox.intake" from="received_on"/>'
START = """<bpmn:startEvent id="start" name="收到"><bpmn:extensionElements><govflow:form>
      <govflow:field name="received_on" type="date" label="收到日期" required="true" notAfter="today"/>
    </govflow:form></bpmn:extensionElements><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>"""
# api_throughput's two-step diagram, each step given 来信接收转交期限 counted from received_on
# (MBX-1, ESC-1) and the start event a form asking for that date.
DIAGRAM = (
    two_steps.DIAGRAM.replace(two_steps.KEY, KEY)
    .replace("两步办理（基准）", "故障演练（基准）")
    .replace("no deadline", "each with 来信接收转交期限 from received_on (fault scripts)")
    .replace(
        f"<bpmn:extensionElements>{two_steps.FORM}",
        f"<bpmn:extensionElements>{DEADLINE}{two_steps.FORM}",
    )
    .replace(
        '<bpmn:startEvent id="start" name="收到"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>', START
    )
)


def fresh_database(name: str) -> str:
    """A new empty PostgreSQL database `name` (or GOVFLOW_DRILL_DATABASE, so that two checkouts
    can drill side by side) on the local server; DATABASE_URL points at it."""
    return fresh_postgresql(os.environ.get("GOVFLOW_DRILL_DATABASE") or name)


def prepare(name: str, clients: int):
    """Migrate, seed, deploy the drill diagram; one bearer token per client."""
    from service.services import deployment, tokens
    from tests.layout import laid_out

    app = prepared_app(name)
    with app.app_context():
        deployment.deploy_xml(KEY, laid_out(DIAGRAM.encode()))
        secrets = [tokens.create_token_for(USER, f"fault {n}") for n in range(clients)]
    return app, secrets


class Redis:
    """A private redis-server on a free port (the machine's own Redis is never touched)."""

    def __init__(self) -> None:
        self.port = two_steps.free_port()
        self.dir = tempfile.mkdtemp(prefix="govflow-faults-redis-")
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", self.dir]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    import socket

    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


class Services:
    """web (gunicorn), worker and beat, each its own process group so a kill takes its children."""

    ROLES = ("web", "worker", "beat")

    def __init__(self, redis_url: str, logs: Path) -> None:
        self.port = two_steps.free_port()
        self.logs = logs
        self.env = {
            **os.environ,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "faults",
            "GOVFLOW_SWEEP_SECONDS": "1",
            # A job lost with a killed worker or an emptied queue is published again after this
            # (issue 15); the drills settle within a minute, so the window must be well inside it.
            "GOVFLOW_REQUEUE_SECONDS": os.environ.get("GOVFLOW_REQUEUE_SECONDS", "10"),
            "GOVFLOW_FILES": str(logs / "files"),
            "GOVFLOW_BACKUP_DIR": str(logs / "backups"),
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.starts = {role: 0 for role in self.ROLES}

    def command(self, role: str) -> list[str]:
        venv = ROOT / ".venv/bin"
        if role == "web":
            return [
                str(venv / "gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "service:create_app()",
            ]
        if role == "worker":
            return [
                str(venv / "celery"),
                "-A",
                "service.worker",
                "worker",
                "--concurrency",
                "2",
                "--loglevel=INFO",
            ]
        schedule = str(self.logs / "celerybeat-schedule")
        return [
            str(venv / "celery"),
            "-A",
            "service.worker",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            schedule,
        ]

    def start(self, role: str) -> None:
        self.starts[role] += 1
        with (self.logs / f"{role}.log").open("ab") as out:
            self.processes[role] = subprocess.Popen(
                self.command(role),
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if role == "web":
            wait_for_port(self.port, self.processes[role])

    def start_all(self) -> None:
        for role in self.ROLES:
            self.start(role)

    def kill(self, role: str) -> None:
        """SIGKILL the role's whole process group (master and children, as a crashed container)."""
        process = self.processes[role]
        with contextlib.suppress(ProcessLookupError):  # gone already
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Person:
    """One person's connection; every failure (refused, reset, 5xx) is counted, never raised."""

    def __init__(self, port: int, secret: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        self.connection: http.client.HTTPConnection | None = None
        self.statuses: dict[str, int] = {}
        self.slowest = 0.0  # seconds, the longest request (a refused one included)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        began = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            payload = json.dumps(body) if body is not None else None
            self.connection.request(method, "/api/v1" + path, payload, self.headers)
            response = self.connection.getresponse()
            status, text = response.status, response.read()
            answer = json.loads(text) if text else {}
        except (OSError, http.client.HTTPException, json.JSONDecodeError):
            self.connection = None
            status, answer = 0, {}
        label = "refused" if status == 0 else f"{status // 100}xx"
        self.statuses[label] = self.statuses.get(label, 0) + 1
        self.slowest = max(self.slowest, time.monotonic() - began)
        return status, answer

    def start_case(self, rng: random.Random, today: date) -> int | None:
        received = today - timedelta(days=rng.choice(AGES))
        status, case = self.call(
            "POST", f"/process-definitions/{KEY}/instances", {"data": {"received_on": received.isoformat()}}
        )
        return case.get("id") if status == 201 else None

    def step(self, case_id: int) -> bool:
        """Complete one open task of the case; True once the case is done (or cannot be read)."""
        status, case = self.call("GET", f"/process-instances/{case_id}")
        if status != 200:
            return False
        if not case.get("open_tasks"):
            return case.get("status") == "completed"
        task = case["open_tasks"][0]
        self.call("POST", f"/tasks/{task['id']}/complete", {"data": {"note": "已办理"}})
        return False


def jobs_received(logs: Path, since: int = 0) -> dict[str, int]:
    """How many jobs of each kind the worker's log says it received after byte `since`."""
    path = logs / "worker.log"
    text = path.read_bytes()[since:].decode(errors="replace") if path.exists() else ""
    found: dict[str, int] = {}
    for kind in re.findall(r"Task govflow\.(\w+)\[[^\]]*\] received", text):
        found[kind] = found.get(kind, 0) + 1
    return found


def log_size(logs: Path, role: str) -> int:
    path = logs / f"{role}.log"
    return path.stat().st_size if path.exists() else 0


def logged_errors(logs: Path) -> dict[str, int]:
    """What the processes' logs say went wrong (each a finding to read, not a failed check)."""
    patterns = {
        "web": ("unexpected error", "database unavailable", "DeadlockDetected"),
        "worker": ("Traceback", "DeadlockDetected"),
        "beat": ("Traceback",),
    }
    found = {}
    for role, words in patterns.items():
        path = logs / f"{role}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        for word in words:
            found[f"{role} '{word}'"] = text.count(word)
    return found
