"""管理 → 工作日历 and 期限规则 (issue 12): the calendar administrators keep (ESC-2, NAT-8) and the
active profile's deadlines, as pages over the calendar use cases; administrators only."""

from __future__ import annotations

import pytest

from .pages import csrf_token, logged_in, page_text

CALENDAR = "/admin/calendar?year=2027"


@pytest.fixture
def admin(app):
    return logged_in(app, "admin")


def enter(pages, day, kind="holiday", note=""):
    return pages.submit(
        CALENDAR, "/admin/calendar/days", {"year": "2027", "day": day, "kind": kind, "note": note}
    )


def test_nat8_an_unconfirmed_year_lists_its_estimated_holidays_as_provisional(admin):
    """Does 2027, with no notice entered, read 暂定 and list 元旦 and 清明节 as 暂按法定节假日推算?"""
    text = page_text(admin.get(CALENDAR))
    assert "暂定" in text and "2027-01-01 周五 休息日 元旦 暂按法定节假日推算" in text
    assert "清明节" in text and "确认 2027 年" not in text  # nothing entered: no confirm button
    assert "确认后涉及该年的期限不再是暂定" in text


def test_a_published_year_lists_the_package_days_and_offers_no_confirmation(admin):
    """Does 2026 list the shipped 春节 days and make-up workdays as 系统内置, with nothing to confirm?"""
    text = page_text(admin.get("/admin/calendar?year=2026"))
    assert "2026-02-16 周一 休息日 春节 系统内置" in text
    assert "2026-02-14 周六 调休上班日 春节调休上班 系统内置" in text
    assert "2026-01-03" not in text  # a Saturday off anyway: no different from the default week
    assert "无需确认" in text and "撤回确认" not in text


def test_nat8_an_administrator_enters_corrects_confirms_withdraws_and_removes_days(admin):
    """Can an administrator enter 元旦 and a make-up workday, correct one, confirm 2027 (its deadlines no
    longer provisional), withdraw that and remove a day, each said on the page?"""
    done = enter(admin, "2027-01-01", note="元旦")
    assert done.status_code == 302 and done.headers["Location"].endswith(CALENDAR)
    assert "已录入 2027-01-01：休息日 元旦" in page_text(admin.get(CALENDAR))
    enter(admin, "2027-02-06", "workday", "春节调休上班")
    text = page_text(admin.get(CALENDAR))
    assert "2027-02-06 周六 调休上班日 春节调休上班 管理员录入" in text
    corrected = admin.text(f"{CALENDAR}&edit=2027-02-06")
    assert 'value="2027-02-06"' in corrected and '<option value="workday" selected>' in corrected
    enter(admin, "2027-02-06", "workday", "春节调休")
    assert "春节调休 管理员录入" in page_text(admin.get(CALENDAR))
    confirmed = admin.submit(CALENDAR, "/admin/calendar/2027/confirm")
    assert confirmed.status_code == 302
    text = page_text(admin.get(CALENDAR))
    assert "2027 年已确认" in text and "正式：已于" in text and "撤回确认" in text
    assert "暂按法定节假日推算" not in text  # a confirmed year counts what was entered, only
    admin.submit(CALENDAR, "/admin/calendar/2027/confirm", {"action": "withdraw"})
    assert "已撤回确认，该年期限恢复为暂定" in page_text(admin.get(CALENDAR))
    admin.submit(CALENDAR, "/admin/calendar/days/2027-02-06/delete")
    text = page_text(admin.get(CALENDAR))
    assert "已删除 2027-02-06 的录入" in text
    assert "2027-02-06 周六 休息日 春节 暂按法定节假日推算" in text  # the estimate again


def test_a_bad_date_or_missing_kind_is_said_beside_its_field(admin):
    """Is a date that is no date, or out of the calendar's years, or no kind, a 422 with the message
    beside the field and what was typed kept?"""
    refused = enter(admin, "2027-02-30", kind="", note="<b>春节</b>")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="day-error">请填写日期，格式为 YYYY-MM-DD' in html and 'id="kind-error">请选择' in html
    assert "&lt;b&gt;春节&lt;/b&gt;" in html and "<b>春节" not in html
    far = enter(admin, "2300-01-01")
    assert far.status_code == 422 and "年份应在 2000 到 2100 之间" in page_text(far)
    long = enter(admin, "2027-01-01", note="节" * 201)
    assert long.status_code == 422 and 'id="note-error">备注不能超过 200 个字' in long.get_data(as_text=True)


def test_nat8_the_last_entered_day_of_a_confirmed_year_cannot_be_removed(admin):
    """Is removing the only entered day of a confirmed year refused in words, the day kept?"""
    enter(admin, "2027-01-01", note="元旦")
    admin.submit(CALENDAR, "/admin/calendar/2027/confirm")
    admin.submit(CALENDAR, "/admin/calendar/days/2027-01-01/delete")
    text = page_text(admin.get(CALENDAR))
    assert "请先撤回确认再删除" in text and "元旦 管理员录入" in text
    admin.submit(CALENDAR, "/admin/calendar/2027/confirm", {"action": "withdraw"})


def test_a_year_out_of_range_is_refused_in_words(admin):
    """Is ?year=1990 a 400 saying which years the calendar keeps, and no year at all this year?"""
    refused = admin.get("/admin/calendar?year=1990")
    assert refused.status_code == 400 and "年份应在 2000 到 2100 之间" in page_text(refused)
    assert "工作日历 · 2026 年" in page_text(admin.get("/admin/calendar?year=abc"))


def test_the_active_profile_lists_every_deadline_with_its_period_and_source(app, admin):
    """Does 期限规则 show each deadline's name, period, target, whether it rolls, rule IDs and article?"""
    from service.services.engine import engine

    text = page_text(admin.get("/admin/profile"))
    with app.app_context():
        profile = engine().profile
    assert profile.title in text
    for name, rule in profile.deadlines.items():
        assert name in text and rule.label in text and rule.source in text
    assert "依申请公开答复期限 disclosure.reply 20个工作日" in text and "政府信息公开条例 Art. 33" in text
    assert "信访事项办理期限 petition.handling 60日" in text and "顺延" in text


def test_others_get_404_and_a_form_without_its_token_is_refused(app, admin):
    """Does anyone but an administrator get 404 on the calendar and profile pages and their forms, and
    is a POST without the CSRF token refused and nothing entered?"""
    officer = logged_in(app, "li.na")
    for path in ("/admin/calendar", CALENDAR, "/admin/profile"):
        assert officer.get(path).status_code == 404
    token = csrf_token(officer.text("/inbox"))
    for path in (
        "/admin/calendar/days",
        "/admin/calendar/2027/confirm",
        "/admin/calendar/days/2027-01-01/delete",
    ):
        sent = officer.client.post(path, data={"csrf_token": token, "day": "2027-01-01", "kind": "holiday"})
        assert sent.status_code == 404
    forged = admin.client.post("/admin/calendar/days", data={"day": "2027-01-01", "kind": "holiday"})
    assert forged.status_code == 400
    assert "管理员录入" not in page_text(admin.get(CALENDAR))
    assert "工作日历" in page_text(admin.get("/admin")) and "期限规则" in page_text(admin.get("/admin"))
