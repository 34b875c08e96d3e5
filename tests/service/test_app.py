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
    token = runner.invoke(args=["create-token", "clerk"]).output.strip()
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
    assert bad.exit_code != 0 and "外星处" in bad.output and "cannot be deployed" in bad.output
