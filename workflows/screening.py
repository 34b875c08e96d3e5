"""错敏 screening (PUB-9): an item's fields against a maintained word list and personal-data detectors.

A serious hit blocks publishing, a minor one warns the reviewer. The result is kept in case data
and shown in inboxes, so the personal data a detector finds is masked in everything it reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, NamedTuple, TypeVar

import ahocorasick

MAX_HITS = 200  # a result larger than this says nothing more to a reviewer, only fills case data
MAX_FIELD_LENGTH = 200_000  # forms cap text at 10,000; anything far beyond that is a mistake
EXCERPT_CONTEXT = 10
WORD_LIST = "word_list"


class Severity(StrEnum):
    SERIOUS = "serious"
    MINOR = "minor"

    @property
    def label(self) -> str:
        """The Chinese label: 严重 blocks publishing, 一般 warns the reviewer."""
        return "严重" if self is Severity.SERIOUS else "一般"


@dataclass(frozen=True)
class Term:
    text: str
    category: str  # free text, e.g. 政治表述, 错别字, 过时表述
    severity: Severity
    suggestion: str = ""  # the correct wording, e.g. 台湾当局 for 台湾政府

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))


def _fold_table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # full-width ASCII
    table[0x3000] = " "
    table.update({ord(q): '"' for q in "“”"} | {ord(q): "'" for q in "‘’"})
    table.update({code: chr(code) for code in range(ord("A"), ord("Z") + 1)})
    return {code: char.lower() for code, char in table.items()}


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Text as matching sees it: full-width forms, curly quotes and ASCII case folded, one
    character for one, so offsets in the folded text are offsets in the original."""
    return text.translate(_FOLD)


class WordList:
    """An immutable list of terms, searched in one pass however many there are (Aho-Corasick)."""

    __slots__ = ("_automaton", "_terms")

    def __init__(self, terms: tuple[Term, ...], automaton: Any) -> None:
        self._terms = terms
        self._automaton = automaton

    @classmethod
    def build(cls, terms: Iterable[Term]) -> WordList:
        """Build the list once; terms that fold to the same text are reported together."""
        kept = tuple(terms)
        groups: dict[str, list[Term]] = {}
        for term in kept:
            key = fold(term.text)
            if not key:
                raise ValueError("a term needs text")
            groups.setdefault(key, []).append(term)
        if not groups:
            return cls(kept, None)  # pyahocorasick cannot search with an empty automaton
        automaton = ahocorasick.Automaton()
        for key, group in groups.items():
            automaton.add_word(key, (len(key), tuple(group)))
        automaton.make_automaton()
        return cls(kept, automaton)

    @property
    def terms(self) -> tuple[Term, ...]:
        return self._terms

    def __len__(self) -> int:
        return len(self._terms)

    def find(self, text: str) -> Iterator[tuple[int, int, Term]]:
        """Every occurrence of every term in `text`, overlapping ones too: (start, end, term)."""
        return self._scan(fold(text))

    def _scan(self, folded: str) -> Iterator[tuple[int, int, Term]]:
        if self._automaton is None:
            return
        for last, (length, group) in self._automaton.iter(folded):
            for term in group:
                yield last + 1 - length, last + 1, term


class Detector:
    """A kind of personal data found by its pattern (and `accept`), reported masked."""

    name: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[Severity]
    pattern: ClassVar[re.Pattern[str]]

    def find(self, folded: str) -> Iterator[tuple[int, int]]:
        """Where this kind of data stands in folded text: (start, end) pairs."""
        for match in self.pattern.finditer(folded):
            if self.accept(match.group()):
                yield match.span()

    def accept(self, found: str) -> bool:
        return True

    def mask(self, found: str) -> str:
        """The found text with the identifying part starred, as long as the original."""
        raise NotImplementedError


DETECTORS: dict[str, Detector] = {}
D = TypeVar("D", bound=Detector)


def register(detector: type[D]) -> type[D]:
    """Add a detector class to DETECTORS under its name."""
    DETECTORS[detector.name] = detector()
    return detector


_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))


@register
class IdCardNumber(Detector):
    """18-character resident ID numbers (GB 11643): area, birth date, sequence, check character."""

    name = "id_card"
    category = "个人信息（身份证号）"
    severity = Severity.SERIOUS
    pattern = re.compile(r"(?<![0-9a-z])[1-9][0-9]{16}[0-9x](?![0-9a-z])", re.ASCII)

    def accept(self, found: str) -> bool:
        try:
            born = date(int(found[6:10]), int(found[10:12]), int(found[12:14]))
        except ValueError:
            return False
        # The check character (ISO 7064 MOD 11-2) keeps order and account numbers from passing as IDs.
        total = sum(int(digit) * weight for digit, weight in zip(found[:17], _ID_WEIGHTS, strict=True))
        return 1900 <= born.year <= 2099 and "10x98765432"[total % 11] == found[17]

    def mask(self, found: str) -> str:
        return found[:6] + "*" * 8 + found[14:]


