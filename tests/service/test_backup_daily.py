"""The daily backup (issue 15, ORG-5): once a day whoever asks (beat hourly, the in-process sweeper
every sweep), the newest GOVFLOW_BACKUP_KEEP kept, a failure logged and tried again an hour later."""

from __future__ import annotations

import logging
import os

import pytest

from service.services import jobs
from tests.service import flows
from tests.service.backups import stored_bytes
from tests.service.test_attachments_api import attached
from tests.service.test_inbox_api import registered


@pytest.fixture
def backup_dir(app, tmp_path):
    folder, before = tmp_path / "backups", dict(app.config)
    app.config.update(GOVFLOW_BACKUP_DIR=str(folder), GOVFLOW_BACKUP_KEEP=2)
    yield folder
    app.config.update({key: before[key] for key in ("GOVFLOW_BACKUP_DIR", "GOVFLOW_BACKUP_KEEP")})


def daily(app) -> str:
    with app.app_context():
        return jobs.run_job("daily_backup")


def test_org5_the_daily_backup_runs_once_a_day_and_keeps_the_newest_n(app, clock, backup_dir):
    """Does the daily job write one backup a day (Beijing time), however often it is asked, and keep
    only the newest GOVFLOW_BACKUP_KEEP with their checksums (ORG-5)?"""
    written = [daily(app)]
    assert daily(app) == ""  # the same day: nothing more
    for _ in range(2):
        clock.advance(days=1)
        written.append(daily(app))
    assert sorted(p.name for p in backup_dir.iterdir()) == sorted(
        name for path in written[1:] for name in (os.path.basename(path), os.path.basename(path) + ".sha256")
    )
    assert os.path.basename(written[0]) == "govflow-20260302-090000.tar.gz"


def test_org5_a_daily_backup_that_fails_is_logged_deletes_nothing_and_is_tried_an_hour_later(
    app, api, clock, backup_dir, caplog
):
    """Does a failed daily backup log why, leave the older backups alone, and the job try again only
    after an hour (ORG-5)?"""
    clock.advance(days=-3)
    daily(app)
    clock.advance(days=1)
    daily(app)
    older = sorted(backup_dir.iterdir())
    clock.advance(days=2)
    case = registered(api, "2026-03-02")
    attached(api, flows.open_task(api, case)["id"])
    lost = stored_bytes(app, live_only=True)
    for key in lost:
        os.remove(os.path.join(app.config["GOVFLOW_FILES"], key[:2], key))
    with caplog.at_level(logging.ERROR, logger="govflow.backup"):
        assert daily(app) == ""
    assert "daily backup" in caplog.text and "不在文件库" in caplog.text
    assert sorted(p for p in backup_dir.iterdir() if not p.name.startswith(".")) == older
    for key, data in lost.items():  # the file is found again
        with open(os.path.join(app.config["GOVFLOW_FILES"], key[:2], key), "wb") as out:
            out.write(data)
    clock.advance(minutes=30)
    assert daily(app) == ""  # not within the hour
    clock.advance(minutes=31)
    assert daily(app) != "" and len([p for p in backup_dir.iterdir() if p.name.endswith(".tar.gz")]) == 2


def test_org5_beat_asks_for_the_daily_backup_every_hour(database_overrides):
    """Is the Celery beat set to ask for the daily backup hourly (one a day is written) (ORG-5)?"""
    from service import create_app

    served = create_app({**database_overrides, "REDIS_URL": "redis://127.0.0.1:6379/15"})
    celery_app = served.extensions["celery"]
    assert celery_app.conf.beat_schedule["daily-backup"] == {
        "task": "govflow.daily_backup",
        "schedule": 3600.0,
    }
    assert "govflow.daily_backup" in celery_app.tasks


def test_org5_without_redis_the_serving_process_writes_the_daily_backup(
    app, database_overrides, clock, sender, tmp_path
):
    """With no REDIS_URL, does the sweeper thread of `flask serve` write the day's backup by itself (ORG-5)?"""
    import time

    from service import create_app
    from service.sweeper import start_sweeper

    folder = tmp_path / "daily"
    served = create_app(
        {**database_overrides, "GOVFLOW_SWEEP_SECONDS": 0.05, "GOVFLOW_BACKUP_DIR": str(folder)},
        clock=clock,
        sender=sender,
    )
    start_sweeper(served)
    try:
        limit = time.monotonic() + 20
        while time.monotonic() < limit and not list(folder.glob("*.tar.gz")):
            time.sleep(0.05)  # waiting for the other thread, not for a moment: the clock is fixed
    finally:
        served.extensions["govflow_sweeper_stop"].set()
    assert [p.name for p in folder.glob("*.tar.gz")] == ["govflow-20260302-090000.tar.gz"]
