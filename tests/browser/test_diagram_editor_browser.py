"""The diagram editor in a real browser (issue 12): every deployed diagram opens in the modeler and
is saved again with all of govflow's markup; the issue's proof path — a step added through the panel,
a lane 检查 marks fixed, deployed, new cases on the new version while an old one keeps its own, the old
one moved after a dry run; a new diagram deployed; another tool's file opened and checked; the
modeler in Chinese, with every govflow property set through panel fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.service.test_miwg_import import MIWG

BPMN = Path(__file__).parents[2] / "bpmn"
KEYS = sorted(p.stem for p in BPMN.glob("*.bpmn"))
OMG = "omg.org"


def markup(xml: bytes) -> list[tuple]:
    """Every element and attribute outside the BPMN namespaces, with the element it belongs to."""
    found: list[tuple] = []
    for el in etree.fromstring(xml).iter():
        if not isinstance(el.tag, str):
            continue
        owner = next((a.get("id") for a in el.iterancestors() if a.get("id")), None)
        foreign = {k: v for k, v in el.attrib.items() if etree.QName(k).namespace}
        if OMG not in (etree.QName(el).namespace or "") or foreign:
            found.append((el.tag, owner, sorted(el.attrib.items()), (el.text or "").strip()))
        if etree.QName(el).localname in ("loopDataInputRef", "loopDataOutputRef"):
            found.append((el.tag, owner, (el.text or "").strip()))
    return found


def open_editor(open_page, path: str):
    page = open_page(1400, 900)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"/login?next={path}")
    log_in(page, "admin")
    page.wait_for_url(f"**{path}")
    expect(page.locator("#diagram-editor")).to_have_attribute("data-ready", "true")
    return page, errors


def saved_xml(page) -> str:
    return page.evaluate("async () => (await window.govflowModeler.saveXML({format: true})).xml")


def test_every_diagram_survives_a_round_trip_through_the_editor(open_page, api):
    """Does each of the seven diagrams come back from the modeler with every govflow element, and
    does the server's check find nothing new in it?"""
    page, errors = open_editor(open_page, f"/admin/diagrams/{KEYS[0]}/edit")
    for key in KEYS:
        if key != KEYS[0]:
            page.goto(f"/admin/diagrams/{key}/edit")
            expect(page.locator("#diagram-editor")).to_have_attribute("data-ready", "true")
        xml = saved_xml(page)
        assert markup(xml.encode()) == markup((BPMN / f"{key}.bpmn").read_bytes()), key
        answer = api.post("/process-definitions/check", "admin", {"xml": xml}).get_json()
        assert answer == {"key": key, "problems": []}, key
    screenshot(page, "editor-opened")
    assert errors == []


def box(page, element_id: str) -> dict:
    found = page.locator(f'.djs-element[data-element-id="{element_id}"]').first.bounding_box()
    assert found is not None, element_id
    return found


def add_user_task_on_a_flow(page, api) -> str:
    """Drop a new task on a flow between two nodes of one lane (the modeler splits the flow and connects
    the task both ways, as when dropped from the palette) where the server's layout check finds no
    flow crossing it; its id."""
    flows = page.evaluate(
        """() => {
          const registry = window.govflowModeler.get("elementRegistry");
          const found = [];
          for (const c of registry.filter((e) => e.type === "bpmn:SequenceFlow")) {
            const lanes = c.source.businessObject.get("lanes") || [];
            const area = lanes.length === 1 && registry.get(lanes[0].id);
            if (!area || !(c.target.businessObject.get("lanes") || []).includes(lanes[0])) continue;
            const inside = (p) => p.y > area.y + 40 && p.y < area.y + area.height - 40;
            for (let i = 1; i < c.waypoints.length; i++) {
              const [a, b] = [c.waypoints[i - 1], c.waypoints[i]];
              if (a.y === b.y && inside(a) && Math.abs(b.x - a.x) > 160) {
                found.push({ id: c.id, x: (a.x + b.x) / 2, y: a.y });
              }
            }
          }
          return found;
        }"""
    )
    for flow in flows:
        task = page.evaluate(
            """({ id, x, y }) => {
              const modeler = window.govflowModeler;
              const shape = modeler.get("elementFactory").createShape({ type: "bpmn:Task" });
              const at = { x, y };
              return modeler.get("modeling").createShape(shape, at, modeler.get("elementRegistry").get(id)).id;
            }""",
            flow,
        )
        answer = api.post("/process-definitions/check", "admin", {"xml": saved_xml(page)}).get_json()
        if all(p["element_id"] == task for p in answer["problems"]):  # its own: unnamed, no type yet
            page.evaluate(
                """(id) => {
                  const canvas = window.govflowModeler.get("canvas");
                  canvas.zoom(1);
                  canvas.scrollToElement(window.govflowModeler.get("elementRegistry").get(id));
                }""",
                task,
            )
            return task
        page.evaluate("() => window.govflowModeler.get('commandStack').undo()")
    raise AssertionError("no flow within a lane takes a new task without crossing another")


