"""The instructor's class-report notebook runs on a simulated course and draws its plots."""

from __future__ import annotations

from pathlib import Path

import nbformat
import simulated_course as sim
from nbclient import NotebookClient

from medbill_lab.training import course_report

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "instructor" / "class_report.ipynb"


def test_the_class_report_notebook_executes_and_draws_four_plots(tmp_path, monkeypatch):
    # twelve students of spread ability (every third): the planted patterns still show
    root = sim.build(tmp_path / "course", sim.STUDENTS[::3])
    monkeypatch.setenv("MEDBILL_LAB_COURSE", str(root))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 4  # scores, difficulty x discrimination, mastery, wrong answers
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "12 students with graded work" in text
    assert "icd10cm_coding/test_case_4: negative discrimination" in text
    assert "icd10cm_coding/test_case_3: very hard" in text
    assert "not graded yet: terminology" in text
    # twelve is too few for stable item statistics, and the report says so
    caution = "only 12 learner(s): difficulty and discrimination are unstable"
    assert any("icd10cm_coding" in line and caution in line for line in text.splitlines())
    written = sorted(p.name for p in (root / "reports").iterdir())
    assert written == sorted(["class_report.html", *course_report.CSV_FILES])
