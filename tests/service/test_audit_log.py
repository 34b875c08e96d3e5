"""Every administrative change writes one audit entry (ORG-4, issue 12): who, what, to what, before and
after — and nothing in the service ever changes or removes an entry."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from service.extensions import db
from service.models import AuditEntry, ProcessDefinition, User
from service.services import (
    accounts,
    audit,
    calendar,
    case_admin,
    definitions,
    deployment,
    migrations,
    screening,
    tokens,
)
from service.services.screening_files import read_upload
from tests.db import delete_audit_entries

from .flows import open_task
from .test_case_migration import DRILL_KEY, deploy, drill_v1, drill_v2, start_drill  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
SECRET = re.compile(
    r"password(?!_reset)|token_hash|secret", re.IGNORECASE
)  # a diagram's content_hash is no secret


def written(app) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).unique().all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def only(app, kind: str) -> AuditEntry:
    """The one entry written since the test began, checked to be of this kind and to hold no secret."""
    (entry,) = written(app)
    assert entry.kind == kind and entry.summary
    assert audit.KIND_LABELS.get(entry.kind), entry.kind
    assert not any(SECRET.search(key) for part in (entry.before, entry.after) if part for key in part)
    return entry


def who(app, username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def actor_of(entry: AuditEntry) -> str | None:
    return entry.actor.username if entry.actor else None


@pytest.fixture
def scratch(app):
    """A diagram key of this test, removed afterwards with every version."""
    yield DRILL_KEY
    with app.app_context():
        db.session.execute(delete(ProcessDefinition).where(ProcessDefinition.key == DRILL_KEY))
        db.session.commit()


def test_org4_a_deploy_from_the_editor_names_the_administrator_and_the_versions(app, scratch):
    """Does deploying a diagram twice write one entry each, the second saying which version it replaced?"""
    with app.app_context():
        definitions.deploy_diagram(who(app, "admin"), drill_v1().decode(), "首版")
    first = only(app, "diagram_deployed")
    assert (actor_of(first), first.target_type, first.target_id) == ("admin", "process_definition", DRILL_KEY)
    assert first.before is None and first.after["version"] == 1 and first.after["comment"] == "首版"
    assert "第 1 版" in first.summary
    with app.app_context():
        definitions.deploy_diagram(who(app, "admin"), drill_v1().decode())  # unchanged: no new version
        definitions.deploy_diagram(who(app, "admin"), drill_v2().decode())
    second = written(app)[-1]
    assert len(written(app)) == 2 and (second.before["version"], second.after["version"]) == (1, 2)


def test_org4_a_deploy_from_the_command_line_has_no_actor(app, scratch):
    """Is `flask deploy` (and boot) written as the system's act?"""
    with app.app_context():
        deployment.deploy_xml(DRILL_KEY, drill_v1())
    assert actor_of(only(app, "diagram_deployed")) is None


def test_org4_a_case_cancelled_is_in_the_audit_log_with_its_reason(app, api, deploy):  # noqa: F811
    """Does 撤销 write who cancelled which case, and why?"""
    deploy(drill_v1())
    with app.app_context():
        delete_audit_entries()
    case = start_drill(api)
    with app.app_context():
        case_admin.cancel_case(who(app, "admin"), case["id"], "重复申请")
    entry = only(app, "case_cancelled")
    assert (actor_of(entry), entry.target_type, entry.target_id) == ("admin", "case", str(case["id"]))
    assert entry.before == {"status": "running"} and entry.after["reason"] == "重复申请"
    assert case["tracking_number"] in entry.summary


