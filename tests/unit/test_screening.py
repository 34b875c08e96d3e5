"""错敏 screening (PUB-9): the word list, the personal-data detectors, masking and bounds."""

import json
import random

import pytest

from workflows.screening import DETECTORS, MAX_HITS, Severity, Term, WordList, screen

TERMS = [
    Term("台湾政府", "政治表述", Severity.SERIOUS, "台湾当局"),
    Term("截止目前", "错别字", Severity.MINOR, "截至目前"),
    Term('"一带一路"战略', "政治表述", Severity.MINOR, '"一带一路"倡议'),
]


def id_number(born="19900307", sequence="123", area="110105"):
    """A made-up resident ID number with the check character worked out (ISO 7064 MOD 11-2)."""
    body = area + born + sequence
    remainder = 0
    for digit in body:
        remainder = (remainder + int(digit)) * 2 % 11
    return body + "0123456789X"[(12 - remainder) % 11]


def with_wrong_check(number):
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def hits_of(text, terms=(), **fields):
    return screen({"body": text, **fields}, WordList.build(terms)).hits


def test_a_serious_term_blocks_and_a_minor_one_only_warns():
    """Does a serious term block publishing, while a minor one is reported without blocking?"""
    words = WordList.build(TERMS)
    serious = screen({"title": "关于台湾政府的说明"}, words)
    assert serious.blocked and (serious.serious, serious.minor) == (1, 0)
    (hit,) = serious.hits
    assert (hit.field, hit.start, hit.text, hit.suggestion) == ("title", 2, "台湾政府", "台湾当局")
    assert (hit.detector, hit.category, hit.excerpt) == ("word_list", "政治表述", "关于台湾政府的说明")
    minor = screen({"body": "截止目前已办结"}, words)
    assert not minor.blocked and minor.minor == 1 and minor.hits[0].severity is Severity.MINOR


def test_result_is_json_safe_with_chinese_labels():
    """Can the result be stored in case data as JSON, with the severity's label for the inbox?"""
    data = screen({"title": "台湾政府", "body": "截止目前"}, WordList.build(TERMS)).to_data()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert (data["blocked"], data["serious"], data["minor"], data["truncated"]) == (True, 1, 1, False)
    assert [h["severity_label"] for h in data["hits"]] == ["严重", "一般"]
    assert set(data["hits"][0]) == {
        "field",
        "start",
        "text",
        "category",
        "severity",
        "severity_label",
        "suggestion",
        "detector",
        "excerpt",
    }
    assert Severity.SERIOUS.label == "严重" and Severity("minor").label == "一般"


def test_overlapping_terms_are_both_reported():
    """With both 台湾政府 and 政府 in the list, is each occurrence of either reported?"""
    terms = [*TERMS, Term("政府", "测试", Severity.MINOR)]
    hits = hits_of("台湾政府与市政府", terms)
    assert [(h.start, h.text) for h in hits] == [(0, "台湾政府"), (2, "政府"), (6, "政府")]


def test_hits_come_in_field_order_then_offset_with_excerpts_of_ten_characters():
    """Are hits listed field by field in the order given, and does an excerpt hold ten characters either side?"""
    text = "一二三四五六七八九十甲乙截止目前一二三四五六七八九十甲乙"
    result = screen({"title": "台湾政府", "body": text, "summary": "截止目前"}, WordList.build(TERMS))
    assert [(h.field, h.start) for h in result.hits] == [("title", 0), ("body", 12), ("summary", 0)]
    assert result.hits[1].excerpt == "三四五六七八九十甲乙截止目前一二三四五六七八九十"


def test_full_width_letters_and_quote_styles_still_match():
    """Does a term written with straight quotes find the same words written with Chinese quotes?"""
    (hit,) = hits_of("推进“一带一路”战略合作", TERMS)
    assert hit.text == "“一带一路”战略" and hit.suggestion == '"一带一路"倡议'
    (latin,) = hits_of("ＡＢＣ公司", [Term("abc公司", "测试", Severity.MINOR)])
    assert latin.text == "ＡＢＣ公司"


def test_a_valid_id_number_is_found_as_serious_and_masked():
    """Is an 18-character ID number with a correct check digit found, serious, and shown masked?"""
    number = id_number()
    result = screen({"body": f"申请人身份证号{number}，住址略"}, WordList.build([]))
    assert result.blocked
    (hit,) = result.hits
    assert (hit.detector, hit.category, hit.start) == ("id_card", "个人信息（身份证号）", 7)
    assert hit.text == number[:6] + "********" + number[14:]
    assert number not in hit.excerpt and number[6:14] not in json.dumps(result.to_data())


def test_an_id_number_ending_in_x_is_found_in_either_case():
    """Is a number whose check character is X found whether written X or x?"""
    number = next(n for n in (id_number(sequence=f"{s:03d}") for s in range(1000)) if n.endswith("X"))
    assert hits_of(f"证件{number}")[0].text.endswith("X")
    assert hits_of(f"证件{number.lower()}")[0].detector == "id_card"


def test_id_numbers_with_a_wrong_check_digit_or_date_or_inside_longer_runs_are_ignored():
    """Are 18-digit strings with a wrong check digit, an impossible birth date, or more digits around them left alone?"""
    good = id_number()
    assert hits_of(with_wrong_check(good)) == ()
    assert hits_of(id_number(born="19900230")) == ()  # 30 February
    assert hits_of(id_number(born="18500101")) == ()
    assert hits_of("9" + good) == () and hits_of(good + "1") == () and hits_of("A" + good) == ()
    assert hits_of(f"订单号：{good}号") != ()


