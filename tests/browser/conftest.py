"""The real app served on 127.0.0.1 over the tests' database, and Debian's chromium driven by
Playwright. Playwright's own browser download is never used (it cannot be fetched here)."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        message = "chromium is not installed: `make browser` installs it (apt-get install chromium fonts-wqy-microhei)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI runs every browser test, never skips one
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def live_server(app):
    """The app the other tests use (same database, same clock), answering HTTP on a free port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, live_server):
    """A fresh browser window (no cookies) at a width: open_page(375) for a phone."""
    contexts = []

    def make(width: int = 1280, height: int = 800):
        context = browser.new_context(
            base_url=live_server, locale="zh-CN", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    """Keep what the person saw, to look at (tests/browser/screenshots/, not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def field(page, label: str):
    """The control labelled `label` exactly (a required field's label ends in （必填）)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(（必填）)?$"))


def work(open_page, username: str, tracking: str, step: str, answers: dict[str, str]):
    """Log in as `username`, open `step` of the case from the inbox, claim it, answer, complete it."""
    page = open_page()
    page.goto("/login?next=/inbox")
    log_in(page, username)
    page.wait_for_url("**/inbox")
    page.locator("tr", has_text=tracking).get_by_role("link", name=step).click()
    page.wait_for_url("**/tasks/*")
    if page.get_by_role("button", name="签收").count():
        page.get_by_role("button", name="签收").click()
    for label, value in answers.items():
        control = field(page, label)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    page.get_by_role("button", name="办理完成").click()
    page.wait_for_url("**/inbox")
    assert f"成功办理“{step}”" in page.locator(".flash").inner_text()
    return page


def signed_in(open_page, username: str, path: str, width: int = 1280, height: int = 800):
    """A fresh window of `width` × `height` where `username` logged in on the way to `path` (a path
    without a query), shown once the log-in has led there."""
    page = open_page(width, height)
    page.goto(f"/login?next={path}")
    log_in(page, username)
    page.wait_for_url(f"**{path}")
    return page


def log_in(page, username: str = "zhang.wei", password: str = "govflow-demo") -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def change_password(page, current: str, new: str) -> None:
    """Fill in 修改密码 (the page is open) and save."""
    page.get_by_label("当前密码").fill(current)
    page.get_by_label("新密码", exact=True).fill(new)
    page.get_by_label("再次输入新密码").fill(new)
    page.get_by_role("button", name="保存新密码").click()


def fits(page) -> bool:
    """Does the page fit its window's width (nothing to scroll sideways on a phone)?"""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
_AXE_RUN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
    v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))"""


def axe_violations(page) -> list[dict]:
    """The serious and critical accessibility violations axe-core (npm, node_modules/) finds on the
    page as it is now: each rule's id, impact, help text and the elements at fault.

    The script is evaluated through the browser's debugging protocol, not added as a <script> tag
    (page.add_script_tag): the pages' Content-Security-Policy rightly refuses inline script, and the
    check should see the page exactly as it is served."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(_AXE_RUN)
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture
def known_challenge(app, monkeypatch):
    """The public forms' challenge drawn from one character, so a test knows the answer (the live
    server runs in this process); the public limits counted afresh afterwards."""
    from service.web.public import guard

    monkeypatch.setattr(guard, "ALPHABET", "K")
    yield "KKKK"
    with app.app_context():
        guard.limiter.reset()


def accessible(page, name: str) -> None:
    """Keep a picture of the page and hold it to axe-core: no serious or critical violation."""
    screenshot(page, name)
    assert axe_violations(page) == [], page.url
