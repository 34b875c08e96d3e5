"""The public follows their case (issue 13, REQ-5, NAT-2, MBX-4): the status page reached with the
tracking number and query code, the 补正 sent through it, the notices' link to it, and the list of
published replies."""

from __future__ import annotations

import logging
import re

import pytest

from service.extensions import db
from service.mail import ConsoleSender, LoggedSms, SmtpSender, sms_from_config
from service.models import ProcessInstance
from service.services import public_access, published_replies
from service.web.public import guard
from tests.service import flows
from tests.service.flows import act
from tests.service.pages import csrf_token
from tests.service.test_deadlines import history, sweep

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
LETTER = {
    "writer_name": "赵小红",
    "applicant_contact": "zhao@example.cn",
    "letter_type": "leader_mailbox",
    "letter_title": "老旧小区加装电梯的规划手续",
    "letter_content": "请问老旧小区加装电梯需要办理哪些规划手续？",
    "received_on": "2026-04-27",
    "publish_consent": "yes",
}
STAFF = ("徐明", "马丽", "王芳", "刘洋", "xu.ming", "wang.fang", "拟办意见", "初审说明")
KB100 = 100 * 1024


@pytest.fixture(autouse=True)
def _fresh_limits(app):
    guard.limiter.reset()
    yield
    guard.limiter.reset()


def granted(app, case, channel: str) -> str:
    """Give a case started through the staff API a query code, as a public submission would."""
    with app.app_context():
        code = public_access.grant(db.session.get(ProcessInstance, case["id"]), channel)
        db.session.commit()
    return code


