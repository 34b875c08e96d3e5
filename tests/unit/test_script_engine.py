"""The restricted script engine: what diagram scripts may do, and what they may not."""

from __future__ import annotations

import copy
import datetime
import json
import time
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from workflows.engine.script_engine import RestrictedEnvironment, RestrictedScriptEngine, check_script
from workflows.engine.script_guards import (
    DEFAULT_FUNCTIONS,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_NODES,
    MAX_SOURCE_CHARS,
    ScriptLimitExceeded,
    ScriptRejected,
)

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                  id="defs" targetNamespace="urn:govflow:test">
  <bpmn:process id="proc" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>to_script</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="to_script" sourceRef="start" targetRef="compute"/>
    <bpmn:scriptTask id="compute">
      <bpmn:incoming>to_script</bpmn:incoming>
      <bpmn:outgoing>to_gateway</bpmn:outgoing>
      <bpmn:script>SCRIPT</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="to_gateway" sourceRef="compute" targetRef="decide"/>
    <bpmn:exclusiveGateway id="decide" default="to_small">
      <bpmn:incoming>to_gateway</bpmn:incoming>
      <bpmn:outgoing>to_big</bpmn:outgoing>
      <bpmn:outgoing>to_small</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="to_big" sourceRef="decide" targetRef="end_big">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">CONDITION</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_small" sourceRef="decide" targetRef="end_small"/>
    <bpmn:endEvent id="end_big"><bpmn:incoming>to_big</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="end_small"><bpmn:incoming>to_small</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def build_workflow(script: str, condition: str = "total > 100", **functions) -> BpmnWorkflow:
    """Parse the one-script diagram with SpiffWorkflow and start it on the restricted engine."""
    xml = DIAGRAM.replace("SCRIPT", escape(script)).replace("CONDITION", escape(condition))
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(xml.encode())
    return BpmnWorkflow(parser.get_spec("proc"), script_engine=RestrictedScriptEngine(functions))


def finished_ids(workflow: BpmnWorkflow) -> set[str]:
    """The BPMN ids of the tasks that completed."""
    return {task.task_spec.bpmn_id for task in workflow.get_tasks(state=TaskState.COMPLETED)}


def run(script: str, context: dict | None = None, **functions) -> dict:
    """Execute a script on a fresh environment and return the task data it leaves."""
    data = {} if context is None else context
    RestrictedEnvironment(functions).execute(script, data)
    return data


# --- in a real workflow -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amounts", "expected_end", "other_end"),
    [([40, 70], "end_big", "end_small"), ([40, 50], "end_small", "end_big")],
)
def test_script_result_reaches_workflow_data_and_gateway(amounts, expected_end, other_end):
    """Does a script task's result land in the workflow data and steer the gateway?"""
    script = f"amounts = {amounts!r}\ntotal = sum(amounts)\nlabel = f'total {{total}}'"
    workflow = build_workflow(script)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    total = sum(amounts)
    assert workflow.data == {"amounts": amounts, "total": total, "label": f"total {total}"}
    assert expected_end in finished_ids(workflow)
    assert other_end not in finished_ids(workflow)


def test_constructor_function_is_callable_from_a_diagram():
    """Can a diagram call a function the service passed to the engine's constructor?"""
    workflow = build_workflow("total = add_fee(95)", add_fee=lambda amount: amount + 10)
    workflow.do_engine_steps()
    assert workflow.data["total"] == 105
    assert "end_big" in finished_ids(workflow)


def test_malicious_script_task_fails_instead_of_running():
    """Can a diagram script reach object's subclasses, or does its task fail instead?"""
    workflow = build_workflow("x = ().__class__.__bases__[0].__subclasses__()")
    with pytest.raises(WorkflowTaskException) as caught:
        workflow.do_engine_steps()
    assert caught.value.error_type == "ScriptRejected"
    assert "__subclasses__" in str(caught.value)
    assert not workflow.is_completed()
    assert finished_ids(workflow) & {"compute", "end_big", "end_small"} == set()
    [failed] = workflow.get_tasks(state=TaskState.ERROR)
    assert failed.task_spec.bpmn_id == "compute"
    assert "x" not in failed.data


