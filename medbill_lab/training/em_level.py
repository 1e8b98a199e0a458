"""Office and outpatient E/M levels (99202-99205, 99212-99215) by MDM or by total time.

The rules below are stated in MedBill Lab's own words; the CPT descriptors and the
AMA's table text are copyrighted and are not reproduced.

**Medical decision making (MDM).** Source: AMA, *CPT Evaluation and Management (E/M)
Office or Other Outpatient (99202-99215) and Prolonged Services Code and Guideline
Changes*, effective 2021-01-01 ("Levels of Medical Decision Making" table), with the
table's 2023 revision (which added "stable acute illness" and "acute uncomplicated
illness or injury requiring hospital care" at low, "parenteral controlled
substances" at high).  Three elements are each given a level:

* problems addressed: minimal, low, moderate, high (``PROBLEM_KINDS``);
* data reviewed and analyzed: minimal or none, limited, moderate, extensive, from
  three categories (``Data``);
* risk of complications of patient management: minimal, low, moderate, high
  (``RISK_EXAMPLES``).  The AMA table gives examples only for moderate and high; the
  low and minimal examples (over-the-counter drugs; rest, gargles, bandages) are the
  usual teaching conventions carried over from the CMS 1995/1997 Table of Risk.

The MDM level is the highest level that **2 of the 3** elements meet or exceed, that
is, the middle of the three levels.  Straightforward, low, moderate and high map to
99202/99212, 99203/99213, 99204/99214 and 99205/99215.  99211 has no MDM (or time)
requirement, so neither path ever leads to it.

**Time.** Source: CPT 2024, which replaced the 2021 time ranges with a single total
time on the date of the encounter that must be met or exceeded: new patient 99202 15,
99203 30, 99204 45, 99205 60 minutes; established 99212 10, 99213 20, 99214 30, 99215
40 minutes.  When both MDM and time are given, the code is the higher of the two
levels (CPT lets the provider choose either basis); on a tie the basis is MDM, unless
time also earns prolonged-service units, which only a time-based visit can carry.

**Prolonged service 99417.** Source: CPT 99417 (2021, thresholds as revised in 2024):
reported only when the visit is leveled by time and reaches 99205 or 99215, once for
each *full* 15 minutes beyond that code's minimum time.  So the first unit starts at
75 minutes (new) or 55 minutes (established), the second at 90 or 70.  Medicare does
not pay 99417; it uses HCPCS G2212, which starts 15 minutes after the *top* of the old
2021 range (89 minutes for 99205, 69 for 99215; CMS CY2021 physician fee schedule final
rule).  This module implements the CPT rule and says so in its reasoning.

>>> visit = MDM(
...     problems=["stable chronic illness", "stable chronic illness"],
...     data=Data(tests_reviewed=2),
...     risk="prescription drug management",
... )
>>> result = level(new_patient=False, mdm=visit)
>>> result.code, result.basis, result.mdm_level
('99214', 'MDM', 'moderate')
>>> level(new_patient=True, minutes=80).claim_lines()
[('99205', 1), ('99417', 1)]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# -- levels, codes and thresholds --------------------------------------------------------
MDM_NAMES = {1: "straightforward", 2: "low", 3: "moderate", 4: "high"}
ELEMENT_WORDS = {
    "problems": {1: "minimal", 2: "low", 3: "moderate", 4: "high"},
    "data": {1: "minimal or none", 2: "limited", 3: "moderate", 4: "extensive"},
    "risk": {1: "minimal", 2: "low", 3: "moderate", 4: "high"},
}
ELEMENT_TITLES = {
    "problems": "Problems addressed",
    "data": "Data reviewed and analyzed",
    "risk": "Risk of patient management",
}
CODES = {True: ("99202", "99203", "99204", "99205"), False: ("99212", "99213", "99214", "99215")}
TIME_THRESHOLDS = {True: (15, 30, 45, 60), False: (10, 20, 30, 40)}
PROLONGED_CODE = "99417"
PROLONGED_BLOCK = 15
MAX_MINUTES = 24 * 60

# -- problems -----------------------------------------------------------------------------
SELF_LIMITED = "self-limited or minor problem"
STABLE_CHRONIC = "stable chronic illness"

# kind -> (level of one such problem, what it means in plain words)
PROBLEM_KINDS: dict[str, tuple[int, str]] = {
    SELF_LIMITED: (1, "runs a short, predictable course and leaves no lasting harm"),
    STABLE_CHRONIC: (2, "expected to last a year or more and at the patient's treatment goal"),
    "acute uncomplicated illness or injury": (
        2,
        "new or recent, low risk, full recovery expected with treatment",
    ),
    "stable acute illness": (2, "new or recent, treatment started, now improving or steady"),
    "acute uncomplicated illness or injury requiring hospital care": (
        2,
        "low-risk short-term problem whose treatment is given in hospital or observation",
    ),
    "chronic illness with exacerbation": (
        3,
        "a chronic illness that is worse, progressing or causing treatment side effects",
    ),
    "undiagnosed new problem with uncertain prognosis": (
        3,
        "a new problem whose likely course is not yet known (e.g. a breast lump)",
    ),
    "acute illness with systemic symptoms": (
        3,
        "an acute illness affecting the whole body, such as fever with pyelonephritis",
    ),
    "acute complicated injury": (
        3,
        "an injury that needs evaluation of other body systems or has several possible treatments",
    ),
    "chronic illness with severe exacerbation": (
        4,
        "a chronic illness with a severe flare, progression or treatment side effect",
    ),
    "threat to life or bodily function": (
        4,
        "an acute or chronic illness or injury that may soon threaten life or a body function",
    ),
}
PROBLEM_ALIASES = {
    "minor problem": SELF_LIMITED,
    "self-limited problem": SELF_LIMITED,
    "stable chronic": STABLE_CHRONIC,
    "acute uncomplicated illness": "acute uncomplicated illness or injury",
    "acute uncomplicated injury": "acute uncomplicated illness or injury",
    "chronic illness with progression": "chronic illness with exacerbation",
    "chronic illness with side effects of treatment": "chronic illness with exacerbation",
    "undiagnosed new problem": "undiagnosed new problem with uncertain prognosis",
    "chronic illness with severe progression": "chronic illness with severe exacerbation",
    "acute or chronic illness or injury that poses a threat to life or bodily function": (
        "threat to life or bodily function"
    ),
}

# -- risk -----------------------------------------------------------------------------------
# example or level word -> (level, where the example comes from)
_LOW_CONVENTION = "a low-risk example by convention, from the CMS 1995/1997 Table of Risk"
_MINIMAL_CONVENTION = "a minimal-risk example by convention, from the CMS 1995/1997 Table of Risk"
RISK_EXAMPLES: dict[str, tuple[int, str]] = {
    "minimal": (1, "minimal risk from further testing or treatment"),
    "low": (2, "low risk from further testing or treatment"),
    "moderate": (3, "moderate risk from further testing or treatment"),
    "high": (4, "high risk from further testing or treatment"),
    "rest, gargles or bandages": (1, _MINIMAL_CONVENTION),
    "over-the-counter drugs": (2, _LOW_CONVENTION),
    "minor surgery without risk factors": (2, _LOW_CONVENTION),
    "physical or occupational therapy": (2, _LOW_CONVENTION),
    "iv fluids without additives": (2, _LOW_CONVENTION),
    "prescription drug management": (3, "a moderate-risk example in the AMA table"),
    "minor surgery with risk factors": (3, "a moderate-risk example in the AMA table"),
    "elective major surgery without risk factors": (3, "a moderate-risk example in the AMA table"),
    "social determinants of health limit diagnosis or treatment": (
        3,
        "a moderate-risk example in the AMA table",
    ),
    "drug therapy requiring intensive monitoring for toxicity": (
        4,
        "a high-risk example in the AMA table",
    ),
    "elective major surgery with risk factors": (4, "a high-risk example in the AMA table"),
    "emergency major surgery": (4, "a high-risk example in the AMA table"),
    "decision regarding hospitalization": (4, "a high-risk example in the AMA table"),
    "decision not to resuscitate or to de-escalate care": (
        4,
        "a high-risk example in the AMA table",
    ),
    "parenteral controlled substances": (4, "a high-risk example in the AMA table, added in 2023"),
}
RISK_ALIASES = {
    "otc drugs": "over-the-counter drugs",
    "otc drug": "over-the-counter drugs",
    "prescription drugs": "prescription drug management",
    "rx drug management": "prescription drug management",
    "hospitalization": "decision regarding hospitalization",
    "decision to hospitalize": "decision regarding hospitalization",
    "social determinants of health": "social determinants of health limit diagnosis or treatment",
    "sdoh": "social determinants of health limit diagnosis or treatment",
    "dnr": "decision not to resuscitate or to de-escalate care",
}


def _norm(text: str) -> str:
    """Lower case, with hyphens, underscores and repeated spaces made single spaces.

    >>> _norm("  Self-Limited  or_minor problem ")
    'self limited or minor problem'
    """
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


def _lookup(kind: str, table: Mapping[str, object], aliases: Mapping[str, str], what: str) -> str:
    """The canonical key for ``kind`` in ``table`` (any case, hyphens or aliases), or ValueError."""
    if not isinstance(kind, str) or not kind.strip():
        raise ValueError(f"a {what} must be a non-empty string; got {kind!r}")
    wanted = _norm(kind)
    for key in table:
        if _norm(key) == wanted:
            return key
    for alias, key in aliases.items():
        if _norm(alias) == wanted:
            return key
    known = "; ".join(table)
    raise ValueError(f"unknown {what} {kind!r}; use one of: {known}")


def problem_kind(kind: str) -> str:
    """The canonical problem kind for ``kind``; ValueError names the known kinds.

    >>> problem_kind("Stable chronic")
    'stable chronic illness'
    """
    return _lookup(kind, PROBLEM_KINDS, PROBLEM_ALIASES, "problem kind")


def risk_example(example: str) -> str:
    """The canonical risk level word or example for ``example``; ValueError names them.

    >>> risk_example("OTC drugs"), risk_example("Moderate")
    ('over-the-counter drugs', 'moderate')
    """
    return _lookup(example, RISK_EXAMPLES, RISK_ALIASES, "risk level or example")


def element_level(element: str, word: str) -> int:
    """The level (1-4) a level word names for one MDM element; ValueError lists the words.

    Each element has its own words: data is "minimal or none" (or "minimal",
    "none"), "limited", "moderate" or "extensive"; problems and risk are "minimal",
    "low", "moderate" or "high".

    >>> element_level("data", "Limited"), element_level("risk", "high")
    (2, 4)
    """
    if element not in ELEMENT_WORDS:
        raise ValueError(f"unknown MDM element {element!r}; use problems, data or risk")
    words = {_norm(w): lvl for lvl, w in ELEMENT_WORDS[element].items()}
    if element == "data":
        words.update({"minimal": 1, "none": 1})
    got = _norm(word) if isinstance(word, str) else None
    if got not in words:
        allowed = ", ".join(f'"{w}"' for w in ELEMENT_WORDS[element].values())
        raise ValueError(f"{element}: {word!r} is not a level word; use {allowed}")
    return words[got]


# -- the inputs ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One problem addressed at the visit: its kind (a key of ``PROBLEM_KINDS``) and a note.

    >>> Problem("chronic illness with exacerbation", "asthma").level
    3
    """

    kind: str
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", problem_kind(self.kind))
        if not isinstance(self.note, str):
            raise ValueError(f"a problem's note must be a string; got {self.note!r}")

    @property
    def level(self) -> int:
        """The level one problem of this kind reaches on its own (1-4)."""
        return PROBLEM_KINDS[self.kind][0]

    def label(self) -> str:
        """The kind, with the note in brackets when there is one."""
        return f"{self.kind} ({self.note})" if self.note else self.kind