def open_group(page, group: str) -> None:
    """Unfold a group of the properties panel (they open folded)."""
    section = page.locator(f'[data-group-id="group-{group}"]')
    if "open" not in (section.locator(".bio-properties-panel-group-entries").get_attribute("class") or ""):
        section.locator(".bio-properties-panel-group-header").click()


@pytest.fixture
def new_process_rows(app):
    """The diagram `new_process` the test deploys is removed afterwards (other tests never see it)."""
    yield
    from service.extensions import db
    from service.models import ProcessDefinition

    with app.app_context():
        db.session.query(ProcessDefinition).filter(ProcessDefinition.key == "new_process").delete()
        db.session.commit()


def test_an_administrator_deploys_a_new_diagram_from_the_editor_after_a_clean_check(
    open_page, api, new_process_rows
):
    """Is 部署 open only after a clean 检查, and does it make version 1 with the comment, listed under 管理?"""
    page, errors = open_editor(open_page, "/admin/diagrams/new")
    expect(page.get_by_role("button", name="部署")).to_be_disabled()
    page.get_by_role("button", name="检查").click()
    expect(page.locator("#editor-status")).to_have_text("检查通过，可以部署")
    page.locator("#editor-comment").fill("新建测试流程")
    page.get_by_role("button", name="部署").click()
    expect(page.locator("#editor-status")).to_have_text("已部署为第 1 版")
    versions = api.get("/process-definitions/new_process/versions", "admin").get_json()["items"]
    assert [(v["version"], v["comment"], v["deployed_by"]["username"]) for v in versions] == [
        (1, "新建测试流程", "admin")
    ]
    page.goto("/admin/diagrams")
    assert "new_process" in page.locator("main").inner_text()
    assert errors == []
    screenshot(page, "editor-deployed")


def test_a_diagram_made_by_another_tool_opens_with_what_the_service_lacks_flagged(open_page, api):
    """Does an MIWG reference model open in the editor with 打开文件, checked at once, its problems listed
    by element and 部署 kept shut?"""
    path = MIWG / "A.2.0.bpmn"
    expected = api.post("/process-definitions/check", "admin", {"xml": path.read_text()}).get_json()
    assert expected["problems"]  # another tool's diagram lacks what the service needs
    page, errors = open_editor(open_page, "/admin/diagrams/new")
    page.locator("#editor-file").set_input_files(str(path))
    expect(page.locator("#editor-status")).to_contain_text("已打开“A.2.0.bpmn”")
    items = page.locator("#editor-problem-list li")
    expect(items).to_have_count(len(expected["problems"]))
    assert expected["problems"][0]["message"] in items.first.inner_text()
    expect(page.get_by_role("button", name="部署")).to_be_disabled()
    assert errors == []
    screenshot(page, "editor-miwg-opened")


@pytest.fixture
def publishing_v1_again(app):
    """The test deploys a second 信息发布: afterwards its cases and that version go, as if never made."""
    yield
    from service.extensions import db
    from service.models import ProcessDefinition
    from tests.db import delete_cases

    with app.app_context():
        delete_cases()
        db.session.query(ProcessDefinition).filter(
            ProcessDefinition.key == "publishing", ProcessDefinition.version > 1
        ).delete()
        db.session.commit()


