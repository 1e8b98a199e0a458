"""The fraud lab's referral form: the providers an analyst refers for E/M upcoding.

The lab is answered in pandas (questions 1 to 4 ask for dozens of claim lines out of
some 30,000, found with code); its last question names a handful of providers, the way
an SIU analyst's referral does, so it is answered on a plain-text form
(``%%answers fraud_schemes:upcoding upcoding_providers``).  The form maps to the set of
provider IDs :func:`medbill_lab.compliance.fraud.grade_answer` takes, so the points (F1
of precision and recall) are the same as for the set a course made before the form
holds.  The model answer in a course's source is its own lab's upcoders, written there
by :func:`medbill_lab.compliance.fraud_lab.prepare_exercise`.

>>> a = forms.parse(FORMS["upcoding"], "Providers referred for E/M upcoding: p003,P011")
>>> sorted(providers_from(a))
['P003', 'P011']
"""

from __future__ import annotations

from collections.abc import Iterable

from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec

# the label the model answer is written after (fraud_lab.prepare_exercise finds it)
LABEL = "Providers referred for E/M upcoding"
FORMS = {
    "upcoding": FormSpec(
        "fraud_schemes:upcoding",
        [
            Field(
                "providers",
                LABEL,
                "codes",
                pattern=r"P\d{3,}",
                hint="provider IDs, comma between, e.g. P012, P040",
            )
        ],
        title="Referral: the providers whose E/M levels sit far above their specialty's",
    )
}
# the name the answer cell binds
BINDS = {"upcoding": "upcoding_providers"}


def magic(which: str = "upcoding") -> str:
    """The answer cell's first line: ``%%answers fraud_schemes:upcoding upcoding_providers``."""
    return forms.magic_line("fraud_schemes", which, BINDS)


def providers_from(given: object) -> object:
    """The set of provider IDs the form names (a course made before the form: its set)."""
    if isinstance(given, FormAnswers):
        return set(given.get("providers", []))  # type: ignore[call-overload]
    return given


def filled_form(providers: Iterable[str]) -> str:
    """The referral form naming ``providers`` (the model answer is the lab's upcoders)."""
    return forms.fill_form(FORMS["upcoding"], {"providers": sorted(providers)})
