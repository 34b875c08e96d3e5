"""The image's entry points (issue 15), run as the container runs them, outside a container:
`boot.sh migrate | web | worker | beat` as real processes on 127.0.0.1 against a real database
(a new one of the run's kind: PostgreSQL in CI) and the machine's Redis.

Each process writes to a log file that the test polls (a wait for another process, never for a
deadline); every process is stopped with SIGTERM, as `docker stop` does, and must exit cleanly.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from service.models import ScreeningTerm
from service.schema import MIGRATIONS_DIR, code_heads
from tests.service.backups import empty_database
from tests.service.test_celery_worker import _client_app, _redis_database

ROOT = Path(__file__).resolve().parents[2]
BOOT = str(ROOT / "boot.sh")


def _environment(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    """What compose.yaml gives a container, pointed at this machine; the venv's commands on PATH."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    bin_dir = str(Path(sys.executable).parent)
    return {
        **env,
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "entry-point-test",
        "GOVFLOW_PROFILE": "national",
        "GOVFLOW_FILES": str(tmp_path / "files"),
        "GOVFLOW_BACKUP_DIR": str(tmp_path / "backups"),
        **extra,
    }


def _start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([BOOT, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _run(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([BOOT, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def _wait_for(condition, process: subprocess.Popen, log: Path, seconds: float = 60):
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not there after {seconds} s:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen, log: Path) -> int:
    process.terminate()
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"did not stop on SIGTERM:\n{log.read_text(errors='replace')}") from None


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _login_page(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
            return response.read().decode() if response.status == 200 else None
    except OSError:
        return None


def test_web_waits_for_migrate_on_an_empty_database_then_serves(app, tmp_path):
    """Does `boot.sh web` started on an empty database wait, and `boot.sh migrate` create the schema at
    the code's head with the starter 错敏 word list (diagrams waiting for an organisation), after which
    the waiting web serves /login?"""
    url = empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, suffix="boot")
    port = _free_port()
    env = _environment(tmp_path, url, PORT=str(port), WEB_CONCURRENCY="1", GOVFLOW_SCHEMA_WAIT_SECONDS="60")
    log = tmp_path / "web.log"
    web = _start(env, log, "web")
    try:
        _wait_for(lambda: "数据库尚未建表" in log.read_text(errors="replace"), web, log)
        assert _login_page(port) is None
        result = _run(env, "migrate")
        assert result.returncode == 0, result.stdout + result.stderr
        assert (_revision(url),) == code_heads()
        assert "尚无部门：流程图未部署" in result.stdout
        engine = create_engine(url)
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(ScreeningTerm)) > 0
        engine.dispose()
        assert "登录" in _wait_for(lambda: _login_page(port), web, log)
    finally:
        assert _stop(web, log) == 0


def test_web_on_a_database_one_revision_behind_waits_then_gives_up_naming_both(app, tmp_path):
    """Does `boot.sh web` on a database one migration behind refuse to serve, and after
    GOVFLOW_SCHEMA_WAIT_SECONDS exit non-zero with the revision found and the one needed?"""
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from service import create_app

    (head,) = code_heads()
    behind = ScriptDirectory(MIGRATIONS_DIR).get_revision(head).down_revision
    url = empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, suffix="boot")
    with create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True}).app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=behind)
    port = _free_port()
    env = _environment(tmp_path, url, GOVFLOW_SCHEMA_WAIT_SECONDS="1", PORT=str(port))

    started = time.monotonic()
    result = _run(env, "web", timeout=60)
    assert result.returncode != 0
    assert f"数据库版本为 {behind}，本程序需要 {head}" in result.stderr
    assert "放弃启动" in result.stderr
    assert time.monotonic() - started < 30
    assert _login_page(port) is None
    assert _revision(url) == behind  # waiting never migrates


def test_web_on_an_up_to_date_database_serves_the_login_page_and_stops_on_sigterm(app, tmp_path):
    """Does `boot.sh web` on a database at the code's revision serve /login under gunicorn, and stop
    cleanly on SIGTERM?"""
    port = _free_port()
    env = _environment(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], PORT=str(port), WEB_CONCURRENCY="1")
    log = tmp_path / "web.log"
    process = _start(env, log, "web")
    try:
        page = _wait_for(lambda: _login_page(port), process, log)
        assert "登录" in page
    finally:
        assert _stop(process, log) == 0


@pytest.fixture
def redis_url():
    url, client, release = _redis_database()
    client.flushdb()
    yield url
    client.flushdb()
    release()


def test_worker_starts_answers_and_stops(app, tmp_path, redis_url):
    """Does `boot.sh worker` wait for the schema, answer a ping from the queue, and stop cleanly?"""
    env = _environment(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_url)
    log = tmp_path / "worker.log"
    process = _start(env, log, "worker", "--pool=solo")
    celery = _client_app(redis_url)
    try:
        assert _wait_for(lambda: celery.control.ping(timeout=0.5), process, log)
    finally:
        assert _stop(process, log) == 0
    assert "就绪" in log.read_text()


def test_beat_starts_and_stops(app, tmp_path, redis_url):
    """Does `boot.sh beat` wait for the schema, start its schedule (the sweep, the daily backup) and
    stop cleanly?"""
    schedule = tmp_path / "celerybeat-schedule"
    env = _environment(
        tmp_path,
        app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=redis_url,
        CELERY_BEAT_SCHEDULE=str(schedule),
    )
    log = tmp_path / "beat.log"
    process = _start(env, log, "beat")
    try:
        _wait_for(lambda: "beat: Starting" in log.read_text(errors="replace"), process, log)
    finally:
        assert _stop(process, log) == 0
    assert "就绪" in log.read_text()
