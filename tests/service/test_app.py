"""The app as a newcomer meets it: landing page, API description, CLI, schema, layering."""

import ast
import re
from pathlib import Path

from alembic.script import ScriptDirectory
from flask_migrate import Config

ROOT = Path(__file__).resolve().parents[2]


def test_landing_page_is_chinese_and_links_the_api_description(app):
    """Does GET / say in Chinese what the service is and link the API description?"""
    page = app.test_client().get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert 'lang="zh-CN"' in text and "政务网站业务流程服务" in text
    assert 'href="/api/v1/openapi.json"' in text


def test_openapi_documents_every_api_route(app):
    """Is every /api/v1 route and method described in the OpenAPI document?"""
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1") :])
        assert path in doc["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"][path], (path, method)


def test_departments_are_listed_with_codes_and_names(api):
    """Does the API list the departments a transfer can go to?"""
    items = api.get("/departments", "zhang.wei").get_json()["items"]
    assert {"code": "office", "name": "办公室"} in items
    assert {"code": "secrecy", "name": "保密室"} in items and len(items) == 8


def test_cli_creates_users_and_tokens(app):
    """Can an operator create an administrator without a department and give staff a working token?"""
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "auditor", "--name", "审计员", "--admin", "--password", "pw-123456"]
    )
    assert result.exit_code == 0, result.output
    refused = runner.invoke(args=["create-user", "drifter", "--name", "无部门", "--password", "pw-123456"])
    assert refused.exit_code != 0 and "部门" in refused.output
    staff = runner.invoke(
        args=[
            "create-user",
            "clerk",
            "--name",
            "办事员",
            "--department",
            "finance",
            "--role",
            "信息员",
            "--password",
            "pw",
        ]
    )
    assert staff.exit_code == 0, staff.output
    token = runner.invoke(args=["create-token", "clerk", "--name", "脚本", "--days", "30"]).output.strip()
    response = app.test_client().get(
        "/api/v1/tasks?scope=department", headers={"Authorization": f"Bearer {token}"}
    )
    # ORG-2: the token works once the clerk has changed the initial password given at creation.
    assert response.status_code == 403 and response.json["code"] == "password_change_required"
    with app.app_context():
        from service.services import accounts

        clerk = accounts.user_named("clerk")
        accounts.change_password(clerk, "pw", "Harbour-desk-2026", "Harbour-desk-2026")
    response = app.test_client().get(
        "/api/v1/tasks?scope=department", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert runner.invoke(args=["deploy"]).output.strip().endswith("(unchanged)")
    assert "0 people added" in runner.invoke(args=["seed-demo"]).output


def test_migrations_have_one_head_and_messages():
    """Is there a single Alembic head, and does every revision say what it does?"""
    config = Config(str(ROOT / "service" / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "service" / "migrations"))
    scripts = ScriptDirectory.from_config(config)
    assert len(scripts.get_heads()) == 1
    assert all(rev.doc and rev.doc.strip() for rev in scripts.walk_revisions())


LAYERS = {  # a package may import only those listed (plus itself and outside libraries)
    "workflows": {"workflows"},
    "service.models": {"service.models", "service.extensions", "workflows"},
    "service.services": {
        "service.services",
        "service.models",
        "service.extensions",
        "service.errors",
        "workflows",
    },
    "service.api": {"service.api", "service.services", "service.errors", "service.models", "workflows"},
    "service.tasks": {"service.tasks", "service.services", "workflows"},
    # The pages are a face beside the API over the same use cases, not a client of it.
    "service.web": {"service.web", "service.services", "service.errors", "service.auth", "workflows"},
}


def _imports(path: Path, package: str):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + (1 if path.name == "__init__.py" else 1)]
                yield ".".join(base + ([node.module] if node.module else []))
            elif node.module:
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_imports_point_inward():
    """Does each layer import only the layers beneath it (and workflows/ nothing of the service)?"""
    problems = []
    for layer, allowed in LAYERS.items():
        folder = ROOT / layer.replace(".", "/")
        for path in folder.rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
            for name in _imports(path, package):
                ours = name.split(".")[0] in ("service", "workflows")
                if ours and not any(name == a or name.startswith(a + ".") for a in allowed):
                    problems.append(f"{module} imports {name}")
    assert problems == []


def test_validate_command_passes_the_shipped_diagrams_and_fails_a_broken_one(app, tmp_path):
    """Does `flask validate` say ok for bpmn/ and exit non-zero naming the problem for a broken diagram?"""
    runner = app.test_cli_runner()
    good = runner.invoke(args=["validate"])
    assert good.exit_code == 0 and "disclosure_request.bpmn: ok" in good.output
    broken = (
        (Path(app.config["BPMN_DIR"]) / "disclosure_request.bpmn").read_text().replace("承办处室", "外星处")
    )
    (tmp_path / "disclosure_request.bpmn").write_text(broken)
    bad = runner.invoke(args=["validate", str(tmp_path)])
    assert bad.exit_code != 0 and "外星处" in bad.output and "[unknown_lane]" in bad.output
    assert "1 个流程图中有 1 个不能部署" in bad.output


def test_an_unexpected_error_is_a_chinese_problem_with_a_reference_in_the_log(
    database_overrides, clock, caplog
):
    """Does a fault answer problem+json in Chinese with a reference the log also has, and no trace or error text?"""
    from flask import abort

    from service import create_app

    app = create_app(database_overrides, clock=clock)

    @app.get("/api/v1/_explode")
    def explode():
        raise RuntimeError("secret detail: password=hunter2")

    @app.get("/_abort")
    def aborts():
        abort(500, "secret detail")

    with caplog.at_level("ERROR", logger="govflow.errors"):
        response = app.test_client().get("/api/v1/_explode")
    assert response.status_code == 500 and response.mimetype == "application/problem+json"
    body = response.get_json()
    reference = body["reference"]
    assert (
        body["code"] == "internal_error" and reference in body["title"] and "服务器内部错误" in body["title"]
    )
    text = response.get_data(as_text=True)
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    (record,) = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info and "hunter2" in str(record.exc_info[1])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = app.test_client().get("/_abort")  # a page's deliberate 500 is a Chinese page, not a trace
    html = page.get_data(as_text=True)
    assert page.status_code == 500 and page.mimetype == "text/html" and "服务器内部错误" in html
    assert page.headers["X-Request-ID"] in html and "secret detail" not in html


def test_every_response_says_nosniff_and_pages_forbid_inline_script_and_framing(app, api):
    """Do JSON, problems and pages carry nosniff, and pages a policy with no inline script and no framing by other sites?"""
    client = app.test_client()
    for response in (
        client.get("/"),
        client.get("/api/v1/openapi.json"),
        api.get("/tasks"),
        client.get("/nowhere"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = client.get("/")
    policy = dict(part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'self'"
    assert "<script>" not in page.get_data(as_text=True) and "<style>" not in page.get_data(as_text=True)
    assert client.get("/static/govflow.css").status_code == 200
