"""The 错敏 word list (PUB-9): administrators maintain it, anyone on staff screens text against it.

The WordList is built from the table once per process and kept. At most every
CHANGE_CHECK_SECONDS a cheap marker (row count, newest id, newest change, sum of versions) tells
whether another process changed the table; a change made through this process drops it at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from workflows.screening import Severity, Term, WordList, screen
from workflows.text import text_problem

from ..errors import ServiceError, conflict, field_error, invalid, not_found, take_version
from ..extensions import db
from ..models import ScreeningTerm, User
from . import audit
from .audit import AuditKind
from .engine import now
from .queries import Page
from .screening_files import Row, read_rows
from .unit import in_transaction

T = TypeVar("T")
CHANGE_CHECK_SECONDS = 30.0
STARTER_LIST = Path(__file__).resolve().parents[1] / "data" / "screening_terms.csv"
MAX_IMPORT_ROWS = 20_000
MAX_CHECK_FIELDS = 10
MAX_CHECK_LENGTH = 10_000  # what a form's text field holds
TERM_FIELDS = (  # name, label, longest, required
    ("text", "词语", 100, True),
    ("category", "类别", 50, True),
    ("suggestion", "建议表述", 100, False),
    ("note", "备注", 500, False),
)
AUDITED = ("text", "category", "severity", "suggestion", "note")  # a term as its audit entries show it
IMPORT_COUNTS = (("added", "新增"), ("updated", "更新"), ("unchanged", "未变"), ("removed", "删除"))
STALE = "该词语刚被其他人修改，请刷新后重试"
SEVERITIES = {s.value: s for s in Severity} | {s.label: s for s in Severity}


@dataclass
class _Cached:
    word_list: WordList
    marker: tuple
    checked_at: float


_lock = threading.Lock()


def current_word_list() -> WordList:
    """The word list in force; a change shows here at once, from another process within 30 s."""
    store: dict[str, Any] = current_app.extensions.setdefault("govflow_screening", {})
    with _lock:
        cached, generation = store.get("word_list"), store.get("generation", 0)
        if cached is not None and time.monotonic() - cached.checked_at < CHANGE_CHECK_SECONDS:
            return cached.word_list
    marker = _change_marker()
    word_list = cached.word_list if cached is not None and cached.marker == marker else _load()
    with _lock:
        if store.get("generation", 0) == generation:  # no change was made here meanwhile
            store["word_list"] = _Cached(word_list, marker, time.monotonic())
    return word_list


def forget_word_list() -> None:
    """Drop this process's word list (after a change)."""
    with _lock:
        store = current_app.extensions.setdefault("govflow_screening", {})
        store.pop("word_list", None)
        store["generation"] = store.get("generation", 0) + 1


def _change_marker() -> tuple:
    t = ScreeningTerm
    marker = select(func.count(), func.max(t.id), func.max(t.updated_at), func.sum(t.version))
    return tuple(db.session.execute(marker).one())


def _load() -> WordList:
    t = ScreeningTerm
    rows = db.session.execute(select(t.text, t.category, t.severity, t.suggestion))
    return WordList.build(
        Term(text, category, Severity(severity), suggestion) for text, category, severity, suggestion in rows
    )


def check(fields: Any) -> dict[str, Any]:
    """Screen a draft's fields against the word list, as publishing will (any staff member)."""
    return screen(_valid_fields(fields), current_word_list()).to_data()


def _valid_fields(fields: Any) -> dict[str, str]:
    if not isinstance(fields, dict):
        raise invalid("请提供要检查的字段", [field_error("fields", "not_an_object", "fields 必须是一个对象")])
    if len(fields) > MAX_CHECK_FIELDS:
        message = f"一次最多检查 {MAX_CHECK_FIELDS} 个字段"
        raise invalid(message, [field_error("fields", "too_many", message)])
    errors = []
    for name, value in fields.items():
        if not isinstance(value, str):
            errors.append(field_error(f"fields.{name}", "not_text", f"字段“{name}”必须是文字"))
        elif len(value) > MAX_CHECK_LENGTH:
            message = f"字段“{name}”不能超过 {MAX_CHECK_LENGTH} 个字"
            errors.append(field_error(f"fields.{name}", "too_long", message))
    if errors:
        raise invalid("要检查的内容有误：" + "；".join(e["message"] for e in errors), errors)
    return fields


