"""What a class misses: item and element analysis of an nbgrader course, and mastery by topic.

``build(dir)`` reads a course made by ``medbill-lab course init``:

* **the gradebook** (``gradebook.db``): each student's score on each grade cell of
  each assignment.  A cell is an *item*: its mean score, the share who earned all of
  its points, and its difficulty and discrimination (classical item analysis,
  :mod:`medbill_lab.training.item_analysis`, computed per assignment);
* **the autograded notebooks** (``autograded/<student>/<assignment>/*.ipynb``): the
  rows a hidden test logged with :mod:`medbill_lab.training.element_log`, one per
  graded *element* of the cell (a code, a box, a modifier, a posted amount): what was
  expected, what the student gave, and the points.  From them come each element's
  mean and full-credit share, the most common wrong answers ("E11.9 instead of
  E11.22: 14 students") and each student's mastery by topic: the share of points
  earned over the elements of that topic, a cell's elements sharing the cell's
  points.  A cell that logs no elements counts as one element of its assignment's
  topic (:data:`ASSIGNMENT_TOPICS`), so every graded point is in some topic.

Only graded work counts: a student with no submission of an assignment is left out
of its figures (not counted as 0), and a written answer still waiting for the
instructor's grade is left out until it is graded.

The report is data (``to_dict``/``to_json``), a self-contained HTML page
(``to_html``: no script, no network) and CSV files (``write_csv``).  Nothing here
prints.

>>> wrong = WrongAnswer("icd10cm_coding", "test_case_1", "E11.22", "E11.22", "E11.9", 14)
>>> wrong.text
'E11.9 instead of E11.22: 14 students'
"""

from __future__ import annotations

import csv
import json
import os
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from medbill_lab.training import element_log, item_analysis

# the topic of an assignment's cells that log no elements of their own
ASSIGNMENT_TOPICS = {
    "terminology": "terminology",
    "icd10cm_coding": "diagnosis coding",
    "inpatient_drg": "inpatient coding",
    "modifier_ncci": "modifiers",
    "em_leveling": "E/M",
    "cms1500_completion": "CMS-1500 boxes",
    "ub04_completion": "UB-04",
    "post_835": "posting",
    "denial_queue": "denials",
    "ar_aging": "AR",
    "deidentify_notes": "compliance/privacy",
    "fraud_schemes": "compliance/privacy",
}
TOP_WRONG = 5  # wrong answers listed per element in the HTML view
TOP_ELEMENTS = 10  # elements whose top wrong answer the text view lists, per assignment
CSV_FILES = ("items.csv", "elements.csv", "wrong_answers.csv", "mastery.csv")


class ReportError(ValueError):
    """The course cannot be reported on: the message says why, in one line."""


# -- the report's rows ------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentSummary:
    """One assignment: its graded submissions and their total scores."""

    name: str
    max_score: float
    scores: dict[str, float]  # student -> total score

    @property
    def submissions(self) -> int:
        """How many students' work is graded."""
        return len(self.scores)

    @property
    def mean(self) -> float:
        """The mean total score."""
        return statistics.fmean(self.scores.values()) if self.scores else 0.0


@dataclass(frozen=True)
class ItemRow:
    """One grade cell of an assignment, over the students graded on it."""

    assignment: str
    item: str
    max_score: float
    n: int
    mean: float
    full_share: float
    difficulty: float
    discrimination: float | None
    upper_lower: float | None
    flags: tuple[str, ...] = ()
    title: str = ""  # the graded cell's one-line title ("Case 2 (3 points)"), if it has one

    @property
    def label(self) -> str:
        """The item as a teacher reads it: its title, with the cell id after it."""
        return f"{self.title} [{self.item}]" if self.title else self.item


@dataclass(frozen=True)
class ElementRow:
    """One graded element of an item, over the students whose notebook logged it."""

    assignment: str
    item: str
    element: str
    topic: str
    expected: str
    max_score: float
    n: int
    mean: float
    full_share: float


