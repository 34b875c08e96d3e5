"""The denominator of the engine ratios: bare SpiffWorkflow, no service around it."""

from __future__ import annotations

import gc
import statistics
import time

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState


def bare_step(xml: bytes | str, key: str, start: dict, answer: dict):
    """Return a function that times bare SpiffWorkflow loading an instance of `key` (started with
    `start`) from JSON, completing its first task with `answer` and saving it again (its default
    serializer, default script engine)."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(xml.encode() if isinstance(xml, str) else xml)
    spec = parser.get_spec(key)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    workflow = BpmnWorkflow(spec)
    workflow.task_tree.data.update(start)
    workflow.do_engine_steps()
    state = serializer.serialize_json(workflow)

    def step() -> float:
        began = time.perf_counter()
        restored = serializer.deserialize_json(state)
        (task,) = restored.get_tasks(state=TaskState.READY, manual=True)
        task.data.update(answer)
        task.run()
        restored.do_engine_steps()
        serializer.serialize_json(restored)
        return time.perf_counter() - began

    return step


def compare(bare_once, service_once, rounds: int, service: str, name: str, target: int) -> None:
    """Time both sides interleaved (the same machine load for each), `service_once` giving one or
    more timings a call, and print their medians and, last, the ratio `name`."""
    bare_times: list[float] = []
    service_times: list[float] = []
    for _ in range(rounds):
        # Each side starts from a collected heap, so one side's garbage is not collected on the
        # other side's clock (the bare engine's spec deserialization makes a lot of it).
        gc.collect()
        bare_times.append(bare_once())
        gc.collect()
        service_times.extend(service_once())
    bare, other = statistics.median(bare_times), statistics.median(service_times)
    print(f"bare SpiffWorkflow load+complete+save: median {bare * 1000:.2f} ms")
    print(f"{service}: median {other * 1000:.2f} ms")
    print(f"{name} ratio: {other / bare:.2f} (target <= {target})")
