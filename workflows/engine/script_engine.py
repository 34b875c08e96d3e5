"""Restricted script engine: diagram scripts run from an AST allow-list and under size caps.

Diagram scripts are untrusted, and an empty ``__builtins__`` is no sandbox (``().__class__``
escapes it). So only allow-listed syntax is compiled, and every operation that can allocate is
rewritten into a call of a guard that refuses oversized results before building them.
"""

from __future__ import annotations

import ast
import copy
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from types import CodeType, MappingProxyType
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine

from .script_guards import (
    BUDGET,
    DEFAULT_FUNCTIONS,
    GUARDS,
    MAX_DEPTH,
    MAX_NODES,
    MAX_SOURCE_CHARS,
    MAX_TOTAL_ITEMS,
    OPERATORS,
    SAFE_METHODS,
    ScriptRejected,
)

CACHE_SIZE = 512  # conditions are evaluated again and again; keep their code, but not forever

_ALLOWED_NODES = (
    *(ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.IfExp),
    *(ast.Pass, ast.BoolOp, ast.And, ast.Or, ast.BinOp, ast.UnaryOp, ast.Not, ast.USub),
    *(ast.UAdd, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In),
    *(ast.NotIn, ast.Is, ast.IsNot, ast.Name, ast.Constant, ast.List, ast.Tuple, ast.Dict),
    *(ast.Set, ast.Subscript, ast.Slice, ast.Call, ast.keyword, ast.JoinedStr),
    *(ast.FormattedValue, ast.Load, ast.Store, *(getattr(ast, op) for op in OPERATORS)),
)
_LABELS: dict[type, str] = {
    **dict.fromkeys((ast.Import, ast.ImportFrom), "导入模块（import）"),
    **dict.fromkeys((ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda), "定义函数（def、lambda）"),
    **dict.fromkeys((ast.For, ast.AsyncFor, ast.While), "循环（for、while）"),
    **dict.fromkeys((ast.ListComp, ast.SetComp, ast.DictComp), "推导式"),
    **dict.fromkeys((ast.Try, ast.TryStar, ast.Raise, ast.Assert), "异常处理（try、raise、assert）"),
    **dict.fromkeys((ast.Global, ast.Nonlocal), "global、nonlocal 声明"),
    **dict.fromkeys((ast.Await, ast.Yield, ast.YieldFrom), "await、yield"),
    **dict.fromkeys((ast.LShift, ast.RShift, ast.BitAnd, ast.BitOr, ast.BitXor), "位运算"),
    ast.GeneratorExp: "生成器表达式", ast.ClassDef: "定义类（class）",
    ast.With: "with 语句", ast.Delete: "del 语句", ast.Starred: "* 解包",
    ast.NamedExpr: "海象运算符 :=", ast.Pow: "乘方运算 **", ast.Invert: "按位取反 ~",
}  # fmt: skip