def test_memory_bomb_in_script_task_fails_with_limit_error():
    """Does a diagram script that doubles a string past the cap fail before eating memory?"""
    workflow = build_workflow("x = 'a' * 1000\nx = x * 1000\nx = x * 1000\ntotal = 1")
    with pytest.raises(WorkflowTaskException) as caught:
        workflow.do_engine_steps()
    assert caught.value.error_type == "ScriptLimitExceeded"
    [failed] = workflow.get_tasks(state=TaskState.ERROR)
    assert "x" not in failed.data  # the first, allowed assignment was rolled back too


def test_malicious_gateway_condition_fails():
    """Can a gateway condition import a module?"""
    workflow = build_workflow("total = 1", condition="__import__('os').system('true')")
    with pytest.raises(WorkflowTaskException) as caught:
        workflow.do_engine_steps()
    assert caught.value.error_type == "ScriptRejected"
    assert not workflow.is_completed()


# --- known escapes ------------------------------------------------------------------------

STATIC_ESCAPES = [
    "().__class__.__bases__[0].__subclasses__()",
    "[].__class__",
    "__import__('os')",
    "import os",
    "from os import system",
    "open('/etc/passwd').read()",
    "eval('1')",
    "exec('x=1')",
    "getattr(1, '__class__')",
    "(lambda: 1)()",
    "[x for x in y]",
    "{k: 1 for k in y}",
    "list(x for x in y)",
    "while True: pass",
    "for i in [1]: pass",
    "__builtins__",
    "x.__dict__",
    "'a' * 10**9",
    "2 ** 100000",
    "x = 2\nx **= 100000",
    "f'{x.__class__}'",
    "f'{x.upper.__self__}'",
    "type(1)",
    "vars()",
    "globals()",
    "locals()",
    "dir()",
    "print(1)",
    "format(1, '>9')",
    "isinstance(x, int)",
    "range(10)",
    "x.format(1)",
    "x.upper.__call__()",
    "len.__self__",
    "def f(): pass",
    "class C: pass",
    "try:\n    x = 1\nexcept Exception:\n    pass",
    "with x: pass",
    "raise ValueError()",
    "del x",
    "global x",
    "(y := 1)",
    "max(*y)",
    "x, y = 1, 2",
    "x.attr = 1",
    "_x = 1",
    "y = _x",
    "len = 5",
    "x = 1 << 4000",
    "x = ~1",
    "y[0:1] = [1]",
    "y[0]()",
    "len(y)(1)",
    "assert x",
]


@pytest.mark.parametrize("source", STATIC_ESCAPES)
def test_known_escape_is_rejected_before_running(source):
    """Is each known sandbox escape refused by the allow-list check?"""
    with pytest.raises(ScriptRejected) as caught:
        check_script(source)
    assert "不允许" in str(caught.value)
    assert caught.value.lineno is not None


@pytest.mark.parametrize("source", STATIC_ESCAPES)
def test_known_escape_leaves_task_data_untouched(source):
    """Does running a known escape through the engine fail and leave the task data alone?"""
    data = {"x": "text", "y": [1, 2]}
    with pytest.raises(ScriptRejected):
        RestrictedEnvironment().execute(source, data)
    assert data == {"x": "text", "y": [1, 2]}


