"""A teaching MS-DRG payment: base rate x relative weight, and nothing else.

Medicare's inpatient (IPPS) payment starts from the same product, a hospital's base rate
times the MS-DRG's relative weight, and then adjusts it: the wage index (labor share), the
indirect medical education (IME) and disproportionate share (DSH) add-ons, cost outliers,
and the transfer policy that pays some short stays per diem.  The lab leaves every
adjustment out and says so, so a student sees the core of the formula and no invented
figure passes for CMS's.

>>> pay(Decimal("0.8059")).amount
Decimal('4835.40')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medbill_lab.codes.drg import DrgResult

#: A TEACHING base rate, not CMS's: a round figure of the order of the FY2026 national
#: standardized amount, so amounts look like real ones without claiming to be any hospital's.
TEACHING_BASE_RATE = Decimal("6000.00")

#: what a real IPPS payment adds or changes, which this teaching payment leaves out
LEFT_OUT = (
    "wage index (labor share)",
    "indirect medical education (IME)",
    "disproportionate share (DSH)",
    "cost outliers",
    "transfer policy (per diem for short stays)",
    "new-technology add-on payments",
)

CENT = Decimal("0.01")


@dataclass(frozen=True)
class DrgPayment:
    """A teaching payment: the formula's parts, the amount, and what it leaves out."""

    drg: str
    base_rate: Decimal
    weight: Decimal
    amount: Decimal
    notes: tuple[str, ...]

    @property
    def formula(self) -> str:
        """The arithmetic in words, e.g. '$6,000.00 teaching base rate x 0.8059 = $4,835.40'."""
        return f"${self.base_rate:,.2f} teaching base rate x {self.weight} weight = ${self.amount:,.2f}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (money as exact strings)."""
        return {
            "drg": self.drg,
            "base_rate": str(self.base_rate),
            "base_rate_is_teaching": True,
            "weight": str(self.weight),
            "amount": str(self.amount),
            "formula": self.formula,
            "left_out": list(LEFT_OUT),
            "notes": list(self.notes),
        }


def pay(weight: Decimal, base_rate: Decimal = TEACHING_BASE_RATE, drg: str = "") -> DrgPayment:
    """Base rate x weight, rounded half up to the cent.

    >>> pay(Decimal("1.3144"), Decimal("5000")).amount
    Decimal('6572.00')
    """
    if not isinstance(weight, Decimal) or weight < 0:
        raise ValueError(f"a relative weight is a non-negative Decimal, not {weight!r}")
    if not isinstance(base_rate, Decimal) or base_rate <= 0:
        raise ValueError(f"a base rate is a positive Decimal, not {base_rate!r}")
    amount = (base_rate * weight).quantize(CENT, rounding=ROUND_HALF_UP)
    notes = (
        "the base rate is a teaching figure, not CMS's rate or any hospital's",
        "left out: " + ", ".join(LEFT_OUT),
    )
    return DrgPayment(drg, base_rate, weight, amount, notes)


def for_result(result: DrgResult, base_rate: Decimal = TEACHING_BASE_RATE) -> DrgPayment | None:
    """The teaching payment for a grouping, or None when its DRG has no shipped weight
    (a v44 grouping, DRG 998 or 999): the lab never borrows another year's weight."""
    if result.weight is None:
        return None
    payment = pay(result.weight, base_rate, result.drg)
    if result.post_acute:
        extra = (
            f"DRG {result.drg} is a post-acute transfer DRG (Table 5): a discharge to "
            "post-acute care before the geometric mean stay may be paid less under the "
            "transfer policy, which this teaching payment leaves out",
        )
        payment = DrgPayment(
            payment.drg, base_rate, payment.weight, payment.amount, payment.notes + extra
        )
    return payment
