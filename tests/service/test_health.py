"""GET /health (issue 15): 200 while the service can serve, what waits when something behind it
stopped, and details only for this machine or an administrator."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from service.services import jobs
from tests.service.test_deadlines import start_and_register

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


def _health(app, **kwargs):
    answer = app.test_client().get("/health", **kwargs)
    assert answer.mimetype == "application/json" and answer.headers["Cache-Control"] == "no-store"
    return answer.status_code, answer.get_json()


def test_is_the_service_ok_after_a_sweep_and_degraded_when_the_sweep_stops(app, clock):
    """Without Redis, is /health 200 "ok" right after the sweeper thread's sweep, and 200 "degraded"
    saying since when the sweep has not run once it is an hour late?"""
    with app.app_context():
        jobs.sweep(None, jobs.InlinePublisher())
    status, body = _health(app)
    assert status == 200 and body["status"] == "ok"
    assert body["checks"] == {
        "database": "ok",
        "redis": "not_used",
        "worker": "in_process",
        "sweep": "ok",
        "due_work": "ok",
    }
    assert body["details"]["sweep_last_run"].startswith("2026-03-02T01:00") and body["waiting"] == []
    clock.advance(hours=1)
    status, body = _health(app)
    assert status == 200 and body["status"] == "degraded" and body["checks"]["sweep"] == "late"
    assert body["waiting"] == ["定时扫描（beat）自 2026-03-02 09:00 起未运行：到期提醒等待中"]


def test_is_a_service_just_started_ok_before_its_first_sweep(database_overrides, clock):
    """Right after the service starts, before the sweeper thread's first sweep, is /health "ok" with
    the sweep "starting", and "degraded" once the first sweep is overdue?"""
    from service import create_app

    fresh = create_app(database_overrides, clock=clock)
    status, body = _health(fresh)
    assert status == 200 and body["status"] == "ok" and body["checks"]["sweep"] == "starting"
    clock.advance(minutes=5)
    status, body = _health(fresh)
    assert body["status"] == "degraded" and body["checks"]["sweep"] == "unknown"
    assert "定时扫描（beat）尚未运行：到期提醒等待中" in body["waiting"]


def test_does_it_say_since_when_reminders_wait_when_nothing_swept_them(app, api, clock):
    """With a reminder due a day ago and not sent, does /health say since when it waits?"""
    clock.set("2026-02-13T02:00:00+00:00")
    start_and_register(api, "2026-02-13")
    clock.set("2026-03-19T16:00:00+00:00")
    status, body = _health(app)
    assert status == 200 and body["status"] == "degraded" and body["checks"]["due_work"] == "waiting"
    (waits,) = [line for line in body["waiting"] if "等待办理" in line]
    assert waits.startswith("提醒和定时任务自 2026-03-1") and body["details"]["oldest_due"] < "2026-03-19"


def test_are_details_kept_for_this_machine_and_administrators(app, tokens):
    """From another address, does /health give only the status and the checks' words, and the
    details to an administrator's token but not to an officer's?"""
    status, body = _health(app, environ_base=ELSEWHERE)
    assert status == 200 and set(body) == {"status", "checks"}
    officer = {"Authorization": f"Bearer {tokens['zhang.wei']}"}
    assert set(_health(app, environ_base=ELSEWHERE, headers=officer)[1]) == {"status", "checks"}
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    assert {"details", "waiting"} <= set(_health(app, environ_base=ELSEWHERE, headers=admin)[1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis():
    """A Redis of this test's own on a free port, stopped when the test says (or at the end)."""
    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    limit = time.monotonic() + 10
    while True:  # waiting for a separate process to listen, not for a deadline
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            assert time.monotonic() < limit, "redis-server did not start"
            time.sleep(0.1)
    yield url, process
    process.kill()
    process.wait(timeout=10)


@pytest.fixture
def served_with_redis(app, own_redis, database_overrides, clock):
    """The service as production runs it (REDIS_URL set) over the tests' database; the shared
    app's rate limits counted in memory again afterwards."""
    from service import create_app
    from service.web.public import guard

    url, process = own_redis
    try:
        yield create_app({**database_overrides, "REDIS_URL": url}, clock=clock), process
    finally:
        guard.limiter.init_app(app)  # the limiter is one object: back to the shared app's memory
        guard.limiter._storage_dead = False


def test_with_redis_down_does_the_service_keep_serving_and_say_reminders_wait(served_with_redis, tokens):
    """With Redis up and no worker, is /health "degraded" naming the worker; once Redis dies, do the
    API and the public pages keep serving, a sweep not fail nor hang, and /health say Redis is down
    and what waits?"""
    served, redis_process = served_with_redis
    with served.app_context():
        jobs.sweep()  # published into Redis: nobody takes them yet
    status, body = _health(served)
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["redis"] == "ok" and body["checks"]["worker"] == "down"
    assert body["checks"]["sweep"] == "ok" and body["details"]["queued_jobs"] >= 3
    assert body["details"]["workers"] == 0 and any("worker" in line for line in body["waiting"])
    assert "redis://" not in str(body) and "127.0.0.1" not in str(body)

    redis_process.kill()
    redis_process.wait(timeout=10)
    client = served.test_client()
    officer = {"Authorization": f"Bearer {tokens['zhang.wei']}"}
    assert client.get("/api/v1/tasks", headers=officer).status_code == 200
    assert client.get("/public/").status_code == 200  # its rate limit counted in memory meanwhile
    assert client.get("/public/error_report/new").status_code == 200
    started = time.monotonic()
    with served.app_context():
        jobs.sweep()
    assert time.monotonic() - started < 5
    status, body = _health(served)
    assert status == 200 and body["status"] == "degraded" and body["checks"]["redis"] == "down"
    assert any(line.startswith("Redis 无法连接") for line in body["waiting"])
