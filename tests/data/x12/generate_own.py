"""Writes the corpus files marked "written for this project" (synthetic data only).

Run `python tests/data/x12/generate_own.py` to rewrite them; the output is deterministic.
"""

from decimal import Decimal as D
from pathlib import Path

OUT = Path(__file__).resolve().parent


def isa(
    el,
    comp,
    ctl,
    sender="SAMPLEPAYER",
    receiver="SAMPLECLINIC",
    pad=True,
    rep="^",
    date="261201",
    time="0900",
):
    """Return an ISA segment; pad=False leaves its fixed-width fields unpadded."""
    f = [
        "ISA",
        "00",
        " " * 10 if pad else "",
        "00",
        " " * 10 if pad else "",
        "ZZ",
        sender.ljust(15) if pad else sender,
        "ZZ",
        receiver.ljust(15) if pad else receiver,
        date,
        time,
        rep,
        "00501",
        str(ctl).zfill(9),
        "0",
        "T",
        comp,
    ]
    return el.join(f)


class Doc:
    """A list of segments and the delimiters to join them with."""

    def __init__(self, el="*", comp=":", term="~", after=""):
        self.el, self.comp, self.term, self.after = el, comp, term, after
        self.segs = []

    def s(self, *fields):
        """Add a segment from its fields."""
        self.segs.append(self.el.join(str(x) for x in fields))

    def c(self, *parts):
        """Join composite parts with the component separator."""
        return self.comp.join(parts)

    def text(self):
        """The document as text, each segment followed by its terminator."""
        return "".join(seg + self.term + self.after for seg in self.segs)


def envelope(
    doc,
    ctl,
    gs_code,
    version,
    sets,
    pad=True,
    sender="SAMPLEPAYER",
    receiver="SAMPLECLINIC",
    se_fix=None,
):
    """sets: list of (st_id, st_ctl, body_fn). Adds ISA/GS/ST/SE/GE/IEA with correct counts."""
    doc.segs.append(isa(doc.el, doc.comp, ctl, sender, receiver, pad))
    doc.s("GS", gs_code, sender, receiver, "20261201", "0900", ctl, "X", version)
    for st_id, st_ctl, body in sets:
        start = len(doc.segs)
        if st_id == "835":
            doc.s("ST", st_id, st_ctl)  # X221A1 marks ST03 "Not Used"
        else:
            doc.s("ST", st_id, st_ctl, version)
        body(doc)
        n = len(doc.segs) - start + 1
        doc.s("SE", se_fix if se_fix is not None else n, st_ctl)
    doc.s("GE", len(sets), ctl)
    doc.s("IEA", 1, str(ctl).zfill(9))


def money(x):
    """Format an amount with two decimals."""
    x = D(x)
    return f"{x:.2f}"