def _count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Data.{name} must be a whole number, 0 or more; got {value!r}")


def _flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"Data.{name} must be True or False; got {value!r}")


@dataclass(frozen=True)
class Data:
    """The data reviewed and analyzed, by the table's three categories.

    Category 1 (tests, documents, independent historian), counted as items:
    ``tests_ordered`` and ``tests_reviewed`` are *unique* tests (one CPT code is one
    test, so a panel is one test; a test ordered at this visit already includes the
    review of its result, so count it once, as ordered); ``external_notes`` counts
    unique outside sources whose notes were reviewed; ``independent_historian`` is an
    assessment needing history from someone other than the patient.
    Category 2: ``independent_interpretation`` of a test another provider performs and
    bills.  Category 3: ``external_discussion`` of management or a test result with an
    external physician or other appropriate source.

    >>> Data(tests_reviewed=2).category1_items()
    2
    """

    tests_ordered: int = 0
    tests_reviewed: int = 0
    external_notes: int = 0
    independent_historian: bool = False
    independent_interpretation: bool = False
    external_discussion: bool = False

    def __post_init__(self) -> None:
        for name in ("tests_ordered", "tests_reviewed", "external_notes"):
            _count(name, getattr(self, name))
        for name in ("independent_historian", "independent_interpretation", "external_discussion"):
            _flag(name, getattr(self, name))

    def category1_items(self, with_historian: bool = False) -> int:
        """Items in category 1: tests ordered or reviewed and external notes (+ historian)."""
        base = self.tests_ordered + self.tests_reviewed + self.external_notes
        return base + int(with_historian and self.independent_historian)


