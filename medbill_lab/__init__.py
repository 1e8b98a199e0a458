"""MedBill Lab: learn medical billing and coding on the real code sets.

The package follows the revenue cycle.  Each stage may import only the stages
before it (``MAY_IMPORT`` in each subpackage; ``tests/layout/test_layout.py`` checks):

===============  ==============================================================
``codes``        ICD-10-CM and its tables, CPT/HCPCS, terminology, the encoder
``claims``       the CMS-1500 claim: model and files, scrubber, printed form
``payer``        remittances, the teaching payers, CARC/RARC explained
``x12``          the 837P and the 835, validated with pyx12
``compliance``   de-identification, masking, fraud detection and its lab
``practice``     the practice database, posting, cycle, statements, KPIs
``training``     cases, graders, exercises, quizzes, the nbgrader course
``apps``         the Voila apps, lesson widgets and the app kernels' guard
``server``       the app gallery server and the locked-down class hub
``cli``          the ``medbill-lab`` command line
===============  ==============================================================

``medbill_lab.datasets`` (where the shipped data lives) serves every stage.
Old flat import paths (``medbill_lab.posting`` ...) still work for one release:
see :mod:`medbill_lab._old_paths`.
"""

from medbill_lab import _old_paths

__version__ = "0.1.0"

#: the stages, in the order their imports run
STAGES: tuple[str, ...] = (
    "codes",
    "claims",
    "payer",
    "x12",
    "compliance",
    "practice",
    "training",
    "apps",
    "server",
    "cli",
)


def stages_before(stage: str) -> tuple[str, ...]:
    """The stages a stage may import: those before it in :data:`STAGES`.

    >>> stages_before("payer")
    ('codes', 'claims')
    """
    return STAGES[: STAGES.index(stage)]


_old_paths.install()