def test_issue12_proof_a_new_step_is_deployed_new_cases_take_it_and_an_old_case_is_moved_after_a_dry_run(
    open_page, api, clock, publishing_v1_again
):
    """An item runs on 信息发布 v1; the administrator adds a step with a deadline and a form field, fixes
    the lane 检查 marks, deploys v2; a new item starts on v2 while the old one stays on v1; then 预演
    lists the old one and 执行迁移 moves it."""
    from tests.service import flows
    from tests.unit.test_publishing_flow import DRAFT

    clock.set("2026-03-02T01:00:00+00:00")
    old = flows.start(api, "publishing", "wang.fang", DRAFT)
    assert old["process"]["version"] == 1
    page, errors = open_editor(open_page, "/admin/diagrams/publishing/edit")
    task = add_user_task_on_a_flow(page, api)
    page.locator(f'.djs-element[data-element-id="{task}"]').first.click()
    page.locator('.djs-context-pad [data-action="replace"]').click()
    page.locator('[data-id="replace-with-user-task"]').click()
    open_group(page, "general")
    page.locator("#bio-properties-panel-name").fill("新增复核")
    open_group(page, "govflow-deadline")
    deadline = page.locator("#bio-properties-panel-govflow-deadline-name")
    deadline.select_option(
        [v for v in deadline.locator("option").evaluate_all("os => os.map(o => o.value)") if v][0]
    )
    form = page.locator('[data-group-id="group-govflow-form"]')
    form.locator(".bio-properties-panel-group-header").click()
    form.locator(".bio-properties-panel-add-entry").click()
    page.locator("#bio-properties-panel-govflow-field-0-name").fill("review_note")
    page.locator("#bio-properties-panel-govflow-field-0-type").select_option("text")
    page.locator("#bio-properties-panel-govflow-field-0-label").fill("复核意见")
    page.locator("#bio-properties-panel-govflow-field-0-required").check()
    screenshot(page, "editor-new-task")
    xml = saved_xml(page)
    assert 'name="新增复核"' in xml and 'type="text" label="复核意见" required="true"' in xml
    assert '<govflow:deadline name="' in xml.split('name="新增复核"')[1].split("</bpmn:userTask>")[0]
    page.evaluate(
        """() => {
          const canvas = window.govflowModeler.get("canvas");
          const lane = window.govflowModeler.get("elementRegistry").get("Lane_legal");
          canvas.zoom(1);
          const { width, height } = canvas.viewbox();
          canvas.viewbox({ x: lane.x - 200, y: lane.y - 40, width, height });
        }"""
    )
    lane = box(page, "Lane_legal")
    page.mouse.click(lane["x"] + 12, lane["y"] + lane["height"] / 2)
    open_group(page, "general")
    page.locator("#bio-properties-panel-name").fill("不存在的处室")
    page.get_by_role("button", name="检查").click()
    # The server names each task of the lane; the lane is marked too, and is where it is fixed.
    marked = page.locator('#editor-problem-list li[data-fix-at="Lane_legal"]')
    expect(marked.first).to_contain_text("不存在的处室")
    expect(page.locator('.djs-element.govflow-problem[data-element-id="Lane_legal"]')).to_have_count(1)
    task_in_lane = marked.first.get_attribute("data-element-id")
    expect(page.locator(f'.djs-element.govflow-problem[data-element-id="{task_in_lane}"]')).to_have_count(1)
    expect(page.get_by_role("button", name="部署")).to_be_disabled()
    screenshot(page, "editor-check-marks-lane")
    page.locator("#diagram-editor").click(position={"x": 5, "y": 5})
    marked.first.get_by_role("button").click()
    expect(page.locator(".bio-properties-panel-header-label")).to_have_text("不存在的处室")
    open_group(page, "govflow-lane")
    page.locator("#bio-properties-panel-govflow-lane-name").select_option("法规处")
    page.get_by_role("button", name="检查").click()
    expect(page.locator("#editor-status")).to_have_text("检查通过，可以部署")
    expect(page.locator(".djs-element.govflow-problem")).to_have_count(0)
    screenshot(page, "editor-check-clean")
    page.locator("#editor-comment").fill("新增复核环节")
    page.get_by_role("button", name="部署").click()
    expect(page.locator("#editor-status")).to_have_text("已部署为第 2 版")

    new = flows.start(api, "publishing", "wang.fang", DRAFT)
    assert new["process"]["version"] == 2
    assert flows.view(api, old)["process"]["version"] == 1  # the running case keeps its version

    page.goto("/admin/diagrams/publishing")
    page.get_by_role("button", name="预演").click()
    report = page.locator("main")
    expect(report).to_contain_text("可以迁移 1 件")
    assert old["tracking_number"] in report.inner_text() and new["tracking_number"] not in report.inner_text()
    assert flows.view(api, old)["process"]["version"] == 1  # a dry run changes nothing
    page.get_by_role("button", name="执行迁移").click()
    expect(page.locator("main")).to_contain_text("已迁移 1 件")
    assert flows.view(api, old)["process"]["version"] == 2
    assert errors == []
    screenshot(page, "issue12-proof-migrated")