def list_terms(query: str, page: int, per_page: int) -> Page:
    """A page of the word list; `query` keeps terms whose text, category or suggestion contain it."""
    query = query.strip()
    if len(query) > 100:
        raise ServiceError("invalid_parameter", "q 不能超过 100 个字", 400, field="q")
    t = ScreeningTerm
    statement = select(t)
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = [column.ilike(pattern, escape="\\") for column in (t.text, t.category, t.suggestion)]
        statement = statement.where(or_(*found))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    statement = statement.order_by(t.category, t.text, t.id).limit(per_page).offset((page - 1) * per_page)
    return Page(list(db.session.scalars(statement)), total or 0, page, per_page)


def term(term_id: int) -> ScreeningTerm:
    """One term of the word list (404 when there is none)."""
    return _term(term_id)


def all_terms() -> list[ScreeningTerm]:
    """The whole word list, oldest first (for export)."""
    return list(db.session.scalars(select(ScreeningTerm).order_by(ScreeningTerm.id)))


def add_term(user: User, data: Any) -> ScreeningTerm:
    """Add a term to the word list (administrators)."""
    _admin_only(user)
    values = _valid_term(data)
    return _changing(lambda: _add(values, user))


def update_term(user: User, term_id: int, data: Any) -> ScreeningTerm:
    """Replace a term's wording, category, severity, suggestion and note; `version` must be current."""
    _admin_only(user)
    values = _valid_term(data, versioned=True)
    return _changing(lambda: _update(_term(term_id), values, user))


def delete_term(user: User, term_id: int) -> None:
    """Take a term off the word list (administrators)."""
    _admin_only(user)
    _changing(lambda: _delete(_term(term_id), user))


def import_terms(user: User, rows: Iterable[Row], replace: bool = False) -> dict[str, int]:
    """Add or update terms by text from a file's numbered rows, all or nothing.

    `replace` also removes the terms the file does not list. One bad row refuses the whole file
    with a 422 naming each row and field at fault; nothing is written.
    """
    _admin_only(user)
    terms = _valid_rows(rows)
    return _changing(lambda: _imported(_upsert(terms, user, replace), user, replace))


def load_starter_terms() -> int:
    """Load the shipped starter list into an empty word list (seed-demo); 0 if it has terms."""
    if db.session.scalar(select(func.count()).select_from(ScreeningTerm)):
        return 0
    terms = _valid_rows(read_rows(STARTER_LIST))
    return _changing(lambda: _imported(_upsert(terms, None, replace=False), None, False))["added"]


def _imported(counts: dict[str, int], user: User | None, replace: bool) -> dict[str, int]:
    """One entry for a whole import, with its counts (not one per term)."""
    words = "，".join(f"{label} {counts[name]} 条" for name, label in IMPORT_COUNTS)
    summary = ("导入错敏词库并替换未列出的词语：" if replace else "导入错敏词库：") + words
    audit.record(
        user, AuditKind.TERMS_IMPORTED, "word_list", None, summary, after={**counts, "replace": replace}
    )
    return counts


def _term_state(term: ScreeningTerm) -> dict[str, Any]:
    return {name: getattr(term, name) for name in AUDITED}


def _changing(work: Callable[[], T]) -> T:
    try:
        result = in_transaction(work)
    except IntegrityError as err:  # another request added the same text meanwhile
        raise ServiceError("term_exists", "该词语已在词库中", 409, field="text") from err
    except ServiceError as err:
        if err.code == "concurrent_modification":  # in_transaction's wording speaks of cases
            raise conflict(STALE, err.code) from err
        raise
    forget_word_list()
    return result


def _term(term_id: int) -> ScreeningTerm:
    term = db.session.get(ScreeningTerm, term_id)
    if term is None:
        raise not_found("词语", "term_not_found")
    return term


def _add(values: dict[str, Any], user: User) -> ScreeningTerm:
    _refuse_taken(values["text"])
    at = now()
    term = ScreeningTerm(**values, created_at=at, updated_at=at, updated_by=user)
    db.session.add(term)
    db.session.flush()
    summary = f"添加错敏词“{term.text}”"
    audit.record(user, AuditKind.TERM_ADDED, "screening_term", term.id, summary, after=_term_state(term))
    return term


def _delete(term: ScreeningTerm, user: User) -> None:
    before = _term_state(term)
    db.session.delete(term)
    summary = f"删除错敏词“{term.text}”"
    audit.record(user, AuditKind.TERM_DELETED, "screening_term", term.id, summary, before=before)


