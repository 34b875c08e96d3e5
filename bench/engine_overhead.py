"""Cost of the service around the engine, as one ratio measured in one run.

numerator:   median time to complete a user task through the API (Flask test client, form
             validation, permission checks, workflow load/save, inbox sync, history, commit);
denominator: median time for bare SpiffWorkflow to load the same instance from JSON, complete
             the same task and save it again (its default serializer, default script engine).
Target: <= 3. Uses DATABASE_URL when set, else a throwaway SQLite file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bare_engine import bare_step, compare  # noqa: E402
from setup import prepared_app  # noqa: E402

ROUNDS = 200
DIAGRAM = Path(__file__).resolve().parent.parent / "bpmn" / "disclosure_request.bpmn"
START = {
    "applicant_type": "person",
    "id_type": "resident_id",
    "id_number": "110101199001011234",
    "delivery_form": "email",
    "applicant_name": "甲",
    "applicant_contact": "13800000000",
    "request_content": "目录",
    "channel": "online",
}
REGISTER = {"owning_department": "planning", "received_on": "2026-03-02", "registration_decision": "accept"}


def api_step():
    """Set up the app once; return a function that times one API completion of a fresh case."""
    from service.services import tokens

    app = prepared_app("bench")
    with app.app_context():
        headers = {"Authorization": f"Bearer {tokens.create_token_for('zhang.wei', 'bench')}"}
    client = app.test_client()
    url = "/api/v1/process-definitions/disclosure_request/instances"

    def step() -> float:
        case = client.post(url, json={"data": START}, headers=headers).get_json()
        task_id = case["open_tasks"][0]["id"]
        began = time.perf_counter()
        response = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": REGISTER}, headers=headers)
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, response.get_json()
        return elapsed

    return step


def main() -> None:
    api_once, bare_once = api_step(), bare_step(DIAGRAM.read_bytes(), "disclosure_request", START, REGISTER)
    api_once(), bare_once()  # warm caches (parsed spec, compiled queries) before measuring
    compare(bare_once, lambda: [api_once()], ROUNDS, "API complete (incl. commit)", "engine_overhead", 3)


if __name__ == "__main__":
    main()