RUNTIME_BOMBS = [
    "x = 'a' * 1000000000",
    "x = 1000000000 * 'a'",
    "x = [0] * 1000000000",
    "x = 'a' * 1000\nx = x * 1000\nx = x * 1000",
    "x = str(9) * 100001",
    "x = [0] * 60000\nx += x",
    "x = 'a' * 60000\ny = x + x",
    "x = [0] * 100000\ny = [x, x]",
    "x = [0] * 60000\ny = {'a': x, 'b': x}",
    "x = [0] * 60000\ny = dict(a=x, b=x)",
    "x = [0] * 60000\ny = []\ny.append(x)\ny.append(x)",
    "x = [0] * 60000\ny = {}\ny['a'] = x\ny['b'] = x",
    "x = []\nx.append(x)",
    "x = {}\nx['me'] = x",
    "x = 'a' * 100000\ny = x.replace('a', x)",
    "x = 'a' * 10000\ny = x.join([x] * 9)",
    "x = 'ß' * 60000\ny = x.upper()",
    "x = f'{1:>999999999}'",
    "x = f'{1.5:.99999f}'",
    "x = 'a' * 60000\ny = f'{x}{x}'",
    "x = '%0999999999d' % 1",
    "x = sum([[0] * 10] * 10, [])",
    "x = 3\nx = x * x\nx = x * x\nx = x * x\nx = x * x\nx = x * x\nx = x * x\nx = x * x\n"
    "x = x * x\nx = x * x\nx = x * x\nx = x * x\nx = x * x",
    "x = 9" + "9" * 1300 + "\ny = x * x",
    "\n".join(f"x{i} = [1.5] * 99999" for i in range(20)),
    "x = d.replace(year=1)",
]


@pytest.mark.parametrize("source", RUNTIME_BOMBS)
def test_oversized_values_fail_without_effect(source):
    """Does a script that builds a huge or self-containing value fail, leaving no changes?"""
    data = {"d": datetime.date(2026, 1, 5)}
    with pytest.raises((ScriptLimitExceeded, ScriptRejected)):
        RestrictedEnvironment().execute(source, data)
    assert data == {"d": datetime.date(2026, 1, 5)}


def test_repeated_work_on_a_big_list_runs_out_of_budget_quickly():
    """Can a script burn CPU by appending to a near-cap list hundreds of times?"""
    source = "x = [1.5] * 99000\n" + "x.append(1.5)\n" * 250
    started = time.monotonic()
    with pytest.raises(ScriptLimitExceeded, match="合计超过"):
        run(source)
    assert time.monotonic() - started < 5


def test_string_can_grow_up_to_the_cap_but_not_past_it():
    """Is a string of exactly MAX_ITEMS characters allowed, and one more refused?"""
    assert len(run(f"x = 'a' * {MAX_ITEMS}")["x"]) == MAX_ITEMS
    with pytest.raises(ScriptLimitExceeded):
        run(f"x = 'a' * {MAX_ITEMS}\nx = x + 'a'")


def test_large_int_constant_is_fine_but_arithmetic_on_it_is_capped():
    """May a script write a big number literally, yet not compute a bigger one from it?"""
    big = "9" * 2000
    assert run(f"x = {big}\ny = x > 5")["y"] is True
    with pytest.raises(ScriptLimitExceeded):
        run(f"x = {big}\ny = x + 1")