def _update(term: ScreeningTerm, values: dict[str, Any], user: User) -> ScreeningTerm:
    version = values.pop("version")
    if version != term.version:
        raise conflict(STALE, "concurrent_modification")
    if values["text"] != term.text:
        _refuse_taken(values["text"])
    before = _term_state(term)
    _set(term, values, user)
    db.session.flush()
    summary = f"修改错敏词“{before['text']}”"
    if term.text != before["text"]:
        summary += f"为“{term.text}”"
    after = _term_state(term)
    audit.record(user, AuditKind.TERM_UPDATED, "screening_term", term.id, summary, before=before, after=after)
    return term


def _set(term: ScreeningTerm, values: dict[str, Any], user: User | None) -> None:
    for name, value in values.items():
        setattr(term, name, value)
    # The relationship, not the id: a response shows who changed it without a reload.
    term.updated_at, term.updated_by = now(), user


def _refuse_taken(text: str) -> None:
    if db.session.scalar(select(ScreeningTerm.id).where(ScreeningTerm.text == text)) is not None:
        raise ServiceError("term_exists", f"“{text}”已在词库中", 409, field="text")


def _upsert(terms: list[dict[str, Any]], user: User | None, replace: bool) -> dict[str, int]:
    existing = {term.text: term for term in db.session.scalars(select(ScreeningTerm))}
    counts = dict.fromkeys(("added", "updated", "unchanged", "removed"), 0)
    at = now()
    for values in terms:
        term = existing.pop(values["text"], None)
        if term is None:
            db.session.add(ScreeningTerm(**values, created_at=at, updated_at=at, updated_by=user))
            counts["added"] += 1
        elif all(getattr(term, name) == value for name, value in values.items()):
            counts["unchanged"] += 1
        else:
            _set(term, values, user)
            counts["updated"] += 1
    if replace:
        for term in existing.values():
            db.session.delete(term)
            counts["removed"] += 1
    db.session.flush()
    return counts


def _valid_rows(rows: Iterable[Row]) -> list[dict[str, Any]]:
    valid: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    for number, row in rows:
        values, problems = _check_term(row)
        earlier = first_seen.get(values.get("text", ""))
        if not problems and earlier:
            problems = [field_error("text", "duplicate", f"“{values['text']}”与第 {earlier} 行重复")]
        errors += [{**p, "row": number, "message": f"第 {number} 行：{p['message']}"} for p in problems]
        if not problems:
            first_seen[values["text"]] = number
            valid.append(values)
    if errors:
        shown = "；".join(e["message"] for e in errors[:5]) + ("……" if len(errors) > 5 else "")
        raise invalid(f"导入失败，共 {len(errors)} 处错误，未写入任何词语：{shown}", errors)
    if not 0 < len(valid) <= MAX_IMPORT_ROWS:
        message = f"文件应有 1 到 {MAX_IMPORT_ROWS} 个词语"
        raise invalid(message, [field_error("rows", "count", message)])
    return valid


def _valid_term(data: Any, versioned: bool = False) -> dict[str, Any]:
    values, errors = _check_term(data)
    if versioned:
        take_version(data, values, errors)
    if errors:
        raise invalid("词语信息有误：" + "；".join(e["message"] for e in errors), errors)
    return values


def _check_term(data: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A term's cleaned values from a request body or a file row, and what is wrong with them."""
    if not isinstance(data, Mapping):
        return {}, [field_error("body", "not_an_object", "词语信息必须是一个对象")]
    values: dict[str, Any] = {}
    errors = []
    for name, label, longest, required in TERM_FIELDS:
        raw = data.get(name)
        text = raw.strip() if isinstance(raw, str) else raw
        if text is None or text == "":
            if required:
                errors.append(field_error(name, "required", f"请填写“{label}”"))
            values[name] = ""
        elif not isinstance(text, str):
            errors.append(field_error(name, "not_text", f"“{label}”必须是文字"))
        elif problem := text_problem(text):  # a file imported from the command line, too
            errors.append(field_error(name, "invalid_text", f"“{label}”{problem}"))
        elif len(text) > longest:
            errors.append(field_error(name, "too_long", f"“{label}”不能超过 {longest} 个字"))
        else:
            values[name] = text
    raw = data.get("severity")
    severity = SEVERITIES.get(raw.strip()) if isinstance(raw, str) else None
    if severity is None:
        errors.append(
            field_error("severity", "not_allowed", "“严重程度”只能是 serious（严重）或 minor（一般）")
        )
    else:
        values["severity"] = severity.value
    return values, errors


def _admin_only(user: User) -> None:
    if not user.is_admin:
        raise ServiceError("admin_only", "只有管理员可以维护错敏词库", 403)