def _as_problems(problems: object) -> tuple[Problem, ...]:
    if isinstance(problems, str | Problem) or not isinstance(problems, Sequence):
        raise ValueError("problems must be a list of Problem(...) or problem-kind strings")
    if not problems:
        raise ValueError("list at least one problem addressed at the visit")
    return tuple(p if isinstance(p, Problem) else Problem(p) for p in problems)


def _as_risks(risk: object) -> tuple[str, ...]:
    items = [risk] if isinstance(risk, str) else risk
    if not isinstance(items, Sequence) or not items:
        raise ValueError("risk must be a level word or example, or a non-empty list of them")
    return tuple(risk_example(r) for r in items)


@dataclass(frozen=True, kw_only=True)
class MDM:
    """The three MDM elements of one visit.

    ``problems``: Problem objects or kind strings (see ``PROBLEM_KINDS``).
    ``data``: a ``Data`` (default: none reviewed).  ``risk``: a level word
    ("minimal", "low", "moderate", "high") or an example from ``RISK_EXAMPLES``, or
    a list of them (the highest counts).

    >>> MDM(problems=["self-limited or minor problem"], risk="otc drugs").level
    1
    """

    problems: Sequence[Problem | str]
    risk: str | Sequence[str]
    data: Data = field(default_factory=Data)

    def __post_init__(self) -> None:
        object.__setattr__(self, "problems", _as_problems(self.problems))
        object.__setattr__(self, "risk", _as_risks(self.risk))
        if not isinstance(self.data, Data):
            raise ValueError(f"data must be a Data(...); got {self.data!r}")

    def elements(self) -> tuple[Element, Element, Element]:
        """The level of each element, with the reason: problems, data, risk."""
        return (
            problems_element(self.problems),
            data_element(self.data),
            risk_element(self.risk),
        )

    @property
    def level(self) -> int:
        """The MDM level (1 straightforward to 4 high): met or exceeded by 2 of 3 elements."""
        return sorted((e.level for e in self.elements()), reverse=True)[1]


