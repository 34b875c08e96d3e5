"""Anchors of the audit chain kept outside the database (issue 14, ORG-4): the sweep appends the chain
head to GOVFLOW_AUDIT_ANCHORS now and then, and `audit verify` finds a rewrite that recomputed every
later hash and the head, which the chain's own check cannot."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from service.extensions import db
from service.models import AuditChainHead, CaseEvent
from service.services import audit_chain, jobs

from .test_audit_chain import some_history, tamper, verify


@pytest.fixture
def anchors(app, tmp_path):
    path = tmp_path / "audit-anchors.jsonl"
    app.config["GOVFLOW_AUDIT_ANCHORS"] = str(path)
    yield path
    app.config["GOVFLOW_AUDIT_ANCHORS"] = ""


def sweep(app) -> None:
    with app.app_context():
        jobs.sweep(None, jobs.InlinePublisher())


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_org4_the_sweep_anchors_the_chain_head_outside_the_database_at_most_hourly(app, api, clock, anchors):
    """Does the sweep append the head's seq and hash to the anchors file, once an hour while the chain grows?"""
    some_history(app, api)
    sweep(app)
    with app.app_context():
        head = db.session.execute(select(AuditChainHead.seq, AuditChainHead.hash)).one()
    assert [(a["seq"], a["hash"]) for a in lines(anchors)] == [tuple(head)]
    some_history(app, api)
    sweep(app)  # the same hour: sealed, not anchored
    assert len(lines(anchors)) == 1
    clock.advance(hours=1)
    sweep(app)
    assert len(lines(anchors)) == 2 and lines(anchors)[1]["seq"] > head.seq
    clock.advance(hours=1)
    sweep(app)  # nothing new to anchor
    assert len(lines(anchors)) == 2


def rewrite_from(app, seq: int) -> None:
    """The thorough attacker: change the history line at `seq`, then recompute every later hash and the head."""
    with app.app_context():
        victim = db.session.scalar(select(CaseEvent).where(CaseEvent.seq == seq))
        victim_id = victim.id
        db.session.rollback()
    tamper(app, f"UPDATE case_event SET actor_id = NULL WHERE id = {victim_id}", "case_event")
    with app.app_context():
        links = sorted(
            (
                *audit_chain._links("audit_entry", first=1, last=10**9),
                *audit_chain._links("case_event", first=1, last=10**9),
            ),
            key=lambda link: link.seq,
        )
        previous, fixes = "", {"audit_entry": [], "case_event": []}
        for link in links:
            previous = audit_chain.link_hash(previous, link.table, link.seq, link.content)
            fixes[link.table].append(f"UPDATE {link.table} SET hash = '{previous}' WHERE id = {link.id}")
        db.session.rollback()
    for table, statements in fixes.items():
        tamper(app, statements, table)
    with app.app_context():
        db.session.execute(update(AuditChainHead).values(hash=previous))
        db.session.commit()


def test_org4_a_rewrite_that_recomputed_every_later_hash_fails_against_an_anchor(app, api, anchors):
    """Does a rewritten line whose later hashes and head were recomputed pass the chain's own check
    but fail `audit verify` against an anchor taken before, naming the anchored seq?"""
    some_history(app, api)
    sweep(app)
    [anchor] = lines(anchors)
    rewrite_from(app, 2)
    app.config["GOVFLOW_AUDIT_ANCHORS"] = ""
    assert verify(app)[0] == 0  # the chain alone cannot tell
    app.config["GOVFLOW_AUDIT_ANCHORS"] = str(anchors)
    code, output = verify(app)
    assert code == 1
    assert f"第 {anchor['seq']} 条" in output and "外部锚点" in output
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert result.exit_code == 1 and "外部锚点" in result.output


def test_org4_a_chain_cut_short_below_an_anchor_fails(app, api, anchors):
    """If the newest rows are deleted and the head set back, does the anchor say how long the chain was?"""
    some_history(app, api)
    sweep(app)
    [anchor] = lines(anchors)
    with app.app_context():
        links = {
            link.seq: link
            for table in ("audit_entry", "case_event")
            for link in audit_chain._links(table, first=1, last=anchor["seq"])
        }
        last, before = links[anchor["seq"]], links[anchor["seq"] - 1].hash
        table, row_id = last.table, last.id
        db.session.rollback()
    tamper(app, f"DELETE FROM {table} WHERE id = {row_id}", table)
    with app.app_context():
        db.session.execute(update(AuditChainHead).values(seq=anchor["seq"] - 1, hash=before))
        db.session.commit()
    code, output = verify(app)
    assert code == 1 and f"记录审计链已有 {anchor['seq']} 条" in output


def test_org4_a_damaged_anchors_file_is_named_not_skipped(app, api, anchors):
    """Is a line of the anchors file that is no anchor reported with its line number?"""
    anchors.write_text(
        '{"seq": 1, "hash": "ab", "at": "2026-03-02T01:00:00+00:00"}\nnot an anchor\n', encoding="utf-8"
    )
    code, output = verify(app)
    assert code == 1 and "第 2 行不是锚点" in output
