"""What the transactions of a file read by :mod:`medbill_lab.x12.reader` say: the JSON shape
of ``medbill-lab x12 read`` (issue P9), one reader per transaction kind.

835s are read straight from the reader's segments, tolerantly: a segment that makes no sense
becomes a diagnostic and the rest is still read. 837P/837I claims come from
:func:`medbill_lab.x12.x837p.parse_837p` (which keeps COB loops 2320/2330 out of the
subscriber and payer), fed one transaction rewritten with standard delimiters.
999 acknowledgments (:func:`read_999`) and 277CA claim acknowledgments (:func:`read_277ca`)
are read from the reader's segments too. The 835 and 837 readers add the diagnostics of
:mod:`medbill_lab.x12.checks` (money that does not balance, dates that are not dates); every
diagnostic carries a ``kind`` (:func:`kind_of`) beside the issue's four keys.

>>> from medbill_lab.x12.reader import read_interchanges
>>> isa = ("ISA*00*          *00*          *ZZ*A              *ZZ*B              "
...        "*260201*0930*^*00501*000000001*0*T*:~")
>>> body = "ST*835*0001~BPR*I*10*C*CHK~TRN*1*CHK9~CLP*PCN1*1*40*10*5~SE*5*0001~"
>>> text = isa + "GS*HP*A*B*20260201*0930*1*X*005010X221A1~" + body + "GE*1*1~IEA*1*000000001~"
>>> out = interpret(read_interchanges(text))
>>> out["transactions"][0]["payment"], out["transactions"][0]["claims"][0]["status_text"]
('10', 'processed as primary')
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from medbill_lab.datasets import read_csv
from medbill_lab.payer.carc import claim_status_text
from medbill_lab.x12.checks import Check835, claim_totals_837, date_problem, dates_837
from medbill_lab.x12.core import component_in_use
from medbill_lab.x12.reader import (
    Parsed,
    Segment,
    Transaction,
    padded,
    paused_gc,
    read_interchanges,
)
from medbill_lab.x12.x837p import Row, dotted, no_item, outline, parse_837p, x12_to_box

NOT_YET_READ = "not yet read"
#: the diagnostic kind of composites written with another separator than ISA16's
COMPONENT_KIND = "component separator"
#: HI qualifiers that carry diagnoses (ICD-10-CM ABK/ABJ/ABF/APR/ABN, ICD-9 BK/BJ/BF/PR/BN);
#: an 837I's other HI segments hold occurrence, value and condition codes, not diagnoses
DIAGNOSIS_QUALIFIERS = frozenset({"ABK", "ABJ", "ABF", "APR", "ABN", "BK", "BJ", "BF", "PR", "BN"})
#: MIA elements that carry remark codes (MIA05, MIA20-MIA23; MIA24 is an amount)
MIA_REMARKS = (5, 20, 21, 22, 23)
#: MIA amounts (X221A1 2100 MIA), element -> what it pays, in our words
MIA_AMOUNTS = {
    2: "operating outlier",
    4: "DRG amount",
    6: "disproportionate share (DSH)",
    7: "pass-through amount (MSP)",
    8: "capital (PPS) amount",
    9: "capital federal-specific DRG amount",
    10: "capital hospital-specific DRG amount",
    11: "capital disproportionate share DRG amount",
    12: "old capital amount",
    13: "capital indirect medical education amount",
    14: "operating hospital-specific DRG amount",
    16: "operating federal-specific DRG amount",
    17: "capital outlier",
    18: "indirect teaching (IME)",
    19: "non-payable professional component",
    24: "capital exception amount",
}
#: the one MS-DRG table the lab ships, whose titles name a CLP11 DRG (an 835 names no version)
DRG_TITLE_VERSION = "43"
DRG_TITLE_SOURCE = "MS-DRG v43 (FY2026) Table 5"
#: MOA elements that carry remark codes (MOA03-MOA07)
MOA_REMARKS = (3, 4, 5, 6, 7)

Json = dict[str, Any]


#: diagnostic kinds told by their message (the reader's, and this module's own), first match
KINDS = (
    ("truncation", ("truncated",)),
    ("syntax", ("is not a segment ID", "Empty segment", "Text after the IEA")),
    ("envelope", (" says the ", "does not match", "ISA has ")),
    ("old version", ("is X12 4010",)),
    ("unsupported version", ("does not know", NOT_YET_READ)),
    ("structure", ("outside", " without a", "opens it", "before any")),
    ("malformed element", ("composite",)),
    ("unreadable", ("could not be read",)),
)


def kind_of(message: str) -> str:
    """The kind of a diagnostic, from its message: envelope (counts and control numbers),
    truncation, syntax, structure, old version (4010, read as 5010), unsupported version,
    malformed element... else other.

    >>> kind_of("SE01 says the transaction set has 30 segments; it has 31.")
    'envelope'
    """
    return next((kind for kind, marks in KINDS if any(m in message for m in marks)), "other")


def diagnostic(
    severity: str, segment: int | None, loop: str | None, message: str, kind: str = ""
) -> Json:
    """One diagnostic in the JSON shape of ``x12 read``, with its ``kind`` (told by the
    message when not given).

    >>> diagnostic("warning", 3, "2100", "x", "balance")
    {'severity': 'warning', 'segment': 3, 'loop': '2100', 'message': 'x', 'kind': 'balance'}

    A line break that came from the file (inside an element it quotes) is written as ``\\n``,
    so that each diagnostic stays one line.
    """
    if "\n" in message or "\r" in message:
        message = message.replace("\r", "\\r").replace("\n", "\\n")
    return {
        "severity": severity,
        "segment": segment,
        "loop": loop,
        "message": message,
        "kind": kind or kind_of(message),
    }


#: where a segment's composite is (CLM05, else element 1): the composites that tell which
#: component separator a transaction really uses
COMPOSITE_AT = {"SVC": 1, "SV1": 1, "SV2": 1, "HI": 1, "CLM": 5}


def component_found(transaction: Transaction) -> tuple[str, Segment | None]:
    """The component separator the transaction really uses, and the segment whose composite
    shows it (None when that is ISA16 or there is no composite): ISA16, unless its
    composites (SVC01, SV101, SV202, CLM05, HI) are written with another one, as several
    public files do (:func:`~medbill_lab.x12.core.component_in_use` guesses which)."""
    declared = transaction.component
    composites: list[tuple[str, Segment]] = []
    for seg in transaction.segments:
        position = COMPOSITE_AT.get(seg.elements[0])
        if position is not None:
            value = seg.element(position)
            if declared in value:
                return declared, None  # one composite written with it is enough
            composites.append((value, seg))
    # all composites at once: the first guess (in COMPONENT_GUESSES order) that any holds
    guess = component_in_use(declared, "".join(value for value, _ in composites))
    if guess == declared:
        return declared, None
    return guess, next(seg for value, seg in composites if guess in value)


def component_of(transaction: Transaction) -> str:
    """The component separator the transaction really uses (:func:`component_found`)."""
    return component_found(transaction)[0]


def component_warning(transaction: Transaction, component: str, seg: Segment | None) -> list:
    """A warning when the transaction's composites use another component separator than
    its ISA16 declares (:func:`component_found`); nothing when they agree."""
    if seg is None or component == transaction.component:
        return []
    position = COMPOSITE_AT[seg.elements[0]]
    message = (
        f"ISA16 declares {transaction.component!r} as the component separator, but this "
        f"transaction's composites are written with {component!r} ({seg.elements[0]}"
        f"{position:02d} {seg.element(position)!r}): read with {component!r}. A composite "
        "must use the separator its interchange's ISA16 declares (X12 syntax)."
    )
    return [diagnostic("warning", seg.ordinal, None, message, COMPONENT_KIND)]


# -- 835 ------------------------------------------------------------------------------
class _Remit:
    """Walks one 835 transaction's segments into the JSON shape; problems become diagnostics.
    ``steps`` maps each segment ID it reads to its ``seg_<ID>`` handler (others are skipped)."""

    def __init__(self, transaction: Transaction) -> None:
        self.component, self.component_shown = component_found(transaction)
        self.out: Json = {
            "type": "835",
            "version": transaction.version,
            "payer": {"name": "", "id": ""},
            "payee": {"name": "", "id_qualifier": "", "id": ""},
            "payment": "",
            "trace_number": "",
            "claims": [],
            "provider_adjustments": [],
        }
        self.diagnostics: list[Json] = []
        self.party = ""
        self.claim: Json | None = None
        self.service: Json | None = None
        self.steps: dict[str, Callable[[Segment], None]] = {
            name[4:]: getattr(self, name) for name in dir(self) if name.startswith("seg_")
        }

    def loop(self) -> str:
        """The loop the walk is in: 2110 (service), 2100 (claim), 1000A/B or the header."""
        if self.service is not None:
            return "2110"
        if self.claim is not None:
            return "2100"
        return {"PR": "1000A", "PE": "1000B"}.get(self.party, "header")

    def warn(self, seg: Segment, message: str, loop: str | None = None) -> None:
        """Report a segment this reader could not place or understand."""
        self.diagnostics.append(diagnostic("error", seg.ordinal, loop or self.loop(), message))

    def read(self, seg: Segment) -> None:
        """Read one segment (unknown segment IDs are simply skipped)."""
        handler = self.steps.get(seg.elements[0])
        if handler is not None:
            handler(seg)

    def seg_BPR(self, seg: Segment) -> None:
        self.out["payment"] = seg.element(2)

    def seg_TRN(self, seg: Segment) -> None:
        self.out["trace_number"] = seg.element(2)

    def seg_N1(self, seg: Segment) -> None:
        _, self.party, name, qualifier, number = padded(seg, 4)[:5]
        if self.party == "PR":
            self.out["payer"] = {"name": name, "id": number}
        elif self.party == "PE":
            self.out["payee"] = {"name": name, "id_qualifier": qualifier, "id": number}

    def seg_NM1(self, seg: Segment) -> None:
        """NM1*QC (loop 2100): the patient's last and first name and NM109 identifier."""
        elements = seg.elements  # ~70,000 NM1 in a 10 MB 835: the cheap test first
        if len(elements) > 1 and elements[1] == "QC" and self.claim and self.service is None:
            elements = padded(seg, 9)
            self.claim["patient"] = {"last": elements[3], "first": elements[4], "id": elements[9]}

    def seg_REF(self, seg: Segment) -> None:
        _, qualifier, number = padded(seg, 2)[:3]
        if self.party == "PR" and self.claim is None and qualifier == "2U":
            self.out["payer"]["id"] = number

    def seg_CLP(self, seg: Segment) -> None:
        _, number, status, charge, paid, owed, _, payer_number = padded(seg, 7)[:8]
        self.service = None
        self.claim = {
            "patient_control_number": number,
            "status": status,
            "status_text": claim_status_text(status),
            "charge": charge,
            "paid": paid,
            "patient_responsibility": owed,
            "payer_claim_number": payer_number,
        }
        if len(seg.elements) > 11:  # CLP11-13: a DRG-paid inpatient claim
            self.claim.update(drg_fields(*padded(seg, 13)[11:14]))
        patient = {"last": "", "first": "", "id": ""}
        self.claim.update(patient=patient, adjustments=[], remarks=[], services=[])
        self.out["claims"].append(self.claim)

    def seg_CAS(self, seg: Segment) -> None:
        target = self.service if self.service is not None else self.claim
        if target is None:
            self.warn(seg, "CAS found before any CLP claim; its adjustments are not counted")
            return
        elements = seg.elements
        values = (*elements, "")  # the amount after the last reason may be absent
        group, adjustments = values[1], target["adjustments"]
        for start in range(2, len(elements), 3):
            if elements[start]:
                adjustments.append(
                    {"group": group, "reason": elements[start], "amount": values[start + 1]}
                )

    def _remarks(self, seg: Segment, positions: tuple[int, ...]) -> None:
        if self.claim is None:
            self.warn(seg, f"{seg.id} found before any CLP claim; its remarks are not counted")
            return
        values = padded(seg, positions[-1])
        self.claim["remarks"].extend(values[p] for p in positions if values[p])

    def seg_MOA(self, seg: Segment) -> None:
        self._remarks(seg, MOA_REMARKS)

    def seg_MIA(self, seg: Segment) -> None:
        """MIA (inpatient adjudication): its remarks join the claim's, and its days and
        amounts are kept as ``inpatient`` (only the amounts the payer wrote, zeros too)."""
        self._remarks(seg, MIA_REMARKS)
        if self.claim is not None:
            self.claim["inpatient"] = inpatient_fields(padded(seg, 24))

    def seg_SVC(self, seg: Segment) -> None:
        if self.claim is None:
            self.service = None
            self.warn(seg, "SVC found before any CLP claim; the service line is not counted")
            return
        _, composite, charge, paid, revenue, units = padded(seg, 5)[:6]
        parts = composite.split(self.component)
        if len(parts) < 2 or not parts[1]:
            self.warn(
                seg,
                f"SVC01 {composite!r} is not a qualifier{self.component}code composite; "
                "the line's code and amounts may be misplaced",
                loop="2110",
            )
        self.service = {
            "qualifier": parts[0],
            "code": parts[1] if len(parts) > 1 else "",
            "modifiers": [m for m in parts[2:6] if m],
            "charge": charge,
            "paid": paid,
            "units": units or "1",
            "date": "",
            "date_to": "",
            "adjustments": [],
            "remarks": [],
        }
        # SVC04, or the code itself when SVC01 names a revenue code (qualifier NU)
        revenue = revenue or (self.service["code"] if parts[0] == "NU" else "")
        if revenue:
            self.service["revenue_code"] = revenue
        self.claim["services"].append(self.service)

    def seg_DTM(self, seg: Segment) -> None:
        if self.service is not None:
            _, qualifier, date = padded(seg, 2)[:3]
            # 472 service date; 150/151 the start and end of a service period (2110 DTM)
            if qualifier in ("472", "150"):
                self.service["date"] = date
            elif qualifier == "151":
                self.service["date_to"] = date

    def seg_LQ(self, seg: Segment) -> None:
        target = self.service if self.service is not None else self.claim
        if target is None:
            self.warn(seg, "LQ found before any claim; its remark is not counted")
        elif seg.element(1) == "HE":
            target["remarks"].append(seg.element(2))

    def seg_PLB(self, seg: Segment) -> None:
        self.claim, self.service = None, None
        values = (*seg.elements, "")
        for start in range(3, len(seg.elements), 2):
            if values[start]:
                reason, _, reference = values[start].partition(self.component)
                self.out["provider_adjustments"].append(
                    {"reason": reason, "reference": reference, "amount": values[start + 1]}
                )


