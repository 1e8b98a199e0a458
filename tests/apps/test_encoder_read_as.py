"""The Encoder app shows how the encoder read the query, from the hit's ``read_as``."""

from __future__ import annotations

from medbill_lab.apps import encoder as app
from medbill_lab.codes import encoder


def test_results_show_the_reading_of_misspelled_words():
    html = app.results_html(encoder.search("acetaminofen overdose", limit=3))
    assert "<i>Read as: " in html and "acetaminofen -&gt; acetaminophen (spelling)" in html


def test_results_of_a_code_or_words_as_typed_have_no_reading():
    for query in ("E11.65", "9921", "acute myocardial infarction"):
        assert "Read as" not in app.results_html(encoder.search(query, limit=3)), query


def test_the_reading_is_escaped_and_only_the_first_hit_speaks():
    first = encoder.Hit("X1", "one", "icd10cm", True, 9.0, read_as="<b>a</b> -> b")
    second = encoder.Hit("X2", "two", "icd10cm", True, 8.0, read_as="never shown")
    html = app.results_html([first, second])
    assert "Read as: &lt;b&gt;a&lt;/b&gt; -&gt; b" in html and "never shown" not in html
