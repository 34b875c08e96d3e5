"""Drives the staff pages as a browser would: forms with their CSRF token, a session cookie."""

from __future__ import annotations

import re
from urllib.parse import quote

from sqlalchemy import select
from werkzeug.security import generate_password_hash

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class Pages:
    """One person's browser: a test client keeping its session cookie."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def submit(self, form_page: str, action: str | None = None, data: dict | None = None, **kwargs):
        """Open `form_page`, then post `data` with the page's CSRF token to `action` (the page itself
        when not given)."""
        html = self.client.get(form_page).get_data(as_text=True)
        body = {"csrf_token": csrf_token(html), **(data or {})}
        return self.client.post(action or form_page, data=body, **kwargs)

    def log_in(self, username: str = "zhang.wei", password: str = "govflow-demo", next_: str | None = None):
        page = "/login" + (f"?next={quote(next_, safe='')}" if next_ else "")
        return self.submit(page, data={"username": username, "password": password})

    def text(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.headers.get("Location"))
        return response.get_data(as_text=True)


def reset_password(app, username: str, password: str = "govflow-demo") -> None:
    """Give a demo account its demo password back (tests that change it call this after)."""
    from sqlalchemy import delete

    from service.extensions import db
    from service.models import PasswordHistory, User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.execute(delete(PasswordHistory).where(PasswordHistory.user_id == user.id))
        user.password_hash = generate_password_hash(password)
        user.active = True
        user.must_change_password = False
        user.password_changed_at = app.extensions["govflow"].clock.now()
        db.session.commit()


def logged_in(app, username: str) -> Pages:
    """A browser logged in through the log-in page as a demo user."""
    pages = Pages(app)
    response = pages.log_in(username)
    assert response.status_code == 302, response.get_data(as_text=True)
    return pages


def page_text(response) -> str:
    """The page's text as a person reads it: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