def remit_body(claims, plb=(), payment=None, trn="SAMPLETRACE01", method="ACH"):
    """claims: list of dicts(pcn, status, lines=[(code, charge, paid, [(grp, reason, amt)...])],
    claim_cas=[...], moa=None, mia=None, lq=[...], pat=(last, first), member)"""

    def body(d):
        total = sum(D(ln[2]) for c in claims for ln in c["lines"]) + sum(
            D(c.get("extra_paid", 0)) for c in claims
        )
        plb_total = sum(D(a) for _, a in plb)
        pay = D(payment) if payment is not None else total - plb_total
        if method == "ACH":
            d.s(
                "BPR",
                "I",
                money(pay),
                "C",
                "ACH",
                "CCP",
                "01",
                "999999992",
                "DA",
                "123456",
                "1999999999",
                "",
                "01",
                "999988880",
                "DA",
                "98765",
                "20261201",
            )
        else:
            d.s(
                "BPR",
                "I" if pay else "H",
                money(pay),
                "C",
                "CHK" if pay else "NON",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "20261201",
            )
        d.s("TRN", "1", trn, "1999999999")
        d.s("DTM", "405", "20261130")
        d.s("N1", "PR", "SAMPLE HEALTH PLAN")
        d.s("N3", "100 EXAMPLE WAY")
        d.s("N4", "ANYTOWN", "PA", "17000")
        d.s("PER", "BL", "PROVIDER SERVICES", "TE", "8005550100")
        d.s("N1", "PE", "SAMPLE FAMILY CLINIC", "XX", "1234567893")
        d.s("REF", "TJ", "999999999")
        d.s("LX", "1")
        for c in claims:
            charge = sum(D(ln[1]) for ln in c["lines"]) if c["lines"] else D(c["charge"])
            paid = sum(D(ln[2]) for ln in c["lines"]) + D(c.get("extra_paid", 0))
            cas_all = [a for ln in c["lines"] for a in ln[3]] + c.get("claim_cas", [])
            pr = sum(D(a[2]) for a in cas_all if a[0] == "PR")
            d.s(
                "CLP",
                c["pcn"],
                c["status"],
                money(charge),
                money(paid),
                money(pr) if pr else "",
                c.get("filing", "12"),
                c.get("icn", "SAMPLEICN" + c["pcn"]),
                c.get("fac", "11"),
                "1",
            )
            for grp, reason, amt in c.get("claim_cas", []):
                d.s("CAS", grp, reason, money(amt))
            last, first = c.get("pat", ("DOE", "JOHN"))
            d.s("NM1", "QC", "1", last, first, "", "", "", "MI", c.get("member", "SAMPLEMBR01"))
            for nm in c.get("other_nm1", []):
                d.s(*nm)
            if c.get("mia"):
                d.s("MIA", *c["mia"])
            if c.get("moa"):
                d.s("MOA", *c["moa"])
            d.s("DTM", "232", c.get("from", "20261110"))
            d.s("DTM", "233", c.get("to", c.get("from", "20261110")))
            for code, lc, lp, cas in c["lines"]:
                d.s("SVC", d.c("HC", *code.split(":")), money(lc), money(lp), "", "1")
                d.s("DTM", "472", c.get("dos", c.get("from", "20261110")))
                for grp, reason, amt in cas:
                    d.s("CAS", grp, reason, money(amt))
                for q in c.get("lq", []):
                    d.s("LQ", "HE", q)
        if plb:
            fields = [x for reason, amt in plb for x in (reason, money(amt))]
            d.s("PLB", "1234567893", "20261231", *fields)

    return body


def write(name, text):
    """Write `text` (str as UTF-8, or bytes) under the corpus folder and print its size."""
    p = OUT / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    print(name, len(p.read_bytes()))


BASIC = [
    dict(
        pcn="SMP1001",
        status="1",
        lines=[("99213", "150.00", "92.40", [("CO", "45", "34.50"), ("PR", "3", "23.10")])],
        pat=("DOE", "JOHN"),
        member="SAMPLEMBR01",
    ),
    dict(
        pcn="SMP1002",
        status="1",
        lines=[
            ("99214:25", "220.00", "118.00", [("CO", "45", "72.00"), ("PR", "1", "30.00")]),
            ("36415", "20.00", "8.00", [("CO", "45", "12.00")]),
        ],
        pat=("SAMPLE", "JANE"),
        member="SAMPLEMBR02",
    ),
]


def remit_text(
    claims=BASIC,
    el="*",
    comp=":",
    term="~",
    after="",
    pad=True,
    plb=(),
    payment=None,
    se_fix=None,
    bom=False,
    ctl=1001,
    sets=1,
    method="ACH",
):
    """One 835 built from `claims` with the given delimiters and quirks."""
    d = Doc(el, comp, term, after)
    envelope(
        d,
        ctl,
        "HP",
        "005010X221A1",
        [
            (
                "835",
                f"{i + 1:04d}",
                remit_body(claims, plb, payment, trn=f"SAMPLETRACE{i + 1:02d}", method=method),
            )
            for i in range(sets)
        ],
        pad=pad,
        se_fix=se_fix,
    )
    return ("\ufeff" if bom else "") + d.text()