def browser(app, address: str = "203.0.113.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address  # each address has its own limits
    return client


def look_up(client, number: str, code: str):
    token = csrf_token(client.get("/public/track").get_data(as_text=True))
    data = {"csrf_token": token, "tracking_number": number, "query_code": code}
    return client.post("/public/track", data=data)


def letter_to_reply(api, clock, letter=LETTER, reply="需向规划处申请规划许可。", scope="public"):
    """A letter taken in, dispatched to 规划处, answered, approved and published (or only replied)."""
    clock.set("2026-04-27T01:00:00+00:00")
    case = flows.start(api, "mailbox", "xu.ming", letter)
    act(api, case, "intake_review", "xu.ming", {"intake_decision": "accept", "intake_note": "初审说明：同意"})
    dispatch = {
        "incoming_number": "收〔2026〕88号",
        "owning_department": "planning",
        "complexity": "simple",
        "dispatched_on": "2026-04-27",
        "dispatch_note": "拟办意见：请规划处办理",
    }
    act(api, case, "register_dispatch", "ma.li", dispatch)
    suggestion = "public" if scope == "public" else "writer_only"
    act(
        api,
        case,
        "draft_reply",
        "wang.fang",
        {"reply_action": "reply", "reply_content": reply, "publish_suggestion": suggestion},
    )
    act(api, case, "review_reply", "liu.yang", {"review_decision": "approve"})
    return case


def publish(api, case, scope="public"):
    return act(api, case, "publish_reply", "xu.ming", {"publish_scope": scope, "published_on": "2026-04-28"})


def test_req5_does_a_right_pair_show_stage_deadline_and_reply_and_no_staff_name(app, api, clock):
    """With the right tracking number and query code, does the page show the kind, the stage in plain
    words, the deadline, and once published the reply — and never a staff name or an internal
    opinion (REQ-5)?"""
    case = letter_to_reply(api, clock)
    code = granted(app, case, "mailbox")
    client = browser(app)
    page = look_up(client, case["tracking_number"], code)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(page.data) < KB100
    assert "领导信箱" in html and case["tracking_number"] in html and "答复已拟定，正在审核" in html
    assert "答复</h2>" not in html  # not yet sent
    assert code not in html and code not in page.headers.get("Location", "")

    publish(api, case)
    html = look_up(client, case["tracking_number"], code.lower().replace("-", "")).get_data(as_text=True)
    assert "已办结" in html and "需向规划处申请规划许可。" in html and "答复内容" in html
    assert not [name for name in STAFF if name in html]


def test_req5_does_a_wrong_pair_show_nothing_about_the_case_or_the_number(app, api, clock, caplog):
    """Is a wrong code for a real number answered exactly as a number that does not exist — only
    “受理编号或查询码不正确” — and logged with the address and number, never the code?"""
    case = letter_to_reply(api, clock)
    code = granted(app, case, "mailbox")
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    client = browser(app, "198.51.100.4")
    with caplog.at_level(logging.WARNING, logger="govflow.public"):
        real = look_up(client, case["tracking_number"], wrong)
        made_up = look_up(client, "MB-2026-999999", wrong)
    pages = [r.get_data(as_text=True) for r in (real, made_up)]
    assert real.status_code == made_up.status_code == 404
    assert all("受理编号或查询码不正确" in p and "领导信箱" not in p and "办理阶段" not in p for p in pages)
    assert pages[0].replace(case["tracking_number"], "MB-2026-999999") == pages[1].replace(
        csrf_token(pages[1]), csrf_token(pages[0])
    )
    logged = [r.getMessage() for r in caplog.records if r.name == "govflow.public"]
    assert len(logged) == 2 and "198.51.100.4" in logged[0] and case["tracking_number"] in logged[0]
    assert not any(wrong in line or wrong.replace("-", "") in line for line in logged)


def test_req5_are_a_thousand_wrong_codes_from_one_address_refused_while_a_real_code_works_elsewhere(
    app, api, clock
):
    """Of 1,000 wrong query codes sent from one address, are all but the first few refused with 429
    (the wrong-code limit), while the real code still opens the case from another address?"""
    case = letter_to_reply(api, clock)
    code = granted(app, case, "mailbox")
    attacker = browser(app, "192.0.2.66")
    token = csrf_token(attacker.get("/public/track").get_data(as_text=True))
    tried = 0
    for guess in range(1000):
        tried += 1
        data = {
            "csrf_token": token,
            "tracking_number": case["tracking_number"],
            "query_code": f"{guess:020d}",
        }
        response = attacker.post("/public/track", data=data)
        if response.status_code == 429:
            break
        assert response.status_code == 404
    assert response.status_code == 429 and tried == 11  # 10 wrong pairs per 10 minutes, then refused
    assert "请求过于频繁" in response.get_data(as_text=True)
    assert look_up(attacker, case["tracking_number"], code).status_code == 429  # refused, right or wrong
    assert look_up(browser(app, "192.0.2.67"), case["tracking_number"], code).status_code == 200


def test_req5_does_a_right_pair_not_count_against_the_wrong_code_limit(app, api, clock):
    """Does someone who looks their case up again and again (under the status limit) stay welcome?"""
    app.config["GOVFLOW_PUBLIC_STATUS_LIMIT"] = "100 per minute"
    try:
        case = letter_to_reply(api, clock)
        code = granted(app, case, "mailbox")
        client = browser(app, "192.0.2.80")
        assert all(look_up(client, case["tracking_number"], code).status_code == 200 for _ in range(15))
    finally:
        app.config["GOVFLOW_PUBLIC_STATUS_LIMIT"] = guard.DEFAULT_LIMITS["GOVFLOW_PUBLIC_STATUS_LIMIT"]


def test_nat2_is_a_correction_sent_through_the_status_page_and_the_clock_restarted_from_it(
    app, api, clock, sender
):
    """Asked to 补正, does the status page show what to correct and by when, take the applicant's
    text (completing 登记补正情况 as nobody, with a history line), and once the office registers the
    corrected request does the reply fall due counting from the corrected date, not the receipt?"""
    case = flows.start_disclosure(api)
    code = granted(app, case, "disclosure")
    registration = {
        "owning_department": "planning",
        "received_on": "2026-03-02",
        "registration_decision": "correction",
    }
    first = act(api, case, "register", "zhang.wei", registration)
    assert first["due_at"] == "2026-03-30T16:00:00+00:00"  # 20 working days from Mon 2 Mar
    clock.set("2026-03-03T02:00:00+00:00")
    notice = {
        "correction_items": "请写明年份和区域",
        "correction_due_on": "2026-03-17",
        "correction_sent_on": "2026-03-03",
    }
    act(api, case, "correction_notice", "zhang.wei", notice)
    sweep(app, "2026-03-03T02:00:00+00:00")
    ((_, _, subject, body),) = sender.sent
    assert "补正告知" in subject and body.endswith("查询办理进度：http://localhost:5000/public/track")

    clock.set("2026-03-10T02:00:00+00:00")
    client = browser(app)
    html = look_up(client, case["tracking_number"], code).get_data(as_text=True)
    assert "待您补正申请内容" in html and "请写明年份和区域" in html and "2026-03-17" in html
    assert "暂停计时" in html and "2026-03-03起暂停计时" in html
    token = csrf_token(html)
    empty = client.post("/public/track/correction", data={"csrf_token": token, "correction": "  "})
    assert empty.status_code == 422 and "请填写补正内容" in empty.get_data(as_text=True)
    text = "2025年东区建设用地规划许可证目录" + XSS
    sent = client.post("/public/track/correction", data={"csrf_token": token, "correction": text})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/public/track/status")
    after = client.get("/public/track/status").get_data(as_text=True)
    assert "补正内容已提交" in after and "已收到补正内容，待登记" in after
    reloaded = client.get("/public/track/status").get_data(as_text=True)  # said once, sent once
    assert "补正内容已提交" not in reloaded and "已收到补正内容，待登记" in reloaded
    assert "2026-03-03起暂停计时，2026-03-10恢复" in after

    done = [e for e in flows.view(api, case)["history"] if e["kind"] == "task_completed"][-1]
    assert done["actor"] is None and done["details"]["data"]["correction_result"] == "corrected"
    assert done["details"]["data"]["correction_result_note"] == text
    assert history(app, case["id"], "corrected_online") == [{"task": "登记补正情况"}]
    again = client.post("/public/track/correction", data={"csrf_token": token, "correction": "再补一次"})
    assert again.status_code == 409 and "不需要补正" in again.get_data(as_text=True)

    clock.set("2026-03-11T02:00:00+00:00")
    corrected = {
        "corrected_on": "2026-03-10",
        "corrected_content": "2025年东区目录",
        "owning_department": "planning",
    }
    registered = act(api, case, "register_correction", "zhang.wei", corrected)
    # From Tue 10 Mar: 11-13 = 1-3, 16-20 = 4-8, 23-27 = 9-13, 30 Mar-3 Apr = 14-18, Qingming 4-6 Apr
    # off, Tue 7 = 19, Wed 8 Apr = 20 — later than the first count's 30 Mar by the corrected date.
    assert registered["due_at"] == "2026-04-08T16:00:00+00:00" != first["due_at"]
    html = look_up(client, case["tracking_number"], code).get_data(as_text=True)
    assert "2026-04-08前" in html and "<script>" not in html


def test_nat2_is_the_correction_form_shown_only_while_a_correction_is_asked(app, api, clock):
    """Without a 补正 step open, does the page offer no correction form, and the correction address
    refuse a browser that has not looked a case up?"""
    case = flows.start_disclosure(api)
    code = granted(app, case, "disclosure")
    client = browser(app)
    html = look_up(client, case["tracking_number"], code).get_data(as_text=True)
    assert "已收到申请，待登记受理" in html and "提交补正" not in html
    stranger = browser(app, "192.0.2.90")
    token = csrf_token(stranger.get("/public/track").get_data(as_text=True))
    refused = stranger.post("/public/track/correction", data={"csrf_token": token, "correction": "x"})
    assert refused.status_code == 403 and "查询已过期" in refused.get_data(as_text=True)


def test_mbx4_are_only_consented_public_replies_listed_searchable_and_escaped(app, api, clock):
    """Is a letter published to everyone listed with its reply, date and department (its XSS as
    text), one only replied to or whose writer refused never listed, and the search by words?"""
    shown = letter_to_reply(api, clock, {**LETTER, "letter_title": "电梯" + XSS}, reply="答复" + XSS)
    publish(api, shown)
    private = letter_to_reply(api, clock, {**LETTER, "letter_title": "只答复本人的来信"}, scope="writer_only")
    publish(api, private, scope="writer_only")
    refused = letter_to_reply(
        api,
        clock,
        {**LETTER, "letter_title": "不同意公开的来信", "publish_consent": "no"},
        scope="writer_only",
    )
    publish(api, refused, scope="writer_only")
    page = browser(app).get("/public/replies")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(page.data) < KB100
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html and "<script>" not in html
    assert "<img src=x" not in html and "规划处" in html and "2026-04-28" in html
    assert "只答复本人" not in html and "不同意公开" not in html and "共1封来信" in html
    assert "找到1封" in browser(app).get("/public/replies?q=电梯+手续").get_data(as_text=True)
    assert "找到1封" in browser(app).get("/public/replies?q=电梯").get_data(as_text=True)
    assert "找到0封" in browser(app).get("/public/replies?q=100%25").get_data(as_text=True)


def test_mbx4_are_published_replies_newest_first_a_page_at_a_time(app, api, clock, monkeypatch):
    """With one reply a page, is the newer letter on page 1, the older on page 2, with page links?"""
    for title, day in (("较早的来信", "2026-04-28"), ("较新的来信", "2026-04-29")):
        case = letter_to_reply(api, clock, {**LETTER, "letter_title": title})
        act(api, case, "publish_reply", "xu.ming", {"publish_scope": "public", "published_on": day})
    monkeypatch.setattr(published_replies, "PER_PAGE", 1)
    first = browser(app).get("/public/replies").get_data(as_text=True)
    second = browser(app).get("/public/replies?page=2").get_data(as_text=True)
    assert "较新的来信" in first and "较早的来信" not in first and 'href="/public/replies?page=2"' in first
    assert "较早的来信" in second and "较新的来信" not in second
    assert "较早的来信" in browser(app).get("/public/replies?page=999").get_data(as_text=True)


def test_does_sms_go_through_its_own_adapter(capsys):
    """Does an SMS reach the configured SMS adapter (console in development, the log beside SMTP, a
    class named in GOVFLOW_SMS_GATEWAY), while e-mail goes on as before?"""
    ConsoleSender().send("sms", "13800000000", "告知", "正文")
    assert "[sms → 13800000000] 告知：正文" in capsys.readouterr().out
    assert isinstance(SmtpSender("localhost").sms, LoggedSms)
    named = sms_from_config({"GOVFLOW_SMS_GATEWAY": "tests.service.test_public_status:KeptSms"})
    assert isinstance(named, KeptSms)
    with pytest.raises(RuntimeError):
        sms_from_config({"GOVFLOW_SMS_GATEWAY": "nonsense"})


class KeptSms:
    def __init__(self, config):
        self.sent: list[tuple[str, str]] = []

    def send_sms(self, number: str, text: str) -> None:
        self.sent.append((number, text))


def test_is_the_track_form_labelled_and_small(app):
    """Does the look-up form label both fields, carry a CSRF token, and stay under 100 KB?"""
    page = browser(app).get("/public/track")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(page.data) < KB100
    assert re.search(r'<label for="tracking_number">受理编号', html) and re.search(
        r'<label for="query_code">查询码', html
    )
    assert 'method="post"' in html and "csrf_token" in html
