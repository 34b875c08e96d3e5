"""The task page, GET /tasks/<id> and its claim/release/complete forms (issue 11).

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. A disclosure request registered as
received on Mon 2 Mar is due for its reply on Mon 30 Mar 24:00 (REQ-2: 20 working days).
"""

from __future__ import annotations

import re

import pytest

from tests.service import flows
from tests.service.flows import open_task
from tests.service.pages import csrf_token, logged_in
from tests.service.test_deadlines import sweep
from tests.service.test_disclosure_api import DISCLOSED
from tests.service.test_inbox_api import registered


@pytest.fixture
def person(app):
    """A browser logged in through the log-in page: person("liu.yang")."""

    return lambda username: logged_in(app, username)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def drafted(api):
    """A request registered Mon 2 Mar whose reply 王芳 drafted: 处室负责人审核 waits for 刘洋."""
    case = registered(api, "2026-03-02")
    flows.act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    return case


def test_req2_nat3_liu_yang_approves_the_reply_with_an_opinion_on_the_page(api, person):
    """刘洋 (规划处负责人) sees the case, the draft's text and who did what, approves with 同意公开; 李娜 then sees his opinion."""
    case = drafted(api)
    task = open_task(api, case)
    liu = person("liu.yang")
    html = liu.text(f"/tasks/{task['id']}")
    text = text_of(html)
    assert "处室负责人审核" in text and case["tracking_number"] in text and "依申请公开" in text
    assert "办理中" in text and "规划处" in text and "待签收" in text
    assert "答复内容 所申请的目录见附件。" in text and "答复类型 予以公开" in text
    assert "登记申请 办公室 · 张伟 · 2026-03-02 09:00" in text
    assert "起草答复 规划处 · 王芳 · 2026-03-02 09:00" in text
    assert f'href="/cases/{case["id"]}"' in html
    assert (
        '<label for="field-section_decision">审核意见<span class="required-mark">（必填）</span></label>'
        in html
    )
    assert '<textarea id="field-section_comment" name="section_comment"' in html
    assert "“审核意见”为“退回修改”时必填" in text
    assert ">签收</button>" in html and ">办理完成</button>" in html and ">退回待办</button>" not in html

    done = liu.submit(
        f"/tasks/{task['id']}",
        f"/tasks/{task['id']}/complete",
        {"section_decision": "approve", "section_comment": "同意公开"},
    )
    assert done.status_code == 302 and done.headers["Location"] == "/inbox"
    assert "成功办理“处室负责人审核”" in liu.text("/inbox")
    approval = open_task(api, case)
    assert approval["task_spec"] == "office_approval"
    seen = text_of(person("li.na").text(f"/tasks/{approval['id']}"))
    assert "处室负责人审核 规划处 · 刘洋" in seen and "结论 同意 意见 同意公开" in seen


def test_req2_a_missing_answer_is_shown_beside_its_field_with_what_was_typed_kept(api, person):
    """王芳 submits a reply without 答复类型: the message stands under that field, her text stays, and nothing is saved."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    wang = person("wang.fang")
    response = wang.submit(
        f"/tasks/{task['id']}",
        f"/tasks/{task['id']}/complete",
        {"draft_action": "submit", "reply_text": "<b>草稿</b>", "extension_requested": ""},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(
        r'<select id="field-category"[^>]*aria-invalid="true".*?<p class="field-error" id="field-category-error">请填写“答复类型”</p>',
        html,
        re.S,
    )
    assert '<option value="submit" selected>提交答复审核</option>' in html
    assert ">&lt;b&gt;草稿&lt;/b&gt;</textarea>" in html
    assert open_task(api, case)["id"] == task["id"]


def test_req2_release_and_claim_on_the_page_and_an_integer_typed_as_text(api, person):
    """王芳 claims the draft, releases it, claims it again; 申请延长工作日数 typed as 十 is refused beside the field."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    wang = person("wang.fang")
    page = f"/tasks/{task['id']}"
    claimed = wang.submit(page, f"{page}/claim")
    assert claimed.status_code == 302 and claimed.headers["Location"] == page
    html = wang.text(page)
    assert "已签收“起草答复”" in html and ">退回待办</button>" in html and ">签收</button>" not in html
    assert open_task(api, case)["assignee"]["username"] == "wang.fang"
    wang.submit(page, f"{page}/release")
    assert open_task(api, case)["assignee"] is None and ">签收</button>" in wang.text(page)
    bad = wang.submit(page, f"{page}/complete", {"draft_action": "extend", "extension_requested": "十"})
    assert bad.status_code == 422
    assert "“申请延长工作日数”的格式不正确" in bad.get_data(as_text=True)


