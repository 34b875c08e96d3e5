"""Account rules (ORG-2) through the pages and the API, on the fixed clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from service.extensions import db
from service.models import ApiToken, AuditEntry, User
from service.services import org
from tests.db import delete_cases
from tests.service.pages import Pages

NEW = "Harbour-Lights-7"


@pytest.fixture
def newcomer(app):
    """An account an administrator just created (initial password), removed afterwards."""
    with app.app_context():
        org.create_user("qian.yu", "钱宇", "Initial-pw-1", department="planning", role="member")
    yield "qian.yu"
    with app.app_context():
        delete_cases()  # the audit entries naming them first: the database keeps an actor's entries
        user = db.session.scalar(select(User).where(User.username == "qian.yu"))
        db.session.delete(user)
        db.session.commit()


def change(pages: Pages, current: str, new: str):
    return pages.submit("/password", data={"current": current, "new": new, "repeat": new})


def test_org2_is_a_new_account_sent_to_change_its_initial_password_first(app, newcomer):
    """Does a first log-in lead to 修改密码, keep every other page and the API shut, then open them?"""
    pages = Pages(app)
    assert pages.log_in(newcomer, "Initial-pw-1").headers["Location"] == "/password"
    assert "须修改后才能继续" in pages.text("/password")
    assert pages.get("/inbox").headers["Location"] == "/password"
    refused = pages.client.get("/api/v1/tasks")
    assert refused.status_code == 403 and refused.json["code"] == "password_change_required"
    assert change(pages, "Initial-pw-1", NEW).headers["Location"] == "/inbox"
    assert pages.get("/inbox").status_code == 200
    assert pages.client.get("/api/v1/tasks").status_code == 200


def test_org2_must_a_password_be_changed_after_ninety_days(app, clock, demo_passwords):
    """Does a log-in on the 90th day of a password lead to 修改密码, and a day before not?"""
    demo_passwords.append("li.na")
    clock.advance(timedelta(days=89))
    assert Pages(app).log_in("li.na").headers["Location"] == "/inbox"
    clock.advance(timedelta(days=1))
    pages = Pages(app)
    assert pages.log_in("li.na").headers["Location"] == "/password"
    assert pages.get("/cases").headers["Location"] == "/password"
    assert change(pages, "govflow-demo", NEW).headers["Location"] == "/inbox"


def test_org2_is_one_of_the_last_five_passwords_refused(app, demo_passwords):
    """May a person go back to a password of their last five, and to the sixth one back?"""
    demo_passwords.append("wu.min")
    pages = Pages(app)
    pages.log_in("wu.min")
    current = "govflow-demo"
    for n in range(1, 6):
        assert change(pages, current, f"Harbour-{n}-Lights").status_code == 302
        current = f"Harbour-{n}-Lights"
    refused = change(pages, current, "Harbour-2-Lights")
    assert refused.status_code == 422 and "最近 5 次" in refused.get_data(as_text=True)
    assert change(pages, current, "Harbour-1-Lights").status_code == 422  # the fifth back
    assert change(pages, current, "Harbour-6-Lights").status_code == 302
    assert change(pages, "Harbour-6-Lights", "Harbour-1-Lights").status_code == 302  # sixth back


def fail(app, username: str, times: int, address: str = "10.0.0.1"):
    page = Pages(app)
    for _ in range(times):
        last = page.submit(
            "/login", data={"username": username, "password": "wrong"}, environ_base={"REMOTE_ADDR": address}
        )
    return last


def test_org2_is_an_account_locked_after_five_failures_until_time_passes(app, clock):
    """Is the right password refused after five wrong ones, saying how long, and accepted 15 minutes on?"""
    assert fail(app, "zhang.wei", 5).status_code == 401
    locked = Pages(app).log_in()
    assert locked.status_code == 429
    assert "登录失败次数过多，请15分钟后再试" in locked.get_data(as_text=True)
    clock.advance(timedelta(minutes=15))
    assert Pages(app).log_in().headers["Location"] == "/inbox"


def test_org2_is_an_unknown_name_locked_the_same_way(app):
    """Does a name nobody has get the same lock-out answer as a real one (nothing revealed)?"""
    fail(app, "nobody.here", 5)
    fail(app, "zhang.wei", 5, address="10.0.0.2")
    answers = [
        Pages(app).log_in(name, "whatever").get_data(as_text=True).split("登录失败次数过多")[1][:12]
        for name in ("nobody.here", "zhang.wei")
    ]
    assert answers[0] == answers[1]


def test_org2_is_an_address_locked_after_twenty_failures_on_any_names(app):
    """Are twenty failures from one address on different names a lock-out of that address only?"""
    for n in range(20):
        fail(app, f"guess{n}", 1, address="10.9.9.9")
    from_there = Pages(app)
    response = from_there.submit(
        "/login",
        data={"username": "zhang.wei", "password": "govflow-demo"},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert response.status_code == 429
    assert Pages(app).log_in().headers["Location"] == "/inbox"  # another address


def test_org2_may_an_administrator_unlock_and_reset_an_account(app, api, demo_passwords):
    """Does unlock end a lock-out at once, and reset give a temporary password to change first?"""
    demo_passwords.append("li.na")
    fail(app, "li.na", 5)
    assert api.post("/users/li.na/unlock", "zhang.wei").status_code == 403
    unlocked = api.post("/users/li.na/unlock", "admin")
    assert unlocked.status_code == 200 and unlocked.json["failures_cleared"] == 5
    assert Pages(app).log_in("li.na").headers["Location"] == "/inbox"
    assert api.post("/users/nobody/reset-password", "admin").status_code == 404
    assert api.post("/users/li.na/reset-password", "liu.yang").status_code == 403
    reset = api.post("/users/li.na/reset-password", "admin").json
    assert reset["must_change_password"] is True
    assert Pages(app).log_in("li.na").status_code == 401  # the old password is gone
    pages = Pages(app)
    assert pages.log_in("li.na", reset["temporary_password"]).headers["Location"] == "/password"
    assert change(pages, reset["temporary_password"], NEW).headers["Location"] == "/inbox"
    with app.app_context():
        kinds = db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)).all()
    assert kinds[-3:] == ["account_unlocked", "password_reset", "password_changed"]


def test_org2_are_tokens_named_listed_expiring_and_revocable(app, api, clock):
    """Does a new token work until it expires or is revoked, and does a list never show its secret?"""
    made = api.post("/tokens", "wang.fang", json={"name": "报表脚本", "days": 10})
    assert made.status_code == 201 and made.json["expires_at"].startswith("2026-03-12")
    secret, token_id = made.json["token"], made.json["id"]
    own = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/v1/tasks", headers=own).status_code == 200
    listed = api.get("/tokens", "wang.fang").json["items"]
    assert any(t["id"] == token_id and t["last_used_at"] for t in listed)
    assert secret not in str(listed)
    assert api.get("/tokens?user=wang.fang", "liu.yang").status_code == 403
    assert any(t["id"] == token_id for t in api.get("/tokens?user=wang.fang", "admin").json["items"])
    clock.advance(timedelta(days=10))
    assert api.client.get("/api/v1/tasks", headers=own).status_code == 401  # expired
    bad = api.post("/tokens", "wang.fang", json={"name": "", "days": 400})
    assert bad.status_code == 422 and {e["field"] for e in bad.json["errors"]} == {"name", "days"}
    other = api.post("/tokens", "wang.fang", json={"name": "另一个"}).json
    assert other["expires_at"].startswith("2026-06-10")  # 90 days by default
    assert api.call("DELETE", f"/tokens/{other['id']}", "liu.yang").status_code == 403
    assert api.call("DELETE", f"/tokens/{other['id']}", "wang.fang").status_code == 204
    assert api.call("DELETE", f"/tokens/{other['id']}", "wang.fang").status_code == 409
    headers = {"Authorization": f"Bearer {other['token']}"}
    assert api.client.get("/api/v1/tasks", headers=headers).status_code == 401  # revoked
    with app.app_context():
        db.session.execute(delete(ApiToken).where(ApiToken.id.in_([token_id, other["id"]])))
        db.session.commit()
