"""Backup and restore (issue 15, ORG-5): `flask backup PATH` writes the database and the stored files
to one file with a manifest and checksums, `flask restore PATH` brings them back into an empty
database (the daily job: test_backup_daily.py)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date

import pytest

from service.services import calendar, jobs
from tests.conftest import Api
from tests.service import flows
from tests.service.backups import (
    empty_database,
    every_row,
    manifest_of,
    members,
    migrated_app,
    repack,
    restores_apart,
    rows_held,
    sql_nulls,
    stored_bytes,
)
from tests.service.test_attachments_api import attached
from tests.service.test_audit_log import who
from tests.service.test_inbox_api import registered
from tests.service.test_mailbox_api import START as LETTER
from tests.unit.test_publishing_flow import DRAFT
from workflows.calendar import SERVICE_TZ


def some_of_everything(app, api, clock) -> dict:
    """Cases of three flows with tasks, deadlines and history, two files (one removed again), an
    administrative entry, most of it sealed into the audit chain and the newest lines not yet."""
    case = registered(api, "2026-03-02")
    drafting = flows.open_task(api, case)
    kept = attached(api, drafting["id"], content="附件正文：第一份。".encode() * 50)
    removed = attached(api, drafting["id"], name="草稿.txt", content=b"draft")
    assert api.call("DELETE", f"/attachments/{removed['id']}", "wang.fang").status_code == 204
    flows.start(api, "publishing", "wang.fang", DRAFT)
    flows.start(api, "mailbox", "xu.ming", {**LETTER, "received_on": "2026-03-02"})
    with app.app_context():
        calendar.set_day(who(app, "admin"), date(2031, 10, 1), False, "国庆节")
    clock.advance(days=3)
    with app.app_context():
        jobs.sweep(None, jobs.InlinePublisher())  # reminders, notifications; seals the chain
        calendar.set_day(who(app, "admin"), date(2031, 10, 2), False, "国庆节")  # left unsealed
    return kept


@pytest.fixture
def empty(app, database_overrides, clock, sender, tmp_path):
    """The service on a new, empty, migrated database of the same kind, with its own file folder."""
    url = empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    return migrated_app(database_overrides, url, tmp_path / "restored-files", clock, sender)


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def backed_up(app, path) -> None:
    result = cli(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    assert "备份已写出" in result.output


def test_org5_a_backup_restored_into_an_empty_database_gives_back_every_row_and_file(
    app, api, clock, tokens, empty, tmp_path
):
    """Does a restored backup hold every case, task, deadline, history line, audit entry and file byte
    for byte, its audit chain verify, and the restored service take new cases (ORG-5)?"""
    kept = some_of_everything(app, api, clock)
    archive = tmp_path / "govflow.tar.gz"
    backed_up(app, archive)
    before, files = every_row(app), stored_bytes(app, live_only=True)

    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 0, result.output
    restored, restores = restores_apart(every_row(empty))
    assert restored == before and sql_nulls(empty) == sql_nulls(app)
    (entry,) = restores  # the restore is in the log it restored (ORG-4), by the system
    assert "从备份 govflow.tar.gz" in entry[6] and entry[2] is None
    assert stored_bytes(empty) == files and kept["sha256"] in {
        f["sha256"] for f in manifest_of(archive)["files"]
    }
    for table in ("process_instance", "human_task", "deadline", "case_event", "audit_entry", "attachment"):
        assert before[table], f"the test wrote no {table} rows"

    verified = cli(empty, "audit", "verify")
    assert verified.exit_code == 0 and "OK：审计链完好" in verified.output, verified.output
    restored = Api(empty.test_client(), tokens)  # the people and their tokens came back
    assert flows.start(restored, "publishing", "wang.fang", DRAFT)["status"] == "running"


def test_org5_the_manifest_names_the_revision_the_time_the_rows_and_a_checksum_per_part(
    app, api, clock, tmp_path
):
    """Does the manifest say which schema revision and moment it holds, each table's row count and
    each part's SHA-256, and the archive's own checksum sit beside it (ORG-5)?"""
    some_of_everything(app, api, clock)
    archive = tmp_path / "govflow.tar.gz"
    backed_up(app, archive)
    manifest = manifest_of(archive)
    with app.app_context():
        from service.extensions import db

        tables = [t.name for t in db.metadata.sorted_tables]
    assert manifest["revision"] and manifest["created_at"] == clock.now().isoformat()
    assert [t["name"] for t in manifest["tables"]] == tables  # every table, parents first
    assert {t["name"]: t["rows"] for t in manifest["tables"]}["process_instance"] == 3
    assert all(len(p["sha256"]) == 64 for p in (*manifest["tables"], *manifest["files"]))
    assert len(manifest["files"]) == 1  # the removed file's bytes are gone and not asked for
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's alone
    line = (tmp_path / "govflow.tar.gz.sha256").read_text()
    assert line.endswith("  govflow.tar.gz\n")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_org5_a_backup_into_a_folder_gets_a_dated_name_and_never_replaces_one(app, api, clock, tmp_path):
    """Given a folder that exists, does `flask backup` write a new file named by Beijing time inside
    it, and a second backup in the same second refuse rather than replace the first (ORG-5)?"""
    some_of_everything(app, api, clock)
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli(app, "backup", str(folder))
    assert result.exit_code == 0, result.output
    beijing = clock.now().astimezone(SERVICE_TZ).strftime("%Y%m%d-%H%M%S")
    written = folder / f"govflow-{beijing}.tar.gz"
    assert f"备份已写出：{written}" in result.output
    assert manifest_of(written)["created_at"] == clock.now().isoformat()
    assert (folder / f"govflow-{beijing}.tar.gz.sha256").exists()
    before = written.read_bytes()
    again = cli(app, "backup", str(folder))
    assert again.exit_code != 0 and "已存在" in again.output
    assert written.read_bytes() == before


def damage_a_row(archive) -> None:
    parts = members(archive)
    history = bytearray(parts["tables/case_event.jsonl"])
    history[history.index(b'"kind":"') + 8] ^= 0x01  # one letter of one history line
    parts["tables/case_event.jsonl"] = bytes(history)
    repack(archive, parts)


def lose_a_file(archive) -> None:
    repack(archive, {name: data for name, data in members(archive).items() if not name.startswith("files/")})


def point_a_file_outside(archive) -> None:
    """A manifest (its checksum made to match) naming a file outside the file store."""
    parts, manifest = members(archive), manifest_of(archive)
    manifest["files"][0]["key"] = "../../outside"
    parts["manifest.json"] = json.dumps(manifest).encode()
    repack(archive, parts, reseal=True)


def flip_a_byte(archive) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (damage_a_row, "tables/case_event.jsonl 的 SHA-256 与清单不符"),
        (lose_a_file, "缺少 files/"),
        (flip_a_byte, "govflow.tar.gz 的 SHA-256 与 govflow.tar.gz.sha256 不符"),
        (point_a_file_outside, "清单无法读出（不是文件库的键：'../../outside'）"),
    ],
)
def test_org5_a_damaged_backup_is_refused_naming_the_damage_and_writes_nothing(
    app, api, clock, empty, tmp_path, damage, named
):
    """Is a backup with one byte of a row changed, a file missing or the archive itself damaged refused
    with a message naming what, leaving the database and the file folder empty, and found as well by
    `restore --check`, which a sound backup passes (ORG-5)?"""
    some_of_everything(app, api, clock)
    archive = tmp_path / "govflow.tar.gz"
    backed_up(app, archive)
    assert "备份完好" in cli(app, "restore", "--check", str(archive)).output
    damage(archive)
    assert named in cli(app, "restore", "--check", str(archive)).output
    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 1
    assert "备份已损坏" in result.output and named in result.output and "未恢复任何数据" in result.output
    assert rows_held(empty) == 0 and stored_bytes(empty) == {}


def test_org5_an_existing_path_is_never_overwritten(app, tmp_path):
    """Is a backup to a file that exists (or whose checksum file exists) refused, the file untouched (ORG-5)?"""
    taken = tmp_path / "taken.tar.gz"
    taken.write_bytes(b"yesterday's backup")
    result = cli(app, "backup", str(taken))
    assert result.exit_code == 1 and "已存在" in result.output
    assert taken.read_bytes() == b"yesterday's backup"
    (tmp_path / "other.tar.gz.sha256").write_text("kept")
    assert cli(app, "backup", str(tmp_path / "other.tar.gz")).exit_code == 1
    assert not (tmp_path / "other.tar.gz").exists()


def test_org5_restore_refuses_a_database_that_already_holds_people_or_cases(app, api, tmp_path):
    """Is a restore into the running database (people, diagrams, a case) refused, naming what it holds (ORG-5)?"""
    flows.start_disclosure(api)
    archive = tmp_path / "govflow.tar.gz"
    backed_up(app, archive)
    before = every_row(app)
    result = cli(app, "restore", str(archive))
    assert result.exit_code == 1 and "本库不是空库" in result.output and "user_account" in result.output
    assert every_row(app) == before


def test_org5_restore_refuses_a_backup_of_another_schema_revision_saying_which(app, empty, tmp_path):
    """Is a backup taken at another revision refused, naming it and saying to migrate first (ORG-5)?"""
    archive = tmp_path / "govflow.tar.gz"
    backed_up(app, archive)
    parts = members(archive)
    parts["manifest.json"] = parts["manifest.json"].replace(
        manifest_of(archive)["revision"].encode(), b"0019_public_access"
    )
    repack(archive, parts, reseal=True)
    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 1
    assert (
        "备份来自数据库版本 0019_public_access" in result.output
        and "db upgrade 0019_public_access" in result.output
    )
    assert rows_held(empty) == 0


def test_org5_a_backup_refuses_an_attachment_whose_file_is_missing(app, api, tmp_path):
    """Is a backup refused, naming the attachment, when a live attachment's bytes are gone, and no
    file that looks like a backup left behind (ORG-5)?"""
    case = registered(api, "2026-03-02")
    row = attached(api, flows.open_task(api, case)["id"])
    for key in stored_bytes(app, live_only=True):
        os.remove(os.path.join(app.config["GOVFLOW_FILES"], key[:2], key))
    result = cli(app, "backup", str(tmp_path / "govflow.tar.gz"))
    assert result.exit_code == 1 and f"附件 #{row['id']} 的文件" in result.output
    assert list(tmp_path.iterdir()) == []


def test_org5_a_backup_moves_between_postgresql_and_sqlite_both_ways(
    app, postgresql, api, clock, database_overrides, sender, tmp_path
):
    """Does a PostgreSQL backup restore into SQLite, and that one's backup into a new PostgreSQL,
    with every row and file the same (ORG-5: the format is the service's, not one database's)?"""
    some_of_everything(app, api, clock)
    before, files = every_row(app), stored_bytes(app, live_only=True)
    backed_up(app, tmp_path / "from-postgresql.tar.gz")
    lite_url = empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, "sqlite")
    lite = migrated_app(database_overrides, lite_url, tmp_path / "lite-files", clock, sender)
    assert cli(lite, "restore", str(tmp_path / "from-postgresql.tar.gz")).exit_code == 0
    assert restores_apart(every_row(lite))[0] == before and stored_bytes(lite) == files
    backed_up(lite, tmp_path / "from-sqlite.tar.gz")
    pg_url = empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    again = migrated_app(database_overrides, pg_url, tmp_path / "pg-files", clock, sender)
    result = cli(again, "restore", str(tmp_path / "from-sqlite.tar.gz"))
    assert result.exit_code == 0, result.output
    rows, restores = restores_apart(every_row(again))
    assert rows == before and len(restores) == 2 and stored_bytes(again) == files


def test_org5_a_backup_edited_by_hand_that_the_database_refuses_leaves_nothing_behind(
    app, api, clock, empty, tmp_path
):
    """Is a backup whose checksums were made to match an edited row (a task of a case that does not
    exist) refused as a whole: no row and no file restored (ORG-5)?"""
    some_of_everything(app, api, clock)
    archive = tmp_path / "govflow.tar.gz"
    backed_up(app, archive)
    parts, manifest = members(archive), manifest_of(archive)
    tasks = parts["tables/human_task.jsonl"].decode().splitlines()
    tasks[0] = re.sub(r'"instance_id":\d+', '"instance_id":999999', tasks[0])
    parts["tables/human_task.jsonl"] = ("\n".join(tasks) + "\n").encode()
    for table in manifest["tables"]:
        if table["name"] == "human_task":
            table["sha256"] = hashlib.sha256(parts["tables/human_task.jsonl"]).hexdigest()
    parts["manifest.json"] = json.dumps(manifest).encode()
    repack(archive, parts, reseal=True)
    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 1 and "数据库拒绝了备份中的数据" in result.output, result.output
    assert "未恢复任何数据" in result.output
    assert rows_held(empty) == 0 and stored_bytes(empty) == {}


def test_org5_a_change_committed_while_the_backup_reads_is_not_in_it(app, api):
    """Does the backup read one snapshot: a case started after its first read does not appear in a
    later read of the same backup (ORG-5: a consistent backup while the service works)?"""
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import ProcessInstance
    from service.services.backup import snapshot

    count = select(func.count()).select_from(ProcessInstance)
    with app.app_context(), snapshot() as conn:
        assert conn.scalar(count) == 0
        flows.start_disclosure(api)  # committed by another connection meanwhile
        assert conn.scalar(count) == 0
    with app.app_context():
        assert db.session.scalar(count) == 1  # the next backup has it
        db.session.rollback()


def test_org5_rows_that_name_no_person_or_case_are_replaced_by_the_backups(app, empty, tmp_path):
    """Does a database holding only rows that name nothing else (a migration's seed, a department
    entered before any account) take the restore, those rows replaced by the backup's (ORG-5)?"""
    from service.extensions import db
    from service.models import Department

    with empty.app_context():
        db.session.add(Department(code="temp", name="临时", is_leadership=False, sort_order=99))
        db.session.commit()
    archive = tmp_path / "govflow.tar.gz"
    backed_up(app, archive)
    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert every_row(empty)["department"] == every_row(app)["department"]