def remit(name, **quirks):
    """Write one 835 (see :func:`remit_text` for the quirks) under `name`."""
    write(name, remit_text(**quirks))


def write_835s() -> None:
    """The 835s: delimiters, envelopes, claim statuses and totals a reader must cope with."""
    # 1 BOM (as Windows tools write it)
    remit("835/own-utf8-bom.835", bom=True, ctl=1001)
    # 2 ISA not padded to fixed widths
    remit("835/own-short-isa.835", pad=False, ctl=1002)
    # 3 '>' as component separator (ISA16), composites use it
    remit("835/own-gt-component-separator.835", comp=">", ctl=1003)
    # 4 '~' followed by CRLF
    remit("835/own-tilde-crlf.835", after="\r\n", ctl=1004)
    # 5 two ST in one GS
    remit("835/own-two-st-one-gs.835", sets=2, ctl=1005)
    # 6 '|' element, '^' component... repetition must differ: ISA11 '{'; segment terminator newline
    d = Doc("|", "^", "\n")
    envelope(d, 1006, "HP", "005010X221A1", [("835", "0001", remit_body(BASIC))])
    t = d.text().replace("|^|00501|", "|{|00501|")
    write("835/own-pipe-caret-newline.835", t)
    # 7 BOM + CRLF + short ISA together
    remit("835/own-bom-crlf-short-isa.835", bom=True, after="\r\n", pad=False, ctl=1007)

    # 8 claim status codes 19, 20, 21, 23, 25 with MOA/MIA remarks; balanced with a PLB
    STATUS = [
        dict(
            pcn="SMP2019",
            status="19",
            lines=[("99203", "180.00", "110.00", [("CO", "45", "42.00"), ("PR", "2", "28.00")])],
            moa=["", "", "MA18"],
            pat=("DOE", "JANE"),
            member="SAMPLEMBR19",
            other_nm1=[
                ("NM1", "TT", "2", "SAMPLE SUPPLEMENTAL PLAN", "", "", "", "", "PI", "SUPP01")
            ],
        ),
        dict(
            pcn="SMP2020",
            status="20",
            lines=[("97110", "120.00", "30.00", [("OA", "23", "75.00"), ("PR", "1", "15.00")])],
            moa=["", "", "MA07"],
            pat=("ROE", "RICHARD"),
            member="SAMPLEMBR20",
            other_nm1=[("NM1", "TT", "2", "SAMPLE TERTIARY PLAN", "", "", "", "", "PI", "TERT01")],
        ),
        dict(
            pcn="SMP2021",
            status="21",
            lines=[("99212", "90.00", "10.00", [("OA", "23", "80.00")])],
            pat=("DOE", "JOHN"),
            member="SAMPLEMBR21",
            moa=["", "", "MA18", "N89"],
            other_nm1=[("NM1", "TT", "2", "SAMPLE FOURTH PLAN", "", "", "", "", "PI", "QUAT01")],
        ),
        dict(
            pcn="SMP2023",
            status="23",
            lines=[("99213", "150.00", "0.00", [("OA", "109", "150.00")])],
            pat=("SAMPLE", "CHILD"),
            member="SAMPLEMBR23",
            moa=["", "", "MA18"],
            other_nm1=[("NM1", "TT", "2", "SAMPLE CORRECT PLAN", "", "", "", "", "PI", "CORR01")],
        ),
        dict(
            pcn="SMP2025",
            status="25",
            lines=[("D2740", "1200.00", "0.00", [("OA", "101", "1200.00")])],
            pat=("SAMPLE", "ADULT"),
            member="SAMPLEMBR25",
            moa=["", "", "N130"],
        ),
        dict(
            pcn="SMP2026",
            status="19",
            filing="MA",
            fac="13",
            lines=[],
            charge="2500.00",
            extra_paid="1800.00",
            claim_cas=[("CO", "45", "500.00"), ("PR", "1", "200.00")],
            mia=[
                "0",
                "",
                "",
                "1800.00",
                "MA01",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "MA18",
            ],
            pat=("INPATIENT", "SAMPLE"),
            member="SAMPLEMBR26",
            to="20261105",
            **{"from": "20261101"},
        ),
    ]
    remit(
        "835/own-status-19-20-21-23-25-moa-mia.835",
        claims=STATUS,
        plb=[("WO", "25.00"), ("L6", "-3.50")],
        ctl=1008,
    )

    # 9 reversal (22) and correction (1) pair, with a denial (4) carrying LQ remarks
    REV = [
        dict(
            pcn="SMP3001",
            status="22",
            lines=[("99213", "-150.00", "-92.40", [("CO", "45", "-34.50"), ("PR", "3", "-23.10")])],
            pat=("DOE", "JOHN"),
            member="SAMPLEMBR01",
            icn="SAMPLEICN3001A",
        ),
        dict(
            pcn="SMP3001",
            status="1",
            lines=[("99214", "150.00", "100.00", [("CO", "45", "26.90"), ("PR", "3", "23.10")])],
            pat=("DOE", "JOHN"),
            member="SAMPLEMBR01",
            icn="SAMPLEICN3001B",
        ),
        dict(
            pcn="SMP3002",
            status="4",
            lines=[("97140", "80.00", "0.00", [("CO", "50", "80.00")])],
            lq=["N115", "M127"],
            pat=("SAMPLE", "JANE"),
            member="SAMPLEMBR02",
        ),
    ]
    remit("835/own-reversal-correction-denial.835", claims=REV, ctl=1009)

    # 10 totals that do not balance (the quirk is the point: BPR02 is 10.00 too high)
    remit("835/own-unbalanced-bpr.835", payment="228.40", ctl=1010)
    # 11 SE01 wrong (the quirk is the point)
    remit("835/own-wrong-se-count.835", se_fix=7, ctl=1011)
    # 12 a bad date (2026-13-41) in a service DTM
    t = remit_text(ctl=1012)
    write("835/own-bad-date.835", t.replace("DTM*472*20261110~", "DTM*472*20261341~", 1))
    # 13 two ISA envelopes in one file
    a = Doc()
    envelope(
        a, 1013, "HP", "005010X221A1", [("835", "0001", remit_body(BASIC, trn="SAMPLETRACEA"))]
    )
    b = Doc()
    envelope(
        b, 1014, "HP", "005010X221A1", [("835", "0001", remit_body(STATUS[:1], trn="SAMPLETRACEB"))]
    )
    write("835/own-two-isa-envelopes.835", a.text() + "\n" + b.text() + "\n")
    # 14 truncated mid-claim (corruption: no SE/GE/IEA)
    t = remit_text(ctl=1015)
    write("835/own-truncated.835", t[: t.index("SVC*HC:36415")])
    # 15 zero-payment (BPR*H ... NON) all-denied remittance
    ZERO = [
        dict(
            pcn="SMP4001",
            status="4",
            lines=[("99215", "300.00", "0.00", [("CO", "29", "300.00")])],
            pat=("DOE", "JOHN"),
            member="SAMPLEMBR01",
        )
    ]
    remit("835/own-zero-payment-non.835", claims=ZERO, ctl=1016, method="NON")


