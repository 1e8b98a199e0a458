"""Files our own writers make, for the X12 read-back and corruption tests: an 837P of the
sample claims (datasets/claims/clean-*) with one COB secondary claim (loops 2320-2330B), and
an 835 of two payments from the payer simulator (a primary with deductible, copay and
non-covered lines; a secondary, status 2, with a PLB)."""

from __future__ import annotations

import codecs
import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from medbill_lab.claims import model as claims
from medbill_lab.payer.remittance import Adjustment, ProviderAdjustment, Remittance
from medbill_lab.payer.simulator import PayerPolicy, adjudicate, adjudicate_secondary, remit
from medbill_lab.x12.x835 import to_835
from medbill_lab.x12.x837p import PriorLine, PriorPayer, to_837p

ROOT = Path(__file__).resolve().parents[1]
BATCH = [claims.load(p) for p in sorted((ROOT / "datasets" / "claims").glob("clean-*"))]
WHEN = dt.datetime(2026, 2, 1, 9, 30)
COB = 1  # the batch's second claim goes to its payer as the secondary (loops 2320-2330B)


def prior_payer(claim: claims.Claim) -> PriorPayer:
    """What a first plan paid on ``claim``: 60 % of each line, the rest deductible."""
    paid = [(line.charge * Decimal("0.6")).quantize(Decimal("0.01")) for line in claim.lines]
    lines = [
        PriorLine(p, [Adjustment("PR", "1", line.charge - p)])
        for p, line in zip(paid, claim.lines, strict=True)
    ]
    return PriorPayer(
        payer=claims.Payer("First Health Plan", "FHP01", "CI"),
        member_id="FHPMBR77",
        subscriber=claims.Person("Rowe", "Sam", "", dt.date(1980, 5, 1), "M", None),
        relationship="spouse",
        group_number="GRP77",
        plan_name="",
        paid=sum(paid, Decimal(0)),
        adjudicated_on=dt.date(2026, 1, 20),
        lines=lines,
    )


PRIOR = prior_payer(BATCH[COB])
OUR_837P = to_837p(BATCH, when=WHEN, prior_payers={COB: PRIOR})


def remittances() -> list[Remittance]:
    """Two payments from the payer simulator: the batch's first payer's claims under a plan
    with a deductible, a copay and a non-covered code, and a secondary payment (status 2)
    with a provider-level adjustment."""
    payer = BATCH[0].payer
    policy = PayerPolicy(
        deductible_remaining=Decimal("40"),
        copay_em=Decimal("20"),
        non_covered=frozenset({"80061", "87880"}),
    )
    today = dt.date(2026, 2, 10)
    mine = [c for c in BATCH if c.payer.payer_id == payer.payer_id]
    first = remit(
        [(c, adjudicate(c, policy, today=today)) for c in mine],
        payer,
        BATCH[0].billing_provider,
        "TRC1001",
        dt.date(2026, 2, 20),
    )
    primary = next(c for c in first.claims if c.paid > 0)
    claim = next(c for c in mine if c.patient_account == primary.patient_account)
    second = remit(
        [(claim, adjudicate_secondary(claim, primary, PayerPolicy()))],
        claims.Payer("Second Plan", "SEC02", "CI"),
        claim.billing_provider,
        "TRC2002",
        dt.date(2026, 3, 2),
        [ProviderAdjustment("L6", "INT1", Decimal("-1.25"))],
    )
    return [first, second]


REMITTANCES = remittances()
OUR_835 = to_835(REMITTANCES)


def corrupted(
    base: bytes,
    bom: bool,
    cut: int,
    flips: list[tuple[int, int]],
    inserts: list[tuple[int, int]],
) -> bytes:
    """``base`` damaged as a transfer or an editor damages a file: an optional UTF-8 BOM,
    bytes overwritten (``flips``) and inserted (``inserts``) at positions taken modulo the
    length, then ``cut`` bytes lost from the end."""
    data = bytearray((codecs.BOM_UTF8 if bom else b"") + base)
    for position, byte in flips:
        data[position % len(data)] = byte
    for position, byte in inserts:
        data.insert(position % len(data), byte)
    return bytes(data[: max(0, len(data) - cut)])


def load_script(path: Path) -> ModuleType:
    """A script of the corpus (``corpus_report.py``, ``golden/regenerate.py``) as a module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def adjudicated_practice(where: Path) -> tuple[Path, Path]:
    """A small practice in ``where`` whose claims were submitted and adjudicated through the
    CLI: (its database, one of the 835 files its payer sent)."""
    from medbill_lab.cli import main

    db = str(where / "p.sqlite")
    assert main(["practice", "generate", "--db", db, "--patients", "3", "--seed", "5"]) == 0
    out = str(where / "out")
    assert main(["practice", "submit", "--db", db, "--out", out, "--through", "2026-12-01"]) == 0
    assert (
        main(["practice", "adjudicate", "--db", db, "--out", out, "--paid-on", "2026-12-05"]) == 0
    )
    return Path(db), sorted(Path(out).glob("835-MBL01-*.x12"))[0]


REMIT_ENVELOPE = (
    "ISA*00*          *00*          *ZZ*SAMPLEPAYER    *ZZ*SAMPLECLINIC   "
    "*261201*0900*^*00501*000000001*0*T*:~GS*HP*SAMPLEPAYER*SAMPLECLINIC*20261201*0900*1*X*"
    "005010X221A1~"
)


def remit_text(*body: str) -> str:
    """One 835 with these segments between ST and SE, in a correct envelope."""
    segments = ["ST*835*0001", *body]
    segments.append(f"SE*{len(segments) + 1}*0001")
    return REMIT_ENVELOPE + "~".join(segments) + "~GE*1*1~IEA*1*000000001~"