@pytest.mark.parametrize(
    "written, masked",
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("138-1234-5678", "138-****-5678"),
        ("+8613812345678", "+86138****5678"),
        ("+86 138-1234-5678", "+86 138-****-5678"),
        ("86 13812345678", "86 138****5678"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
    ],
)
def test_mobile_numbers_are_found_in_common_forms_and_masked(written, masked):
    """Is a mobile number found as a minor hit however it is written, and shown with its middle hidden?"""
    result = screen({"body": f"联系电话：{written}。"}, WordList.build([]))
    assert not result.blocked and result.minor == 1
    (hit,) = result.hits
    assert (hit.detector, hit.category, hit.severity) == ("mobile", "个人信息（手机号码）", Severity.MINOR)
    assert (hit.start, hit.text) == (5, masked)
    assert hit.excerpt == f"联系电话：{masked}。"


@pytest.mark.parametrize(
    "text", ["12812345678", "1381234567", "138123456789", "2013812345678", "138-1234 5678", "010-68881234"]
)
def test_what_is_not_a_mobile_number_is_left_alone(text):
    """Are wrong prefixes, wrong lengths, longer digit runs, mixed separators and landlines left alone?"""
    assert hits_of(text) == ()


def test_no_excerpt_shows_a_number_found_nearby():
    """When a term stands next to a phone number, does the term's excerpt hide the number too?"""
    number = id_number()
    hits = hits_of(f"台湾政府13812345678和{number}", TERMS)
    assert [h.detector for h in hits] == ["word_list", "mobile", "id_card"]
    for hit in hits:
        assert "1234" not in hit.excerpt and number[6:14] not in hit.excerpt
    assert hits[0].excerpt == "台湾政府138****567"


def test_hits_past_the_limit_are_counted_but_not_listed():
    """With more than 200 hits, are the counts exact, the list cut at 200, and the result marked truncated?"""
    result = screen({"title": "台湾政府", "body": "截止目前，" * 300}, WordList.build(TERMS))
    assert (result.serious, result.minor) == (1, 300)
    assert len(result.hits) == MAX_HITS and result.truncated
    assert result.hits[0].field == "title" and result.to_data()["truncated"] is True
    assert screen({"body": "截止目前"}, WordList.build(TERMS)).truncated is False


def test_odd_field_values_are_skipped_and_huge_ones_refused():
    """Are None and non-text values skipped, and a field over 200,000 characters refused?"""
    result = screen({"title": None, "count": 3, "body": "截止目前"}, WordList.build(TERMS))
    assert [h.field for h in result.hits] == ["body"]
    with pytest.raises(ValueError):
        screen({"body": "字" * 200_001}, WordList.build(TERMS))


def test_an_empty_word_list_still_runs_the_detectors():
    """Does an empty list find nothing of its own, while ID and mobile numbers are still found?"""
    empty = WordList.build([])
    assert len(empty) == 0 and list(empty.find("台湾政府")) == []
    assert [h.detector for h in hits_of("13812345678")] == ["mobile"]
    assert {"id_card", "mobile"} <= set(DETECTORS)


def test_a_long_text_against_ten_thousand_terms_finds_exactly_the_planted_ones():
    """Searching 20,000 characters against 10,000 terms, is every planted term found at its place and nothing else?"""
    rng = random.Random(9)
    terms = [Term(f"词{i:05d}号", "测试", Severity.MINOR) for i in range(10_000)]
    words = WordList.build(terms)
    filler = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你"
    chunks, planted, offset = [], [], 0
    while offset < 20_000:
        chunk = "".join(rng.choice(filler) for _ in range(rng.randint(20, 60)))
        term = rng.choice(terms).text
        planted.append((offset + len(chunk), term))
        chunks.append(chunk + term)
        offset += len(chunk) + len(term)
    body = "".join(chunks)
    assert len(body) >= 20_000
    result = screen({"body": body}, words)
    assert result.minor == len(planted) and not result.blocked
    assert [(h.start, h.text) for h in result.hits] == planted[:MAX_HITS]
    assert [(start, end - start, term.text) for start, end, term in words.find(body)] == [
        (start, len(text), text) for start, text in planted
    ]


def test_pub9_a_stored_result_reads_as_counts_and_hits_and_anything_else_is_no_result():
    """Does a stored screening result read as 严重/一般 counts with each hit, a clean one as 未发现错敏问题,
    and a dict of another shape as no result at all?"""
    from workflows.screening import summary_words

    hit = {
        "field": "正文",
        "text": "139****5678",
        "category": "个人信息（手机号码）",
        "severity_label": "一般",
        "suggestion": "核实后隐去",
    }
    found = {"blocked": False, "serious": 0, "minor": 1, "truncated": False, "hits": [hit]}
    assert (
        summary_words(found)
        == "严重0处，一般1处：一般“139****5678”（正文，个人信息（手机号码），建议：核实后隐去）"
    )
    assert summary_words({**found, "hits": [], "minor": 0}) == "未发现错敏问题"
    assert summary_words({"review": {"general": ["section_head"]}}) is None
    assert summary_words("text") is None
