"""The inbox at scale (issue 15): its order and pages as they always were, its counts stopped at a cap.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. 张伟 (office) registers each
disclosure request: registration is due one working day after it arrives, Tue 3 Mar 24:00 Beijing
(16:00 UTC) for one started on Mon 2 Mar, Wed 4 Mar for one started on Tue 3 Mar.
"""

from __future__ import annotations

from sqlalchemy import update

from service.services import queries
from service.web import inbox
from tests.service import flows
from tests.service.flows import open_task
from tests.service.pages import logged_in, page_text
from tests.service.test_inbox_page import rows_of

MON_DUE = "2026-03-03T16:00:00+00:00"
TUE_DUE = "2026-03-04T16:00:00+00:00"


def registration(api) -> int:
    """A new disclosure request; the id of its registration task, waiting for 张伟."""
    return open_task(api, flows.start_disclosure(api))["id"]


def without_deadline(app, task_id: int) -> None:
    """The task as one whose step has no deadline of its own and whose case has none either."""
    from service.extensions import db
    from service.models import HumanTask

    with app.app_context():
        db.session.execute(
            update(HumanTask).where(HumanTask.id == task_id).values(due_at=None, remind_at=None)
        )
        db.session.commit()


def pages_of(api, user: str, query: str, per_page: int) -> list[dict]:
    """Every page of a list through the API, in turn, until one comes back short."""
    answers, number = [], 1
    while True:
        response = api.get(f"/tasks?{query}&per_page={per_page}&page={number}", user)
        assert response.status_code == 200, response.get_json()
        answers.append(response.get_json())
        if len(answers[-1]["items"]) < per_page:
            return answers
        number += 1


def test_order_and_pages_go_by_deadline_then_age_then_id_with_no_deadline_last(app, api, clock):
    """Do tied deadlines list the older task first, same-moment ties the earlier id, tasks without a
    deadline last (the oldest of them first, though it came first of all), on every page alike?"""
    no_deadline_first = registration(api)  # 09:00, the first task of all
    tied = [registration(api), registration(api)]  # 09:00 too: the same deadline and the same moment
    clock.set("2026-03-02T02:00:00+00:00")
    no_deadline_later = registration(api)
    same_deadline_later = registration(api)  # 10:00, due with the two before
    clock.set("2026-03-03T01:00:00+00:00")
    due_wednesday = registration(api)
    for task_id in (no_deadline_first, no_deadline_later):
        without_deadline(app, task_id)
    expected = [*tied, same_deadline_later, due_wednesday, no_deadline_first, no_deadline_later]

    answers = pages_of(api, "zhang.wei", "scope=actionable", per_page=2)
    assert [[row["id"] for row in answer["items"]] for answer in answers] == [
        expected[0:2],
        expected[2:4],
        expected[4:6],
        [],
    ]
    assert [row["due_at"] for row in answers[0]["items"] + answers[1]["items"]] == [MON_DUE] * 3 + [TUE_DUE]
    assert {(answer["total"], answer["total_capped"]) for answer in answers} == {(6, False)}
    (whole,) = pages_of(api, "zhang.wei", "scope=actionable", per_page=20)
    assert [row["id"] for row in whole["items"]] == expected


def test_past_the_cap_totals_and_badges_say_at_least_and_the_pages_go_on(app, api, monkeypatch):
    """With more tasks waiting than the counts read (COUNT_CAP, here 5; 2 a page), does the API call
    its total a lower bound, the page say "共 5+ 项" and the badge "5+", and paging still reach the last task?"""
    monkeypatch.setattr(queries, "COUNT_CAP", 5)
    monkeypatch.setattr(inbox, "PER_PAGE", 2)
    for _ in range(7):
        registration(api)

    first = api.get("/tasks?scope=actionable&per_page=2", "zhang.wei").get_json()
    assert (first["total"], first["total_capped"], len(first["items"])) == (5, True, 2)
    last = api.get("/tasks?scope=actionable&per_page=2&page=4", "zhang.wei").get_json()
    assert (last["total"], last["total_capped"], len(last["items"])) == (7, False, 1)
    counts = api.get("/tasks/counts", "zhang.wei").get_json()
    assert counts == {
        "actionable": 5,
        "mine": 0,
        "department": 5,
        "done": 0,
        "capped": ["actionable", "department"],
    }

    zhang = logged_in(app, "zhang.wei").client
    page = zhang.get("/inbox")
    text = page_text(page)
    assert "待我办理 5+" in text and "本处室 5+" in text and "我的在办 0" in text and "共 5+ 项" in text
    assert "第 1 页" in text and "第 1 /" not in text  # no last page: it was not counted
    assert 'rel="next" href="/inbox?page=2&amp;tab=actionable"' in page.get_data(as_text=True)
    fourth = zhang.get("/inbox?page=4")
    assert len(rows_of(fourth)) == 1
    assert "共 7 项" in page_text(fourth) and "第 4 / 4 页" in page_text(fourth)
    assert 'rel="next"' not in fourth.get_data(as_text=True)


def test_below_the_cap_every_count_is_exact(app, api, monkeypatch):
    """A person with fewer tasks than the cap sees plain numbers, as before: "共 5 项", badge 5, "第 1 / 3 页"."""
    monkeypatch.setattr(queries, "COUNT_CAP", 5)
    monkeypatch.setattr(inbox, "PER_PAGE", 2)
    for _ in range(5):
        registration(api)

    assert api.get("/tasks/counts", "zhang.wei").get_json()["capped"] == []
    text = page_text(logged_in(app, "zhang.wei").client.get("/inbox"))
    assert "待我办理 5 " in text and "共 5 项" in text and "第 1 / 3 页" in text
    assert "+" not in text.split("收件箱", 2)[-1]