def claims_file(ctl, version, body, doc=None, pad=True, sender="SAMPLECLINIC"):
    """One 837 transaction set (`body`) in its envelope, addressed to the clearinghouse."""
    d = doc or Doc()
    envelope(d, ctl, "HC", version, [("837", "0001", body)], pad, sender, "SAMPLECLEAR")
    return d


def write_837s() -> Doc:
    """The 837P and 837I files; returns the 837 whose bad AMT the 999 rejects."""

    def claim_header(d, version, batch="SMPBATCH01"):
        d.s("BHT", "0019", "00", batch, "20261201", "0900", "CH")
        d.s("NM1", "41", "2", "SAMPLE FAMILY CLINIC", "", "", "", "", "46", "SUBMIT01")
        d.s("PER", "IC", "BILLING OFFICE", "TE", "5555550100")
        d.s("NM1", "40", "2", "SAMPLE CLEARINGHOUSE", "", "", "", "", "46", "CLEAR01")
        d.s("HL", "1", "", "20", "1")
        d.s("NM1", "85", "2", "SAMPLE FAMILY CLINIC", "", "", "", "", "XX", "1234567893")
        d.s("N3", "200 SAMPLE STREET")
        d.s("N4", "ANYTOWN", "PA", "170001234")
        d.s("REF", "EI", "991234567")

    def cob_body(amt_d="150.00"):
        def body(d):
            claim_header(d, "005010X222A1")
            d.s("HL", "2", "1", "22", "0")
            d.s("SBR", "S", "18", "GRP2002", "", "", "", "", "", "CI")
            d.s("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", "SECMBR002")
            d.s("N3", "12 EXAMPLE LANE")
            d.s("N4", "ANYTOWN", "PA", "17000")
            d.s("DMG", "D8", "19800101", "F")
            d.s("NM1", "PR", "2", "SAMPLE SECONDARY PLAN", "", "", "", "", "PI", "SECPAY02")
            # claim 1: secondary claim after the primary paid part of it (line-level adjudication)
            d.s("CLM", "SMPCOB01", "250.00", "", "", d.c("11", "B", "1"), "Y", "A", "Y", "Y")
            d.s("HI", d.c("ABK", "J069"), d.c("ABF", "R509"))
            d.s("SBR", "P", "18", "GRP1001", "", "", "", "", "", "CI")
            d.s("AMT", "D", amt_d)
            d.s("AMT", "EAF", "40.00")
            d.s("OI", "", "", "Y", "P", "", "Y")
            d.s("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", "PRIMBR001")
            d.s("N3", "12 EXAMPLE LANE")
            d.s("N4", "ANYTOWN", "PA", "17000")
            d.s("NM1", "PR", "2", "SAMPLE PRIMARY PLAN", "", "", "", "", "PI", "PRIPAY01")
            d.s("LX", "1")
            d.s("SV1", d.c("HC", "99214"), "180.00", "UN", "1", "", "", d.c("1", "2"))
            d.s("DTP", "472", "D8", "20261110")
            d.s("SVD", "PRIPAY01", "110.00", d.c("HC", "99214"), "", "1")
            d.s("CAS", "CO", "45", "30.00")
            d.s("CAS", "PR", "1", "40.00")
            d.s("DTP", "573", "D8", "20261120")
            d.s("LX", "2")
            d.s("SV1", d.c("HC", "87880"), "70.00", "UN", "1", "", "", "1")
            d.s("DTP", "472", "D8", "20261110")
            d.s("SVD", "PRIPAY01", "40.00", d.c("HC", "87880"), "", "1")
            d.s("CAS", "CO", "45", "30.00")
            d.s("DTP", "573", "D8", "20261120")
            # claim 2, same subscriber HL: the primary denied it at claim level (patient owes it)
            d.s("CLM", "SMPCOB02", "95.00", "", "", d.c("11", "B", "1"), "Y", "A", "Y", "Y")
            d.s("HI", d.c("ABK", "Z0000"))
            d.s("SBR", "P", "18", "GRP1001", "", "", "", "", "", "CI")
            d.s("CAS", "PR", "96", "95.00")
            d.s("AMT", "D", "0")
            d.s("OI", "", "", "Y", "P", "", "Y")
            d.s("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", "PRIMBR001")
            d.s("NM1", "PR", "2", "SAMPLE PRIMARY PLAN", "", "", "", "", "PI", "PRIPAY01")
            d.s("LX", "1")
            d.s("SV1", d.c("HC", "99396"), "95.00", "UN", "1", "", "", "1")
            d.s("DTP", "472", "D8", "20261112")

        return body

    d = claims_file(2001, "005010X222A1", cob_body())
    write("837P/own-cob-two-clm-one-hl.837", d.text().replace("~", "~\n"))
    bad837 = claims_file(2002, "005010X222A1", cob_body(amt_d="15O.00"))
    write("837P/own-cob-bad-amt-for-999.837", bad837.text().replace("~", "~\n"))

    def simple_prof(dependent=True):
        def body(d):
            claim_header(d, "")
            d.s("HL", "2", "1", "22", "1" if dependent else "0")
            d.s("SBR", "P", "" if dependent else "18", "GRP3003", "", "", "", "", "", "CI")
            d.s("NM1", "IL", "1", "ROE", "RICHARD", "", "", "", "MI", "SAMPLEMBR30")
            d.s("N3", "9 SAMPLE COURT")
            d.s("N4", "ANYTOWN", "PA", "17000")
            d.s("DMG", "D8", "19750505", "M")
            d.s("NM1", "PR", "2", "SAMPLE HEALTH PLAN", "", "", "", "", "PI", "PAYER01")
            if dependent:
                d.s("HL", "3", "2", "23", "0")
                d.s("PAT", "19")
                d.s("NM1", "QC", "1", "ROE", "SAMPLE CHILD")
                d.s("N3", "9 SAMPLE COURT")
                d.s("N4", "ANYTOWN", "PA", "17000")
                d.s("DMG", "D8", "20150505", "F")
            d.s("CLM", "SMPPED01", "135.00", "", "", d.c("11", "B", "1"), "Y", "A", "Y", "Y")
            d.s("HI", d.c("ABK", "H6690"))
            d.s("LX", "1")
            d.s("SV1", d.c("HC", "99213"), "135.00", "UN", "1", "", "", "1")
            d.s("DTP", "472", "D8", "20261115")

        return body

    d = claims_file(2003, "005010X222A2", simple_prof(), pad=False)
    write("837P/own-x222a2-bom-short-isa.837", "\ufeff" + d.text())
    d = claims_file(2004, "005010X222", simple_prof(False), doc=Doc(comp=">", after="\r\n"))
    write("837P/own-x222-gt-crlf.837", d.text())

    def inst_body(d):
        claim_header(d, "")
        d.s("HL", "2", "1", "22", "0")
        d.s("SBR", "P", "18", "", "", "", "", "", "", "MB")
        d.s("NM1", "IL", "1", "DOE", "JOHN", "", "", "", "MI", "1EG4TE5MK72")
        d.s("N3", "44 SAMPLE ROAD")
        d.s("N4", "ANYTOWN", "PA", "17000")
        d.s("DMG", "D8", "19500202", "M")
        d.s("NM1", "PR", "2", "SAMPLE MEDICARE CONTRACTOR", "", "", "", "", "PI", "12345")
        d.s("CLM", "SMPINST01", "640.00", "", "", d.c("13", "A", "1"), "", "A", "Y", "Y")
        d.s("DTP", "434", "RD8", "20261105-20261105")
        d.s("CL1", "2", "1", "01")
        d.s("HI", d.c("ABK", "R079"))
        d.s("NM1", "71", "1", "SAMPLE", "ATTENDING", "", "", "", "XX", "1245319599")
        d.s("LX", "1")
        d.s("SV2", "0450", d.c("HC", "99284"), "520.00", "UN", "1")
        d.s("DTP", "472", "D8", "20261105")
        d.s("LX", "2")
        d.s("SV2", "0300", d.c("HC", "80053"), "120.00", "UN", "1")
        d.s("DTP", "472", "D8", "20261105")

    d = claims_file(2005, "005010X223A2", inst_body, sender="SAMPLEHOSP")
    write("837I/own-x223a2-outpatient.837i", d.text())
    return bad837


