"""Tracking numbers (issue 13): a case's number tells nobody how many cases exist."""

from __future__ import annotations

import re

from sqlalchemy import select

from service.extensions import db
from service.models import ProcessInstance
from service.services import tracking

from .flows import start_disclosure


def test_are_tracking_numbers_random_digits_not_a_count(api):
    """Do two cases started one after the other get GK-2026 and eight digits each, not neighbours?"""
    first, second = (start_disclosure(api)["tracking_number"] for _ in range(2))
    assert re.fullmatch(r"GK-2026-\d{8}", first) and re.fullmatch(r"GK-2026-\d{8}", second)
    assert abs(int(first[-8:]) - int(second[-8:])) != 1


def test_is_a_number_already_taken_drawn_again(app, api, monkeypatch):
    """When the digits drawn name an existing case, is another number drawn instead?"""
    taken = start_disclosure(api)["tracking_number"]
    draws = iter([int(taken[-8:]), 42])
    monkeypatch.setattr(tracking.secrets, "randbelow", lambda _: next(draws))
    with app.app_context():
        assert tracking.free_number("GK", 2026) == "GK-2026-00000042"


def test_does_a_start_that_lost_the_race_for_a_number_run_again(app, api, monkeypatch):
    """If another start took the same number between the check and the commit, is the start run
    once more with a fresh number, so that the second case is stored and the first one kept?"""
    taken = start_disclosure(api)["tracking_number"]
    real = tracking.free_number
    calls = []

    def racing(prefix: str, year: int) -> str:  # the first draw found the number free, then lost it
        calls.append(prefix)
        return taken if len(calls) == 1 else real(prefix, year)

    monkeypatch.setattr(tracking, "free_number", racing)
    second = start_disclosure(api)
    assert len(calls) == 2 and second["tracking_number"] != taken
    with app.app_context():
        numbers = set(db.session.scalars(select(ProcessInstance.tracking_number)))
    assert numbers == {taken, second["tracking_number"]}