def test_someone_of_another_department_gets_the_not_found_page(api, person):
    """陈静 (法规处) opening or claiming 规划处's draft gets 任务不存在 (404), as for a task that does not exist."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    chen = person("chen.jing")
    for path in (f"/tasks/{task['id']}", "/tasks/999999"):
        response = chen.get(path)
        assert response.status_code == 404 and "任务不存在" in response.get_data(as_text=True)
    token = csrf_token(chen.text("/inbox"))
    refused = chen.client.post(f"/tasks/{task['id']}/claim", data={"csrf_token": token})
    assert refused.status_code == 404 and open_task(api, case)["assignee"] is None


def test_a_task_held_by_someone_else_shows_who_holds_it_and_no_form(api, person):
    """王芳 claimed the draft: 刘洋 (same department) sees 该任务已由王芳签收办理 and no form; a stale page's claim is a message."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    liu = person("liu.yang")
    stale = liu.text(f"/tasks/{task['id']}")
    assert api.post(f"/tasks/{task['id']}/claim", "wang.fang").status_code == 200
    html = liu.text(f"/tasks/{task['id']}")
    assert "该任务已由王芳签收办理" in html
    assert '<form class="task-form"' not in html and ">签收</button>" not in html
    late = liu.client.post(f"/tasks/{task['id']}/claim", data={"csrf_token": csrf_token(stale)})
    assert late.status_code == 302
    assert "该任务已由王芳签收" in liu.text(f"/tasks/{task['id']}")


def test_a_form_posted_without_its_csrf_token_is_refused(api, person):
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    wang = person("wang.fang")
    response = wang.client.post(f"/tasks/{task['id']}/complete", data={"draft_action": "submit"})
    assert response.status_code == 400
    assert open_task(api, case)["id"] == task["id"] and open_task(api, case)["assignee"] is None


def test_user_text_in_the_case_data_is_escaped(api, person):
    """An applicant called <script>…</script> shows as text on 张伟's 登记申请; the page has no inline script or style."""
    case = flows.start(
        api, "disclosure_request", "zhang.wei", {**flows.START, "applicant_name": "<script>alert(1)</script>"}
    )
    html = person("zhang.wei").text(f"/tasks/{open_task(api, case)['id']}")
    assert "申请人姓名" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "style=" not in html and "<style" not in html


def test_req2_nat3_a_returned_draft_shows_who_returned_it_and_prefills_the_last_answer(api, clock, person):
    """刘洋 returns the draft on Wed 4 Mar with 请核对年份: 王芳's redraft page says so and holds her earlier reply."""
    case = drafted(api)
    clock.set("2026-03-04T02:00:00+00:00")
    flows.act(
        api,
        case,
        "section_review",
        "liu.yang",
        {"section_decision": "return", "section_comment": "请核对年份"},
    )
    redraft = open_task(api, case)
    html = person("wang.fang").text(f"/tasks/{redraft['id']}")
    text = text_of(html)
    assert "退回重办" in text and "刘洋（处室负责人审核）于 2026-03-04 10:00 退回" in text
    assert "审核说明 请核对年份" in text
    assert '<option value="disclosed" selected>予以公开</option>' in html
    assert ">所申请的目录见附件。</textarea>" in html


def test_esc1_an_overdue_escalated_draft_says_so_in_words(app, api, clock, person):
    """王芳 on Wed 1 Apr: the reply due Mon 30 Mar 24:00 reads 已超期2个工作日, 超期 and 已督办（第1级）."""
    case = registered(api, "2026-03-02")
    sweep(app, "2026-03-30T16:00:00+00:00")
    clock.set("2026-04-01T02:00:00+00:00")
    html = person("wang.fang").text(f"/tasks/{open_task(api, case)['id']}")
    text = text_of(html)
    assert "已超期2个工作日 （2026-03-30 24:00 前） 超期 已督办（第1级）" in text
    assert 'class="deadline-line overdue"' in html


def test_the_department_a_case_was_drafted_in_reads_as_a_name_under_a_chinese_label(api, person):
    """The service's own note of who drafted (drafting_department) reads 拟稿处室：办公室, not a code under an English key."""
    case = flows.start(api, "disclosure_request", "zhang.wei", flows.START)
    html = person("zhang.wei").text(f"/tasks/{open_task(api, case)['id']}")
    assert "拟稿处室" in html and "drafting_department" not in html


def test_pub9_a_reviewer_reads_the_screening_result_in_words_and_not_the_services_own_data(
    api, clock, person
):
    """刘洋 opens 保密审查及复审 of an item whose body holds a mobile number: does 案件信息 say 错敏检测 with
    the hit in words, and leave out what the service stored for the diagram (the approval chain)?"""
    from tests.unit.test_publishing_flow import DRAFT

    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "publishing", "wang.fang", {**DRAFT, "body": "咨询电话13912345678。"})
    task = open_task(api, case)
    text = text_of(person("liu.yang").text(f"/tasks/{task['id']}"))
    assert "错敏检测 严重0处，一般1处：" in text and "个人信息（手机号码）" in text
    assert "139****5678" in text and "13912345678" not in text.split("正文")[0]
    assert "approval" not in text and "section_head" not in text
