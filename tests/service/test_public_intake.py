"""The public submits (issue 13, REQ-1, REQ-5, MBX, PET, ERR): the forms at /public/<channel>/new
start their flow with no log-in, hand out a tracking number and a query code once, and store nothing
when anything is wrong. Driven through the pages with the Flask test client, as a browser would."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.models import CaseEvent, OutgoingMessage, ProcessInstance, PublicAccess
from service.models.events import EventKind
from service.services import public_access
from service.web.public import guard
from tests.service.pages import csrf_token, logged_in
from tests.service.test_deadlines import sweep

ANSWER = "KKKK"
CITIZEN = {
    "applicant_type": "person",
    "applicant_name": "王小明",
    "id_type": "resident_id",
    "id_number": "110101199001011234",
    "applicant_contact": "13800000000",
    "request_content": "请公开2025年建设用地规划许可证发放目录",
    "delivery_form": "email",
}
LETTER = {
    "writer_name": "李四",
    "applicant_contact": "li.si@example.cn",
    "letter_title": "小区路灯不亮",
    "letter_content": "东区三号路的路灯已坏一个月。",
    "publish_consent": "yes",
}
# Each channel: what a citizen fills in, and the first step with the department it lands in.
CHANNELS = {
    "disclosure": (CITIZEN, "登记申请", "office"),
    "mailbox": (LETTER, "来信初审", "info_center"),
    "consultation": (
        {**LETTER, "letter_title": "如何办理", "publish_consent": "no"},
        "来信初审",
        "info_center",
    ),
    "petition": (
        {
            "petitioner_name": "赵六",
            "applicant_contact": "13900000000",
            "petition_title": "工地夜间施工噪音",
            "petition_content": "每晚十一点后仍在施工。",
        },
        "转送交办",
        "petition",
    ),
    "error_report": (
        {
            "page_url": "https://www.example.gov.cn/zwgk/1.html",
            "error_type": "broken_link",
            "report_content": "附件链接打不开。",
            "applicant_contact": "reader@example.cn",
        },
        "核实分办",
        "info_center",
    ),
}
STATUS_LINK = "http://localhost:5000/public/track"


@pytest.fixture(autouse=True)
def known_answer(monkeypatch):
    """The challenge drawn from one character, so the answer is known; the limits counted afresh."""
    monkeypatch.setattr(guard, "ALPHABET", "K")
    yield
    guard.limiter.reset()


class Citizen:
    """One browser with no account: a test client keeping its session cookie."""

    def __init__(self, app, address: str = "198.51.100.7"):
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address

    def send(self, channel: str, data: dict, answer: str = ANSWER):
        html = self.client.get(f"/public/{channel}/new").get_data(as_text=True)
        body = {"csrf_token": csrf_token(html), "challenge": answer, **data}
        return self.client.post(f"/public/{channel}/new", data=body)


def codes(response) -> tuple[str, str]:
    """The tracking number and query code a done page shows."""
    number, code = re.findall(r"<dd>([^<]+)</dd>", response.get_data(as_text=True))
    return number, code


def stored(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (ProcessInstance, PublicAccess, OutgoingMessage)
        )


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_req1_req5_does_each_public_form_start_its_flow_in_the_registering_inbox(app, api, sender, channel):
    """Does a submission start the channel's flow with nobody as starter, its first step in the
    department that registers such cases today, give a query code that opens the case, say so in
    the history, and send both numbers with the status page's address to the contact, the stored
    copy of that message keeping no code once sent?"""
    data, first_step, department = CHANNELS[channel]
    done = Citizen(app).send(channel, data)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    number, code = codes(done)
    assert "请妥善保管查询码" in done.get_data(as_text=True)

    with app.app_context():
        access = public_access.find(number, code)
        assert access is not None and access.channel == channel
        instance = access.instance
        assert instance.started_by_id is None and instance.status == "running"
        kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.instance_id == instance.id)).all()
        assert EventKind.PUBLIC_SUBMITTED in kinds
        instance_id = instance.id
    (task,) = api.get(f"/process-instances/{instance_id}", "admin").get_json()["open_tasks"]
    assert (task["name"], task["department"]["code"]) == (first_step, department)

    sweep(app, "2026-03-02T01:00:00+00:00")  # delivers the outbox
    ((_kind, address, subject, body),) = sender.sent
    assert address == data["applicant_contact"] and number in subject
    assert number in body and code in body and STATUS_LINK in body
    with app.app_context():  # the outbox forgets the code once it is sent: only its hash is kept
        kept = db.session.scalar(
            select(OutgoingMessage.body).where(OutgoingMessage.instance_id == instance_id)
        )
        assert number in kept and code not in kept and "（已隐去）" in kept


def test_req1_does_the_channel_set_its_own_values_whatever_is_posted(app, clock):
    """Are the channel's fixed values (网上申请; received today in Beijing, past 00:00 there while
    still the day before in UTC) kept even when the post tries to set them otherwise?"""
    clock.set("2026-03-02T17:00:00+00:00")  # Tuesday 3 March, 01:00 in Beijing
    posted = {**CHANNELS["petition"][0], "channel": "provincial_portal", "received_on": "2020-01-01"}
    number, _code = codes(Citizen(app).send("petition", posted))
    with app.app_context():
        data = db.session.scalar(
            select(ProcessInstance).where(ProcessInstance.tracking_number == number)
        ).data
    assert (data["channel"], data["received_on"]) == ("website", "2026-03-03")


def test_req1_is_each_mistake_said_beside_its_field_and_nothing_stored(app):
    """Does a citizen who leaves out the identity document and mistypes the contact see each message
    beside its field (aria-invalid, aria-describedby naming the message) and summed up at the top,
    with what they typed kept and nothing stored?"""
    data = {**CITIZEN, "id_number": "", "applicant_contact": "不是电话"}
    refused = Citizen(app).send("disclosure", data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'role="alert"' in html and "2处需要修改" in html
    for name, message in (
        ("id_number", "请填写“身份证件号码”"),
        ("applicant_contact", "应为手机号码或电子邮箱地址"),
    ):
        control = re.search(rf'<(?:input|textarea|select)[^>]*id="field-{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in control and f"field-{name}-error" in control
        assert re.search(rf'<p class="field-error" id="field-{name}-error">[^<]*{message}', html)
        assert f'href="#field-{name}"' in html  # the summary leads to the field
    assert 'value="王小明"' in html and 'value="不是电话"' in html
    assert stored(app) == (0, 0, 0)


def test_req1_does_an_organisation_give_its_name_and_no_identity_document(app):
    """Is an organisation asked for its name (requiredIf), and not for a person's identity document?"""
    organisation = {k: v for k, v in CITIZEN.items() if k not in ("id_type", "id_number")}
    organisation["applicant_type"] = "organisation"
    refused = Citizen(app).send("disclosure", organisation)
    assert refused.status_code == 422 and "请填写“法人或者其他组织名称”" in refused.get_data(as_text=True)
    done = Citizen(app).send(
        "disclosure",
        {**organisation, "organisation_name": "某某科技有限公司", "organisation_kind": "business"},
    )
    assert done.status_code == 200