def test_source_length_is_capped():
    """Is an overlong script refused before it is parsed?"""
    with pytest.raises(ScriptRejected, match="个字符"):
        check_script("x = 1\n" * (MAX_SOURCE_CHARS // 6 + 1))


def test_node_count_is_capped():
    """Is a short script with too many syntax nodes refused?"""
    source = "x = [" + ", ".join(["1"] * MAX_NODES) + "]"
    assert len(source) < MAX_SOURCE_CHARS
    with pytest.raises(ScriptRejected, match="语法节点"):
        check_script(source)


def test_deep_nesting_is_capped():
    """Is an expression nested deeper than MAX_DEPTH refused instead of crashing the checker?"""
    assert RestrictedEnvironment().evaluate("+".join(["1"] * 50), {}) == 50
    with pytest.raises(ScriptRejected, match="嵌套超过"):
        check_script("x = " + "+".join(["1"] * (MAX_DEPTH + 50)))


@pytest.mark.parametrize("source", ["x = " + "+".join(["1"] * 6000), "x = " + "-" * 19000 + "1"])
def test_nesting_that_overwhelms_python_parser_is_a_rejection(source):
    """Does a script nested so deep that Python's own parser gives up come back as a rejection?"""
    with pytest.raises(ScriptRejected, match="嵌套超过"):
        check_script(source)


def test_rejection_names_construct_and_line():
    """Does a rejection say what was refused and on which line?"""
    with pytest.raises(ScriptRejected) as caught:
        check_script("x = 1\ny = 2\nimport os")
    assert caught.value.lineno == 3
    assert "import" in str(caught.value) and "第 3 行" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_syntax_error_is_a_rejection_for_check_script():
    """Does check_script report broken syntax as a ScriptRejected with a line number?"""
    with pytest.raises(ScriptRejected, match="语法错误") as caught:
        check_script("x = 1\ny = (")
    assert caught.value.lineno == 2


# --- allowed scripts ----------------------------------------------------------------------


def test_assignments_end_up_in_task_data_without_helpers():
    """Do assigned variables stay in the task data while functions and builtins are removed?"""
    data = run("a = 1\nb = a + 2\nc = d = 'x'\nif b > 2:\n    e = 'big'\nelse:\n    pass")
    assert data == {"a": 1, "b": 3, "c": "x", "d": "x", "e": "big"}


def test_dict_subscripts_can_be_read_and_written():
    """Can a script read, set, nest and increment dict entries?"""
    data = run(
        "case['status'] = 'open'\ncase['count'] += 2\ncase['meta'] = {}\ncase['meta']['n'] = 1",
        {"case": {"count": 1}},
    )
    assert data == {"case": {"count": 3, "status": "open", "meta": {"n": 1}}}


def test_conditions_evaluate_over_task_data():
    """Do gateway-style expressions such as len(x) > 3 and d.get('k', 0) work?"""
    env = RestrictedEnvironment()
    data = {"items": [1, 2, 3, 4], "d": {"k": 5}, "decision": "return"}
    assert env.evaluate("len(items) > 3", data) is True
    assert env.evaluate("d.get('k', 0) + d.get('missing', 0)", data) == 5
    assert env.evaluate("decision == 'return' and 'k' in d.keys()", data) is True
    assert env.evaluate("items[1:3]", data) == [2, 3]
    assert env.evaluate("-items[0] if d else None", data) == -1


def test_fstrings_format_values():
    """Can a script build text with f-strings, conversions and modest format specs?"""
    data = run("x = f'{name}: {n:>5} {ratio:.2f} {name!r}'", {"name": "Ann", "n": 7, "ratio": 0.5})
    assert data["x"] == "Ann:     7 0.50 'Ann'"


def test_safe_methods_and_functions_work():
    """Do the allow-listed str/list/dict methods and builtin functions behave like Python's?"""
    data = run(
        "words = ' A b  C '.strip().lower().split()\njoined = '-'.join(words)\n"
        "words.append('d')\nn = words.count('a') * 10 + words.index('b')\n"
        "top = sorted([3, 1, 2], reverse=True)\nr = round(2.567, 2)\n"
        "s = sum([1, 2.5])\nflags = [any([0, 1]), all([1, 0]), bool('')]\n"
        "t = tuple(set([1]))\nm = min(3, 4) + max([5, 6]) + abs(-1)\nc = dict(a=1).copy()"
    )
    assert data["words"] == ["a", "b", "c", "d"]
    assert data["joined"] == "a-b-c"
    assert (data["n"], data["top"], data["r"], data["s"]) == (11, [3, 2, 1], 2.57, 3.5)
    assert (data["flags"], data["t"], data["m"], data["c"]) == (
        [True, False, False],
        (1,),
        10,
        {"a": 1},
    )


def test_method_keywords_pass_through():
    """Can a method call use keyword arguments, even ones named like the guard's parameters?"""
    assert run("x = 'a,b,c'.split(sep=',', maxsplit=1)")["x"] == ["a", "b,c"]
    with pytest.raises(TypeError):
        run("x = 'a'.split(name=',')")


def test_constructor_functions_are_callable():
    """Can a script call a function passed into the engine's constructor?"""
    assert run("x = double(21)", double=lambda v: v * 2)["x"] == 42
    engine = RestrictedScriptEngine({"double": lambda v: v * 2})
    assert engine.environment.evaluate("double(len('abc'))", {}) == 6


def test_unknown_function_is_not_callable():
    """Is a function that was not passed to the constructor refused?"""
    with pytest.raises(ScriptRejected, match="调用 double"):
        run("x = double(21)")


def test_default_functions_are_the_documented_ones():
    """Is the default allow-list exactly the agreed set of harmless builtins?"""
    expected = "len str int float bool min max sum abs round sorted any all list dict set tuple"
    assert set(DEFAULT_FUNCTIONS) == set(expected.split())


def test_task_data_shadowing_a_function_is_an_error():
    """Does task data with a key named like an allowed function fail with a clear error?"""
    data = {"len": 3}
    with pytest.raises(ValueError, match="len"):
        RestrictedEnvironment().execute("x = 1", data)
    assert data == {"len": 3}


def test_function_names_starting_with_underscore_are_refused():
    """Can the service register a function that scripts could never legally call?"""
    with pytest.raises(ValueError):
        RestrictedEnvironment({"_secret": len})


def test_evaluate_does_not_change_task_data():
    """Does evaluating a condition leave the task data dict as it was?"""
    data = {"x": 1}
    before = copy.deepcopy(data)
    assert RestrictedEnvironment().evaluate("x + 1", data) == 2
    assert data == before


def test_compiled_code_is_cached():
    """Is a condition evaluated again served from the compile cache?"""
    env = RestrictedEnvironment()
    for value in range(3):
        env.evaluate("x > 1", {"x": value})
    assert env.compile.cache_info().hits == 2


# --- engine API ---------------------------------------------------------------------------


def test_validate_accepts_expressions_and_scripts():
    """Does the engine's validate accept an allowed condition and an allowed script?"""
    engine = RestrictedScriptEngine()
    engine.validate("total > 100")
    engine.validate("x = 1\ny = x + 1")


def test_validate_rejects_disallowed_code():
    """Does the engine's validate refuse code outside the allow-list?"""
    with pytest.raises(ScriptRejected):
        RestrictedScriptEngine().validate("__import__('os')")


def test_validate_raises_syntax_error_for_broken_text():
    """Does validate keep raising SyntaxError for unparsable text, as SpiffWorkflow's DMN expects?"""
    with pytest.raises(SyntaxError):
        RestrictedScriptEngine().validate("> 5")


def test_a_service_call_reaches_only_a_registered_handler_with_a_copy_of_the_data():
    """Is an unknown operation refused, and a known one given its parameters and data it cannot change?"""
    with pytest.raises(ValueError, match="没有名为“send_mail”的服务操作"):
        RestrictedEnvironment().call_service({}, operation_name="send_mail")
    seen = []

    def echo(params, data):
        seen.append(dict(data))
        with pytest.raises(TypeError):
            data["title"] = "changed"  # read-only
        return {"params": params}

    environment = RestrictedEnvironment(services={"echo": echo})
    context = {"title": "标题"}
    result = environment.call_service(
        context,
        operation_name="echo",
        operation_params={"fields": {"value": {"标题": "title"}, "type": "any"}},
    )
    assert json.loads(result) == {"params": {"fields": {"标题": "title"}}}
    assert seen == [{"title": "标题"}] and context == {"title": "标题"}
