"""The public status page in a browser (issue 13, REQ-5, NAT-2): a citizen with no account looks
their case up by tracking number and query code, reads its stage, and sends the 补正 asked of them."""

from __future__ import annotations

from service.extensions import db
from service.models import ProcessInstance
from service.services import public_access
from tests.browser.conftest import accessible, field, fits
from tests.service import flows
from tests.service.flows import act


def test_nat2_req5_does_a_citizen_look_up_a_case_and_send_a_correction(app, api, clock, open_page):
    """On a phone, does the right pair show the stage and what to correct, and does sending the
    correction move the case on to the office's registration, said on the page?"""
    case = flows.start_disclosure(api)
    with app.app_context():
        code = public_access.grant(db.session.get(ProcessInstance, case["id"]), "disclosure")
        db.session.commit()
    registration = {
        "owning_department": "planning",
        "received_on": "2026-03-02",
        "registration_decision": "correction",
    }
    act(api, case, "register", "zhang.wei", registration)
    notice = {
        "correction_items": "请写明年份和区域",
        "correction_due_on": "2026-03-17",
        "correction_sent_on": "2026-03-02",
    }
    act(api, case, "correction_notice", "zhang.wei", notice)

    page = open_page(375, 800)
    page.goto("/public/track")
    field(page, "受理编号").fill(case["tracking_number"])
    field(page, "查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/public/track")
    assert page.locator("#stage").inner_text() == "待您补正申请内容"
    assert "请写明年份和区域" in page.inner_text("main") and code not in page.url
    assert fits(page)
    accessible(page, "public_status_correction_asked")

    field(page, "补正内容").fill("2025年东区建设用地规划许可证发放目录")
    page.get_by_role("button", name="提交补正").click()
    page.wait_for_url("**/public/track/status")
    assert "补正内容已提交" in page.get_by_role("status").inner_text()
    assert page.locator("#stage").inner_text() == "已收到补正内容，待登记"
    assert page.get_by_role("button", name="提交补正").count() == 0
    accessible(page, "public_status_corrected")
    assert flows.open_task(api, case)["task_spec"] == "register_correction"
    page.reload()  # the page again, nothing sent twice
    assert page.locator("#stage").inner_text() == "已收到补正内容，待登记"
