"""One tamper-evident audit chain (issue 14, ORG-4): case history and administrative entries are
written unsealed, sealed in order by the sweep or `audit verify`, refused any change or removal by the
database, and a row changed behind the service's back is named by `audit verify`."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from service.extensions import db
from service.models import AuditChainHead, AuditEntry, CaseEvent
from service.services import audit_chain, calendar, jobs

from .flows import register, start_disclosure
from .test_audit_log import who


def some_history(app, api) -> dict:
    """A case started and registered (history lines) and one administrative change (an entry)."""
    case = start_disclosure(api)
    register(api, case["id"])
    with app.app_context():
        calendar.set_day(who(app, "admin"), date(2031, 10, 1), False, "国庆节")
    return case


def counts(app) -> tuple[int, int, int]:
    """(rows in both tables, rows sealed, the chain head's seq)."""
    with app.app_context():
        total = sealed = 0
        for model in (AuditEntry, CaseEvent):
            total += db.session.scalar(select(func.count(model.id))) or 0
            sealed += db.session.scalar(select(func.count(model.id)).where(model.seq.is_not(None))) or 0
        head = db.session.scalar(select(AuditChainHead.seq))
        db.session.rollback()
        return total, sealed, head


def verify(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def tamper(app, statement: str | list[str], table: str) -> None:
    """Change rows as someone with database access would: with the table's trigger out of the way."""
    statements = [statement] if isinstance(statement, str) else statement
    with app.app_context():
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            for one in statements:
                db.session.execute(text(one))
            db.session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            query = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t")
            triggers = db.session.execute(query, {"t": table}).all()
            for name, _sql in triggers:
                db.session.execute(text(f"DROP TRIGGER {name}"))
            for one in statements:
                db.session.execute(text(one))
            for _name, sql in triggers:
                db.session.execute(text(sql))
        db.session.commit()


def test_org4_steps_are_written_unsealed_and_the_sweep_seals_them_in_one_chain(app, api):
    """Are a case's history lines and an administrative entry written without seq, then sealed by the
    sweep into one chain numbered 1..n across both tables, whose last link is the head?"""
    some_history(app, api)
    total, sealed, head = counts(app)
    assert total > 3 and sealed == 0 and head == 0
    with app.app_context():
        jobs.sweep(None, jobs.InlinePublisher())
    assert counts(app) == (total, total, total)
    with app.app_context():
        seqs = sorted(
            seq for model in (AuditEntry, CaseEvent) for seq in db.session.scalars(select(model.seq))
        )
        verdict = audit_chain.verify()
    assert seqs == list(range(1, total + 1))
    assert verdict.broken is None and verdict.count == total


def test_org4_audit_verify_seals_what_is_pending_and_says_ok_with_the_count(app, api):
    """Does `flask audit verify` seal first and print OK with how many entries the chain holds?"""
    some_history(app, api)
    total, _, _ = counts(app)
    code, output = verify(app)
    assert code == 0 and f"共 {total} 条" in output and output.startswith("OK")
    start_disclosure(api)  # more history after the first seal: the chain goes on from its head
    code, output = verify(app)
    assert code == 0 and f"共 {counts(app)[0]} 条" in output


@pytest.mark.parametrize("table", ["audit_entry", "case_event"])
def test_org4_the_database_refuses_to_change_or_delete_an_entry(app, api, table):
    """Does the database itself refuse a change to an entry's content, a second sealing and a removal,
    sealed or not, while it lets the sealer set seq and hash once?"""
    some_history(app, api)
    column = "summary" if table == "audit_entry" else "kind"
    refused = [
        f"UPDATE {table} SET {column} = 'x'",  # unsealed
        f"DELETE FROM {table}",
    ]
    with app.app_context():
        for statement in refused:
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
    verify(app)
    with app.app_context():
        for statement in (*refused, f"UPDATE {table} SET seq = seq + 1000, hash = 'x'"):
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()


def test_org4_a_row_changed_behind_the_service_is_named_by_audit_verify(app, api):
    """If someone with database access rewrites a sealed history line (trigger bypassed), does
    `audit verify` fail with exit code 1, naming that line's seq and row, and the links before it whole?"""
    some_history(app, api)
    assert verify(app)[0] == 0
    with app.app_context():
        victim = db.session.execute(
            select(CaseEvent.id, CaseEvent.seq).order_by(CaseEvent.seq).offset(1).limit(1)
        ).one()
        db.session.rollback()
    tamper(app, f"UPDATE case_event SET actor_id = NULL WHERE id = {victim.id}", "case_event")
    code, output = verify(app)
    assert code == 1
    assert f"第 {victim.seq} 条（case_event #{victim.id}）" in output and "哈希" in output
    assert f"之前的 {victim.seq - 1} 条完好" in output


def test_org4_a_row_removed_or_its_hash_rewritten_is_found_too(app, api):
    """Is a sealed entry deleted behind the service's back found as the missing link, and an entry
    whose hash was rewritten to match its new content found by the next link?"""
    some_history(app, api)
    assert verify(app)[0] == 0
    with app.app_context():
        entry = db.session.execute(select(AuditEntry.id, AuditEntry.seq)).one()
        db.session.rollback()
    tamper(app, f"DELETE FROM audit_entry WHERE id = {entry.id}", "audit_entry")
    code, output = verify(app)
    assert code == 1 and f"缺少第 {entry.seq} 条" in output


def test_org4_two_sealers_at_once_give_each_entry_one_place(app, api):
    """Do two sealers running at the same moment (the lock on the chain head) seal every entry once,
    in one unbroken chain?"""
    for _ in range(3):
        some_history(app, api)
    sealed: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                sealed.append(audit_chain.seal())
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    total, in_chain, head = counts(app)
    assert errors == [] and sum(sealed) == total == in_chain == head
    with app.app_context():
        assert audit_chain.verify().broken is None
