"""Is the service well (issue 15): the database, Redis, the workers, the sweep, and what waits.

Each check is cheap: one `SELECT 1`, one Redis PING and LLEN, a Celery ping that waits half a second
at most, and two MIN() reads over the indexed due columns (deadline (status, next_action_at),
process_instance.next_timer_at), bounded to what is already due. Nothing here writes to the
database; the sweep records its own last run (`record_sweep`) in Redis, or, with no Redis, in this
process (the sweeper thread's).

The status is "down" only when the database cannot be reached (nothing can be served); a dead Redis,
no worker, a late sweep or work due for longer than a few sweeps make it "degraded": pages and the
API still serve, and `waiting` says in Chinese what waits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, text

from workflows.calendar import SERVICE_TZ

from ..extensions import db
from ..models import Deadline, ProcessInstance
from .engine import engine, now

log = logging.getLogger("govflow.health")
SWEEP_KEY = "govflow:sweep:last"
LOCAL_SWEEP = "govflow_last_sweep"
STARTED = "govflow_started"  # when this process started serving (create_app)
WORKER_PING_SECONDS = 0.5
QUEUE = "celery"  # Celery's default queue, where the sweep's jobs go


@dataclass
class Health:
    """The checks' words ("ok", "down", "late", "not_used"…), and the details behind them."""

    checks: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.checks.get("database") != "ok":
            return "down"
        return "degraded" if self.waiting else "ok"


def record_sweep() -> None:
    """The sweep says it ran, at the app clock's now (not at a moment it was asked to sweep at)."""
    moment = engine().clock.now().isoformat()
    client = _redis()
    if client is None:
        current_app.extensions[LOCAL_SWEEP] = moment
        return
    try:
        client.set(SWEEP_KEY, moment)
    except Exception as err:  # noqa: BLE001 - Redis down: /health says so from its own check
        log.warning("the sweep's last run not recorded (%s)", type(err).__name__)


def check() -> Health:
    health = Health()
    try:
        db.session.execute(text("SELECT 1"))
        health.checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure to reach it is "down"
        db.session.remove()
        health.checks["database"] = "down"
        health.waiting.append("数据库无法连接：暂停受理和办理")
        return health
    _check_queue(health)
    _check_sweep(health)
    _check_due(health)
    db.session.rollback()  # end the read
    return health


def _check_queue(health: Health) -> None:
    client = _redis()
    if client is None:
        health.checks.update(redis="not_used", worker="in_process")
        return
    try:
        client.ping()
        health.details["queued_jobs"] = int(client.llen(QUEUE))
        health.checks["redis"] = "ok"
    except Exception:  # noqa: BLE001 - unreachable in any way is "down"
        health.checks.update(redis="down", worker="unknown")
        health.waiting.append("Redis 无法连接：提醒、催办和定时任务暂停，恢复后自动补办")
        return
    try:
        # The first answer is enough: without a limit the ping waits out its whole timeout every
        # time, holding a web process half a second on each load balancer's check.
        replies = current_app.extensions["celery"].control.ping(timeout=WORKER_PING_SECONDS, limit=1)
    except Exception:  # noqa: BLE001 - Redis went away meanwhile: no worker can be reached either
        replies = []
    health.details["workers"] = len(replies)
    health.checks["worker"] = "ok" if replies else "down"
    if not replies:
        health.waiting.append("没有运行中的后台进程（worker）：提醒和定时任务等待中")


def _check_sweep(health: Health) -> None:
    client = _redis()
    try:
        raw = current_app.extensions.get(LOCAL_SWEEP) if client is None else client.get(SWEEP_KEY)
    except Exception:  # noqa: BLE001 - Redis down: said above
        raw = None
    last = datetime.fromisoformat(raw.decode() if isinstance(raw, bytes) else raw) if raw else None
    health.details["sweep_last_run"] = last.isoformat() if last else None
    if last is not None and now() - last <= _late_after():
        health.checks["sweep"] = "ok"
        return
    if last is None and now() - current_app.extensions[STARTED] <= _late_after():
        health.checks["sweep"] = "starting"  # just started: the first sweep is still to come
        return
    health.checks["sweep"] = "late" if last else "unknown"
    health.waiting.append(
        f"定时扫描（beat）{'自 ' + _shown(last) + ' 起' if last else '尚'}未运行：到期提醒等待中"
    )


def _check_due(health: Health) -> None:
    at = now()
    timers = db.session.scalar(
        select(func.min(ProcessInstance.next_timer_at)).where(
            ProcessInstance.next_timer_at <= at, ProcessInstance.status == "running"
        )
    )
    actions = db.session.scalar(
        select(func.min(Deadline.next_action_at)).where(
            Deadline.status == "running", Deadline.next_action_at <= at
        )
    )
    oldest = min((moment for moment in (timers, actions) if moment is not None), default=None)
    health.details["oldest_due"] = oldest.isoformat() if oldest else None
    if oldest is not None and at - oldest > _late_after():
        health.checks["due_work"] = "waiting"
        health.waiting.append(f"提醒和定时任务自 {_shown(oldest)} 起等待办理")
    else:
        health.checks["due_work"] = "ok"


def _late_after() -> timedelta:
    """Three sweeps and a minute: one missed sweep is no alarm."""
    return timedelta(seconds=3 * current_app.config["GOVFLOW_SWEEP_SECONDS"] + 60)


def _shown(moment: datetime) -> str:
    return moment.astimezone(SERVICE_TZ).strftime("%Y-%m-%d %H:%M")


def _redis() -> Any:
    """A Redis client with short timeouts when REDIS_URL is set (one per app), else None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("govflow_health_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        current_app.extensions["govflow_health_redis"] = client
    return client
