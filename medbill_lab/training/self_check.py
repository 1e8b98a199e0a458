"""The feedback of a self-check, shared by the lessons' checks (:mod:`lesson_checks`) and the
CPT/HCPCS quiz (:mod:`quizzes`): one shape of result and one wording of its first lines, so a
learner reads the same "No answer yet" / "Not yet" in every lesson.  Each engine keeps its
own questions, its own way of comparing answers and the lines it adds (a rule's source, what a
code means).

>>> not_yet("76", "91", None)
['Not yet: you answered 76; the answer is 91.', 'That answer does not fit this situation.']
>>> print(unanswered("repeat_lab", "", "Which modifier?").to_text())
No answer yet: type one between the quotes.
Which modifier?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NO_SLIP = "That answer does not fit this situation."


@dataclass
class Feedback:
    """The result of one self-check: right or not, and why, in plain lines."""

    item: Any  # the question or lesson check answered
    given: str
    correct: bool
    lines: list[str]

    def to_text(self) -> str:
        """The feedback as plain text."""
        return "\n".join(self.lines)


def unanswered(item: Any, given: str, prompt: str) -> Feedback:
    """The feedback on a blank answer: ask for one, and repeat the question."""
    return Feedback(item, given, False, ["No answer yet: type one between the quotes.", prompt])


def not_yet(shown: str, answer: str, slip: str | None) -> list[str]:
    """The first lines on a wrong answer: what was given against the answer, then the reason
    behind that slip (or a plain "does not fit" when it is not a usual one)."""
    return [f"Not yet: you answered {shown}; the answer is {answer}.", slip or NO_SLIP]