def write_277ca() -> None:
    """A 277CA that accepts one claim of the COB 837 and rejects the other."""

    def ca_body(d):
        d.s("BHT", "0085", "08", "SMPBATCH01", "20261202", "0800", "TH")
        d.s("HL", "1", "", "20", "1")
        d.s("NM1", "AY", "2", "SAMPLE CLEARINGHOUSE", "", "", "", "", "46", "CLEAR01")
        d.s("TRN", "1", "SMP277TRACE")
        d.s("DTP", "050", "D8", "20261202")
        d.s("DTP", "009", "D8", "20261202")
        d.s("HL", "2", "1", "21", "1")
        d.s("NM1", "41", "2", "SAMPLE FAMILY CLINIC", "", "", "", "", "46", "SUBMIT01")
        d.s("TRN", "2", "SMPBATCH01")
        d.s("STC", d.c("A1", "19"), "20261202", "WQ", "345.00")
        d.s("QTY", "90", "1")
        d.s("QTY", "AA", "1")
        d.s("AMT", "YU", "250.00")
        d.s("AMT", "YY", "95.00")
        d.s("HL", "3", "2", "19", "1")
        d.s("NM1", "85", "2", "SAMPLE FAMILY CLINIC", "", "", "", "", "XX", "1234567893")
        d.s("TRN", "1", "SMPPROVTRACE01")
        d.s("STC", d.c("A1", "19"), "", "WQ", "345.00")
        d.s("HL", "4", "3", "PT")
        d.s("NM1", "QC", "1", "DOE", "JANE", "", "", "", "MI", "SECMBR002")
        d.s("TRN", "2", "SMPCOB01")
        d.s("STC", d.c("A2", "20"), "20261202", "WQ", "250.00")
        d.s("REF", "1K", "SMPPAYERICN01")
        d.s("DTP", "472", "RD8", "20261110-20261110")
        d.s("HL", "5", "3", "PT")
        d.s("NM1", "QC", "1", "DOE", "JANE", "", "", "", "MI", "SECMBR002")
        d.s("TRN", "2", "SMPCOB02")
        d.s("STC", d.c("A7", "164", "IL"), "20261202", "U", "95.00")
        d.s("DTP", "472", "RD8", "20261112-20261112")

    d = Doc()
    envelope(
        d,
        3001,
        "HN",
        "005010X214",
        [("277", "0001", ca_body)],
        sender="SAMPLECLEAR",
        receiver="SAMPLECLINIC",
    )
    write("277CA/own-277ca-a2-and-a7.txt", d.text())