@register
class MobileNumber(Detector):
    """Mainland mobile numbers, 1[3-9] and nine digits, also as 3-4-4 and with +86 or 86 before."""

    name = "mobile"
    category = "个人信息（手机号码）"
    severity = Severity.MINOR  # an office's public service number may be a mobile: the reviewer decides
    pattern = re.compile(
        r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[0-9]{8}|([ -])[0-9]{4}\1[0-9]{4})(?![0-9])"
    )

    def mask(self, found: str) -> str:
        national = [i for i, char in enumerate(found) if char.isdigit()][-11:]
        hidden = set(national[3:7])
        return "".join("*" if i in hidden else char for i, char in enumerate(found))


@dataclass(frozen=True)
class Hit:
    field: str
    start: int  # offset in that field
    text: str  # what matched; masked for personal data
    category: str
    severity: Severity
    suggestion: str
    detector: str  # "word_list" or a key of DETECTORS
    excerpt: str  # the match with up to EXCERPT_CONTEXT characters either side, masked likewise

    def to_data(self) -> dict[str, Any]:
        """The hit as JSON-safe data."""
        return {**asdict(self), "severity": self.severity.value, "severity_label": self.severity.label}


@dataclass(frozen=True)
class Screening:
    hits: tuple[Hit, ...]  # at most MAX_HITS, in field order then offset
    serious: int  # counts of every hit, also those past MAX_HITS
    minor: int
    truncated: bool = False

    @property
    def blocked(self) -> bool:
        """Does a serious hit stop the item from being published?"""
        return self.serious > 0

    def to_data(self) -> dict[str, Any]:
        """The result as JSON-safe data, for case data and the API."""
        return {
            "blocked": self.blocked,
            "serious": self.serious,
            "minor": self.minor,
            "truncated": self.truncated,
            "hits": [hit.to_data() for hit in self.hits],
        }


class _Match(NamedTuple):
    start: int
    end: int
    detector: str
    category: str
    severity: Severity
    suggestion: str


SCREENING_KEYS = frozenset({"blocked", "serious", "minor", "truncated", "hits"})


def summary_words(data: Any) -> str | None:
    """A stored screening result (Screening.to_data) as a reviewer reads it, or None if `data` is no
    such result: 未发现错敏问题, or the counts and each hit with its field and suggestion."""
    if not isinstance(data, Mapping) or set(data) != SCREENING_KEYS or not isinstance(data["hits"], list):
        return None
    if not data["hits"]:
        return "未发现错敏问题"
    head = f"严重{data['serious']}处，一般{data['minor']}处"
    hits = [
        f"{h.get('severity_label', '')}“{h.get('text', '')}”（{h.get('field', '')}，{h.get('category', '')}"
        + (f"，建议：{h['suggestion']}" if h.get("suggestion") else "")
        + "）"
        for h in data["hits"]
        if isinstance(h, Mapping)
    ]
    return head + "：" + "；".join(hits) + ("；……" if data["truncated"] else "")


def screen(fields: Mapping[str, str], word_list: WordList) -> Screening:
    """Every word-list occurrence and detector hit in every field, in field order then offset."""
    hits: list[Hit] = []
    counts = dict.fromkeys(Severity, 0)
    for name, value in fields.items():
        if not isinstance(value, str):
            continue  # None and non-text values hold nothing to screen
        if len(value) > MAX_FIELD_LENGTH:
            raise ValueError(f"field {name!r} is longer than {MAX_FIELD_LENGTH} characters")
        matches = _matches(value, word_list)
        for match in matches:
            counts[match.severity] += 1
        room = MAX_HITS - len(hits)
        if matches and room > 0:
            hits.extend(_hits(name, value, matches, room))
    total = sum(counts.values())
    return Screening(tuple(hits), counts[Severity.SERIOUS], counts[Severity.MINOR], total > len(hits))


def _matches(text: str, word_list: WordList) -> list[_Match]:
    folded = fold(text)
    found = [
        _Match(start, end, WORD_LIST, term.category, term.severity, term.suggestion)
        for start, end, term in word_list._scan(folded)
    ]
    for detector in DETECTORS.values():
        found.extend(
            _Match(start, end, detector.name, detector.category, detector.severity, "")
            for start, end in detector.find(folded)
        )
    # The longer of two matches at one offset first: 台湾政府 before 台湾.
    return sorted(found, key=lambda m: (m.start, -m.end, m.detector, m.category))


def _hits(name: str, text: str, matches: list[_Match], limit: int) -> Iterator[Hit]:
    shown = _masked(text, matches)  # every number in the field, so no excerpt shows one either
    for match in matches[:limit]:
        yield Hit(
            field=name,
            start=match.start,
            text=shown[match.start : match.end],
            category=match.category,
            severity=match.severity,
            suggestion=match.suggestion,
            detector=match.detector,
            excerpt=shown[max(0, match.start - EXCERPT_CONTEXT) : match.end + EXCERPT_CONTEXT],
        )


def _masked(text: str, matches: list[_Match]) -> str:
    personal = [m for m in matches if m.detector != WORD_LIST]
    if not personal:
        return text
    chars = list(text)
    for m in personal:
        chars[m.start : m.end] = DETECTORS[m.detector].mask(text[m.start : m.end])
    return "".join(chars)