def test_is_a_wrong_challenge_answer_said_beside_it_and_nothing_stored(app):
    """Does a wrong answer to the image challenge store nothing, say so beside the challenge (and
    name the other mistakes too), and draw a new image?"""
    refused = Citizen(app).send("mailbox", {**LETTER, "letter_title": ""}, answer="ABCD")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'<p class="field-error" id="field-challenge-error">验证码不正确', html)
    assert re.search(r'id="field-challenge"[^>]*aria-invalid="true"', html)
    assert "请填写“来信标题”" in html and 'src="data:image/png;base64,' in html
    assert stored(app) == (0, 0, 0)


def test_can_someone_who_cannot_see_the_image_answer_the_sum_instead(app, monkeypatch):
    """Does the form put a sum in Chinese numerals beside the image, read out with the answer field
    (aria-describedby) whose label says either answer will do, and accept the sum's answer in place
    of the characters — a wrong sum storing nothing (无障碍)?"""
    monkeypatch.setattr(guard, "ADDENDS", (4,))
    citizen = Citizen(app)
    html = citizen.client.get("/public/mailbox/new").get_data(as_text=True)
    assert '<p class="challenge-question" id="field-challenge-question">' in html
    assert "四加四等于几？请填写阿拉伯数字" in html
    assert re.search(r'<label for="field-challenge">验证码：图中的4个字符或算题的答案', html)
    assert re.search(
        r'id="field-challenge"[^>]*aria-describedby="field-challenge-question field-challenge-hint"', html
    )
    assert "任填一项即可" in html
    refused = citizen.send("mailbox", LETTER, answer="9")
    assert refused.status_code == 422 and stored(app) == (0, 0, 0)
    assert citizen.send("mailbox", LETTER, answer="8").status_code == 200