# -- the elements ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Element:
    """One MDM element's level (1-4) and the plain-language reason for it."""

    name: str  # "problems", "data" or "risk"
    level: int
    why: str

    @property
    def word(self) -> str:
        """The element's own word for its level, e.g. "limited" for data at level 2."""
        return ELEMENT_WORDS[self.name][self.level]

    def line(self) -> str:
        """One line: title, level word and reason.

        >>> Element("risk", 3, "prescription drug management").line()
        'Risk of patient management: moderate. prescription drug management'
        """
        return f"{ELEMENT_TITLES[self.name]}: {self.word}. {self.why}"


def problems_element(problems: Sequence[Problem]) -> Element:
    """The level of the problems addressed, and why.

    One problem of a kind sets its own level; in addition, 2 or more stable chronic
    illnesses reach moderate and 2 or more self-limited problems reach low.

    >>> problems_element([Problem("stable chronic illness")] * 2).word
    'moderate'
    """
    listed = "; ".join(p.label() for p in problems)
    top = max(problems, key=lambda p: p.level)
    chronic = sum(p.kind == STABLE_CHRONIC for p in problems)
    minor = sum(p.kind == SELF_LIMITED for p in problems)
    if top.level >= 3:
        lvl, why = top.level, f"one {top.kind} is enough for {ELEMENT_WORDS['problems'][top.level]}"
    elif chronic >= 2:
        lvl, why = 3, f"{chronic} stable chronic illnesses (2 or more reach moderate)"
    elif top.level == 2:
        lvl, why = 2, f"one {top.kind} is enough for low"
    elif minor >= 2:
        lvl, why = 2, f"{minor} self-limited or minor problems (2 or more reach low)"
    else:
        lvl, why = 1, "a single self-limited or minor problem is minimal"
    return Element("problems", lvl, f"Addressed: {listed}. {why[0].upper()}{why[1:]}.")


