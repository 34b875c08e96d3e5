"""One's notifications in the pages and the API: newest first, unread marked, mark read (issue 11)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.service.flows import start_disclosure
from tests.service.pages import Pages


def notify(
    app, username: str, count: int, *, kind: str = "reminder", instance_id=None, task_id=None
) -> list[int]:
    """Send `username` notifications as the deadline sweep does; their ids, oldest first."""
    from service.extensions import db
    from service.models import Notification, User
    from service.services.notify import notify as send

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for n in range(count):
            title = f"催办：第 {n + 1} 件即将到期"
            send(
                [user],
                f"test:{username}:{n}",
                kind,
                title,
                "请尽快办理",
                instance_id=instance_id,
                task_id=task_id,
            )
        db.session.commit()
        return list(
            db.session.scalars(
                select(Notification.id).where(Notification.user_id == user.id).order_by(Notification.id)
            )
        )


@pytest.fixture
def zhang(app):
    pages = Pages(app)
    pages.log_in()
    return pages


def unread_badge(html: str) -> int:
    found = re.search(r'<span class="badge" id="unread-count"[^>]*>(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def test_the_header_counts_unread_notifications(app, zhang):
    assert unread_badge(zhang.text("/password")) == 0
    notify(app, "zhang.wei", 3)
    notify(app, "li.na", 2)  # someone else's do not count
    assert unread_badge(zhang.text("/password")) == 3


def test_the_list_is_newest_first_with_unread_marked(app, zhang):
    ids = notify(app, "zhang.wei", 2)
    html = zhang.text("/notifications")
    assert html.index(f'id="notification-{ids[1]}"') < html.index(f'id="notification-{ids[0]}"')
    assert html.count("tag-unread") == 2 and "催办：第 2 件即将到期" in html


def test_marking_one_read_lowers_the_count_and_unmarks_it(app, zhang):
    ids = notify(app, "zhang.wei", 2)
    response = zhang.submit("/notifications", f"/notifications/{ids[0]}/read")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    html = zhang.text("/notifications")
    assert unread_badge(html) == 1
    item = html[html.index(f'id="notification-{ids[0]}"') :]
    assert "tag-unread" not in item[: item.index("</li>")]


def test_someone_elses_notification_is_not_found(app, zhang):
    (theirs,) = notify(app, "li.na", 1)
    assert zhang.submit("/notifications", f"/notifications/{theirs}/read").status_code == 404
    li_na = Pages(app)
    li_na.log_in("li.na")
    assert unread_badge(li_na.text("/notifications")) == 1


def test_marking_all_read_clears_the_badge(app, zhang):
    notify(app, "zhang.wei", 3)
    zhang.submit("/notifications", "/notifications/read-all")
    html = zhang.text("/notifications")
    assert unread_badge(html) == 0 and "tag-unread" not in html and "全部标为已读" not in html


def test_the_list_is_paged_twenty_at_a_time(app, zhang):
    ids = notify(app, "zhang.wei", 25)
    first, second = zhang.text("/notifications"), zhang.text("/notifications?page=2")
    assert f'id="notification-{ids[-1]}"' in first and f'id="notification-{ids[0]}"' not in first
    assert f'id="notification-{ids[0]}"' in second and "第 2 / 2 页，共 25 条" in second
    assert zhang.text("/notifications?page=abc").count('<li class="notification') == 20


def test_a_notification_about_a_case_shows_its_tracking_number(app, api, zhang):
    case = start_disclosure(api)
    notify(app, "zhang.wei", 1, instance_id=case["id"])
    assert case["tracking_number"] and f"案件编号 {case['tracking_number']}" in zhang.text("/notifications")


def test_the_api_marks_all_read_too(app, api):
    notify(app, "zhang.wei", 2)
    answer = api.post("/notifications/read-all", user="zhang.wei")
    assert answer.status_code == 200 and answer.json == {"marked": 2}
    assert api.get("/notifications?unread=1", user="zhang.wei").json["total"] == 0
    assert api.post("/notifications/read-all", user="zhang.wei").json == {"marked": 0}