@lru_cache(maxsize=1024)
def drg_title(code: str) -> str:
    """The title of an MS-DRG in the lab's shipped table (:data:`DRG_TITLE_SOURCE`), ''
    when the code is not one of its DRGs (another grouper's, or not a DRG at all).

    >>> drg_title("194"), drg_title("65")[:12], drg_title("ABC"), drg_title("1941")
    ('SIMPLE PNEUMONIA AND PLEURISY WITH CC', 'INTRACRANIAL', '', '')
    """
    from medbill_lab.codes import drg  # only an 835 with a DRG loads the table

    if not (code.isascii() and code.isdigit() and len(code) <= 3):
        return ""
    row = drg.table(DRG_TITLE_VERSION).get(code.zfill(3))
    return row.title if row else ""


def drg_fields(code: str, weight: str, fraction: str) -> Json:
    """CLP11-13 in the JSON shape: the DRG with its title (and where the title is from),
    the weight, and the discharge fraction; nothing for elements the payer left empty.

    >>> drg_fields("194", "0.8059", "")["drg_title_source"]
    'MS-DRG v43 (FY2026) Table 5'
    >>> drg_fields("", "", "")
    {}
    """
    out: Json = {}
    if code or weight:
        title = drg_title(code)
        out = {"drg": code, "drg_title": title, "drg_weight": weight}
        if title:
            out["drg_title_source"] = DRG_TITLE_SOURCE
    if fraction:
        out["discharge_fraction"] = fraction
    return out


