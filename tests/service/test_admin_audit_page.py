"""管理 → 审计日志 (ORG-4, issue 12): administrators read every administrative change, newest first,
filtered by person, kind, target and days, with what was before and after; nobody else finds the page."""

from __future__ import annotations

import pytest

from .pages import logged_in, page_text

AUDIT = "/admin/audit"


@pytest.fixture
def admin(app):
    return logged_in(app, "admin")


def enter(pages, day, kind="holiday", note=""):
    response = pages.submit(
        "/admin/calendar?year=2031",
        "/admin/calendar/days",
        {"year": "2031", "day": day, "kind": kind, "note": note},
    )
    assert response.status_code == 302, page_text(response)


@pytest.fixture
def changes(admin, api, clock):
    """A day entered on the calendar page (2 March), a token 王芳 made (3 March), the day corrected (4 March)."""
    enter(admin, "2031-05-01", note="劳动节<script>alert(1)</script>")
    clock.advance(days=1)
    assert api.post("/tokens", "wang.fang", json={"name": "报表脚本", "days": 5}).status_code == 201
    clock.advance(days=1)
    enter(admin, "2031-05-01", kind="workday", note="调休")


def rows(response) -> int:
    return response.get_data(as_text=True).count('class="audit-states"')


def test_org4_the_administrator_reads_who_did_what_newest_first_with_before_and_after(admin, changes):
    """Does 审计日志 list the corrected day first, say 系统管理员 and 录入日历日期, and fold out before/after?"""
    text = page_text(admin.get(AUDIT))
    assert "共 3 条记录" in text
    first = text.index("2026-03-04")
    assert first < text.index("2026-03-03") < text.index("2026-03-02")
    assert (
        "系统管理员（admin） 录入日历日期 日历日期 2031-05-01 管理操作 录入 2031-05-01 为调休上班日（调休）"
        in text
    )
    assert "操作前 上班日 否 备注 劳动节" in text and "操作后 上班日 是 备注 调休" in text
    assert "王芳（wang.fang） 新建访问令牌 账号 wang.fang" in text


def test_org4_what_was_typed_is_shown_as_text_never_run(admin, changes):
    """Is a note with markup shown escaped in the summary and the states?"""
    html = admin.get(AUDIT).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_org4_the_filters_narrow_the_list_and_the_pages_keep_them(admin, changes):
    """Do person, kind, target and days each narrow the list, and does the kind select offer only kinds written?"""
    assert rows(admin.get(f"{AUDIT}?actor=wang.fang")) == 1
    by_kind = page_text(admin.get(f"{AUDIT}?kind=calendar_day_set"))
    assert "符合条件的记录 2 条" in by_kind and "新建访问令牌（" not in by_kind
    html = admin.get(AUDIT).get_data(as_text=True)
    assert '<option value="calendar_day_set">录入日历日期</option>' in html
    assert '<option value="diagram_deployed">' not in html  # none written since the test began
    target = page_text(admin.get(f"{AUDIT}?target_type=calendar_day&target_id=2031-05-01"))
    assert "符合条件的记录 2 条" in target
    assert "符合条件的记录 1 条" in page_text(admin.get(f"{AUDIT}?from=2026-03-03&to=2026-03-03"))
    assert "没有符合条件的记录" in page_text(admin.get(f"{AUDIT}?target_id=nothing"))


def test_org4_a_date_that_is_no_date_is_said_beside_its_field(admin, changes):
    """Is an end before the start refused beside 结束日期, the list still shown?"""
    response = admin.get(f"{AUDIT}?from=2026-03-05&to=2026-03-01")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="to-error">结束日期不能早于开始日期' in html and "共 3 条记录" in page_text(response)


def test_org4_many_entries_are_paged_with_the_filter_kept(admin, app):
    """With more entries than a page holds, does 下一页 keep the filter?"""
    for day in range(1, 32):
        enter(admin, f"2031-07-{day:02d}")
    html = admin.get(f"{AUDIT}?kind=calendar_day_set").get_data(as_text=True)
    assert "第 1 / 2 页，共 31 条" in page_text(admin.get(f"{AUDIT}?kind=calendar_day_set"))
    assert 'href="/admin/audit?page=2&amp;kind=calendar_day_set"' in html


@pytest.mark.parametrize("username", ["zhang.wei", "zhou.qiang"])
def test_org4_nobody_but_an_administrator_finds_the_page(app, username):
    """Is 审计日志 a 404 for staff and leaders alike, and linked from 管理 for the administrator?"""
    assert logged_in(app, username).get(AUDIT).status_code == 404
    assert 'href="/admin/audit"' in logged_in(app, "admin").get("/admin").get_data(as_text=True)


def test_org4_a_case_steps_are_in_the_log_filtered_by_its_number_and_shown_sealed_once_sealed(
    admin, app, api
):
    """Are a case's history lines (issue 14) on 审计日志 filtered by 案件编号 and by a step's kind,
    待封存 until the chain is sealed and then with their place in the chain?"""
    from service.services import audit_chain

    from .flows import register, start_disclosure

    case = start_disclosure(api)
    register(api, case["id"])
    other = start_disclosure(api)
    number = case["tracking_number"]
    text = page_text(admin.get(f"{AUDIT}?case={number}"))
    assert f"案件 {number}" in text and "办理记录" in text and "发起案件" in text and "办结环节" in text
    assert other["tracking_number"] not in text and "待封存" in text and "第 1 条" not in text
    by_kind = page_text(admin.get(f"{AUDIT}?case={number}&kind=task_completed&actor=zhang.wei"))
    assert "符合条件的记录 1 条" in by_kind and "张伟（zhang.wei） 办结环节" in by_kind
    with app.app_context():
        audit_chain.seal()
    sealed = page_text(admin.get(f"{AUDIT}?case={number}"))
    assert "待封存" not in sealed and "第 1 条" in sealed
    assert "没有符合条件的记录" in page_text(admin.get(f"{AUDIT}?case=2099-0000"))
