"""The public's key to their case (issue 13, REQ-5): a query code of at least 80 random bits, stored
hashed, accepted however a person types it, and nothing for a wrong pair."""

from __future__ import annotations

import math

from sqlalchemy import select

from service.extensions import db
from service.models import ProcessInstance, PublicAccess
from service.services import public_access
from tests.service.flows import start_disclosure


def test_req5_is_the_query_code_long_random_stored_hashed_and_forgiving_to_type(app, api):
    """Does a granted code carry ≥ 80 bits, never appear in the database, open its case typed in
    lower case without dashes (o for 0), and open nothing with another case's number or one wrong
    character?"""
    first, second = (start_disclosure(api)["tracking_number"] for _ in range(2))
    with app.app_context():
        by_number = select(ProcessInstance).where(ProcessInstance.tracking_number.in_([first, second]))
        cases = sorted(db.session.scalars(by_number), key=lambda c: c.tracking_number != first)
        code = public_access.grant(cases[0], "disclosure")
        other = public_access.grant(cases[1], "disclosure")
        db.session.commit()
        bits = public_access.CODE_LENGTH * math.log2(len(public_access.ALPHABET))
        assert bits >= 80 and code != other
        stored = db.session.scalars(select(PublicAccess.code_hash)).all()
        assert code.replace("-", "") not in " ".join(stored)
        typed = code.replace("-", "").lower().replace("0", "o")
        assert public_access.find(first, typed).instance.tracking_number == first
        assert public_access.find(first.lower(), f" {code} ") is not None
        assert public_access.find(second, code) is None
        wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
        assert public_access.find(first, wrong) is None
        assert public_access.find("GK-2026-NOSUCH", code) is None
        assert public_access.find("", "") is None