def inpatient_fields(values: tuple[str, ...]) -> Json:
    """An MIA segment's elements (padded) in the JSON shape: covered days (MIA01), lifetime
    psychiatric days (MIA03) and cost report days (MIA15) when given, each amount the payer
    wrote (:data:`MIA_AMOUNTS`) with its element and meaning, and the remark codes."""
    out: Json = {"covered_days": values[1]}
    if values[3]:
        out["lifetime_psychiatric_days"] = values[3]
    if values[15]:
        out["cost_report_days"] = values[15]
    out["amounts"] = [
        {"element": f"MIA{position:02d}", "meaning": meaning, "amount": values[position]}
        for position, meaning in MIA_AMOUNTS.items()
        if values[position]
    ]
    out["remarks"] = [values[p] for p in MIA_REMARKS if values[p]]
    return out


def read_835(transaction: Transaction) -> tuple[Json, list[Json]]:
    """One 835 transaction in the JSON shape, and the diagnostics its reading raised: the
    reading, the date checks and the balance checks (:class:`~medbill_lab.x12.checks.Check835`)
    in one pass over its segments, each segment sent only to the handlers of its ID."""
    walk, check = _Remit(transaction), Check835()
    reads, checks = walk.steps, check.steps
    with paused_gc():  # ~1,000,000 new dicts and lists for a 10 MB file, and no cycles
        for seg in transaction.segments:
            seg_id = seg.elements[0]
            if (read := reads.get(seg_id)) is not None:
                read(seg)
            if (step := checks.get(seg_id)) is not None:
                step(seg)
        balance = check.balance()
    separator = component_warning(transaction, walk.component, walk.component_shown)
    return walk.out, in_file_order(separator + walk.diagnostics + check.dates + balance)


