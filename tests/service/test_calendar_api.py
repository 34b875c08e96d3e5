"""The working-day calendar as administrators keep it (NAT-8, ESC-2): provisional years, confirming, races.

Reply deadlines below are received on Tue 15 Dec 2026 (20 working days, NAT-1). Counted by hand:
Dec 16-18 = 1-3, Dec 21-25 = 4-8, Dec 28-31 = 9-12; in 2027, with no State Council notice yet,
元旦 Fri Jan 1 is off (statutory), so Jan 4-8 = 13-17 and Jan 11-13 = 18-20: due Wed 13 Jan.
With Mon Jan 4 entered as a day off too: Jan 5-8 = 13-16, Jan 11-14 = 17-20: due Thu 14 Jan.
"""

from __future__ import annotations

import threading

import pytest

from tests.service.test_api_errors import assert_problem
from tests.service.test_deadlines import start_and_register

DUE_WITH_NEW_YEAR_OFF = "2027-01-13T16:00:00+00:00"
DUE_WITH_JAN_4_OFF_TOO = "2027-01-14T16:00:00+00:00"
NEW_YEAR = {"day": "2027-01-01", "workday": False, "note": "元旦"}


@pytest.fixture
def reply_into_2027(api, clock):
    """A disclosure request received on 15 Dec 2026: its reply deadline reaches into 2027."""
    clock.set("2026-12-15T02:00:00+00:00")
    return start_and_register(api, "2026-12-15")


def put_day(api, day, workday, note=""):
    return api.call("PUT", f"/calendar/days/{day}", "admin", {"workday": workday, "note": note})


def reply_due(api, case):
    """The case's due moment and provisional flag, as its open task shows them too."""
    view = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    task = view["open_tasks"][0]
    assert (task["due_at"], task["provisional"]) == (view["due_at"], view["provisional"])
    return view["due_at"], view["provisional"]


def year(api, number):
    return api.get(f"/calendar/{number}", "zhang.wei").get_json()


def test_nat8_a_reply_due_in_an_unpublished_year_skips_its_statutory_holidays(api, reply_into_2027):
    """Does a reply running into 2027 skip 元旦 before the notice is out, and stay marked provisional?"""
    assert reply_due(api, reply_into_2027) == (DUE_WITH_NEW_YEAR_OFF, True)
    shown = year(api, 2027)
    assert shown["official"] is False and shown["entered_days"] == []
    assert NEW_YEAR in shown["provisional_days"]
    assert {"day": "2027-04-05", "workday": False, "note": "清明节"} in shown["provisional_days"]
    assert not any(d["workday"] for d in shown["provisional_days"])  # no make-up workday invented
    assert year(api, 2026)["provisional_days"] == []  # published: the package's days count


def test_nat8_confirming_a_year_with_nothing_entered_is_refused(api, app):
    """Is confirming 2027 with no holiday or make-up day entered a 422 naming the year, in the API and the CLI?"""
    refused = assert_problem(api.post("/calendar/2027/confirm", "admin"), 422, "calendar_year_empty", "year")
    assert "2027" in refused["title"]
    result = app.test_cli_runner().invoke(args=["calendar-confirm", "2027"])
    assert result.exit_code != 0 and "2027" in result.output
    assert year(api, 2027)["official"] is False


def test_nat8_the_confirmation_shows_the_days_that_will_be_used(api):
    """Does confirming 2027 answer with the entered holidays and make-up days, and drop the estimate?"""
    assert put_day(api, "2027-01-01", False, "元旦").status_code == 200
    assert put_day(api, "2027-02-13", True, "春节调休上班").status_code == 200
    before = year(api, 2027)
    entered = [NEW_YEAR, {"day": "2027-02-13", "workday": True, "note": "春节调休上班"}]
    assert before["entered_days"] == entered
    # The estimate shows what counts meanwhile: an entered day replaces its estimated one.
    assert NEW_YEAR not in before["provisional_days"]
    assert {"day": "2027-02-05", "workday": False, "note": "农历除夕"} in before["provisional_days"]
    confirmed = api.post("/calendar/2027/confirm", "admin")
    assert confirmed.status_code == 200
    answer = confirmed.get_json()
    assert answer["official"] is True and answer["source"] == "administrator"
    assert answer["entered_days"] == entered and answer["provisional_days"] == []
    assert year(api, 2027) == answer


def test_nat8_a_confirmation_can_be_withdrawn_and_deadlines_follow_both_ways(api, app, reply_into_2027):
    """After confirming 2027, can an administrator withdraw it, making the reply provisional again?"""
    for day in ("2027-01-01", "2027-01-04"):
        assert put_day(api, day, False, "元旦").status_code == 200
    assert reply_due(api, reply_into_2027) == (DUE_WITH_JAN_4_OFF_TOO, True)
    assert api.post("/calendar/2027/confirm", "admin").status_code == 200
    assert reply_due(api, reply_into_2027) == (DUE_WITH_JAN_4_OFF_TOO, False)
    assert_problem(api.call("DELETE", "/calendar/2027/confirm", "zhang.wei"), 403, "admin_only")
    withdrawn = api.call("DELETE", "/calendar/2027/confirm", "admin")
    assert withdrawn.status_code == 200
    assert withdrawn.get_json()["official"] is False and withdrawn.get_json()["confirmed_at"] is None
    assert reply_due(api, reply_into_2027) == (DUE_WITH_JAN_4_OFF_TOO, True)
    for number, code in ((2027, "year_not_confirmed"), (2026, "year_already_official")):
        assert_problem(api.call("DELETE", f"/calendar/{number}/confirm", "admin"), 409, code, "year")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["calendar-confirm", "2027"]).exit_code == 0
    assert reply_due(api, reply_into_2027) == (DUE_WITH_JAN_4_OFF_TOO, False)
    withdrawn_by_cli = runner.invoke(args=["calendar-confirm", "2027", "--withdraw"])
    assert withdrawn_by_cli.exit_code == 0, withdrawn_by_cli.output
    assert reply_due(api, reply_into_2027) == (DUE_WITH_JAN_4_OFF_TOO, True)