def test_org4_a_case_migrated_is_written_once_and_a_dry_run_not_at_all(app, api, deploy):  # noqa: F811
    """Does a batch migration write one entry per case moved, and its rehearsal none?"""
    deploy(drill_v1())
    case = start_drill(api)
    assert open_task(api, case)
    deploy(drill_v2())
    with app.app_context():
        delete_audit_entries()
        admin = who(app, "admin")
        migrations.migrate_cases(admin, DRILL_KEY, dry_run=True)
        case_admin.migrate_case(admin, case["id"], dry_run=True)
    assert written(app) == []
    with app.app_context():
        migrations.migrate_cases(who(app, "admin"), DRILL_KEY, dry_run=False)
    entry = only(app, "case_migrated")
    assert (entry.target_type, entry.target_id, actor_of(entry)) == ("case", str(case["id"]), "admin")
    assert (entry.before, entry.after["version"]) == ({"version": 1}, 2)


def test_nat8_org4_calendar_days_and_years_are_each_one_entry(app):
    """Do entering, correcting and removing a day, and confirming and withdrawing a year, each write one entry?"""
    day = date(2031, 10, 1)
    with app.app_context():
        calendar.set_day(who(app, "admin"), day, False, "国庆节")
    entry = only(app, "calendar_day_set")
    assert (entry.target_type, entry.target_id, entry.before) == ("calendar_day", "2031-10-01", None)
    assert entry.after == {"workday": False, "note": "国庆节"}
    with app.app_context():
        calendar.set_day(who(app, "admin"), day, True, "调休")
        calendar.confirm_year(who(app, "admin"), 2031)
        calendar.confirm_year(who(app, "admin"), 2031)  # already confirmed: no change, no entry
        calendar.withdraw_year(who(app, "admin"), 2031)
        calendar.remove_day(who(app, "admin"), day)
    kinds = [e.kind for e in written(app)]
    assert kinds == [
        "calendar_day_set",
        "calendar_day_set",
        "calendar_year_confirmed",
        "calendar_year_withdrawn",
        "calendar_day_removed",
    ]
    corrected, confirmed, _, removed = written(app)[1:]
    assert corrected.before == {"workday": False, "note": "国庆节"} and corrected.after["workday"] is True
    assert (confirmed.target_type, confirmed.target_id, confirmed.after["confirmed"]) == (
        "calendar_year",
        "2031",
        True,
    )
    assert removed.before == {"workday": True, "note": "调休"} and removed.after is None


@pytest.fixture
def word_list(app):
    yield
    with app.app_context():
        from tests.db import restore_starter_terms

        restore_starter_terms()


def test_pub9_org4_a_term_added_corrected_and_removed_shows_before_and_after(app, word_list):
    """Does each change of one term write one entry with the term before and after?"""
    term = {"text": "审计测试词", "category": "测试", "severity": "minor"}
    with app.app_context():
        added = screening.add_term(who(app, "admin"), term)
        term_id = added.id
    entry = only(app, "screening_term_added")
    assert (entry.target_type, entry.target_id) == ("screening_term", str(term_id))
    assert entry.before is None and entry.after["text"] == "审计测试词"
    with app.app_context():
        screening.update_term(who(app, "admin"), term_id, {**term, "text": "审计改后词", "version": 1})
        screening.delete_term(who(app, "admin"), term_id)
    updated, deleted = written(app)[1:]
    assert (updated.before["text"], updated.after["text"]) == ("审计测试词", "审计改后词")
    assert deleted.kind == "screening_term_deleted" and deleted.before["text"] == "审计改后词"


def test_pub9_org4_an_import_is_one_entry_with_its_counts(app, word_list):
    """Is a whole import one entry counting what it added, updated and removed — not one per term?"""
    rows = read_upload("terms.csv", "text,category,severity\n审计导入,测试,minor\n".encode())
    with app.app_context():
        screening.import_terms(who(app, "admin"), rows, replace=True)
    entry = only(app, "screening_terms_imported")
    assert entry.after["added"] == 1 and entry.after["removed"] > 1 and entry.after["replace"] is True
    assert (actor_of(entry), entry.target_type) == ("admin", "word_list")