def settle(page) -> None:
    """Leave the panel's field and let it commit (text fields commit on a debounce), as a person
    moving on to something else does."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(400)


def panel_xml(page) -> str:
    """The diagram once what was typed last in the panel is in it."""
    settle(page)
    return saved_xml(page)


def select(page, element_id: str, *, band: bool = False) -> None:
    """Click an element on the canvas (a pool in its name band on the left), as a person selects it:
    shown at full size, clear of the palette."""
    page.evaluate(
        """([id, band]) => {
          const canvas = window.govflowModeler.get("canvas");
          const el = window.govflowModeler.get("elementRegistry").get(id);
          canvas.zoom(1);
          const { width, height } = canvas.viewbox();
          const x = band ? el.x - 200 : el.x + el.width / 2 - width / 2;
          canvas.viewbox({ x, y: el.y + el.height / 2 - height / 2, width, height });
        }""",
        [element_id, band],
    )
    found = box(page, element_id)
    x = found["x"] + 10 if band else found["x"] + found["width"] / 2
    page.mouse.click(x, found["y"] + found["height"] / 2)
    expect(page.locator(".bio-properties-panel-header-label")).to_be_visible()


def choose(page, entry: str, value: str) -> None:
    page.locator(f"#bio-properties-panel-{entry}").select_option(value)


def type_in(page, entry: str, text: str) -> None:
    page.locator(f"#bio-properties-panel-{entry}").fill(text)


def add_item(page, group: str) -> None:
    page.locator(f'[data-group-id="group-{group}"] .bio-properties-panel-add-entry').click()


def extension(xml: str, element_id: str, tag: str) -> list[dict]:
    """The attributes of each govflow:<tag> in the extensions of the element `element_id`."""
    root = etree.fromstring(xml.encode())
    owner = root.find(f".//*[@id='{element_id}']")
    assert owner is not None, element_id
    return [
        dict(el.attrib) for el in owner.findall(f"./{{*}}extensionElements/{{urn:govflow:bpmn:1.0}}{tag}")
    ]


def test_the_editor_speaks_chinese_and_sets_every_govflow_property_through_its_panel(open_page, api):
    """In 领导信箱, are the palette, context pad, replace menu and panel in Chinese; can the case's
    deadline, a task's conditional deadline with where it counts from, an assignee field, the task an
    approval checks, a link to a 信息发布 case and an end event's outcome all be chosen in panel fields,
    none typed as XML; and does the saved diagram carry them and pass 检查?"""
    page, errors = open_editor(open_page, "/admin/diagrams/mailbox/edit")
    palette = page.locator(".djs-palette")
    for name in ("新建开始事件", "新建任务", "新建网关", "抓手工具：拖动画布"):
        expect(palette.get_by_role("button", name=name)).to_be_visible()

    # The case as a whole: on the pool, its process's govflow:case.
    select(page, "Participant_mailbox", band=True)
    expect(page.locator(".bio-properties-panel-header-type")).to_have_text("参与者（池）")
    expect(
        page.locator('[data-group-id="group-general"] .bio-properties-panel-group-header-title')
    ).to_have_text("基本信息")
    open_group(page, "govflow-case")
    expect(page.locator("#bio-properties-panel-govflow-case-trackingPrefix")).to_have_value("LX")
    choose(page, "govflow-case-deadline", "mailbox.reply")
    type_in(page, "govflow-case-deadlineFrom", "received_on")
    type_in(page, "govflow-case-dueNoLaterThan", "published_on")
    screenshot(page, "editor-zh-case")

    # A task: its own deadline counted from a date, a second one when the letter is complex, two form
    # fields (a case number, who is to publish) and a link to the 信息发布 case the number names.
    select(page, "draft_reply")
    expect(page.locator(".bio-properties-panel-header-type")).to_have_text("用户任务")
    open_group(page, "govflow-deadline")
    choose(page, "govflow-deadline-name", "mailbox.reply")
    choose(page, "govflow-deadline-from", "received_on")
    choose(page, "govflow-deadline-repeat", "continue")
    conditional = page.locator('[data-group-id="group-govflow-conditional-deadlines"]')
    expect(conditional.locator(".bio-properties-panel-add-entry")).to_have_attribute("title", "新建一项")
    expect(conditional.locator(".bio-properties-panel-add-entry")).to_contain_text("新建")
    add_item(page, "govflow-conditional-deadlines")
    type_in(page, "govflow-conditional-deadline-0-when", "complexity=complex")
    choose(page, "govflow-conditional-deadline-0-name", "mailbox.reply_complex")
    form = page.locator('[data-group-id="group-govflow-form"]')
    form.locator(".bio-properties-panel-group-header").click()
    for n, (name, label) in enumerate(
        [("related_case", "信息发布案件编号"), ("publisher", "上网审核人用户名")]
    ):
        settle(page)
        add_item(page, "govflow-form")
        type_in(page, f"govflow-field-{4 + n}-name", name)
        type_in(page, f"govflow-field-{4 + n}-label", label)
    settle(page)
    open_group(page, "govflow-case-link")
    choose(page, "govflow-case-link-field", "related_case")
    process = page.locator("#bio-properties-panel-govflow-case-link-process")
    assert "信息发布（publishing）" in process.locator("option").all_inner_texts()
    process.select_option("publishing")
    type_in(page, "govflow-case-link-copy", "published_url")
    type_in(page, "govflow-case-link-into", "related_url")
    screenshot(page, "editor-zh-task")

    # Another task: given to the person the field names, and not to whoever reviewed the reply.
    select(page, "publish_reply")
    open_group(page, "govflow-people")
    choose(page, "govflow-assignee-from", "publisher")
    approves = page.locator("#bio-properties-panel-govflow-approves-task")
    assert "审核答复（review_reply）" in approves.locator("option").all_inner_texts()
    approves.select_option("review_reply")

    # The replace menu of a task, and how a case ends at an end event.
    page.locator('.djs-context-pad [data-action="replace"]').click()
    menu = page.locator(".djs-popup")
    expect(menu.locator(".djs-popup-title")).to_have_text("更改元素类型")
    expect(menu.locator('[data-id="replace-with-service-task"]')).to_contain_text("服务任务")
    screenshot(page, "editor-zh-replace-menu")
    page.keyboard.press("Escape")
    select(page, "EndEvent_replied")
    open_group(page, "govflow-outcome")
    choose(page, "govflow-outcome-value", "met")
    screenshot(page, "editor-zh-end-event")

    xml = panel_xml(page)
    assert extension(xml, "mailbox", "case") == [
        {
            "trackingPrefix": "LX",
            "deadline": "mailbox.reply",
            "deadlineFrom": "received_on",
            "dueNoLaterThan": "published_on",
        }
    ]
    assert extension(xml, "draft_reply", "deadline") == [
        {"name": "mailbox.reply", "from": "received_on", "repeat": "continue"},
        {"name": "mailbox.reply_complex", "when": "complexity=complex"},
    ]
    assert extension(xml, "draft_reply", "caseLink") == [
        {"field": "related_case", "process": "publishing", "copy": "published_url", "into": "related_url"}
    ]
    assert extension(xml, "publish_reply", "assignee") == [{"from": "publisher"}]
    assert extension(xml, "publish_reply", "approves") == [{"task": "review_reply"}]
    end = etree.fromstring(xml.encode()).find(".//*[@id='EndEvent_replied']")
    assert end.get("{urn:govflow:bpmn:1.0}outcome") == "met"
    answer = api.post("/process-definitions/check", "admin", {"xml": xml}).get_json()
    assert answer == {"key": "mailbox", "problems": []}
    assert errors == []


def test_a_new_diagrams_tracking_prefix_is_set_on_its_process(open_page, api):
    """With no pool, is govflow:case edited on the process itself (the panel with nothing selected),
    and does 检查 accept what the panel wrote?"""
    page, errors = open_editor(open_page, "/admin/diagrams/new")
    expect(page.locator(".bio-properties-panel-header-type")).to_have_text("流程")
    open_group(page, "govflow-case")
    type_in(page, "govflow-case-trackingPrefix", "XC")
    xml = panel_xml(page)
    assert extension(xml, "new_process", "case") == [{"trackingPrefix": "XC"}]
    type_in(page, "govflow-case-trackingPrefix", "")
    assert extension(panel_xml(page), "new_process", "case") == []  # the last attribute takes it along
    type_in(page, "govflow-case-trackingPrefix", "XC")
    answer = api.post("/process-definitions/check", "admin", {"xml": panel_xml(page)}).get_json()
    assert answer == {"key": "new_process", "problems": []}
    assert errors == []
    screenshot(page, "editor-zh-new-process")
