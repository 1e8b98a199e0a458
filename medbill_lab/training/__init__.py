"""Teaching and grading: cases, graders, exercises, quizzes and the nbgrader course.

Modules:

- ``cases``: coding cases and the seeded case generator;
- ``grading``: diagnosis-coding answers graded element by element, with partial credit;
- ``inpatient``: inpatient cases (principal and secondary diagnoses with POA, ICD-10-PCS,
  MS-DRG) graded element by element, the DRG regrouped from the learner's codes;
- ``claim_grading``: a completed claim graded item by item;
- ``em_level``: the E/M level calculator (2021+ office visit rules: MDM or time);
- ``em_practice``: E/M vignettes for practice;
- ``flashcards``: terminology flashcards with spaced repetition;
- ``quizzes``: procedure-coding quizzes;
- ``lesson_checks``: the lessons' self-checks; both answer in ``self_check``'s feedback;
- ``paperwork``: the paperwork sorter: which work queue each document goes to;
- ``coding_assignment``: the ICD-10-CM coding assignment built from cases;
- ``assignments``: the graded exercises' templates and graders;
- ``course``: an nbgrader course: init, demo, autograde;
- ``exam_bank``, ``exam``, ``exam_attempts``: the mock exam's question bank, forms, timed
  sittings and score reports, and attempts kept in SQLite (first sittings scored);
- ``item_analysis``: difficulty, discrimination and distractor analysis over responses.

May import: ``codes``, ``claims``, ``payer``, ``x12``, ``compliance``, ``practice`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("training")
