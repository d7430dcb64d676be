"""Pages of measurements: the objectives dashboard, fast entry, one value, a correction, the list, the panel."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from objectives.models import Measurement, Objective
from objectives.selectors.measurements import objective_measurement_panel
from objectives.services import measurements as services
from objectives.views.measurements import dashboard_panel_context, values_due_panel_context
from tests.leadership.factories import DepartmentFactory
from tests.objectives.factories_measurements import MeasurementFactory, measure, parse_svg
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Health = Objective.Health


@pytest.fixture(autouse=True)
def frozen_today():
    # Monday 16 March 2026.
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _objective(reference, **kwargs):
    return ObjectiveFactory(reference=reference, **kwargs)


# The objectives dashboard ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_every_member_of_staff_sees_the_objectives_dashboard(request, client_as, persona):
    _objective("OBJ-A")

    response = client_as(request.getfixturevalue(persona)).get(reverse("objectives:objective-list"))

    assert response.status_code == 200
    assert "OBJ-A" in response.content.decode()


def test_someone_without_a_role_cannot_see_the_dashboard(client_as, outsider):
    assert client_as(outsider).get(reverse("objectives:objective-list")).status_code == 403


def test_the_dashboard_shows_health_latest_value_against_target_forecast_and_a_sparkline(client_as, employee):
    objective = _objective("OBJ-A", health=Health.AT_RISK, forecast_value=Decimal("2.2"), projected_to_miss=True)
    measure(objective, [2.9, 2.6, 2.25], first=D(2025, 12, 1))

    response = client_as(employee).get(reverse("objectives:objective-list"))

    (row,) = response.context["rows"]
    assert row.latest_text == "2.25%"
    assert row.latest_label == "Feb 2026"
    assert row.target_text == "≤ 2%"
    assert row.forecast_text == "2.2%"
    assert [v for _d, v in row.recent] == [Decimal("2.9"), Decimal("2.6"), Decimal("2.25")]
    html = response.content.decode()
    assert "At risk" in html
    assert "projected to miss" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_the_sparkline_shows_the_last_twelve_values(client_as, employee):
    objective = _objective("OBJ-A", start_date=D(2024, 1, 1))
    measure(objective, [3 - i * 0.05 for i in range(20)], first=D(2024, 6, 1))

    (row,) = client_as(employee).get(reverse("objectives:objective-list")).context["rows"]

    assert len(row.recent) == 12
    assert row.recent[-1][0] == D(2026, 1, 1)
    assert row.recent[0][0] == D(2025, 2, 1)


def test_the_dashboard_shows_active_objectives_unless_asked_otherwise(client_as, employee):
    _objective("OBJ-ACTIVE")
    _objective("OBJ-DRAFT", draft=True)
    url = reverse("objectives:objective-list")

    default = [r.objective.reference for r in client_as(employee).get(url).context["rows"]]
    drafts = [r.objective.reference for r in client_as(employee).get(url, {"status": "draft"}).context["rows"]]
    every = [r.objective.reference for r in client_as(employee).get(url, {"status": "any"}).context["rows"]]

    assert default == ["OBJ-ACTIVE"]
    assert drafts == ["OBJ-DRAFT"]
    assert every == ["OBJ-ACTIVE", "OBJ-DRAFT"]


@pytest.fixture
def spread():
    """Five objectives across two departments and all health states."""
    qa_dept, prod = DepartmentFactory(name="Quality"), DepartmentFactory(name="Production")
    return {
        "A": _objective("OBJ-A", department=qa_dept, health=Health.ON_TRACK, due_date=D(2026, 12, 31)),
        "B": _objective("OBJ-B", department=qa_dept, health=Health.AT_RISK, projected_to_miss=True),
        "C": _objective("OBJ-C", department=prod, health=Health.OFF_TRACK, category=Objective.Category.SUPPLIER),
        "D": _objective("OBJ-D", department=prod, health=Health.NO_DATA, due_date=D(2026, 9, 30)),
        "E": _objective("OBJ-E", department=prod, health=Health.AT_RISK),
    }


def _references(client, **params):
    response = client.get(reverse("objectives:objective-list"), params)
    assert response.status_code == 200
    return [r.objective.reference for r in response.context["rows"]], response


def test_the_dashboard_filters_by_department_owner_health_category_and_forecast(client_as, employee, spread):
    client = client_as(employee)

    assert _references(client, department=spread["A"].department_id)[0] == ["OBJ-A", "OBJ-B"]
    assert _references(client, owner=spread["C"].owner_id)[0] == ["OBJ-C"]
    assert _references(client, health="at_risk")[0] == ["OBJ-B", "OBJ-E"]
    assert _references(client, category="supplier")[0] == ["OBJ-C"]
    assert _references(client, projected_to_miss="true")[0] == ["OBJ-B"]
    assert _references(client, q="obj-d")[0] == ["OBJ-D"]


def test_the_dashboard_sorts_by_health_worst_first_department_and_due_date(client_as, employee, spread):
    client = client_as(employee)

    assert _references(client, sort="health")[0] == ["OBJ-C", "OBJ-B", "OBJ-E", "OBJ-D", "OBJ-A"]
    assert _references(client, sort="-reference")[0] == ["OBJ-E", "OBJ-D", "OBJ-C", "OBJ-B", "OBJ-A"]
    assert _references(client, sort="department")[0] == ["OBJ-C", "OBJ-D", "OBJ-E", "OBJ-A", "OBJ-B"]
    assert _references(client, sort="due_date")[0][:2] == ["OBJ-B", "OBJ-C"]  # 30 Jun 2026 first


def test_the_counts_per_health_ignore_the_health_filter_but_follow_the_others(client_as, employee, spread):
    client = client_as(employee)

    _refs, response = _references(client, health="at_risk", department=spread["C"].department_id)

    counts = {c["value"]: c["count"] for c in response.context["health_counts"]}
    assert counts == {"on_track": 0, "at_risk": 1, "off_track": 1, "no_data": 1}
    assert response.context["total"] == 3
    at_risk = next(c for c in response.context["health_counts"] if c["value"] == "at_risk")
    assert at_risk["active"]
    assert f"department={spread['C'].department_id}" in at_risk["query"]
    assert "health=at_risk" in at_risk["query"]
    assert response.context["projected_count"] == 0


def test_an_htmx_request_gets_only_the_counts_and_table(client_as, employee, spread):
    response = client_as(employee).get(
        reverse("objectives:objective-list"), {"health": "off_track"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "<html" not in html
    assert "OBJ-C" in html
    assert "OBJ-A</a>" not in html


@pytest.mark.parametrize("objectives", [5, 50])
def test_dashboard_query_count_does_not_grow_with_the_objectives(client_as, qa, objectives, django_assert_num_queries):
    for index in range(objectives):
        objective = _objective(f"OBJ-{index:03d}")
        measure(objective, [2.5, 2.4, 2.2, 2.1], first=D(2025, 10, 1))
    client = client_as(qa)
    # 1 session, 2 user, 3 the user's groups (role badge), 4-5 the user's and the groups' permissions,
    # 6 count for pagination, 7 the page of objectives with owner and department, 8 the last 12 values
    # of all of them (one window query), 9 the counts per health state, 10-11 the department and owner
    # drop-downs of the filter form.
    with django_assert_num_queries(11):
        response = client.get(reverse("objectives:objective-list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == objectives


# Fast entry -----------------------------------------------------------------------------------------------------------


def _entry(client, **params):
    return client.get(reverse("objectives:measurement-entry"), params)


def test_the_entry_page_lists_the_objectives_a_manager_owns_or_whose_department_they_head(client_as, dept_manager):
    person = dept_manager.person
    _objective("OBJ-OWNED", owner=person)
    _objective("OBJ-HEADED", department=DepartmentFactory(head=person))
    _objective("OBJ-OTHER")
    _objective("OBJ-DRAFT", owner=person, draft=True)

    response = _entry(client_as(dept_manager), scope="all")

    assert [row.objective.reference for row, _form in response.context["pairs"]] == ["OBJ-HEADED", "OBJ-OWNED"]
    assert not response.context["may_pick_all"]


def test_qa_staff_may_pick_all_objectives(client_as, qa):
    _objective("OBJ-A")
    _objective("OBJ-B", owner=qa.person)

    mine = _entry(client_as(qa))
    every = _entry(client_as(qa), scope="all")

    assert [row.objective.reference for row, _f in mine.context["pairs"]] == ["OBJ-B"]
    assert [row.objective.reference for row, _f in every.context["pairs"]] == ["OBJ-A", "OBJ-B"]


def test_someone_who_owns_nothing_starts_with_all_objectives(client_as, qa):
    _objective("OBJ-A")

    response = _entry(client_as(qa))

    assert response.context["scope"] == "all"


def test_each_row_shows_the_period_due_the_last_value_and_the_target(client_as, qa):
    objective = _objective("OBJ-A", start_date=D(2025, 11, 1))
    measure(objective, [2.6, 2.5])  # Nov, Dec: January and February are missing

    ((row, form),) = _entry(client_as(qa), scope="all").context["pairs"]

    assert row.due == D(2026, 1, 1)
    assert row.last_period == D(2025, 12, 1)
    assert row.last_text == "2.5%"
    assert row.target_text == "≤ 2%"
    assert row.overdue == 2
    assert [label for _v, label in row.period_choices] == ["Jan 2026", "Feb 2026", "Mar 2026 (in progress)"]
    assert form["period"].value() == "2026-01-01"


def test_an_objective_with_every_period_measured_is_up_to_date(client_as, qa):
    objective = _objective("OBJ-A", start_date=D(2026, 2, 1))
    measure(objective, [2.6, 2.5])

    ((_row, form),) = _entry(client_as(qa), scope="all").context["pairs"]

    assert form is None
    assert "Up to date" in _entry(client_as(qa), scope="all").content.decode()


def test_one_submit_saves_every_filled_row(client_as, qa):
    a, b, c = _objective("OBJ-A"), _objective("OBJ-B", frequency="weekly"), _objective("OBJ-C")
    data = {
        f"o{a.pk}-period": "2026-02-01",
        f"o{a.pk}-value": "2.3",
        f"o{a.pk}-comment": "new fixture",
        f"o{b.pk}-period": "2026-03-09",
        f"o{b.pk}-value": "1.5",
        f"o{c.pk}-period": "2026-02-01",
        f"o{c.pk}-value": "",
    }

    response = client_as(qa).post(reverse("objectives:measurement-entry") + "?scope=all", data, follow=True)

    assert response.redirect_chain[-1][0].endswith("?scope=all")
    assert "Saved 2 values: OBJ-A Feb 2026, OBJ-B Week of 9 Mar 2026." in response.content.decode()
    assert sorted(Measurement.objects.values_list("objective__reference", "period_start", "comment")) == [
        ("OBJ-A", D(2026, 2, 1), "new fixture"),
        ("OBJ-B", D(2026, 3, 9), ""),
    ]


def test_one_bad_row_saves_nothing_and_shows_the_error_next_to_it(client_as, qa):
    a, b = _objective("OBJ-A"), _objective("OBJ-B")
    data = {
        f"o{a.pk}-period": "2026-02-01",
        f"o{a.pk}-value": "2.3",
        f"o{b.pk}-period": "2026-02-01",
        f"o{b.pk}-value": "-4",
    }

    response = client_as(qa).post(reverse("objectives:measurement-entry") + "?scope=all", data)

    assert response.status_code == 200
    assert not Measurement.objects.exists()
    forms = {row.objective.reference: form for row, form in response.context["pairs"]}
    assert forms["OBJ-A"].errors == {}
    assert forms["OBJ-B"].errors["value"] == ["A value in % cannot be negative."]
    html = response.content.decode()
    assert f'id="row-{b.pk}" class="table-danger"' in html
    assert "Nothing was saved" in html


def test_a_comment_without_a_value_is_an_error_on_its_row(client_as, qa):
    a = _objective("OBJ-A")

    response = client_as(qa).post(
        reverse("objectives:measurement-entry") + "?scope=all",
        {f"o{a.pk}-period": "2026-02-01", f"o{a.pk}-comment": "late"},
    )

    ((_row, form),) = response.context["pairs"]
    assert form.errors["value"] == ["Give the value, or clear the comment."]
    assert not Measurement.objects.exists()


def test_a_row_taken_by_someone_else_meanwhile_is_shown_on_its_row(client_as, qa):
    a = _objective("OBJ-A")
    client = client_as(qa)
    _entry(client, scope="all")
    MeasurementFactory(objective=a, period_start=D(2026, 2, 1))

    response = client.post(
        reverse("objectives:measurement-entry") + "?scope=all", {f"o{a.pk}-period": "2026-02-01", f"o{a.pk}-value": "2"}
    )

    ((_row, form),) = response.context["pairs"]
    assert "Select a valid choice" in form.errors["period"][0]
    assert Measurement.objects.count() == 1


def test_an_empty_submit_saves_nothing_and_says_so(client_as, qa):
    _objective("OBJ-A")

    response = client_as(qa).post(reverse("objectives:measurement-entry") + "?scope=all", {})

    assert "no value was filled in" in response.content.decode()


@pytest.mark.parametrize("persona", ["employee", "auditor"])
def test_roles_that_only_read_cannot_open_the_entry_page(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("objectives:measurement-entry")).status_code == 403
    assert client.post(reverse("objectives:measurement-entry"), {}).status_code == 403


# One value and a correction ---------------------------------------------------------------------------------------


def test_qa_enters_one_value_and_returns_to_the_objective(client_as, qa):
    objective = _objective("OBJ-A")

    response = client_as(qa).post(
        reverse("objectives:measurement-create", args=[objective.pk]), {"period": "2026-02-14", "value": "2.2"}
    )

    assert response.status_code == 302
    assert response["Location"] == objective.get_absolute_url() + "#measurements"
    assert Measurement.objects.get().period_start == D(2026, 2, 1)


def test_the_single_entry_form_proposes_the_period_due(client_as, qa):
    objective = _objective("OBJ-A", start_date=D(2026, 1, 1))

    response = client_as(qa).get(reverse("objectives:measurement-create", args=[objective.pk]))

    assert response.context["form"].initial["period"] == D(2026, 1, 1)


def test_a_duplicate_period_is_shown_on_the_period_field(client_as, qa):
    objective = _objective("OBJ-A")
    MeasurementFactory(objective=objective, period_start=D(2026, 2, 1))

    response = client_as(qa).post(
        reverse("objectives:measurement-create", args=[objective.pk]), {"period": "2026-02", "value": "2.2"}
    )

    assert response.status_code == 200
    assert "already has a value for Feb 2026" in response.context["form"].errors["period"][0]


def test_an_inactive_objective_sends_back_with_a_message(client_as, qa):
    objective = _objective("OBJ-A", draft=True)

    response = client_as(qa).get(reverse("objectives:measurement-create", args=[objective.pk]), follow=True)

    assert "only active objectives take measurements" in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_employee_cannot_enter_a_value(client_as, employee):
    objective = _objective("OBJ-A")

    response = client_as(employee).post(
        reverse("objectives:measurement-create", args=[objective.pk]), {"period": "2026-02-14", "value": "2.2"}
    )

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_a_department_manager_cannot_open_another_departments_entry_form(client_as, dept_manager):
    objective = _objective("OBJ-A")

    assert client_as(dept_manager).get(reverse("objectives:measurement-create", args=[objective.pk])).status_code == 403


def test_a_correction_without_a_reason_is_refused_on_the_form(client_as, qa):
    measurement = MeasurementFactory(objective=_objective("OBJ-A"), period_start=D(2026, 2, 1), value=Decimal("2.4"))

    response = client_as(qa).post(reverse("objectives:measurement-update", args=[measurement.pk]), {"value": "2.1"})

    assert response.status_code == 200
    assert response.context["form"].errors["correction_reason"]
    measurement.refresh_from_db()
    assert measurement.value == Decimal("2.4")


def test_a_corrected_value_shows_where_it_came_from_on_the_objective_page(client_as, qa, mgmt_rep):
    objective = _objective("OBJ-A")
    measurement = services.measurement_record(actor=qa, objective=objective, period=D(2026, 2, 1), value="2.4")
    client_as(mgmt_rep).post(
        reverse("objectives:measurement-update", args=[measurement.pk]),
        {"value": "2.1", "correction_reason": "transcription error"},
    )

    html = client_as(qa).get(objective.get_absolute_url()).content.decode()

    name = mgmt_rep.get_full_name()
    assert f"Corrected from 2.4 on 16 Mar 2026 by {name}: transcription error" in html


def test_an_employee_cannot_correct_a_value(client_as, employee):
    measurement = MeasurementFactory(objective=_objective("OBJ-A"), period_start=D(2026, 2, 1))

    response = client_as(employee).post(
        reverse("objectives:measurement-update", args=[measurement.pk]), {"value": "2.1", "correction_reason": "x"}
    )

    assert response.status_code == 403


def test_the_auditor_reads_a_values_history_but_cannot_correct_it(client_as, auditor):
    measurement = MeasurementFactory(objective=_objective("OBJ-A"), period_start=D(2026, 2, 1))
    client = client_as(auditor)

    response = client.get(measurement.get_absolute_url())

    assert response.status_code == 200
    assert response.context["history"]
    assert not response.context["may_correct"]
    assert client.get(reverse("objectives:measurement-update", args=[measurement.pk])).status_code == 403


# The list of values --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 60])
def test_measurement_list_query_count_does_not_grow(client_as, auditor, rows, django_assert_num_queries):
    for index in range(rows):
        MeasurementFactory(objective=_objective(f"OBJ-{index:03d}"), period_start=D(2026, 1, 1))
    client = client_as(auditor)
    # session, user, the user's groups (role badge), permissions (2), count for pagination, the page of
    # values with objective, department and author, the objective and department drop-downs.
    with django_assert_num_queries(9):
        assert client.get(reverse("objectives:measurement-list")).status_code == 200


def test_the_list_filters_by_objective_and_period(client_as, employee):
    objective = _objective("OBJ-A")
    measure(objective, [2.9, 2.8, 2.7], first=D(2025, 12, 1))
    measure(_objective("OBJ-B"), [1], first=D(2026, 1, 1))

    response = client_as(employee).get(
        reverse("objectives:measurement-list"),
        {"objective": objective.pk, "period_after": "2026-01-01", "period_before": "2026-02-01"},
    )

    assert [(m.objective.reference, m.period_start) for m in response.context["object_list"]] == [
        ("OBJ-A", D(2026, 2, 1)),
        ("OBJ-A", D(2026, 1, 1)),
    ]


# The panel on the objective page --------------------------------------------------------------------------------------


def test_the_objective_page_shows_the_chart_values_and_entry_form(client_as, qa):
    objective = _objective("OBJ-A")
    measure(objective, [2.9, 2.7, 2.5], first=D(2025, 11, 1))

    html = client_as(qa).get(objective.get_absolute_url()).content.decode()

    svg = html[html.index('<svg role="img"') : html.index("</svg>", html.index('<svg role="img"')) + 6]
    parse_svg(svg)
    assert "OBJ-A: Defective product rate" in svg
    assert reverse("objectives:measurement-create", args=[objective.pk]) in html
    table = html[html.index("<th>Period</th>") :]
    assert table.index("Jan 2026") < table.index("Dec 2025") < table.index("Nov 2025")
    assert "3 of 14 ended periods since the start have a value" in html


def test_an_employee_sees_the_panel_without_the_entry_form(client_as, employee):
    objective = _objective("OBJ-A")

    html = client_as(employee).get(objective.get_absolute_url()).content.decode()

    assert "Measurements" in html
    assert reverse("objectives:measurement-create", args=[objective.pk]) not in html


# CSV template --------------------------------------------------------------------------------------------------------


def test_the_import_template_holds_only_the_header(client_as, qa, employee):
    response = client_as(qa).get(reverse("objectives:measurement-import-template"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig") == "objective,period,value,comment\n"
    assert client_as(employee).get(reverse("objectives:measurement-import-template")).status_code == 403


# Home dashboard panels (registered by the app's dashboard module) -----------------------------------------------


def test_the_health_panel_counts_active_objectives_by_health(rf, employee):
    _objective("OBJ-A", health=Health.ON_TRACK)
    _objective("OBJ-B", health=Health.OFF_TRACK, projected_to_miss=True)
    _objective("OBJ-C", health=Health.OFF_TRACK, draft=True)
    request = rf.get("/")
    request.user = employee

    context = dashboard_panel_context(request)

    assert context["total"] == 2
    assert {c["value"]: c["count"] for c in context["counts"]}["off_track"] == 1
    html = render_to_string("objectives/measurements/partials/_dashboard_health.html", context, request=request)
    assert "1 off track" in html
    assert "1 projected to miss" in html


def test_the_values_due_panel_lists_the_users_objectives_missing_values(rf, qa):
    late = _objective("OBJ-LATE", owner=qa.person, start_date=D(2026, 1, 1))
    measure(late, [2.5])  # January only: February has ended without a value
    request = rf.get("/")
    request.user = qa

    context = values_due_panel_context(request)

    assert [row.objective.reference for row in context["due_rows"]] == ["OBJ-LATE"]
    html = render_to_string("objectives/measurements/partials/_dashboard_values_due.html", context, request=request)
    assert "1 period without a value" in html


def test_the_panel_offers_entry_only_to_who_may_enter_this_objectives_values(rf, dept_manager):
    own = _objective("OBJ-OWN", owner=dept_manager.person)
    other = _objective("OBJ-OTHER")
    request = rf.get("/")
    request.user = dept_manager

    def html(objective):
        panel = objective_measurement_panel(objective, user=dept_manager)
        return render_to_string(
            "objectives/measurements/partials/_objective_panel.html", {"panel": panel}, request=request
        )

    assert reverse("objectives:measurement-create", args=[own.pk]) in html(own)
    assert reverse("objectives:measurement-create", args=[other.pk]) not in html(other)