def _plural(n: int, one: str, many: str) -> str:
    """``n`` and the noun in the right number.

    >>> _plural(1, "unit", "units"), _plural(2, "unit", "units")
    ('1 unit', '2 units')
    """
    return f"{n} {one if n == 1 else many}"


def _data_items(data: Data) -> str:
    parts = [
        (data.tests_ordered, "unique test ordered", "unique tests ordered"),
        (data.tests_reviewed, "unique test result reviewed", "unique test results reviewed"),
        (
            data.external_notes,
            "external source's notes reviewed",
            "external sources' notes reviewed",
        ),
    ]
    text = [_plural(n, one, many) for n, one, many in parts if n]
    if data.independent_historian:
        text.append("an independent historian")
    return ", ".join(text) or "no tests, notes or historian"


def data_element(data: Data) -> Element:
    """The level of the data reviewed and analyzed, and why.

    Limited: 2 category-1 items (tests, external notes) or an independent historian.
    Moderate: 1 of 3 categories (category 1 now needs 3 items, the historian
    counting as one; 2 = independent interpretation; 3 = external discussion).
    Extensive: 2 of those 3 categories.

    >>> data_element(Data(tests_reviewed=3, independent_interpretation=True)).word
    'extensive'
    """
    items = data.category1_items(with_historian=True)
    met = {
        f"category 1 ({items} items: {_data_items(data)})": items >= 3,
        "category 2 (independent interpretation of a test)": data.independent_interpretation,
        "category 3 (discussion with an external physician or source)": data.external_discussion,
    }
    done = [name for name, ok in met.items() if ok]
    if len(done) >= 2:
        lvl, why = 4, f"2 of the 3 categories are met: {'; '.join(done)}"
    elif done:
        lvl, why = 3, f"1 of the 3 categories is met: {done[0]} (extensive needs 2)"
    elif data.category1_items() >= 2:
        lvl, why = (
            2,
            (
                f"{_data_items(data)}: 2 tests or documents make limited "
                "(moderate needs 3 items, or category 2 or 3)"
            ),
        )
    elif data.independent_historian:
        lvl, why = (
            2,
            (
                f"{_data_items(data)}: the independent historian (category 2) makes limited "
                "(moderate needs 3 items, historian included)"
            ),
        )
    else:
        lvl, why = 1, f"{_data_items(data)}: limited needs 2 tests or documents, or a historian"
    return Element("data", lvl, why[0].upper() + why[1:] + ".")


def risk_element(risks: Sequence[str]) -> Element:
    """The level of risk of patient management (the highest example given), and why.

    >>> risk_element(["over-the-counter drugs", "decision regarding hospitalization"]).word
    'high'
    """
    top = max(risks, key=lambda r: RISK_EXAMPLES[r][0])
    lvl, source = RISK_EXAMPLES[top]
    if top in ELEMENT_WORDS["risk"].values():
        why = f"Stated as {top}: {source}."
    else:
        why = f"{top[0].upper()}{top[1:]}: {source}."
    return Element("risk", lvl, why)


# -- time -----------------------------------------------------------------------------------
def time_level(new_patient: bool, minutes: int) -> int:
    """The level (1-4) total time supports, or 0 below the lowest threshold.

    >>> time_level(False, 29), time_level(False, 30), time_level(True, 14)
    (2, 3, 0)
    """
    return sum(minutes >= t for t in TIME_THRESHOLDS[new_patient])