@dataclass(frozen=True)
class WrongAnswer:
    """One wrong answer to an element and how many students gave it."""

    assignment: str
    item: str
    element: str
    expected: str
    given: str
    students: int

    @property
    def text(self) -> str:
        """'E11.9 instead of E11.22: 14 students' (a blank is '(blank)', an extra code
        'I10 (not expected)')."""
        given = self.given or "(blank)"
        what = f"{given} instead of {self.expected}" if self.expected else f"{given} (not expected)"
        return f"{what}: {self.students} student{'s' if self.students != 1 else ''}"


@dataclass(frozen=True)
class Mastery:
    """One student's points on one topic."""

    student: str
    topic: str
    earned: float
    possible: float

    @property
    def share(self) -> float:
        """Points earned over points possible, from 0 to 1 (a penalty never goes below 0)."""
        return min(1.0, max(0.0, self.earned / self.possible)) if self.possible > 0 else 0.0


@dataclass(frozen=True)
class CourseReport:
    """The whole report (see the module's docstring)."""

    course_id: str
    assignments: tuple[AssignmentSummary, ...]
    items: tuple[ItemRow, ...]
    elements: tuple[ElementRow, ...]
    wrong_answers: tuple[WrongAnswer, ...]
    mastery: tuple[Mastery, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    # -- views for the instructor ------------------------------------------------------
    @property
    def students(self) -> list[str]:
        """Every student with graded work, sorted."""
        return sorted({m.student for m in self.mastery} | _students(self.assignments))

    @property
    def topics(self) -> list[str]:
        """The topics with points, in the order of ``element_log.TOPICS`` (others after)."""
        found = {m.topic for m in self.mastery if m.possible > 0}
        known = [t for t in element_log.TOPICS if t in found]
        return known + sorted(found - set(known))

    def mastery_table(self) -> dict[str, dict[str, float | None]]:
        """Student -> topic -> share (None where the student had no points to earn)."""
        table: dict[str, dict[str, float | None]] = {
            s: dict.fromkeys(self.topics) for s in self.students
        }
        for m in self.mastery:
            if m.possible > 0:
                table[m.student][m.topic] = m.share
        return table

    def weakest_topic(self, student: str) -> str | None:
        """The topic of the student's lowest mastery (None when they have none)."""
        shares = {t: v for t, v in self.mastery_table().get(student, {}).items() if v is not None}
        return min(shares, key=lambda t: (shares[t], t)) if shares else None

    def wrong_for(self, assignment: str, item: str, element: str) -> list[WrongAnswer]:
        """The wrong answers to one element, most common first."""
        return [
            w
            for w in self.wrong_answers
            if (w.assignment, w.item, w.element) == (assignment, item, element)
        ]

    def item(self, assignment: str, item: str) -> ItemRow:
        """One item's row (KeyError when the report has none)."""
        for row in self.items:
            if (row.assignment, row.item) == (assignment, item):
                return row
        raise KeyError(f"{assignment}/{item}")

    # -- outputs --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "course_id": self.course_id,
            "assignments": [
                {
                    "name": a.name,
                    "max_score": a.max_score,
                    "submissions": a.submissions,
                    "mean": round(a.mean, 3),
                    "scores": a.scores,
                }
                for a in self.assignments
            ],
            "items": [asdict(r) for r in self.items],
            "elements": [asdict(r) for r in self.elements],
            "wrong_answers": [{**asdict(w), "text": w.text} for w in self.wrong_answers],
            "topics": self.topics,
            "mastery": self.mastery_table(),
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        """The report as indented JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_html(self) -> str:
        """The report as one self-contained HTML page (inline style, no script)."""
        return _html(self)

    def to_text(self) -> str:
        """A plain-text summary for the terminal."""
        return _text(self)

    def write_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write items.csv, elements.csv, wrong_answers.csv and mastery.csv; return them."""
        out = Path(folder).expanduser()
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(f"cannot create the CSV folder {out}: {exc.strerror}") from None
        tables = {
            "items.csv": _item_table(self.items),
            "elements.csv": _element_table(self.elements),
            "wrong_answers.csv": _wrong_table(self.wrong_answers),
            "mastery.csv": _mastery_csv(self),
        }
        paths = []
        for name, rows in tables.items():
            path = out / name
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows([[_csv_cell(c) for c in row] for row in rows])
            paths.append(path)
        return paths


def _csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: the given answers are the students' own, and one
    starting with = + - or @ would run as a formula when the instructor opens the file
    (CSV injection), so it gets a leading apostrophe.  Numbers ("-3.10") stay numbers.

    >>> _csv_cell("=1+2"), _csv_cell("@SUM(A1)"), _csv_cell("-3.1"), _csv_cell("E11.9")
    ("'=1+2", "'@SUM(A1)", '-3.1', 'E11.9')
    """
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def _students(assignments: Iterable[AssignmentSummary]) -> set[str]:
    return {s for a in assignments for s in a.scores}


def _r(x: float | None, digits: int = 3) -> str:
    return "" if x is None else f"{round(x, digits):g}"


def _item_table(items: Iterable[ItemRow]) -> list[list[str]]:
    head = ["assignment", "item", "max_score", "n", "mean", "full_share", "difficulty"]
    head += ["discrimination", "upper_lower", "flags"]
    body = [
        [
            r.assignment,
            r.item,
            _r(r.max_score),
            str(r.n),
            _r(r.mean),
            _r(r.full_share),
            _r(r.difficulty),
            _r(r.discrimination),
            _r(r.upper_lower),
            "; ".join(r.flags),
        ]
        for r in items
    ]
    return [head, *body]


def _element_table(elements: Iterable[ElementRow]) -> list[list[str]]:
    head = ["assignment", "item", "element", "topic", "expected", "max_score", "n", "mean"]
    body = [
        [
            r.assignment,
            r.item,
            r.element,
            r.topic,
            r.expected,
            _r(r.max_score),
            str(r.n),
            _r(r.mean),
            _r(r.full_share),
        ]
        for r in elements
    ]
    return [[*head, "full_share"], *body]


def _wrong_table(wrong: Iterable[WrongAnswer]) -> list[list[str]]:
    head = ["assignment", "item", "element", "expected", "given", "students"]
    return [
        head,
        *[[w.assignment, w.item, w.element, w.expected, w.given, str(w.students)] for w in wrong],
    ]


def _mastery_csv(report: CourseReport) -> list[list[str]]:
    topics = report.topics
    rows = [["student", *topics]]
    for student, shares in report.mastery_table().items():
        rows.append([student, *(_r(shares[t]) for t in topics)])
    return rows


# -- reading the course -------------------------------------------------------------------
@dataclass
class _Grade:
    student: str
    assignment: str
    item: str
    score: float
    max_score: float


def _course(directory: str | os.PathLike[str]) -> tuple[Path, str]:
    """The course folder and its id; ReportError for a folder that is no graded course."""
    from medbill_lab.training import course

    root = Path(directory).expanduser()
    if not root.is_dir():
        raise ReportError(f"{root} is not a folder")
    if not (root / course.CONFIG_FILE).is_file():
        raise ReportError(f"{root} is not a course folder (no {course.CONFIG_FILE})")
    if not (root / course.GRADEBOOK).is_file():
        raise ReportError(f"{root} has no gradebook ({course.GRADEBOOK}); run course init")
    try:
        course_id, _ = course.read_config(root)
    except Exception as exc:  # a config that does not load: say so in one line
        raise ReportError(f"cannot read {root / course.CONFIG_FILE}: {exc}") from None
    return root.resolve(), course_id


def _source_cells(root: Path, assignment: str) -> Iterator[dict]:
    """Every cell of the assignment's source notebooks, in order (a notebook that does not
    read is passed over)."""
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        try:
            yield from json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue


def _cell_titles(root: Path, assignment: str) -> dict[str, str]:
    """Grade cell id -> the one-line title its test cell opens with (``# Case 1 (3 points).``).

    Only code cells: a written answer's cell is markdown and may open with its model answer,
    which the report must never show.
    """
    titles: dict[str, str] = {}
    for cell in _source_cells(root, assignment):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade") or not meta.get("grade_id"):
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else source).splitlines()
        if lines and lines[0].startswith("# ") and len(lines[0]) <= 100:
            titles.setdefault(meta["grade_id"], lines[0][2:].strip().rstrip("."))
    return titles


def _cell_order(root: Path, assignment: str) -> dict[str, int]:
    """Grade cell id -> its position in the source notebooks (for the report's order)."""
    order: dict[str, int] = {}
    for cell in _source_cells(root, assignment):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id and grade_id not in order:
            order[grade_id] = len(order)
    return order


def _read_gradebook(
    root: Path, course_id: str, only: str | None
) -> tuple[list[str], dict[str, float], list[_Grade]]:
    """(assignment names, their max scores, every graded cell score) from the gradebook;
    ReportError in one line when the gradebook is no database nbgrader can read."""
    from sqlalchemy.exc import SQLAlchemyError

    from medbill_lab.training import course

    try:
        return _gradebook_rows(root, course_id, only)
    except SQLAlchemyError as exc:  # a damaged or foreign gradebook.db: no SQL to the user
        why = getattr(exc, "orig", None) or type(exc).__name__
        raise ReportError(f"cannot read the gradebook {root / course.GRADEBOOK}: {why}") from None


def _gradebook_rows(
    root: Path, course_id: str, only: str | None
) -> tuple[list[str], dict[str, float], list[_Grade]]:
    """What :func:`_read_gradebook` returns, read through nbgrader's Gradebook API."""
    from nbgrader.api import Gradebook

    from medbill_lab.training import course

    grades: list[_Grade] = []
    with course._quiet_nbgrader(), Gradebook(course._db_url(root), course_id=course_id) as gb:
        names = sorted(a.name for a in gb.assignments)
        if only is not None and only not in names:
            raise ReportError(
                f"no assignment {only!r} in the gradebook; it has: {', '.join(names) or 'none'}"
            )
        names = [only] if only else names
        maxima = {}
        for name in names:
            assignment = gb.find_assignment(name)
            maxima[name] = float(assignment.max_score)
            many = len(assignment.notebooks) > 1
            for sub in gb.assignment_submissions(name):
                for nb in sub.notebooks:
                    for g in nb.grades:
                        if g.needs_manual_grade and g.manual_score is None:
                            continue  # a written answer not graded yet
                        item = f"{nb.name}/{g.name}" if many else g.name
                        top = float(g.max_score)
                        score = min(max(float(g.score), 0.0), top)
                        grades.append(_Grade(sub.student.id, name, item, score, top))
    return names, maxima, grades


def _logged(root: Path, assignment: str, student: str) -> dict[str, list[dict[str, Any]]]:
    """Grade cell id -> element rows, from one student's autograded notebooks."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((root / "autograded" / student / assignment).glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for grade_id, rows in element_log.read_notebook(nb).items():
            found.setdefault(grade_id, []).extend(rows)
    return found


# -- building -------------------------------------------------------------------------------
def build(directory: str | os.PathLike[str], assignment: str | None = None) -> CourseReport:
    """The report on a course folder (one assignment, or all with graded work).

    ReportError when the folder is not a course, has no gradebook, has no such
    assignment, or has no graded submission (of ``assignment``, when given).
    """
    root, course_id = _course(directory)
    names, maxima, grades = _read_gradebook(root, course_id, assignment)
    graded = [n for n in names if any(g.assignment == n for g in grades)]
    if not graded:
        what = f"of {assignment!r} " if assignment else ""
        raise ReportError(
            f"no graded submissions {what}in {root}; run course collect and course grade first"
        )
    notes = []
    if assignment is None and len(graded) < len(names):
        notes.append(f"not graded yet: {', '.join(n for n in names if n not in graded)}")
    summaries, items, elements, wrong, points = [], [], [], [], []
    cautions: dict[str, list[str]] = {}  # one line per caution, naming every assignment it fits
    for name in graded:
        mine = [g for g in grades if g.assignment == name]
        order = _cell_order(root, name)
        summaries.append(_summary(name, maxima[name], mine))
        rows_of_items, caution = _items(name, mine, order, _cell_titles(root, name))
        items += rows_of_items
        for c in caution:
            cautions.setdefault(c, []).append(name)
        logs = {s: _logged(root, name, s) for s in sorted({g.student for g in mine})}
        rows = _element_rows(name, mine, logs)
        elements += _elements(name, rows, order)
        wrong += _wrong(name, rows, order)
        points += rows
    notes += [f"{', '.join(names)}: {c}" for c, names in cautions.items()]
    return CourseReport(
        course_id=course_id,
        assignments=tuple(summaries),
        items=tuple(items),
        elements=tuple(elements),
        wrong_answers=tuple(wrong),
        mastery=tuple(_mastery(points)),
        notes=tuple(notes),
    )


def _summary(name: str, max_score: float, grades: list[_Grade]) -> AssignmentSummary:
    totals: dict[str, float] = defaultdict(float)
    for g in grades:
        totals[g.student] += g.score
    return AssignmentSummary(name, max_score, {s: round(v, 2) for s, v in sorted(totals.items())})


def _items(
    name: str,
    grades: list[_Grade],
    order: Mapping[str, int],
    titles: Mapping[str, str] | None = None,
) -> tuple[list[ItemRow], tuple[str, ...]]:
    """Each grade cell's figures, with difficulty and discrimination from item_analysis,
    and item_analysis's caution when the class is too small for them."""
    responses = [
        item_analysis.Response(g.student, g.item, None, g.score, g.max_score) for g in grades
    ]
    analysis = item_analysis.analyse(responses)
    everyone = len({g.student for g in grades})
    rows = []
    for stats in analysis.items:
        mine = [g for g in grades if g.item == stats.item_id]
        top = max(g.max_score for g in mine)
        flags = tuple(f for f in stats.flags if not f.startswith("option"))
        if stats.n < everyone:
            # a written answer nbgrader left for the instructor: only the blank ones are
            # scored (0) so far, so "very hard" or a discrimination would mislead
            flags = (
                f"graded for {stats.n} of {everyone} so far: the rest wait for a grade by hand",
            )
        rows.append(
            ItemRow(
                assignment=name,
                item=stats.item_id,
                max_score=top,
                n=stats.n,
                mean=round(statistics.fmean(g.score for g in mine), 4),
                full_share=round(sum(g.score >= g.max_score for g in mine) / len(mine), 4),
                difficulty=round(stats.difficulty, 4),
                discrimination=_round(stats.discrimination),
                upper_lower=_round(stats.upper_lower),
                flags=flags,
                title=(titles or {}).get(stats.item_id, ""),
            )
        )
    return sorted(rows, key=lambda r: (_position(order, r.item), r.item)), analysis.notes


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _position(order: Mapping[str, int], item: str) -> int:
    return order.get(item.rsplit("/", 1)[-1], len(order))


@dataclass(frozen=True)
class _Point:
    """One element of one student's work (a logged row, or a whole cell)."""

    student: str
    assignment: str
    item: str
    element: str
    topic: str
    expected: str
    given: str
    earned: float
    max: float
    logged: bool
    weight: float = 1.0  # the cell's points per point of its logged elements


def _element_rows(
    name: str, grades: list[_Grade], logs: Mapping[str, Mapping[str, list[dict[str, Any]]]]
) -> list[_Point]:
    """Every element of every graded cell: its logged rows, or the cell itself as one."""
    topic = ASSIGNMENT_TOPICS.get(name, name)
    out = []
    for g in grades:
        rows = logs.get(g.student, {}).get(g.item.rsplit("/", 1)[-1], [])
        if not rows:
            out.append(
                _Point(g.student, name, g.item, "", topic, "", "", g.score, g.max_score, False)
            )
            continue
        total = sum(r["max"] for r in rows)
        weight = g.max_score / total if total > 0 else 1.0
        for r in rows:
            out.append(
                _Point(
                    g.student,
                    name,
                    g.item,
                    r["element"],
                    r["topic"],
                    r["expected"],
                    r["given"],
                    r["earned"],
                    r["max"],
                    True,
                    weight,
                )
            )
    return out


def _elements(name: str, points: list[_Point], order: Mapping[str, int]) -> list[ElementRow]:
    """Each logged element with points to earn: mean and full-credit share."""
    groups: dict[tuple[str, str], list[_Point]] = defaultdict(list)
    for p in points:
        if p.logged and p.max > 0:
            groups[(p.item, p.element)].append(p)
    rows = []
    for (item, elem), ps in groups.items():
        expected = Counter(p.expected for p in ps).most_common(1)[0][0]
        rows.append(
            ElementRow(
                assignment=name,
                item=item,
                element=elem,
                topic=ps[0].topic,
                expected=expected,
                max_score=max(p.max for p in ps),
                n=len(ps),
                mean=round(statistics.fmean(p.earned for p in ps), 4),
                full_share=round(sum(p.earned >= p.max for p in ps) / len(ps), 4),
            )
        )
    return sorted(rows, key=lambda r: (_position(order, r.item), r.item))


def _wrong(name: str, points: list[_Point], order: Mapping[str, int]) -> list[WrongAnswer]:
    """Each (element, given) pair that lost points, with the number of students."""
    who: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for p in points:
        if p.logged and (p.earned < p.max or p.earned < 0):
            who[(p.item, p.element, p.expected, p.given)].add(p.student)
    rows = [
        WrongAnswer(name, item, elem, expected, given, len(students))
        for (item, elem, expected, given), students in who.items()
    ]
    return sorted(rows, key=lambda w: (_position(order, w.item), w.item, -w.students, w.given))


def _mastery(points: Iterable[_Point]) -> list[Mastery]:
    """Each student's points earned and possible on each topic, in the cells' points: a
    cell's elements share its points in proportion to their own (a coding case's 7
    grader points are its 3 in the gradebook), so each cell weighs as the gradebook has it."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for p in points:
        sums[(p.student, p.topic)][0] += p.earned * p.weight
        sums[(p.student, p.topic)][1] += p.max * p.weight
    return [
        Mastery(student, topic, round(e, 4), round(m, 4))
        for (student, topic), (e, m) in sorted(sums.items())
    ]


# -- text and HTML views ----------------------------------------------------------------------
def top_wrong(
    report: CourseReport, assignment: str, limit: int = TOP_ELEMENTS
) -> list[WrongAnswer]:
    """The most common wrong answer of each element of an assignment, the most given first."""
    first: dict[tuple[str, str], WrongAnswer] = {}
    for w in report.wrong_answers:  # already most common first within an element
        if w.assignment == assignment:
            first.setdefault((w.item, w.element), w)
    return sorted(first.values(), key=lambda w: -w.students)[:limit]


def _titles(report: CourseReport, assignment: str) -> dict[str, str]:
    """Item id -> its title without the points ("Case 1"), for the rows under an item: the
    items of ``assignment`` that have a title."""
    return {
        r.item: re.sub(r"\s*\(\d+(?:\.\d+)? points?\)$", "", r.title)
        for r in report.items
        if r.assignment == assignment and r.title
    }


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def _text(report: CourseReport) -> str:
    lines = [f"Course {report.course_id}: {len(report.students)} student(s) with graded work"]
    for a in report.assignments:
        lines.append("")
        lines.append(
            f"{a.name}: {a.submissions} graded, mean {a.mean:.2f} of {a.max_score:g}"
            f" ({_pct(a.mean / a.max_score if a.max_score else None)})"
        )
        for r in (r for r in report.items if r.assignment == a.name):
            disc = "-" if r.discrimination is None else f"{r.discrimination:+.2f}"
            lines.append(
                f"  {r.label}: mean {r.mean:.2f}/{r.max_score:g}, full {_pct(r.full_share)},"
                f" difficulty {r.difficulty:.2f}, discrimination {disc}"
                + (f"  [{'; '.join(r.flags)}]" if r.flags else "")
            )
        wrong = top_wrong(report, a.name)
        if wrong:
            lines.append("  most common wrong answer of each element (most students first):")
            titles = _titles(report, a.name)
            lines += [
                f"    {titles[w.item] + ',' if w.item in titles else w.item} {w.element}: {w.text}"
                for w in wrong
            ]
    lines.append("")
    lines.append("Mastery by topic (share of points earned):")
    for student, shares in report.mastery_table().items():
        cells = ", ".join(f"{t} {_pct(v)}" for t, v in shares.items() if v is not None)
        lines.append(f"  {student}: {cells}")
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines)


_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:72em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.8em;background:#4a7fb5;vertical-align:middle}
.flag{color:#a33}.muted{color:#777}
"""


def _heat(share: float | None) -> str:
    """A cell's background: red (0) through yellow to green (1)."""
    if share is None:
        return "#eee"
    hue = round(120 * share)
    return f"hsl({hue},65%,80%)"


def _bar(share: float) -> str:
    width = max(0, min(100, round(100 * share)))
    return f'<span class="bar" style="width:{width / 20:.2f}em"></span> {_pct(share)}'


def _html(report: CourseReport) -> str:
    e = escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Class report: {e(report.course_id)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Class report: {e(report.course_id)}</h1>",
        f'<p class="muted">{len(report.students)} student(s) with graded work. Difficulty is'
        " the mean share of an item's points (1 = everyone right); discrimination is the"
        " correlation between an item and the rest of the assignment (below 0: stronger"
        " students do worse on it).</p>",
    ]
    parts += [f'<p class="flag">{e(n)}</p>' for n in report.notes]
    parts.append("<h2>Assignments</h2><table><tr><th>Assignment</th><th>Graded</th>")
    parts.append("<th>Mean</th><th>Of</th><th>Mean share</th></tr>")
    for a in report.assignments:
        share = a.mean / a.max_score if a.max_score else 0.0
        parts.append(
            f"<tr><td>{e(a.name)}</td><td class=n>{a.submissions}</td>"
            f"<td class=n>{a.mean:.2f}</td><td class=n>{a.max_score:g}</td>"
            f"<td>{_bar(share)}</td></tr>"
        )
    parts.append("</table>")
    for a in report.assignments:
        parts.append(f"<h2>{e(a.name)}: items</h2>")
        parts.append(
            "<table><tr><th>Item</th><th>Mean</th><th>Of</th><th>All right</th>"
            "<th>Difficulty</th><th>Discrimination</th><th>Flags</th></tr>"
        )
        for r in (r for r in report.items if r.assignment == a.name):
            parts.append(
                f"<tr><td>{e(r.title or r.item)}"
                + (f' <span class="muted">{e(r.item)}</span>' if r.title else "")
                + f"</td><td class=n>{r.mean:.2f}</td>"
                f"<td class=n>{r.max_score:g}</td><td>{_bar(r.full_share)}</td>"
                f"<td class=n>{r.difficulty:.2f}</td><td class=n>{_r(r.discrimination, 2) or '-'}</td>"
                f'<td class="flag">{e("; ".join(r.flags))}</td></tr>'
            )
        parts.append("</table>")
        mine = [x for x in report.elements if x.assignment == a.name]
        titles = _titles(report, a.name)
        if mine:
            parts.append(
                "<table><tr><th>Item</th><th>Element</th><th>Topic</th><th>Expected</th>"
                "<th>All right</th><th>Most common wrong answers</th></tr>"
            )
            for x in mine:
                wrong = report.wrong_for(a.name, x.item, x.element)[:TOP_WRONG]
                listed = "<br>".join(e(w.text) for w in wrong) or '<span class="muted">none</span>'
                parts.append(
                    f"<tr><td>{e(titles.get(x.item, x.item))}</td><td>{e(x.element)}</td>"
                    f"<td>{e(x.topic)}</td>"
                    f"<td><code>{e(x.expected)}</code></td><td>{_bar(x.full_share)}</td>"
                    f"<td>{listed}</td></tr>"
                )
            parts.append("</table>")
    topics = report.topics
    parts.append("<h2>Mastery by topic</h2><table><tr><th>Student</th>")
    parts += [f"<th>{e(t)}</th>" for t in topics]
    parts.append("</tr>")
    for student, shares in report.mastery_table().items():
        cells = "".join(
            f'<td class=n style="background:{_heat(shares[t])}">{_pct(shares[t])}</td>'
            for t in topics
        )
        parts.append(f"<tr><td>{e(student)}</td>{cells}</tr>")
    parts.append("</table></body></html>")
    return "\n".join(parts)
