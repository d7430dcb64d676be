"""The main pages under the Content Security Policy in a real browser: nothing refused, nothing broken.

Chromium reports every refused script, style or handler on the console; any such report fails the test.
"""

import pytest
from django.urls import reverse

from reviews.models.meetings import MeetingType
from tests.conftest import PASSWORD
from tests.objectives.factories_measurements import measure
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def watched_page(browser, live_server):
    """A new browser page and the list of CSP reports it has printed on its console."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    reports = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            reports.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield page, reports
    context.close()


def _log_in(page, live_server, user):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_main_pages_raise_no_csp_violation(watched_page, live_server, mgmt_rep, ceo):
    page, reports = watched_page
    objective = ObjectiveFactory(owner=mgmt_rep.person, department=mgmt_rep.person.department)
    measure(objective, ["2.8", "2.6", "2.4"])
    meeting = MeetingFactory(chair=ceo.person, title="Monthly quality meeting")
    AttendeeFactory(meeting=meeting, person=ceo.person)
    AgendaItemFactory(meeting=meeting, order=1, title="Scrap and rework")

    _log_in(page, live_server, mgmt_rep)
    page.wait_for_load_state("networkidle")  # the notification badge arrives by htmx
    for name, args in [
        ("objectives:objective-list", []),
        ("objectives:objective-detail", [objective.pk]),
        ("evidence:readiness", []),
        ("leadership:policy-coverage", []),
    ]:
        page.goto(live_server.url + reverse(name, args=args))
        page.wait_for_load_state("networkidle")

    # The live recording page, started by htmx.
    page.goto(live_server.url + reverse("reviews:meeting-record", args=[meeting.pk]))
    page.click("text=Start the meeting")
    page.wait_for_selector("textarea.autosave")

    assert reports == []


def test_the_objective_chart_keeps_its_styles(watched_page, live_server, mgmt_rep):
    page, reports = watched_page
    objective = ObjectiveFactory(owner=mgmt_rep.person, department=mgmt_rep.person.department)
    measure(objective, ["2.8", "2.6", "2.4"])

    _log_in(page, live_server, mgmt_rep)
    page.goto(live_server.url + reverse("objectives:objective-detail", args=[objective.pk]))
    # pygal's stylesheet colours the series; refused, every line would have no stroke at all.
    strokes = page.eval_on_selector_all(
        "svg.pygal-chart .series .line", "lines => lines.map(line => getComputedStyle(line).stroke)"
    )

    assert "rgb(29, 78, 137)" in strokes  # the measured values, in the brand colour
    assert reports == []


def test_behaviours_moved_out_of_inline_handlers_still_work(watched_page, live_server, mgmt_rep):
    page, reports = watched_page
    _log_in(page, live_server, mgmt_rep)

    # A filter that submits itself when changed (was onchange="this.form.submit()").
    # The management representative owns no objective, so the page starts with all of them.
    page.goto(live_server.url + reverse("objectives:measurement-entry"))
    page.click("label[for=scope-mine]")
    page.wait_for_url("**scope=mine**")

    # A form that asks first (was onsubmit="return confirm(...)"): declined, nothing happens.
    meeting_type = MeetingTypeFactory(name="Weekly quality meeting")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.goto(live_server.url + reverse("reviews:meeting-type-detail", args=[meeting_type.pk]))
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Retire").click()
    page.wait_for_timeout(500)
    assert MeetingType.objects.get(pk=meeting_type.pk).is_active
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        page.get_by_role("button", name="Retire").click()

    assert (
        questions
        == [
            "Retire this meeting type? Its schedule stops planning meetings; meetings already planned stay.",
        ]
        * 2
    )
    assert not MeetingType.objects.get(pk=meeting_type.pk).is_active
    assert reports == []


def test_the_api_documentation_works_under_the_policy(watched_page, live_server, mgmt_rep):
    page, reports = watched_page
    _log_in(page, live_server, mgmt_rep)

    page.goto(live_server.url + reverse("api-docs"))
    # Swagger UI draws the page from the schema, which takes a while to generate for the whole API.
    page.locator(".swagger-ui .info .title").get_by_text("Clause5 API").wait_for(timeout=60_000)
    page.locator(".opblock").first.wait_for()

    assert reports == []
