"""The production path: a real Celery worker on the local Redis runs the sweep's jobs (ESC-1).

Needs Redis on 127.0.0.1:6379 (it runs on every machine of this project): a missing Redis fails
the test with a clear message, it never skips.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.models import CaseEvent, Deadline, Notification
from tests.service.test_deadlines import start_and_register

REDIS = "redis://127.0.0.1:6379"
# Databases a run may take for itself, so two runs on one machine (CI beside a session's own run)
# never hand each other's jobs to the wrong worker. The lock in database 0 says which run has which.
TEST_DATABASES = range(8, 16)
ROOT = Path(__file__).resolve().parents[2]


def _redis_database():
    """Take one of the test databases for this run: (its URL, a client of it, the lock's release)."""
    import redis

    locks = redis.Redis.from_url(f"{REDIS}/0", socket_connect_timeout=2)
    try:
        locks.ping()
    except redis.exceptions.ConnectionError as err:
        pytest.fail(f"this test needs Redis at {REDIS} (start it as the README says): {err}")
    owner = f"{os.getpid()}-{time.monotonic()}"
    for number in TEST_DATABASES:
        key = f"govflow:test-worker-db:{number}"
        if locks.set(key, owner, nx=True, ex=600):
            url = f"{REDIS}/{number}"
            return url, redis.Redis.from_url(url), lambda key=key: locks.delete(key)
    pytest.fail(f"every Redis test database ({TEST_DATABASES.start}-{TEST_DATABASES.stop - 1}) is taken")


@pytest.fixture
def worker(app):
    url, client, release = _redis_database()
    client.flushdb()
    env = {
        **os.environ,
        "REDIS_URL": url,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "GOVFLOW_PROFILE": "national",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "service.worker",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    celery = _client_app(url)
    try:
        _wait_until(lambda: celery.control.ping(timeout=0.5), 60, process)
        yield celery
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        client.flushdb()
        release()


def _client_app(url):
    from celery import Celery

    return Celery("govflow-test-client", broker=url, backend=url)


def _wait_until(condition, seconds, process=None):
    """Poll for something a separate worker process does (never used to wait for a deadline)."""
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        if process is not None and process.poll() is not None:
            raise AssertionError("worker died:\n" + process.stdout.read().decode(errors="replace"))
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("the worker did not get there in time")


def _count(app, model, *conditions):
    from service.extensions import db

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model).where(*conditions))
        db.session.rollback()
        return count


def test_esc1_a_real_worker_sends_a_reminder_and_an_escalation_once_each(app, api, clock, worker):
    """With two sweeps and a job delivered twice, does the worker remind once and escalate once?"""
    clock.set("2026-02-13T02:00:00+00:00")
    case = start_and_register(api, "2026-02-13")
    iid = case["id"]
    with app.app_context():
        from service.extensions import db

        deadline_id = db.session.scalar(
            select(Deadline.id).where(Deadline.instance_id == iid, Deadline.task_id.is_(None))
        )
        db.session.rollback()

    for moment, kind in (
        ("2026-03-18T16:00:00+00:00", "reminded"),
        ("2026-03-19T16:00:00+00:00", "escalated"),
    ):
        sweeps = [worker.send_task("govflow.sweep", kwargs={"now": moment}) for _ in range(2)]
        duplicate = worker.send_task(
            "govflow.act_on_deadline", kwargs={"deadline_id": deadline_id, "at": moment}
        )
        for result in (*sweeps, duplicate):
            result.get(timeout=60)
        # The solo worker takes jobs in order: once this one has run, so has all the sweeps published.
        worker.send_task("govflow.deliver_messages").get(timeout=60)
        assert _count(app, CaseEvent, CaseEvent.instance_id == iid, CaseEvent.kind == kind) == 1

    assert _count(app, CaseEvent, CaseEvent.instance_id == iid, CaseEvent.kind == "reminded") == 1
    assert _count(app, CaseEvent, CaseEvent.instance_id == iid, CaseEvent.kind == "escalated") == 1
    assert _count(app, Notification, Notification.instance_id == iid, Notification.kind == "reminder") == 1
    assert _count(app, Notification, Notification.instance_id == iid, Notification.kind == "escalation") == 1


def test_with_a_worker_running_does_health_say_ok_without_waiting_out_the_ping(
    app, worker, database_overrides, clock
):
    """With Redis and a live worker, does /health say the worker is ok, answering as soon as one
    worker replies rather than after the ping's whole timeout (a load balancer asks every few
    seconds, and each check would hold a web process that long)?"""
    from service import create_app
    from service.services.health import WORKER_PING_SECONDS
    from service.web.public import guard

    url = worker.conf.broker_url
    served = create_app({**database_overrides, "REDIS_URL": url}, clock=clock)
    try:
        client = served.test_client()
        client.get("/health")  # the first check connects to Redis and the broker
        began = time.monotonic()
        answer = client.get("/health")
        took = time.monotonic() - began
    finally:
        guard.limiter.init_app(app)  # the limiter is one object: back to the shared app's memory
        guard.limiter._storage_dead = False
    body = answer.get_json()
    assert answer.status_code == 200 and body["checks"]["worker"] == "ok", body
    assert body["details"]["workers"] == 1
    assert took < WORKER_PING_SECONDS, took