class Unread(io.BytesIO):
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def test_is_a_body_over_the_public_limit_refused_unread_with_nothing_stored(app):
    """Is a form body over GOVFLOW_PUBLIC_MAX_BYTES (256 KB) refused with the Chinese 413 page of the
    public side — before a byte of it is read, on the forms and the correction box alike — while
    the longest letter the form allows still goes through?"""
    citizen = Citizen(app)
    over = citizen.send("mailbox", {**LETTER, "letter_content": "x" * (300 * 1024)})
    html = over.get_data(as_text=True)
    assert over.status_code == 413 and "提交的内容超过256 KB，未保存任何内容" in html
    assert "/inbox" not in html and 'href="/public/"' in html
    assert stored(app) == (0, 0, 0)
    for path in ("/public/petition/new", "/public/track/correction"):
        unread = citizen.client.post(
            path,
            input_stream=Unread(),
            content_type="application/x-www-form-urlencoded",
            environ_overrides={"CONTENT_LENGTH": str(300 * 1024)},
        )
        assert unread.status_code == 413, path

    longest = {**LETTER, "letter_title": "标" * 200, "letter_content": "信" * 10000}
    assert citizen.send("mailbox", longest).status_code == 200  # about 90 KB form-encoded
    app.config["GOVFLOW_PUBLIC_MAX_BYTES"] = 1024
    try:
        assert citizen.send("mailbox", longest).status_code == 413
    finally:
        app.config["GOVFLOW_PUBLIC_MAX_BYTES"] = 256 * 1024


def test_is_the_form_limit_said_in_chinese(app):
    """Does an address over the submission limit get the Chinese 429 page, another address not?"""
    app.config["GOVFLOW_PUBLIC_FORM_LIMIT"] = "2 per minute"
    try:
        busy = Citizen(app, "203.0.113.50")
        answers = [busy.send("error_report", CHANNELS["error_report"][0]).status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        over = busy.send("error_report", CHANNELS["error_report"][0])
        assert "请求过于频繁" in over.get_data(as_text=True) and "每分钟不超过2次" in over.get_data(
            as_text=True
        )
        assert (
            Citizen(app, "203.0.113.51").send("error_report", CHANNELS["error_report"][0]).status_code == 200
        )
    finally:
        app.config["GOVFLOW_PUBLIC_FORM_LIMIT"] = guard.DEFAULT_LIMITS["GOVFLOW_PUBLIC_FORM_LIMIT"]


def test_is_showing_a_form_limited_too(app):
    """Each form page draws a new challenge image: does an address that keeps asking for forms get
    the Chinese 429 page, while another address still gets its form?"""
    app.config["GOVFLOW_PUBLIC_PAGE_LIMIT"] = "3 per minute"
    try:
        busy = Citizen(app, "203.0.113.52").client
        answers = [busy.get("/public/petition/new").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert "请求过于频繁" in busy.get("/public/petition/new").get_data(as_text=True)
        assert Citizen(app, "203.0.113.53").client.get("/public/petition/new").status_code == 200
    finally:
        app.config["GOVFLOW_PUBLIC_PAGE_LIMIT"] = guard.DEFAULT_LIMITS["GOVFLOW_PUBLIC_PAGE_LIMIT"]


def test_is_every_public_page_small_and_an_unknown_channel_a_404(app):
    """Are the home page, every form (fresh and refused), a done page and the 404 page under 100 KB,
    with the home page linking each form?"""
    citizen = Citizen(app)
    home = citizen.client.get("/public/")
    pages = [home]
    for channel in CHANNELS:
        assert f'href="/public/{channel}/new"' in home.get_data(as_text=True)
        pages.append(citizen.client.get(f"/public/{channel}/new"))
        pages.append(citizen.send(channel, {}))
    pages.append(citizen.send("mailbox", LETTER))
    missing = citizen.client.get("/public/nothing/new")
    assert missing.status_code == 404 and "页面不存在" in missing.get_data(as_text=True)
    pages.append(missing)
    for page in pages:
        assert len(page.data) < 100 * 1024, page.request.path


def test_does_a_letter_s_markup_show_as_text_on_the_staff_task_page(app, api):
    """Does a letter holding a script reach the information centre's task page as text, not markup?"""
    payload = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    done = Citizen(app).send("mailbox", {**LETTER, "letter_title": payload, "letter_content": payload})
    number, _code = codes(done)
    with app.app_context():
        instance_id = db.session.scalar(
            select(ProcessInstance.id).where(ProcessInstance.tracking_number == number)
        )
    (task,) = api.get(f"/process-instances/{instance_id}", "admin").get_json()["open_tasks"]
    html = logged_in(app, "xu.ming").client.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html and "<img src=x" not in html