def test_nat8_the_last_entered_day_of_a_confirmed_year_stays_until_the_confirmation_is_withdrawn(api):
    """Can a confirmed year be emptied day by day, leaving an official year nobody entered?"""
    assert put_day(api, "2027-01-01", False, "元旦").status_code == 200
    assert api.post("/calendar/2027/confirm", "admin").status_code == 200
    last = api.call("DELETE", "/calendar/days/2027-01-01", "admin")
    assert_problem(last, 409, "calendar_year_confirmed", "day")
    assert year(api, 2027)["entered_days"] == [NEW_YEAR]
    assert api.call("DELETE", "/calendar/2027/confirm", "admin").status_code == 200
    assert api.call("DELETE", "/calendar/days/2027-01-01", "admin").status_code == 204


@pytest.mark.parametrize("bad", ["春节\x00", "春节\ud800"])
def test_a_calendar_note_that_cannot_be_stored_is_refused_from_the_command_line(api, app, bad):
    """Does `flask calendar-day` refuse a note with a NUL byte or a lone surrogate, naming the note?"""
    result = app.test_cli_runner().invoke(args=["calendar-day", "2027-02-05", "--holiday", "--note", bad])
    assert result.exit_code != 0 and "备注" in result.output
    assert year(api, 2027)["entered_days"] == []


def test_a_calendar_note_too_long_to_keep_is_refused_not_cut(api):
    """Is a 201-character note refused with a 422 naming `note`, instead of being silently cut?"""
    too_long = put_day(api, "2027-02-05", False, "春" * 201)
    assert_problem(too_long, 422, "validation_failed", "note")
    assert put_day(api, "2027-02-05", False, "春" * 200).status_code == 200


def race(api, calls):
    """Send every (method, path, body) at once as the administrator, each from its own client."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def send(index, client, method, path, body):
        barrier.wait()
        try:
            outcomes[index] = client.call(method, path, "admin", body).status_code
        except Exception as err:  # the test client raises what the app did not handle: a 500
            outcomes[index] = repr(err)

    threads = [threading.Thread(target=send, args=(i, api.fresh(), *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def entered(api, day):
    return [d for d in year(api, 2027)["entered_days"] if d["day"] == day]


def test_simultaneous_changes_of_one_day_answer_200_or_409_never_500(api, reply_into_2027):
    """Do 16 administrators setting Mon 4 Jan 2027 at once each get 200 or 409, the day and deadlines agreeing after?"""
    bodies = [{"workday": i % 2 == 0, "note": f"第{i}次"} for i in range(16)]
    outcomes = race(api, [("PUT", "/calendar/days/2027-01-04", body) for body in bodies])
    assert set(outcomes) <= {200, 409}, outcomes
    (stored,) = entered(api, "2027-01-04")
    assert {"workday": stored["workday"], "note": stored["note"]} in bodies
    expected = DUE_WITH_NEW_YEAR_OFF if stored["workday"] else DUE_WITH_JAN_4_OFF_TOO
    assert reply_due(api, reply_into_2027) == (expected, True)


def test_simultaneous_confirmations_and_withdrawals_answer_200_or_409(api, reply_into_2027):
    """Do confirmations and withdrawals of 2027 sent at once each get 200 or 409, the flag agreeing after?"""
    assert put_day(api, "2027-01-01", False, "元旦").status_code == 200
    calls = [("POST" if i % 2 else "DELETE", "/calendar/2027/confirm", None) for i in range(12)]
    outcomes = race(api, calls)
    assert set(outcomes) <= {200, 409}, outcomes
    official = year(api, 2027)["official"]
    assert reply_due(api, reply_into_2027) == (DUE_WITH_NEW_YEAR_OFF, not official)


def test_simultaneous_entries_and_removals_of_one_day_never_answer_500(api, reply_into_2027):
    """Do entering and removing Mon 4 Jan 2027 at once give 200/204, 404 (already removed) or 409, never 500?"""
    calls = [("PUT", "/calendar/days/2027-01-04", {"workday": False, "note": "调休"})] * 6
    calls += [("DELETE", "/calendar/days/2027-01-04", None)] * 6
    outcomes = race(api, calls)
    assert set(outcomes[:6]) <= {200, 409} and set(outcomes[6:]) <= {204, 404, 409}, outcomes
    off = bool(entered(api, "2027-01-04"))
    assert reply_due(api, reply_into_2027) == (DUE_WITH_JAN_4_OFF_TOO if off else DUE_WITH_NEW_YEAR_OFF, True)
