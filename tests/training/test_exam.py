"""The mock exam: the bank's format, forms by blueprint, a timed sitting, the score report,
and first-attempt-only scoring kept in SQLite."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from medbill_lab.training import exam, exam_bank
from medbill_lab.training.exam import ExamError, Sitting, TimeUp, new_form
from medbill_lab.training.exam_attempts import Attempts
from medbill_lab.training.exam_bank import DOMAINS, BankError, Item

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "exam_bank_fixture"


@pytest.fixture(scope="module")
def fixture_bank() -> exam_bank.Bank:
    return exam_bank.load(FIXTURE)


def _item(domain: str, n: int, exams=("CPC", "CCA", "CBCS")) -> Item:
    return Item(
        id=f"{DOMAINS[domain][0]}-{n:03d}",
        domain=domain,
        topic="t",
        exams=tuple(exams),
        type="choice",
        stem=f"{domain} question {n}",
        answer="B",
        rationale="because",
        rule="a rule",
        difficulty="easy",
        choices={k: f"{domain} {n} option {k}" for k in "ABCD"},
    )


@pytest.fixture(scope="module")
def big_bank() -> exam_bank.Bank:
    """30 items a domain, every style; inpatient items are CCA-only, as in the real bank."""
    items = [
        _item(d, n, ("CCA",) if d == "inpatient" else ("CPC", "CCA", "CBCS"))
        for d in DOMAINS
        for n in range(1, 31)
    ]
    return exam_bank.Bank(tuple(items), {}, FIXTURE)


# -- the bank ---------------------------------------------------------------------------
def test_the_fixture_bank_loads_with_its_counts(fixture_bank):
    assert fixture_bank.counts() == {
        "icd10cm": {"choice": 3, "code": 3, "total": 6},
        "billing": {"choice": 6, "code": 0, "total": 6},
    }
    item = fixture_bank.item("ICD-901")
    assert item.answer == ("E11.22", "N18.31") and item.system == "icd10cm"


def _broken(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(FIXTURE, folder)
    data = json.loads((folder / "icd10cm.json").read_text())
    edit(data)
    (folder / "icd10cm.json").write_text(json.dumps(data))
    return folder


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["items"][1].update(answer="E"), "ICD-902: 'answer' must be one of A, B, C, D"),
        (lambda d: d["items"][1]["choices"].pop("D"), "exactly the options A, B, C and D"),
        (lambda d: d["items"][1]["choices"].update(D="I10"), "two choices have the same text"),
        (lambda d: d["items"][0].update(id="BIL-777"), "the id must look like ICD-001"),
        (lambda d: d["items"][0].update(id="ICD-902"), "item id ICD-902 is also in icd10cm.json"),
        (lambda d: d["items"][0].update(answer=[]), "ICD-901: 'answer' must be a non-empty list"),
        (lambda d: d["items"][0].update(system="snomed"), "'system' must be one of"),
        (lambda d: d["items"][0].update(exams=["RHIA"]), "'exams' must be a non-empty list"),
        (lambda d: d["items"][0].update(rule=" "), "'rule' must be non-empty text"),
        (lambda d: d["items"][1].update(distractors={"A": "x"}), "only the wrong options"),
        (lambda d: d.update(domain="billing"), "a billing bank must be named billing.json"),
    ],
)
def test_a_broken_bank_is_refused_in_one_line_naming_the_item(tmp_path, edit, message):
    with pytest.raises(BankError) as err:
        exam_bank.load(_broken(tmp_path, edit))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_unreadable_or_missing_bank_files(tmp_path):
    with pytest.raises(BankError, match="no exam bank files"):
        exam_bank.load(tmp_path)
    (tmp_path / "cpt.json").write_text("{not json")
    with pytest.raises(BankError, match=r"cpt.json: not valid JSON \(line 1"):
        exam_bank.load(tmp_path)


# -- forms ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "style, expected",
    [
        (
            "CPC",
            {
                "cpt": 7,
                "icd10cm": 5,
                "hcpcs_modifiers": 3,
                "terminology": 2,
                "compliance": 2,
                "billing": 1,
            },
        ),
        (
            "CCA",
            {
                "icd10cm": 5,
                "inpatient": 4,
                "cpt": 4,
                "hcpcs_modifiers": 2,
                "terminology": 2,
                "compliance": 2,
                "billing": 1,
            },
        ),
        (
            "CBCS",
            {
                "billing": 8,
                "compliance": 5,
                "icd10cm": 2,
                "cpt": 2,
                "hcpcs_modifiers": 2,
                "terminology": 1,
            },
        ),
    ],
)
def test_each_style_draws_its_blueprint(big_bank, style, expected):
    form = new_form(big_bank, style, n=20, seed=3)
    assert Counter(i.item.domain for i in form.items) == expected
    assert all(style in i.item.exams for i in form.items)


def test_a_short_domain_gives_its_share_to_the_others():
    counts = exam.allocate(
        {"billing": 0.5, "compliance": 0.3, "cpt": 0.2},
        {"billing": 2, "compliance": 9, "cpt": 9},
        10,
    )
    assert counts["billing"] == 2 and sum(counts.values()) == 10
    assert counts["compliance"] > counts["cpt"]
    with pytest.raises(ExamError, match="only 20 items"):
        exam.allocate(
            {"billing": 0.5, "compliance": 0.3, "cpt": 0.2},
            {"billing": 2, "compliance": 9, "cpt": 9},
            21,
        )


def test_a_seed_gives_the_same_form_and_another_seed_another(big_bank):
    a, b = new_form(big_bank, "CPC", n=20, seed=11), new_form(big_bank, "CPC", n=20, seed=11)
    assert a == b and a.form_id == b.form_id
    other = new_form(big_bank, "CPC", n=20, seed=12)
    assert [i.item.id for i in other.items] != [i.item.id for i in a.items]
    assert other.form_id != a.form_id
    # the time limit is not part of the form's identity
    assert new_form(big_bank, "CPC", n=20, seed=11, minutes=5).form_id == a.form_id


def test_no_duplicates_shuffled_order_and_shuffled_options(big_bank):
    form = new_form(big_bank, "CCA", n=100, seed=1)
    ids = [i.item.id for i in form.items]
    assert len(ids) == len(set(ids)) == 100
    domains = [i.item.domain for i in form.items]
    assert domains != sorted(domains, key=list(DOMAINS).index)  # not grouped by domain
    orders = Counter(i.order for i in form.items)
    assert len(orders) > 5  # options are shuffled, not one fixed order
    for fi in form.items:
        assert sorted(fi.order) == list("ABCD")
        assert all(fi.shown(fi.original(x)) == x for x in "ABCD")
        assert dict(fi.shown_choices())[fi.shown("B")] == fi.item.choices["B"]


def _code_item(domain: str, n: int, answer: tuple[str, ...], stem: str) -> Item:
    return Item(
        id=f"{DOMAINS[domain][0]}-{n:03d}",
        domain=domain,
        topic="t",
        exams=("CPC", "CCA", "CBCS"),
        type="code",
        stem=stem,
        answer=answer,
        rationale="because",
        rule="a rule",
        difficulty="easy",
        system="cpt",
    )


def test_an_item_that_shows_another_items_answer_never_shares_its_form():
    # CPT-001 asks for 99203 and CPT-002's stem prints it; CPT-003's options print TC,
    # HCM-001's answer; the rest are unrelated.
    asks = _code_item("cpt", 1, ("99203",), "A new patient, low MDM. Code the visit.")
    shows = _code_item("cpt", 2, ("99213",), "Not 99203: an established patient. Code it.")
    keyed = _item("cpt", 3)
    keyed = Item(**{**keyed.__dict__, "choices": {**keyed.choices, "B": "add modifier TC"}})
    modifier = _code_item("hcpcs_modifiers", 1, ("TC",), "Which modifier bills the technical part?")
    assert exam.gives_away(shows, asks) and not exam.gives_away(asks, shows)
    assert exam.gives_away(keyed, modifier)  # its options print TC
    assert not exam.gives_away(modifier, keyed)  # a keyed option answers only its own item
    fillers = [_item("cpt", n) for n in range(4, 8)] + [_item("hcpcs_modifiers", 2)]
    bank = exam_bank.Bank((asks, shows, keyed, modifier, *fillers), {}, FIXTURE)
    for seed in range(40):
        ids = {i.item.id for i in new_form(bank, "CPC", n=5, seed=seed).items}
        assert not {"CPT-001", "CPT-002"} <= ids, seed
        assert not {"CPT-003", "HCM-001"} <= ids, seed
    # when the domain has no other item left, the form keeps its size and takes both
    short = exam_bank.Bank((asks, shows), {}, FIXTURE)
    assert len(new_form(short, "CPC", n=2, seed=0).items) == 2


def test_a_two_digit_modifier_named_as_one_gives_away_its_answer():
    asks = _code_item("hcpcs_modifiers", 1, ("91",), "The troponin is redrawn. Which modifier?")
    for shown in ("When is modifier 91 not right?", "Bill 80053-91.", "Use modifiers 26 and 91."):
        assert exam.gives_away(_code_item("cpt", 2, ("99213",), shown), asks), shown
    for unrelated in ("A 91-year-old is seen.", "Modifier 25 is added.", "91 minutes of care."):
        assert not exam.gives_away(_code_item("cpt", 2, ("99213",), unrelated), asks), unrelated
    bank = exam_bank.load()  # HCM-044 asks when 91 is wrong, naming the repeated troponin
    assert exam.gives_away(bank.item("HCM-044"), bank.item("HCM-043"))  # HCM-043's answer
    assert exam.gives_away(bank.item("HCM-036"), bank.item("HCM-035"))  # its key: modifier 50


def test_no_form_of_the_real_bank_answers_one_question_with_another():
    bank = exam_bank.load()
    pairs = [(a.id, b.id) for a in bank.items for b in bank.items if exam.gives_away(a, b)]
    assert ("CPT-004", "CPT-001") in pairs  # CPT-004 prints 99203, CPT-001's answer
    for style in exam.BLUEPRINTS:
        for seed in range(3):
            items = [i.item for i in new_form(bank, style, seed=seed).items]
            assert not [(a.id, b.id) for a in items for b in items if exam.gives_away(a, b)]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"style": "RHIT"}, "unknown exam style 'RHIT'"),
        ({"n": 0}, "from 1 to 200"),
        ({"n": "ten"}, "whole number"),
        ({"seed": -1}, r"The seed must be a whole number from 0 to 1,000,000,000\.$"),
        ({"minutes": 0}, "more than 0"),
        ({"style": "CBCS", "n": 9}, "only 8 items for this style: choose 8 or fewer"),
    ],
)
def test_bad_form_settings_get_a_clear_message(fixture_bank, kwargs, message):
    args = {"style": "CPC", "n": 5, "seed": 1} | kwargs
    with pytest.raises(ExamError, match=message):
        new_form(fixture_bank, **args)


# -- scoring ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, right",
    [
        ("E11.22, N18.31", True),
        ("e11.22 n18.31", True),
        ("E1122;N1831", True),
        (" E11 .22 ,N18.31 ", True),
        ("N18.31, E11.22", False),  # reporting order matters here
        ("E11.22", False),
        ("E11.22, N18.31, I10", False),
        ("E11.9, N18.31", False),
    ],
)
def test_code_answers_are_normalised_and_ordered(fixture_bank, typed, right):
    assert exam.code_is_right(fixture_bank.item("ICD-901"), typed) is right


def test_accept_lists_take_other_orders_and_answers():
    item = Item(
        "CPT-001", "cpt", "t", ("CPC",), "code", "stem", ("99213", "25"), "r", "rule", "easy",
        system="cpt", accept=(("99213-25",), ("99214", "25")),
    )  # fmt: skip
    assert exam.code_is_right(item, "99213-25")
    assert exam.code_is_right(item, "99213 25")
    assert exam.code_is_right(item, "99214-25")
    assert not exam.code_is_right(item, "25, 99213")
    assert not exam.code_is_right(item, "99215-25")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _answer_key(fi: exam.FormItem) -> str:
    return fi.shown(fi.item.answer) if fi.item.type == "choice" else ", ".join(fi.item.answer)


def test_time_running_out_scores_the_sitting_with_unanswered_items_wrong(fixture_bank):
    clock = Clock()
    form = new_form(fixture_bank, "CPC", n=6, seed=2, minutes=2)
    sitting = Sitting(form, "ana", clock=clock)
    sitting.answer(_answer_key(form.items[0]), 0)
    sitting.answer(_answer_key(form.items[1]), 1)
    clock.now += 119
    assert sitting.remaining() == pytest.approx(1) and not sitting.expired
    clock.now += 1
    assert sitting.expired and sitting.remaining() == 0
    with pytest.raises(TimeUp):
        sitting.answer(_answer_key(form.items[2]), 2)
    with pytest.raises(TimeUp):
        sitting.go(3)
    result = sitting.submit()
    assert result.timed_out and result.right == 2 and result.total == 6
    assert [r.response is None for r in result.items] == [False, False, True, True, True, True]
    assert result.elapsed == 120 and not result.passed
    assert sitting.submit() is result  # submitting again changes nothing


def test_answer_change_clear_flag_and_navigate(fixture_bank):
    clock = Clock()
    form = new_form(fixture_bank, "CBCS", n=4, seed=9, minutes=10)
    s = Sitting(form, "ana", clock=clock)
    wrong = next(x for x in "ABCD" if x != _answer_key(form.items[0]))
    s.answer(wrong.lower())
    assert s.status(0) == "answered"
    assert s.toggle_flag() and s.status(0) == "flagged"
    clock.now += 30
    s.next()
    clock.now += 10
    s.go(0)
    assert not s.toggle_flag() and s.status(0) == "answered"
    s.answer(_answer_key(form.items[0]))  # changed to the key
    s.answer("", 1)
    s.answer(_answer_key(form.items[1]), 1)
    s.answer(None, 1)  # cleared again
    assert s.unanswered() == [1, 2, 3]
    s.previous()
    assert s.position == 0
    with pytest.raises(ExamError, match="No question 5"):
        s.go(4)
    with pytest.raises(ExamError, match="one of the options"):
        s.answer("E")
    clock.now += 5
    result = s.submit()
    assert result.right == 1 and result.items[0].correct and not result.items[1].correct
    assert result.items[0].seconds == 35 and result.items[1].seconds == 10
    with pytest.raises(ExamError, match="has been submitted"):
        s.answer("A")


def test_a_code_answer_must_look_like_codes(fixture_bank):
    form = new_form(fixture_bank, "CPC", n=6, seed=2)
    pos = next(p for p, fi in enumerate(form.items) if fi.item.type == "code")
    s = Sitting(form, "ana")
    for bad in ("<b>E11.9</b>", "E11.9 " * 50):
        with pytest.raises(ExamError, match="Type codes only"):
            s.answer(bad, pos)
    s.answer("e11.22,n18.31", pos)
    assert s.responses[pos] == "e11.22,n18.31"


def test_the_report_sums_by_domain_and_explains_every_miss(fixture_bank):
    form = new_form(fixture_bank, "CPC", n=8, seed=4)
    s = Sitting(form, "ana")
    for p, fi in enumerate(form.items):
        if p % 2 == 0:
            s.answer(_answer_key(fi), p)
        elif fi.item.type == "choice":
            s.answer(next(x for x in "ABCD" if x != _answer_key(fi)), p)
    result = s.submit()
    domains = result.by_domain()
    assert sum(d.right for d in domains) == result.right == 4
    assert sum(d.total for d in domains) == result.total == 8
    for d in domains:
        assert d.total == sum(1 for i in form.items if i.item.domain == d.domain)
        assert d.percent == round(100 * d.right / d.total, 1)
    missed = result.missed()
    assert [m.position for m in missed] == [1, 3, 5, 7]
    for m in missed:
        assert m.item.rationale and m.item.rule
        if m.item.type == "choice":
            key = m.form_item.shown(m.item.answer)
            assert m.right_text() == f"{key}. {m.item.choices[m.item.answer]}"
            assert m.answer_text().startswith(m.response + ". ")
            assert m.stored_answer == m.form_item.original(m.response) != m.item.answer
        else:
            assert m.answer_text() == "(no answer)" and m.right_text() == ", ".join(m.item.answer)


def test_pass_mark_is_seventy_percent_inclusive(big_bank):
    form = new_form(big_bank, "CBCS", n=10, seed=1)
    for n_right, passed in ((7, True), (6, False)):
        s = Sitting(form, "ana")
        for p in range(n_right):
            s.answer(_answer_key(form.items[p]), p)
        assert s.submit().passed is passed


# -- attempts in SQLite -----------------------------------------------------------------
def test_first_attempt_rule():
    assert exam.attempt_kind([], "CPC-1-aa") == "scored"
    assert exam.attempt_kind(["CPC-2-bb"], "CPC-1-aa") == "scored"
    assert exam.attempt_kind(["CPC-2-bb", "CPC-1-aa"], "CPC-1-aa") == "review"


def _sit(form: exam.Form, learner: str, n_right: int) -> exam.Result:
    s = Sitting(form, learner)
    for p in range(n_right):
        s.answer(_answer_key(form.items[p]), p)
    return s.submit()


def test_attempts_persist_and_progress_counts_first_sittings_only(tmp_path, big_bank):
    path = tmp_path / "progress.sqlite"
    first = new_form(big_bank, "CBCS", n=10, seed=1)
    second = new_form(big_bank, "CBCS", n=10, seed=2)
    store = Attempts(path)
    assert store.record(_sit(first, "ana", 5)).kind == "scored"
    assert store.record(_sit(first, "ana", 10)).kind == "review"  # same form: seen rationales
    assert store.record(_sit(first, "ben", 3)).kind == "scored"  # another learner's first
    reshuffled = exam.Form(first.style, first.seed, 99, tuple(reversed(first.items)))
    assert store.record(_sit(reshuffled, "ana", 10)).kind == "review"  # same items, any order
    assert store.record(_sit(second, "ana", 8)).kind == "scored"

    reopened = Attempts(path)
    progress = reopened.progress("ana")
    assert [a.percent for a in progress.scored] == [50.0, 80.0]
    assert [a.percent for a in progress.reviews] == [100.0, 100.0]
    right = sum(r for r, _ in progress.by_domain.values())
    total = sum(t for _, t in progress.by_domain.values())
    assert (right, total) == (13, 20)
    assert sum(r for r, _ in progress.per_sitting[progress.scored[0].id].values()) == 5
    assert reopened.has_sat("ana", first.form_id) and not reopened.has_sat("ben", second.form_id)
    # item analysis reads scored sittings only, one response per learner and item
    # (an item on both of ana's forms counts once: from the first form she met it on)
    ana_items = {i.item.id for i in first.items} | {i.item.id for i in second.items}
    responses = reopened.responses()
    assert len(ana_items) < 20  # the two forms share an item: the rule is exercised
    assert len(responses) == len({(r.learner, r.item_id) for r in responses}) == len(ana_items) + 10


def test_a_stored_response_is_in_the_banks_terms(tmp_path, fixture_bank):
    form = new_form(fixture_bank, "CPC", n=6, seed=2)
    s = Sitting(form, "ana")
    for p, fi in enumerate(form.items):
        s.answer("b" if fi.item.type == "choice" else "e11.22 n18.31", p)
    store = Attempts(tmp_path / "p.sqlite")
    store.record(s.submit())
    stored = {r.item_id: r.answer for r in store.responses()}
    for fi in form.items:
        expected = fi.original("B") if fi.item.type == "choice" else "E1122,N1831"
        assert stored[fi.item.id] == expected


def test_a_bad_learner_name_or_progress_file_is_refused(tmp_path, fixture_bank):
    store = Attempts(tmp_path / "p.sqlite")
    with pytest.raises(ValueError, match="user name is needed"):
        store.record(_sit(new_form(fixture_bank, "CBCS", n=2, seed=1), "  ", 0))
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database" * 100)
    with pytest.raises(Exception, match="not a usable progress file"):
        Attempts(junk)


@pytest.mark.parametrize(
    ("item_id", "typed", "says"),
    [
        ("ICD-005", "I12.0, N18.6, Z99.2, Z99.2", "Z99.2 is listed more than once."),
        ("ICD-005", "i120 n186", "missing Z99.2."),
        ("ICD-005", "I12.0, N18.6, Z99.2, E11.9", "not part of the answer: E119."),
        ("ICD-005", "N18.6, I12.0, Z99.2", "the right codes, but not in the order"),
        ("CPT-027", "47563", "missing 47562; not part of the answer: 47563."),
        ("CPT-052", "90471", "missing 90656."),
    ],
)
def test_a_wrong_code_answer_says_what_differs(item_id, typed, says):
    """The report's 'why not yours' for codes: a learner whose list holds every right code
    (a code twice, another order) sees why it was marked wrong."""
    item = exam_bank.load().item(item_id)
    result = exam.ItemResult(1, exam.FormItem(item), typed, False, 1.0, False)
    assert says in result.why_not()


@pytest.mark.parametrize(
    ("item_id", "typed"),
    [
        ("ICD-005", "I12.0, N18.6, Z99.2"),
        ("ICD-005", "I12.0, Z99.2, N18.6"),
        ("CPT-052", "90656, 90471"),
    ],
)
def test_a_right_or_accepted_code_answer_has_no_why_not(item_id, typed):
    item = exam_bank.load().item(item_id)
    assert exam.code_is_right(item, typed)
    assert exam.code_difference(item, typed) is None
    result = exam.ItemResult(1, exam.FormItem(item), typed, True, 1.0, False)
    assert result.why_not() is None
