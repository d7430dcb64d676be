"""The review page in a real browser: the manual entries editor adds and removes rows with htmx and saves."""

import pytest

from reviews.models.management_reviews import ReviewInput
from tests.reviews.factories_management_reviews import prepare, review_input

pytestmark = pytest.mark.django_db(transaction=True)


def test_rows_are_added_removed_and_saved_without_reloading_the_page(page_as, live_server, ceo):
    review = prepare(ceo)
    target = review_input(review, ReviewInput.Item.PROVIDERS)
    page = page_as(ceo)
    page.goto(live_server.url + review.get_absolute_url())
    # A marker that a full page load would wipe out.
    page.evaluate("window.notReloaded = true")
    editor = page.locator(f"#entries-{target.pk}")
    rows = f"document.querySelectorAll('#entries-{target.pk} input[name=provider]').length"

    editor.get_by_role("button", name="Add a row").click()
    page.wait_for_function(f"() => {rows} === 1")
    editor.locator("input[name=provider]").fill("Midland Heat Treatment")
    editor.locator("select[name=rating]").select_option("good")
    editor.get_by_role("button", name="Add a row").click()
    page.wait_for_function(f"() => {rows} === 2")
    editor.locator("input[name=provider]").nth(1).fill("Castleford Steel")
    editor.locator("select[name=rating]").nth(1).select_option("poor")
    editor.get_by_role("button", name="Add a row").click()
    page.wait_for_function(f"() => {rows} === 3")
    editor.get_by_role("button", name="Remove entry 3").click()
    page.wait_for_function(f"() => {rows} === 2")
    editor.get_by_role("button", name="Save entries").click()
    editor.get_by_text("Saved", exact=True).wait_for()

    assert page.evaluate("window.notReloaded") is True
    target.refresh_from_db()
    assert [(e["provider"], e["rating"]) for e in target.entries] == [
        ("Midland Heat Treatment", "good"),
        ("Castleford Steel", "poor"),
    ]
    # The checklist was swapped in out of band: c.7 now counts as addressed.
    assert "1 of 12 inputs" in page.locator("#readiness").inner_text()


def test_a_note_is_saved_in_place(page_as, live_server, ceo):
    review = prepare(ceo)
    target = review_input(review, ReviewInput.Item.AUDITS)
    page = page_as(ceo)
    page.goto(live_server.url + review.get_absolute_url())
    page.evaluate("window.notReloaded = true")

    page.fill(f"#note-text-{target.pk}", "No internal audit was due in the period.")
    page.locator(f"#note-{target.pk}").get_by_role("button", name="Save note").click()
    page.locator(f"#note-{target.pk}").get_by_text("Saved", exact=True).wait_for()

    assert page.evaluate("window.notReloaded") is True
    target.refresh_from_db()
    assert target.note == "No internal audit was due in the period."