def in_file_order(found: list[Json]) -> list[Json]:
    """Diagnostics sorted by their segment (those without one first), else as found."""
    return sorted(found, key=lambda d: -1 if d["segment"] is None else d["segment"])


# -- 837P / 837I ----------------------------------------------------------------------
_STANDARD_ISA = (
    "ISA*00*          *00*          *ZZ*{:<15}*ZZ*{:<15}*260101*1200*^*00501*000000001*0*T*{}~"
)


def standard_text(transaction: Transaction, component: str) -> str:
    """The transaction alone, in one interchange written with ``*``, ``component`` and ``~``
    and a padded ISA, the form :func:`~medbill_lab.x12.x837p.parse_837p` reads.  A file whose
    component separator is ``*`` or ``~`` (valid with other element and segment marks) has
    its composites written with the first of ``: > ! |`` that no element holds."""
    elements = [seg.elements for seg in transaction.segments]
    if component in ("*", "~"):
        held = {c for els in elements for e in els for c in e}
        stand_in = next((c for c in ":>!|" if c not in held), component)
        elements = [[e.replace(component, stand_in) for e in els] for els in elements]
        component = stand_in
    isa = _STANDARD_ISA.format("SENDER", "RECEIVER", component)
    gs = f"GS*HC*SENDER*RECEIVER*20260101*1200*1*X*{transaction.version}~"
    body = "".join("*".join(els) + "~" for els in elements)
    return f"{isa}{gs}{body}GE*1*1~IEA*1*000000001~"