def prolonged_units(new_patient: bool, minutes: int) -> int:
    """Units of 99417: each full 15 minutes beyond the 99205 (60) or 99215 (40) time.

    >>> prolonged_units(True, 74), prolonged_units(True, 75), prolonged_units(False, 70)
    (0, 1, 2)
    """
    top = TIME_THRESHOLDS[new_patient][-1]
    return max(0, (minutes - top) // PROLONGED_BLOCK)


def _time_line(new_patient: bool, minutes: int) -> str:
    lvl = time_level(new_patient, minutes)
    codes, limits = CODES[new_patient], TIME_THRESHOLDS[new_patient]
    said = f"Time: {minutes} minutes total on the date of the encounter"
    if lvl == 0:
        return (
            f"{said} is below the {limits[0]} minutes {codes[0]} needs, so time supports no level."
        )
    reached = f"{said} meets {codes[lvl - 1]} ({limits[lvl - 1]} minutes or more)"
    if lvl < 4:
        return f"{reached}; {codes[lvl]} would need {limits[lvl]}."
    return f"{reached}, the highest level."


def _prolonged_line(new_patient: bool, minutes: int) -> str | None:
    top, code = TIME_THRESHOLDS[new_patient][-1], CODES[new_patient][-1]
    units = prolonged_units(new_patient, minutes)
    if minutes < top:
        return None
    medicare = 89 if new_patient else 69
    rule = (
        f"99417 is reported for each full 15 minutes beyond the {top} minutes of {code} "
        f"(first unit at {top + 15}); it applies only when the visit is leveled by time"
    )
    if units:  # a unit means time reached the top level, so time is the basis
        got = f"{minutes - top} minutes beyond {top}, so {_plural(units, 'unit', 'units')} of 99417"
    else:
        got = f"{minutes - top} minutes beyond {top} is less than 15, so no 99417"
    return (
        f"Prolonged service: {rule}; {got}. (Medicare pays G2212 instead, from {medicare} minutes.)"
    )


# -- the result -----------------------------------------------------------------------------
@dataclass
class EMResult:
    """The level of one office or outpatient visit, with the reasoning behind it.

    ``code`` is None only when time alone was given and it is below the lowest
    threshold.  ``basis`` is "MDM" or "time": whichever gives the higher level.
    """

    new_patient: bool
    code: str | None
    basis: str | None
    mdm_level: str | None = None
    minutes: int | None = None
    prolonged_units: int = 0
    elements: tuple[Element, ...] = ()
    reasoning: list[str] = field(default_factory=list)

    @property
    def level(self) -> int:
        """The level of ``code`` (1 for 99202/99212 to 4 for 99205/99215), 0 when none."""
        return CODES[self.new_patient].index(self.code) + 1 if self.code else 0

    def claim_lines(self) -> list[tuple[str, int]]:
        """The codes to report, with units: the visit, then 99417 when it applies."""
        if not self.code:
            return []
        lines = [(self.code, 1)]
        if self.prolonged_units:
            lines.append((PROLONGED_CODE, self.prolonged_units))
        return lines

    def headline(self) -> str:
        """One line: patient type, the codes and the basis.

        >>> level(True, minutes=95).headline()
        'New patient: 99205 + 99417 x 2 (by time)'
        """
        who = "New patient" if self.new_patient else "Established patient"
        if not self.code:
            return f"{who}: no office E/M level is supported"
        codes = " + ".join(c if n == 1 else f"{c} x {n}" for c, n in self.claim_lines())
        return f"{who}: {codes} (by {self.basis})"

    def to_text(self) -> str:
        """The headline and each line of reasoning, as plain text."""
        return "\n".join([self.headline(), *(f"- {line}" for line in self.reasoning)])


def _check_inputs(new_patient: object, mdm: object, minutes: object) -> None:
    if not isinstance(new_patient, bool):
        raise ValueError(f"new_patient must be True or False; got {new_patient!r}")
    if mdm is None and minutes is None:
        raise ValueError("give the visit's MDM, its total minutes, or both")
    if mdm is not None and not isinstance(mdm, MDM):
        raise ValueError(f"mdm must be an MDM(...) or None; got {mdm!r}")
    if minutes is None:
        return
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError(f"minutes must be a whole number of minutes; got {minutes!r}")
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValueError(f"minutes must be between 0 and {MAX_MINUTES}; got {minutes}")


def _patient_line(new_patient: bool) -> str:
    codes = CODES[new_patient]
    if new_patient:
        return f"New patient: levels {codes[0]}-{codes[-1]}."
    return (
        f"Established patient: levels {codes[0]}-{codes[-1]}. 99211 (a minimal visit, often "
        "by clinical staff) has no MDM or time requirement, so neither path leads to it."
    )


def _mdm_line(mdm: MDM, new_patient: bool) -> str:
    words = ", ".join(f"{e.name} {e.word}" for e in mdm.elements())
    name, code = MDM_NAMES[mdm.level], CODES[new_patient][mdm.level - 1]
    return (
        f"MDM: {name}, the highest level met or exceeded by 2 of the 3 elements "
        f"({words}); MDM supports {code}."
    )


def _choose_basis(by_mdm: int, by_time: int, units: int) -> str:
    """ "MDM" or "time": the higher level; on a tie time only when it adds 99417."""
    if by_time > by_mdm or (by_time == by_mdm and units > 0):
        return "time"
    return "MDM"


def _basis_line(basis: str, by_mdm: int, by_time: int, new_patient: bool) -> str:
    codes = CODES[new_patient]
    mdm_code, time_code = codes[by_mdm - 1], (codes[by_time - 1] if by_time else "no level")
    if by_mdm == by_time:
        return f"Basis: MDM and time both give {mdm_code}; reported by {basis}."
    return (
        f"Basis: MDM gives {mdm_code} and time gives {time_code}; the higher level is "
        f"reported, so the basis is {basis}."
    )


def level(new_patient: bool, mdm: MDM | None = None, minutes: int | None = None) -> EMResult:
    """The office or outpatient E/M code for a visit, by MDM, by total time, or both.

    With both, the higher level wins (``basis`` says which).  99417 units are added
    when the visit is leveled by time and reaches 99205/99215 plus 15 minutes.
    Raises ValueError for a non-bool ``new_patient``, neither MDM nor minutes, or
    minutes that are negative, fractional or more than a day.

    >>> level(False, minutes=29).code, level(False, minutes=30).code
    ('99213', '99214')
    """
    _check_inputs(new_patient, mdm, minutes)
    lines = [_patient_line(new_patient)]
    by_mdm = by_time = units = 0
    elements: tuple[Element, ...] = ()
    if mdm is not None:
        elements = mdm.elements()
        by_mdm = mdm.level
        lines += [e.line() for e in elements] + [_mdm_line(mdm, new_patient)]
    if minutes is not None:
        by_time, units = time_level(new_patient, minutes), prolonged_units(new_patient, minutes)
        lines.append(_time_line(new_patient, minutes))
    basis = "time" if mdm is None else _choose_basis(by_mdm, by_time, units)
    if mdm is not None and minutes is not None:
        lines.append(_basis_line(basis, by_mdm, by_time, new_patient))
    chosen = by_time if basis == "time" else by_mdm
    if minutes is not None and (extra := _prolonged_line(new_patient, minutes)):
        lines.append(extra)
    return EMResult(
        new_patient=new_patient,
        code=CODES[new_patient][chosen - 1] if chosen else None,
        basis=basis if chosen else None,
        mdm_level=MDM_NAMES[by_mdm] if mdm is not None else None,
        minutes=minutes,
        prolonged_units=units if basis == "time" and chosen == 4 else 0,
        elements=elements,
        reasoning=lines,
    )


# -- the MDM table, for lessons --------------------------------------------------------------
def mdm_table() -> list[dict[str, str]]:
    """The levels of MDM as rows, in MedBill Lab's words (2 of 3 elements set the level).

    >>> [row["MDM"] for row in mdm_table()]
    ['straightforward', 'low', 'moderate', 'high']
    """
    problems = {lvl: [] for lvl in MDM_NAMES}
    for kind, (lvl, _) in PROBLEM_KINDS.items():
        problems[lvl].append(f"1 {kind}")
    problems[2].append(f"2+ {SELF_LIMITED}s")
    problems[3].append(f"2+ {STABLE_CHRONIC}es")
    data = {
        1: "minimal or none",
        2: "limited: 2 of tests ordered / results reviewed / external notes, OR an "
        "independent historian",
        3: "moderate: 1 of 3 categories: (1) 3 items, historian included; (2) independent "
        "interpretation; (3) discussion with an external physician",
        4: "extensive: 2 of those 3 categories",
    }
    risks = {lvl: [] for lvl in MDM_NAMES}
    for example, (lvl, _) in RISK_EXAMPLES.items():
        if example not in ELEMENT_WORDS["risk"].values():
            risks[lvl].append(example)
    return [
        {
            "MDM": MDM_NAMES[lvl],
            "new": CODES[True][lvl - 1],
            "established": CODES[False][lvl - 1],
            "problems": f"{ELEMENT_WORDS['problems'][lvl]}: " + "; ".join(problems[lvl]),
            "data": data[lvl],
            "risk": f"{ELEMENT_WORDS['risk'][lvl]}, e.g. " + "; ".join(risks[lvl]),
        }
        for lvl in MDM_NAMES
    ]


# -- grading an answer ---------------------------------------------------------------------
@dataclass
class AnswerGrade:
    """Points for an E/M answer: one line per graded part, and the expected reasoning."""

    points: float
    max_points: float
    lines: list[str]
    why: list[str] = field(default_factory=list)
    # the code and each MDM element graded, as data for the class report (element_log)
    rows: list[dict] = field(default_factory=list)

    def element_rows(self) -> list[dict]:
        """The graded parts (the code, each MDM element) with what was expected and given."""
        return [dict(r) for r in self.rows]

    def to_text(self) -> str:
        """A summary line, one line per part, then why the expected answer is right."""
        head = f"{self.points:g} of {self.max_points:g} points"
        why = ["Why:", *(f"  {line}" for line in self.why)] if self.why else []
        return "\n".join([head, *(f"- {line}" for line in self.lines), *why])


def _grade_code(expected: EMResult, answer: object) -> tuple[float, list[str]]:
    """2 points for the code: 1 for the patient type, 1 for the level."""
    code = answer.strip() if isinstance(answer, str) else ""
    want = CODES[expected.new_patient]
    if not code:
        return 0.0, ["Code: none given yet (0 of 2)."]
    if code not in CODES[True] + CODES[False]:
        return 0.0, [f"Code: {code} is not an office E/M level (99202-99205, 99212-99215); 0 of 2."]
    new = code in CODES[True]
    lvl = CODES[new].index(code) + 1
    who = "a new" if expected.new_patient else "an established"
    type_ok, level_ok = new == expected.new_patient, lvl == expected.level
    lines = [
        f"Code {code}, patient type: {'right' if type_ok else 'wrong'}; {who} patient is "
        f"coded {want[0]}-{want[-1]} ({int(type_ok)} of 1).",
        f"Code {code}, level: {MDM_NAMES[lvl]}; the visit supports {MDM_NAMES[expected.level]} "
        f"by {expected.basis}, so {expected.code} ({int(level_ok)} of 1).",
    ]
    return float(type_ok) + float(level_ok), lines


def _grade_element(element: Element, answer: object) -> tuple[float, str]:
    title = ELEMENT_TITLES[element.name]
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return 0.0, f"{title}: no level given yet (0 of 1)."
    try:
        got = element_level(element.name, answer)  # type: ignore[arg-type]
    except ValueError as exc:
        return 0.0, f"{title}: {exc} (0 of 1). It is {element.word}."
    ok = got == element.level
    said = ELEMENT_WORDS[element.name][got]
    verdict = "right" if ok else f"you said {said}, it is {element.word}"
    return float(ok), f"{title}: {verdict} ({int(ok)} of 1). {element.why}"


def grade_answer(
    expected: EMResult, code: object, elements: Mapping[str, object] | None = None
) -> AnswerGrade:
    """Grade a student's code (2 points) and, when given, each MDM element (1 point each).

    The code earns 1 point for the patient type (new or established) and 1 for the
    level.  ``elements`` maps "problems", "data" and "risk" to level words.  Wrong or
    unreadable answers score 0 for that part, with the reason; never an exception.
    The expected reasoning is shown once a code is given (a blank answer reveals nothing).

    >>> expected = level(False, MDM(problems=["stable chronic illness"] * 2,
    ...                             data=Data(tests_reviewed=2), risk="prescription drug management"))
    >>> grade_answer(expected, "99204").points
    1.0
    >>> grade_answer(expected, "99214", {"problems": "moderate", "data": "limited", "risk": "low"}).points
    4.0
    """
    from medbill_lab.training.element_log import element as row

    if not expected.code:
        raise ValueError("the expected result has no code to grade against")
    points, lines = _grade_code(expected, code)
    rows = [row("code", "E/M", expected.code, code, points, 2)]
    total = 2.0
    if elements is not None:
        if not expected.elements:
            raise ValueError("the expected result has no MDM elements to grade against")
        for element in expected.elements:
            given = elements.get(element.name, "")
            got, line = _grade_element(element, given)
            points, total = points + got, total + 1
            lines.append(line)
            rows.append(row(f"MDM {element.name}", "E/M", element.word, given, got, 1))
    if not (
        isinstance(code, str) and code.strip()
    ):  # nothing to explain yet: keep the answer hidden
        lines.append("Type a code and run the check again to see the reasoning.")
        return AnswerGrade(points, total, lines, rows=rows)
    return AnswerGrade(points, total, lines, [expected.headline(), *expected.reasoning], rows)
