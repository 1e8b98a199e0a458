"""The Encoder app's index-table tabs in headless Chromium: they work like the printed tables."""

from __future__ import annotations

import os

from serve_helpers import open_app


def _tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab, .p-TabBar-tab", has_text=title).first.click()


def test_drugs_tab_shows_the_row_and_a_clicked_code(browser, gallery):
    base, home = gallery
    page, problems = open_app(browser, base, "encoder.ipynb")
    _tab(page, "Drugs and chemicals")
    box = page.locator(".widget-text input:visible").first
    box.fill("tylenol")
    box.press("Enter")
    page.wait_for_selector("button.mbl-cell:has-text('T39.1X1A')", timeout=30_000)
    body = page.inner_text("body")
    assert "Acetaminophen" in body and "Underdosing" in body
    for code in ("T39.1X2A", "T39.1X3A", "T39.1X4A", "T39.1X5A", "T39.1X6A"):
        assert page.locator(f"button.mbl-cell:has-text('{code}')").count() >= 1
    page.locator("button.mbl-cell:has-text('T39.1X5A')").first.click()
    page.wait_for_selector("text=printed T39.1X5, completed to T39.1X5A", timeout=30_000)
    assert "Adverse effect of 4-Aminophenol derivatives" in page.inner_text("body")
    page.screenshot(path=str(home / "encoder-drugs.png"), full_page=True)
    if os.environ.get("MEDBILL_SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["MEDBILL_SCREENSHOT_DIR"], "encoder-drugs.png")
        )
    assert not problems, problems
    page.close()


def test_neoplasm_and_external_cause_tabs(browser, gallery):
    base, _ = gallery
    page, problems = open_app(browser, base, "encoder.ipynb")
    _tab(page, "Neoplasms")
    box = page.locator(".widget-text input:visible").first
    box.fill("lung")
    box.press("Enter")
    page.wait_for_selector("button.mbl-cell:has-text('C34.90')", timeout=30_000)
    assert "Malignant Secondary" in page.inner_text("body")
    page.locator("button.mbl-cell:has-text('C78.00')").first.click()
    page.wait_for_selector("text=column Malignant Secondary: printed C78.0-", timeout=30_000)
    if os.environ.get("MEDBILL_SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["MEDBILL_SCREENSHOT_DIR"], "encoder-neoplasm.png")
        )

    _tab(page, "External causes")
    box = page.locator(".widget-text input:visible").first
    box.fill("fall ladder")
    box.press("Enter")
    page.wait_for_selector("button.mbl-cell:has-text('W11.XXXA')", timeout=30_000)
    assert "Fall, falling (accidental)" in page.inner_text("body")
    assert not problems, problems
    page.close()


def test_a_table_tab_answers_bad_input_with_a_sentence(browser, gallery):
    base, _ = gallery
    page, _ = open_app(browser, base, "encoder.ipynb")
    _tab(page, "Drugs and chemicals")
    box = page.locator(".widget-text input:visible").first
    box.fill("zzqx")
    box.press("Enter")
    page.locator(".mbl-msg:visible", has_text="No row").wait_for(timeout=30_000)
    assert "Traceback" not in page.inner_text("body")
    page.close()