def write_999(bad837: Doc) -> None:
    """A 999 rejecting the bad AMT of `bad837`, at its position in the transaction set."""
    segs = bad837.segs
    st = next(i for i, s in enumerate(segs) if s.startswith("ST*"))
    amt = next(i for i, s in enumerate(segs) if s.startswith("AMT*D*15O"))
    pos = amt - st + 1

    def ack_body(d):
        d.s("AK1", "HC", "2002", "005010X222A1")
        d.s("AK2", "837", "0001", "005010X222A1")
        d.s("IK3", "AMT", pos, "2320", "8")
        d.s("CTX", d.c("CLM01", "SMPCOB01"))
        d.s("IK4", "2", "782", "6", "15O.00")
        d.s("IK5", "R", "5")
        d.s("AK9", "R", "1", "1", "0")

    d = Doc()
    envelope(
        d,
        4001,
        "FA",
        "005010X231A1",
        [("999", "0001", ack_body)],
        sender="SAMPLECLEAR",
        receiver="SAMPLECLINIC",
    )
    write("999/own-999-rejects-amt-2320.txt", d.text())
    print("AMT position", pos)


def main() -> None:
    """Write every file of the corpus marked "written for this project"."""
    write_835s()
    bad837 = write_837s()
    write_277ca()
    write_999(bad837)


if __name__ == "__main__":
    main()