def test_org2_org4_account_acts_are_in_the_audit_log_without_secrets(app, demo_passwords):
    """Do a reset, an unlock and a password change each write one entry naming the person, and none a password?"""
    demo_passwords.append("li.na")
    with app.app_context():
        temporary = accounts.reset_password(who(app, "admin"), "li.na")
        accounts.unlock(who(app, "admin"), "li.na")
        accounts.change_password(who(app, "li.na"), temporary, "Harbour-Lights-9", "Harbour-Lights-9")
    reset, unlocked, changed = written(app)
    assert [e.kind for e in written(app)] == ["password_reset", "account_unlocked", "password_changed"]
    assert {(e.target_type, e.target_id) for e in written(app)} == {("user", "li.na")}
    assert (actor_of(reset), actor_of(changed)) == ("admin", "li.na")
    assert unlocked.after == {"failures": 0}
    for entry in written(app):
        assert temporary not in f"{entry.summary}{entry.before}{entry.after}"


def test_org2_org4_a_token_made_and_revoked_is_written_never_its_secret(app):
    """Does a token's creation and revocation each write one entry naming it, without its secret?"""
    with app.app_context():
        token, secret = tokens.create_token(who(app, "wang.fang"), "审计脚本", 5)
        tokens.revoke_token(who(app, "admin"), token.id)
        cli_secret = tokens.create_token_for("wang.fang", "命令行")
    made, revoked, by_cli = written(app)
    assert (made.kind, actor_of(made), made.target_id) == ("token_created", "wang.fang", "wang.fang")
    assert made.after["name"] == "审计脚本" and made.after["token"] == token.id
    assert (revoked.kind, actor_of(revoked), revoked.after["revoked"]) == ("token_revoked", "admin", True)
    assert actor_of(by_cli) is None
    for entry in (made, revoked, by_cli):
        assert secret not in f"{entry.summary}{entry.after}" and cli_secret not in f"{entry.after}"


def test_org4_create_user_and_seed_demo_from_the_command_line(app):
    """Does `flask create-user` write one entry without an actor or a password, and a repeated seed none?"""
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "audit.he",
            "--name",
            "何审",
            "--department",
            "planning",
            "--password",
            "Initial-pw-77",
        ]
    )
    try:
        assert result.exit_code == 0, result.output
        entry = only(app, "user_created")
        assert (actor_of(entry), entry.target_type, entry.target_id) == (None, "user", "audit.he")
        assert entry.after == {"name": "何审", "department": "planning", "role": "member", "is_admin": False}
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        assert len(written(app)) == 1  # nothing new to seed: no change, no entry
    finally:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == "audit.he"))
            db.session.delete(user)
            db.session.commit()


def test_org4_every_kind_written_has_chinese_words():
    """Has every kind the service writes (its AuditKind, or a literal given to audit.record) a label?"""
    assert all(audit.KIND_LABELS.get(kind) for kind in audit.AuditKind)
    literal = re.compile(r"audit\.record\(\s*[^,]+,\s*\"([a-z_]+)\"")
    for path in (ROOT / "service").rglob("*.py"):
        for kind in literal.findall(path.read_text(encoding="utf-8")):
            assert kind in audit.KIND_LABELS, f"{path}: {kind}"


def test_org4_nothing_in_the_service_changes_or_removes_an_audit_entry():
    """Is the log append-only in the code: no update or delete of AuditEntry or CaseEvent in service/
    (the sealer sets seq and hash through audit_chain.MODELS, and the database allows nothing more),
    and tests/db.py the only deleter?"""
    changing = re.compile(
        r"(update|delete)\(\s*(AuditEntry|CaseEvent)|(AuditEntry|CaseEvent)\.__table__\.(update|delete)|"
        r"(UPDATE|DELETE FROM)\s+(audit_entry|case_event)|session\.delete\(\s*(entry|audit|event)",
        re.IGNORECASE,
    )
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("service", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if changing.search(path.read_text(encoding="utf-8"))
    ]
    tampering = ["tests/service/test_audit_anchor.py", "tests/service/test_audit_chain.py"]
    assert sorted(offenders) == ["tests/db.py", *tampering]  # and the tests that tamper on purpose
    assert "AuditEntry," in (ROOT / "tests" / "db.py").read_text(encoding="utf-8")  # between tests only
