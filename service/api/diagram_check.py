"""检查 before deploy (issue 12): the server's full validation of a diagram the editor holds, as the
same problems `flask validate` reports, each naming its element. Administrators only."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from workflows.engine.markup import NSMAP
from workflows.engine.parser import load_xml
from workflows.engine.problems import DiagramError

from ..errors import forbidden, invalid
from ..services import deployment
from . import bp
from .views import json_body


@bp.post("/process-definitions/check")
@login_required
def check_definition():
    if not current_user.is_admin:
        raise forbidden("只有系统管理员可以检查和部署流程图")
    xml = json_body().get("xml")
    if not isinstance(xml, str) or not xml.strip():
        message = "请提交流程图的 XML 文本"
        raise invalid(message, [{"field": "xml", "code": "required", "message": message}])
    data = xml.encode()
    key = _process_id(data)
    problems = deployment.diagram_problems(key, data)
    return jsonify({"key": key, "problems": [p.to_dict() for p in problems]})


def _process_id(xml: bytes) -> str:
    """The diagram's executable process id (its key), or "" when the XML names none."""
    try:
        root = load_xml(xml)
    except DiagramError:
        return ""
    for process in root.iterfind("bpmn:process", NSMAP):
        if process.get("isExecutable") == "true" and process.get("id"):
            return str(process.get("id"))
    return ""