class _Checker(ast.NodeVisitor):
    """Walks a parsed script and raises ScriptRejected at the first construct off the list."""

    def __init__(self, functions: frozenset[str]) -> None:
        self.functions = functions
        self.lineno: int | None = None

    def reject(self, what: str) -> ScriptRejected:
        return ScriptRejected(f"流程图脚本中不允许：{what}", self.lineno)

    def visit(self, node: ast.AST) -> None:
        self.lineno = getattr(node, "lineno", self.lineno)
        super().visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        if not isinstance(node, _ALLOWED_NODES):
            raise self.reject(_LABELS.get(type(node), f"{type(node).__name__} 结构"))
        super().generic_visit(node)

    def identifier(self, name: str | None) -> None:
        if name and name.startswith("_"):
            raise self.reject(f"以 _ 开头的名称（{name}）")

    def visit_Name(self, node: ast.Name) -> None:
        self.identifier(node.id)
        if isinstance(node.ctx, ast.Store) and node.id in self.functions:
            raise self.reject(f"给函数名 {node.id} 赋值")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        raise self.reject(f"属性访问（.{node.attr}），只能调用这些方法：{'、'.join(sorted(SAFE_METHODS))}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            self.identifier(func.attr)
            if func.attr not in SAFE_METHODS:
                raise self.reject(f"调用方法 .{func.attr}()")
            self.visit(func.value)
        elif isinstance(func, ast.Name) and func.id in self.functions:
            self.visit(func)
        else:
            name = func.id if isinstance(func, ast.Name) else "表达式的结果"
            raise self.reject(f"调用 {name}，可用的函数只有：{'、'.join(sorted(self.functions))}")
        for arg in [*node.args, *node.keywords]:
            self.identifier(getattr(arg, "arg", None))
            self.visit(arg)

    def visit_Assign(self, node: ast.Assign | ast.AugAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for root in targets:
            # name['a'][0] = ... is fine; slices, attributes, unpacking and chains are not.
            while isinstance(root, ast.Subscript) and len(targets) == 1:
                if isinstance(root.slice, ast.Slice):
                    raise self.reject("给切片赋值")
                root = root.value
            if not isinstance(root, ast.Name):
                raise self.reject("这种赋值目标，只能赋值给 名称 或 名称['键']")
        self.generic_visit(node)

    visit_AugAssign = visit_Assign


def _guard(name: str, args: list, like: ast.AST, keywords: list | None = None) -> ast.Call:
    call = ast.Call(ast.Name(f"_gf_{name}", ast.Load()), args, keywords or [])
    return ast.copy_location(call, like)


class _Rewriter(ast.NodeTransformer):
    """Rewrites the allocating operations of a checked tree into calls of the guards."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        return _guard("binop", [ast.Constant(type(node.op).__name__), node.left, node.right], node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        # x['k'] += 1 becomes x['k'] = x['k'] + 1: x and 'k' are evaluated twice, unlike Python.
        current = copy.deepcopy(node.target)
        current.ctx = ast.Load()
        args = [ast.Constant(type(node.op).__name__), current, node.value]
        return self.assign(node.target, _guard("binop", args, node), node)

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        return self.assign(node.targets[0], node.value, node) if len(node.targets) == 1 else node

    @staticmethod
    def assign(target: ast.expr, value: ast.expr, like: ast.AST) -> ast.stmt:
        if isinstance(target, ast.Subscript):
            setitem = _guard("setitem", [target.value, target.slice, value], like)
            return ast.copy_location(ast.Expr(setitem), like)
        return ast.copy_location(ast.Assign([target], value), like)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Attribute):
            args = [node.func.value, ast.Constant(node.func.attr), *node.args]
            return _guard("method", args, node, node.keywords)
        return _guard("checked", [node], node)

    def visit_display(self, node: ast.expr) -> ast.AST:
        self.generic_visit(node)
        return _guard("checked", [node], node)

    visit_List = visit_Tuple = visit_Set = visit_Dict = visit_display

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        parts: list[ast.expr] = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                spec = self.visit(part.format_spec) if part.format_spec else ast.Constant("")
                field = [self.visit(part.value), ast.Constant(part.conversion), spec]
                part = ast.copy_location(ast.Tuple(field, ast.Load()), part)
            parts.append(part)
        return _guard("fstring", parts, node)


def _parse(source: str, mode: str) -> ast.AST:
    if mode not in ("exec", "eval"):
        raise ValueError(f"mode must be 'exec' or 'eval', not {mode!r}")
    if len(source) > MAX_SOURCE_CHARS:
        raise ScriptRejected(f"脚本超过 {MAX_SOURCE_CHARS} 个字符")
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        raise ScriptRejected(f"语法错误（{err.msg}）", err.lineno) from err
    except (RecursionError, MemoryError) as err:  # what CPython's parser raises for deep nesting
        raise ScriptRejected(f"脚本嵌套超过 {MAX_DEPTH} 层") from err
    # Walk without recursion: the checker and rewriter recurse, so depth must be known first.
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise ScriptRejected(f"脚本超过 {MAX_NODES} 个语法节点或嵌套超过 {MAX_DEPTH} 层")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return tree


def check_script(
    source: str, mode: str = "exec", allowed_functions: Iterable[str] = DEFAULT_FUNCTIONS
) -> None:
    """Raise ScriptRejected unless source uses only allow-listed syntax, names and calls."""
    _Checker(frozenset(allowed_functions)).visit(_parse(source, mode))


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Checks diagram scripts against the allow-list and runs them over the task data."""

    def __init__(
        self,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        services: Mapping[str, Callable[..., dict[str, Any]]] | None = None,
    ) -> None:
        self.services = MappingProxyType(dict(services or {}))  # workflows.handlers, by name
        merged = {**DEFAULT_FUNCTIONS, **(functions or {})}
        bad = sorted(n for n in merged if not n.isidentifier() or n.startswith("_"))
        if bad:
            raise ValueError(f"script function names must be identifiers without '_': {bad}")
        super().__init__(merged)
        self.functions = frozenset(merged)
        self.compile = functools.lru_cache(maxsize=CACHE_SIZE)(self._compile)

    def _compile(self, source: str, mode: str) -> CodeType:
        tree = _parse(source, mode)
        _Checker(self.functions).visit(tree)
        tree = ast.fix_missing_locations(_Rewriter().visit(tree))
        # '<string>' is the file name PythonScriptEngine looks for to report the failing line.
        return compile(tree, "<string>", mode)

    @staticmethod
    def _run(code: CodeType, namespace: dict) -> Any:
        token = BUDGET.set([MAX_TOTAL_ITEMS])  # a fresh allocation budget for every run
        try:
            return eval(code, namespace)  # also runs 'exec' code, returning None
        finally:
            BUDGET.reset(token)

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        """Evaluate a checked expression over the task data and return its value."""
        code = self.compile(expression, "eval")
        # As in TaskDataEnvironment task data shadows functions here; it never shadows guards.
        names = {**self.globals, **(external_context or {}), **context, **GUARDS}
        return self._run(code, {**names, "__builtins__": {}})

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        """Run a checked script; the names it assigns are left in the task data."""
        code = self.compile(script, "exec")
        external = external_context or {}
        clashes = sorted((set(self.globals) | set(external) | set(GUARDS)) & set(context))
        if clashes:
            raise ValueError(f"案件数据中有与脚本函数同名的字段：{'、'.join(clashes)}")
        # A failing script leaves no half-done assignments behind. Task data can be deep-copied:
        # SpiffWorkflow copies it from task to task anyway.
        before = copy.deepcopy(context)
        context.update({**self.globals, **external, **GUARDS, "__builtins__": {}})
        try:
            self._run(code, context)
        except BaseException:
            context.clear()
            context.update(before)
            raise
        finally:
            for key in list(context):
                if key == "__builtins__" or key in external or callable(context[key]):
                    del context[key]  # functions and guards are callable, so they go too
        return True

    def call_service(self, context: dict, **kwargs: Any) -> str:
        """Run a registered handler with the evaluated parameters over a copy of the case data."""
        name = kwargs.get("operation_name", "?")
        handler = self.services.get(name)
        if handler is None:
            raise ValueError(f"没有名为“{name}”的服务操作")
        params = {key: given["value"] for key, given in (kwargs.get("operation_params") or {}).items()}
        # The service task stores json.loads of what comes back.
        return json.dumps(handler(params, MappingProxyType(copy.deepcopy(context))), ensure_ascii=False)


class RestrictedScriptEngine(PythonScriptEngine):
    """SpiffWorkflow script engine that only runs allow-listed diagram scripts."""

    environment: RestrictedEnvironment

    def __init__(
        self,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        services: Mapping[str, Callable[..., dict[str, Any]]] | None = None,
    ) -> None:
        super().__init__(environment=RestrictedEnvironment(functions, services))

    def validate(self, expression: str) -> None:
        """Raise SyntaxError if unparsable (DMN relies on it), ScriptRejected if disallowed."""
        try:
            ast.parse(expression, mode="eval")
            mode = "eval"
        except SyntaxError:
            ast.parse(expression, mode="exec")
            mode = "exec"
        check_script(expression, mode, self.environment.functions)

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        """Call the environment's service hook (the base class's error wrapper is broken)."""
        try:
            return self.environment.call_service(task.data, **kwargs)
        except Exception as err:
            message = f"{type(err).__name__}: {err}"
            raise WorkflowTaskException(message, task=task, exception=err) from err