def _money(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _claim_json(claim: Json) -> Json:
    subscriber = claim["subscriber"]
    return {
        "patient_control_number": claim["account"],
        "charge": _money(claim["total"]),
        "subscriber": {
            "member_id": claim["member_id"],
            "last": subscriber.get("last", ""),
            "first": subscriber.get("first", ""),
        },
        "payer": {"id": claim["payer_id"]},
        "other_payers": [
            {
                "sequence": other["sequence"],
                "member_id": other["member_id"],
                "payer_id": other["payer_id"],
                "payer_name": other["payer_name"],
                "paid": _money(other["paid"]),
            }
            for other in claim["other_payers"]
        ],
        "diagnoses": claim["diagnoses"],
        "lines": [
            {
                "code": line["code"],
                "modifiers": line["modifiers"],
                "charge": _money(line["charge"]),
                "units": _money(line["units"]),
                "date_from": _date(line["date_from"]),
                "date_to": _date(line["date_to"]),
            }
            for line in claim["lines"]
        ],
    }


def _institutional_diagnoses(transaction: Transaction, component: str) -> list[list[str]]:
    """Diagnoses per CLM of an 837I, from every HI (parse_837p keeps the last HI only,
    which on a UB-04 claim is often an occurrence or value code)."""
    per_claim: list[list[str]] = []
    for seg in transaction.segments:
        if seg.id == "CLM":
            per_claim.append([])
        elif seg.id == "HI" and per_claim:
            for element in seg.elements[1:]:
                qualifier, _, rest = element.partition(component)
                code = rest.split(component)[0]
                if qualifier in DIAGNOSIS_QUALIFIERS and code:
                    per_claim[-1].append(dotted(code))
    return per_claim


def iso_date(value: str) -> str:
    """A CCYYMMDD date as ``CCYY-MM-DD``; ``""`` when it is not a calendar date.

    >>> iso_date("20261105"), iso_date("20260230")
    ('2026-11-05', '')
    """
    return "" if date_problem(value) else f"{value[:4]}-{value[4:6]}-{value[6:]}"


def dtp_span(seg: Segment) -> tuple[str, str]:
    """A DTP's date or period (DTP02 D8 or RD8) as ISO ``(from, to)``; ``("", "")`` when
    DTP03 is no date (the date check reports it).

    >>> dtp_span(Segment(("DTP", "434", "RD8", "20261101-20261105"), 9, 7))
    ('2026-11-01', '2026-11-05')
    """
    start, _, end = seg.element(3).partition("-")
    if seg.element(2) == "D8" or not end:
        end = start
    return iso_date(start), iso_date(end)


def _institutional_lines(transaction: Transaction, component: str) -> list[list[Json]]:
    """SV2 lines per CLM (parse_837p reads SV1 only): revenue code, procedure, charge, units,
    and the line's service date or period (DTP*472 in loop 2400)."""
    per_claim: list[list[Json]] = []
    for seg in transaction.segments:
        if seg.id == "CLM":
            per_claim.append([])
        elif seg.id == "DTP" and seg.element(1) == "472" and per_claim and per_claim[-1]:
            per_claim[-1][-1]["date_from"], per_claim[-1][-1]["date_to"] = dtp_span(seg)
        elif seg.id == "SV2" and per_claim:
            parts = seg.element(2).split(component)
            per_claim[-1].append(
                {
                    "revenue_code": seg.element(1),
                    "code": parts[1] if len(parts) > 1 else "",
                    "modifiers": [m for m in parts[2:6] if m],
                    "charge": seg.element(3),
                    "units": seg.element(5),
                    "date_from": "",
                    "date_to": "",
                }
            )
    return per_claim


def _statement_periods(transaction: Transaction) -> list[tuple[str, str]]:
    """Each 837I claim's statement period (DTP*434 in loop 2300, UB-04 form locator 6)."""
    per_claim: list[tuple[str, str]] = []
    for seg in transaction.segments:
        if seg.id == "CLM":
            per_claim.append(("", ""))
        elif seg.id == "DTP" and seg.element(1) == "434" and per_claim:
            per_claim[-1] = dtp_span(seg)
    return per_claim


def _loops_837(text: str, count: int) -> list[str]:
    """The loop of each of the ``count`` segments of the one transaction set in ``text``
    (a :func:`standard_text`: ISA and GS come before them)."""
    return [row.loop for row in outline(text)[2 : 2 + count]]


def _no_claims(transaction: Transaction) -> tuple[Json, list[Json]]:
    """An 837 set with no CLM at all (an empty batch, or one cut short): read as holding no
    claims, with one warning, rather than as a set that could not be read."""
    out = {"type": transaction.kind, "version": transaction.version, "claims": []}
    message = (
        f"transaction set {transaction.control_number} ({transaction.kind}) holds no claim: "
        "it has no CLM segment (loop 2300)"
    )
    return out, [diagnostic("warning", _first_ordinal(transaction), None, message, "structure")]


def read_837(transaction: Transaction) -> tuple[Json, list[Json]]:
    """One 837P or 837I transaction in the JSON shape, and its diagnostics (dates that are
    not dates, a CLM02 that is not the sum of the line charges)."""
    component, shown = component_found(transaction)
    text = standard_text(transaction, component)
    if not any(seg.elements[0] == "CLM" for seg in transaction.segments):
        return _no_claims(transaction)
    claims = [_claim_json(c) for c in parse_837p(text)]
    if transaction.kind == "837I":
        lines = _institutional_lines(transaction, component)
        diagnoses = _institutional_diagnoses(transaction, component)
        periods = _statement_periods(transaction)
        for claim, its_lines, its_codes, period in zip(
            claims, lines, diagnoses, periods, strict=False
        ):
            claim["lines"], claim["diagnoses"] = its_lines, its_codes
            claim["statement_from"], claim["statement_to"] = period
    out = {"type": transaction.kind, "version": transaction.version, "claims": claims}
    loops = _loops_837(text, len(transaction.segments))
    found = dates_837(transaction, loops) + claim_totals_837(transaction)
    return out, in_file_order(component_warning(transaction, component, shown) + found)


# -- 999 ------------------------------------------------------------------------------
#: AK9-01 / IK5-01 acknowledgment codes, in our own words (X12 999 implementation guide)
ACK_CODES = {
    "A": "accepted",
    "E": "accepted, with errors noted",
    "P": "partially accepted",
    "R": "rejected",
    "M": "rejected: message authentication failed",
    "W": "rejected: assurance failed",
    "X": "rejected: content could not be decrypted",
}
#: IK3-04 segment syntax error codes, in our own words
SEGMENT_ERRORS = {
    "1": "segment ID not recognized",
    "2": "segment not expected here",
    "3": "a required segment is missing",
    "4": "loop repeats more times than allowed",
    "5": "segment repeats more times than allowed",
    "6": "segment is not defined in this transaction set",
    "7": "segment is out of order",
    "8": "segment has data element errors",
    "I4": "segment the guide marks 'not used' is present",
    "I6": "a situationally required segment is missing",
    "I7": "loop occurs fewer times than the guide requires",
    "I8": "segment occurs fewer times than the guide requires",
    "I9": "segment the guide marks 'not used' in this situation is present",
}
#: IK4-03 data element error codes, in our own words
ELEMENT_ERRORS = {
    "1": "a required element is missing",
    "2": "a conditionally required element is missing",
    "3": "too many elements",
    "4": "element is too short",
    "5": "element is too long",
    "6": "element has an invalid character",
    "7": "element has an invalid code value",
    "8": "element has an invalid date",
    "9": "element has an invalid time",
    "10": "element present although another element excludes it",
    "12": "element repeats too often",
    "13": "too many components",
    "I6": "code value is not used by this implementation",
    "I9": "a situationally required element is missing",
    "I10": "element the guide marks 'not used' is present",
    "I11": "element repeats fewer times than the guide requires",
    "I12": "element does not match the required pattern",
    "I13": "element the guide marks 'not used' in this situation is present",
}


def words(table: dict[str, str], code: str) -> str:
    """A code in words from one of the tables above, saying so when the code is unknown.

    >>> words(ACK_CODES, "R"), words(ACK_CODES, "Q")
    ('rejected', 'unknown code Q')
    """
    return table.get(code, f"unknown code {code}")


def read_999(transaction: Transaction) -> tuple[Json, list[Json]]:
    """One 999: the functional group's verdict (AK9), each transaction set's (IK5) and
    each error (IK3 segment, position in its set and loop; IK4 element and code), in words."""
    out: Json = {"type": "999", "version": transaction.version, "group": {}, "sets": []}
    current: Json | None = None
    error: Json | None = None
    component = transaction.component
    for seg in transaction.segments:
        if seg.id == "AK1":
            out["group"] = {"code": seg.element(1), "control_number": seg.element(2)}
        elif seg.id == "AK2":
            current = {"kind": seg.element(1), "control_number": seg.element(2), "errors": []}
            out["sets"].append(current)
        elif seg.id == "IK3" and current is not None:
            error = {
                "segment_id": seg.element(1),
                "position": int(seg.element(2)) if seg.element(2).isdigit() else None,
                "loop": seg.element(3),
                "code": seg.element(4),
                "text": words(SEGMENT_ERRORS, seg.element(4)),
                "elements": [],
            }
            current["errors"].append(error)
        elif seg.id == "IK4" and error is not None:
            position = seg.element(1).split(component)
            error["elements"].append(
                {
                    "position": position[0],
                    "component": position[1] if len(position) > 1 else "",
                    "code": seg.element(3),
                    "text": words(ELEMENT_ERRORS, seg.element(3)),
                    "bad_value": seg.element(4),
                }
            )
        elif seg.id == "CTX" and error is not None and seg.element(1).startswith("CLM01"):
            # the business context: which claim (CLM01) the error sits in
            error["claim_id"] = seg.element(1).partition(component)[2]
        elif seg.id == "IK5" and current is not None:
            current["status"] = seg.element(1)
            current["status_text"] = words(ACK_CODES, seg.element(1))
        elif seg.id == "AK9":
            out["status"] = seg.element(1)
            out["status_text"] = words(ACK_CODES, seg.element(1))
            out["accepted_sets"] = seg.element(4)
            out["received_sets"] = seg.element(3)
    return out, []


def control_key(value: str) -> str:
    """A control number as it is compared: as a number when it is one (``0001`` is ``1``),
    else as its text without padding spaces.

    >>> control_key("000000001"), control_key("0"), control_key(" AB1 ")
    ('1', '0', 'AB1')
    """
    value = value.strip()
    return str(int(value)) if value.isascii() and value.isdigit() else value


SetKey = tuple[str, str]


def _outlines_837(claims: bytes | str) -> dict[SetKey, tuple[list[Row], int]]:
    """Each 837 transaction set of a file by (its group's GS06, its ST02), as
    :func:`control_key` compares them: its :func:`~medbill_lab.x12.x837p.outline` and how
    many claims (CLM) come before it in the file.  Two groups may both number their sets
    0001, so ST02 alone does not tell them apart.  The file is read with the tolerant reader,
    so an unpadded ISA or other delimiters work; each set is outlined in its standard form
    (:func:`standard_text`), so segments read ``AMT*D*15``."""
    found: dict[SetKey, tuple[list[Row], int]] = {}
    before = 0
    for interchange in read_interchanges(claims).interchange_list:
        for group in interchange.groups:
            for transaction in group.transactions:
                if transaction.type != "837":
                    continue
                rows = outline(standard_text(transaction, component_of(transaction)))
                key = (control_key(group.control_number), control_key(transaction.control_number))
                found.setdefault(key, (rows, before))
                before += sum(seg.id == "CLM" for seg in transaction.segments)
    return found


def _set_of(
    sets: dict[SetKey, tuple[list[Row], int]], group: str, number: str
) -> tuple[list[Row], int]:
    """The 837 set a 999's AK2 answers: the one with the AK1-02 group and AK2-02 set control
    numbers; by AK2-02 alone (the first) only when the 999 names no group."""
    if group:
        return sets.get((control_key(group), control_key(number)), ([], 0))
    wanted = control_key(number)
    return next((found for key, found in sets.items() if key[1] == wanted), ([], 0))


def trace_999(ack: Json, claims: bytes | str) -> None:
    """Name, for each 999 error, the claim (0-based in the file), loop and CMS-1500 item of
    the 837P segment it points at, using :func:`~medbill_lab.x12.x837p.outline` (in place).
    Each AK2 set is looked for by the 999's group (AK1-02 = GS06) and its own AK2-02 (= ST02).
    ``claims`` is the 837P file's bytes (decoded as :func:`~medbill_lab.x12.reader.decode`
    does) or text.  An error outside every claim (the header, loop 1000A/B) gets ``claim``
    None.  ``traced_loop`` is the 837P loop of the segment; where no item carries it,
    ``no_item`` says why when that is known (the other payer's EOB for loop 2320's CAS)."""
    sets = _outlines_837(claims)
    group = ack.get("group", {}).get("control_number", "")
    for one_set in ack["sets"]:
        rows, before = _set_of(sets, group, one_set["control_number"])
        start = next((r.position for r in rows if r.segment.startswith("ST*")), None)
        for error in one_set["errors"]:
            if start is None or error["position"] is None:
                continue
            row = next((r for r in rows if r.position == start + error["position"] - 1), None)
            if row is None or not row.segment.startswith(error["segment_id"]):
                continue
            element = error["elements"][0]["position"] if error["elements"] else ""
            name = f"{error['segment_id']}{int(element):02d}" if element.isdigit() else ""
            qualifier = row.segment.split("*")[1] if "*" in row.segment else ""
            error["claim"] = None if row.claim is None else row.claim + before
            clm = next(
                (r for r in rows if r.claim == row.claim and r.segment.startswith("CLM*")), None
            )
            if clm is not None:
                error["claim_id"] = clm.segment.split("*")[1]
            error["segment"] = row.segment
            error["traced_loop"] = row.loop  # the 837P's own loop, whatever IK3 says
            # One lookup with the segment's qualifier: AMT*F2 in 2320 is not item 29's AMT*D
            segment = f"{error['segment_id']}*{qualifier}"
            # no 2000C loop for this claim: the patient is the insured (X222A1 2000C)
            self_claim = row.claim is not None and not any(
                r.claim == row.claim and r.loop.startswith(("2000C", "2010C")) for r in rows
            )
            error["item"] = x12_to_box(row.loop, segment, name, patient_is_insured=self_claim)
            if error["item"] is None and (reason := no_item(row.loop, segment, name)):
                error["no_item"] = reason


# -- 277CA ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def status_categories() -> dict[str, tuple[str, str]]:
    """STC01-1 claim status categories: code -> (meaning, outcome), from datasets/remit.

    >>> status_categories()["A7"][1]
    'rejected'
    """
    rows = read_csv("remit/claim_status_category.csv")
    return {row["code"]: (row["meaning"], row["outcome"]) for row in rows}


@lru_cache(maxsize=2)
def remit_words(name: str) -> dict[str, str]:
    """A ``code,meaning`` table of datasets/remit (``claim_status_code`` or
    ``entity_identifier``) as a dict.

    >>> remit_words("entity_identifier")["IL"]
    'insured or subscriber'
    """
    return {row["code"]: row["meaning"] for row in read_csv(f"remit/{name}.csv")}


def _said(name: str, code: str) -> str:
    """A code's meaning from a datasets/remit table, or an honest 'not listed'."""
    if not code:
        return ""
    return remit_words(name).get(code, f"code {code} is not in our teaching list")


def _status(seg: Segment, component: str) -> Json:
    """An STC segment's first status: category (STC01-1), status code (STC01-2), entity."""
    parts = seg.element(1).split(component)
    category = parts[0]
    meaning, outcome = status_categories().get(category, (f"unknown category {category}", "other"))
    return {
        "category": category,
        "category_text": meaning,
        "outcome": outcome,
        "status_code": parts[1] if len(parts) > 1 else "",
        "status_text": _said("claim_status_code", parts[1] if len(parts) > 1 else ""),
        "entity": parts[2] if len(parts) > 2 else "",
        "entity_text": _said("entity_identifier", parts[2] if len(parts) > 2 else ""),
        "date": seg.element(2),
        "amount": seg.element(4),
    }


def _party() -> Json:
    """A receiver (HL 21) or billing provider (HL 19) of a 277CA, before its segments."""
    return {"name": "", "id": "", "trace_number": "", "statuses": []}


def read_277ca(transaction: Transaction) -> tuple[Json, list[Json]]:
    """One 277CA: each claim (the patient-level HL, code PT) with its patient control number
    (TRN02, the 837's CLM01), the payer's claim number (REF*1K) and its status in words;
    counts of accepted and rejected claims.  The statuses above the claims are kept too:
    ``batch``, the information receiver's level (HL 21, loop 2200B: the batch as a whole,
    e.g. A1:19 received), and ``providers``, each billing provider's level (HL 19, loop
    2200C), where a rejection turns back every claim of that provider."""
    component = transaction.component
    out: Json = {
        "type": "277CA",
        "version": transaction.version,
        "batch": _party(),
        "providers": [],
        "claims": [],
    }
    holder: Json | None = None  # the claim, batch or provider the next segments describe
    level = ""
    for seg in transaction.segments:
        if seg.id == "HL":
            level = seg.element(3)
            holder = None
            if level == "PT":
                holder = {"patient_control_number": "", "payer_claim_number": "", "statuses": []}
                out["claims"].append(holder)
            elif level == "21":
                holder = out["batch"]
            elif level == "19":
                holder = _party()
                out["providers"].append(holder)
        elif holder is None:
            continue
        elif seg.id == "STC":
            holder["statuses"].append(_status(seg, component))
        elif level == "PT":
            if seg.id == "TRN" and seg.element(1) == "2":
                holder["patient_control_number"] = seg.element(2)
            elif seg.id == "REF" and seg.element(1) == "1K":
                holder["payer_claim_number"] = seg.element(2)
        elif seg.id == "NM1":
            holder["name"], holder["id"] = seg.element(3), seg.element(9)
        elif seg.id == "TRN":
            holder["trace_number"] = seg.element(2)
    for one in (*out["claims"], out["batch"], *out["providers"]):
        one["outcome"] = one["statuses"][0]["outcome"] if one["statuses"] else "other"
    out["accepted"] = sum(c["outcome"] == "accepted" for c in out["claims"])
    out["rejected"] = sum(c["outcome"] == "rejected" for c in out["claims"])
    return out, []


# -- dispatch -------------------------------------------------------------------------
READERS: dict[str, Callable[[Transaction], tuple[Json, list[Json]]]] = {
    "835": read_835,
    "837P": read_837,
    "837I": read_837,
    "999": read_999,
    "277CA": read_277ca,
}


# 4010 was HIPAA's version until 2012; its 835 and 837 segments that this command reads
# (BPR, CLP, CAS, SVC, CLM, SV1, SV2, HI, NM1 ...) mean what they mean in 5010, so an old
# file is read with a warning rather than refused.
OLD_KINDS = ("835", "837P", "837I")
OLD_VERSION = (
    "{} is X12 4010, replaced by 5010 for HIPAA in 2012: read as 5010 where the "
    "segments mean the same"
)
#: said of an old 837 only: an 835 carries no diagnosis codes
OLD_DIAGNOSES = "; its diagnosis codes may be ICD-9 (HI qualifier BK/BF)"


def old_version_warning(transaction: Transaction) -> str:
    """The 4010 warning: read as 5010; for an 837P/837I, its diagnoses may be ICD-9.

    >>> old_version_warning(Transaction("835", "0001", "004010X091A1"))[-13:]
    'mean the same'
    >>> old_version_warning(Transaction("837", "0001", "004010X098A1"))[-12:]
    'ifier BK/BF)'
    """
    message = OLD_VERSION.format(transaction.version)
    return message + OLD_DIAGNOSES if transaction.type == "837" else message


def _first_ordinal(transaction: Transaction) -> int | None:
    return transaction.segments[0].ordinal if transaction.segments else None


def interpret_transaction(transaction: Transaction) -> tuple[Json, list[Json]]:
    """One transaction in the JSON shape. A kind not read here, or a reader that fails on
    this transaction, gives a note and a diagnostic instead: never an exception."""
    kind, where = transaction.kind, _first_ordinal(transaction)
    version = transaction.version[:6]
    readable = version == "005010" or (version == "004010" and kind in OLD_KINDS)
    reader = READERS.get(kind) if readable else None
    if reader is None:
        note = {"type": kind, "version": transaction.version, "note": NOT_YET_READ}
        message = (
            f"transaction set {transaction.control_number} ({kind} {transaction.version}) "
            f"is {NOT_YET_READ}: this command reads 835, 837P, 837I (5010 and 4010), 999 and 277CA"
        )
        return note, [diagnostic("warning", where, None, message)]
    try:
        out, found = reader(transaction)
    except (ValueError, LookupError, ArithmeticError, TypeError) as exc:
        note = {"type": kind, "version": transaction.version, "note": "could not be read"}
        message = f"transaction set {transaction.control_number} ({kind}) could not be read: {exc}"
        return note, [diagnostic("error", where, None, message)]
    if transaction.version.startswith("004010"):
        found.insert(0, diagnostic("warning", where, None, old_version_warning(transaction)))
    return out, found


def interpret(parsed: Parsed) -> Json:
    """A whole file: ``{"interchanges", "transactions", "diagnostics"}`` (the reader's
    envelope diagnostics first, in file order, then each transaction's)."""
    diagnostics = [
        diagnostic(d.severity, d.segment, d.loop, f"{d.segment_id}: {d.message}".lstrip(": "))
        for d in parsed.diagnostics
    ]
    transactions = []
    for transaction in parsed.transactions:
        out, found = interpret_transaction(transaction)
        transactions.append(out)
        diagnostics.extend(found)
    return {
        "interchanges": parsed.interchanges,
        "transactions": transactions,
        "diagnostics": diagnostics,
    }
