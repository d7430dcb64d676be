"""The benchmark's baseline page exists only when CLAUSE5_BENCH is on."""

import importlib

import pytest
from django.urls import clear_url_caches

import qms.urls


@pytest.fixture
def bench_urls(settings):
    """Rebuild the URLconf with CLAUSE5_BENCH as the test sets it, and restore it afterwards."""

    def build(enabled: bool):
        settings.CLAUSE5_BENCH = enabled
        importlib.reload(qms.urls)
        clear_url_caches()

    yield build
    settings.CLAUSE5_BENCH = False
    importlib.reload(qms.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_baseline_served_when_bench_on(bench_urls, client_as, employee):
    """With CLAUSE5_BENCH on, any signed-in user gets the tiny baseline page."""
    bench_urls(True)
    client = client_as(employee)
    response = client.get("/bench/baseline/")
    assert response.status_code == 200
    assert b"Baseline: employee found." in response.content


@pytest.mark.django_db
def test_shell_page_renders_the_menus_around_the_trivial_query(bench_urls, client_as, employee):
    bench_urls(True)
    response = client_as(employee).get("/bench/shell/")
    assert response.status_code == 200
    assert b"Shell: employee found." in response.content
    assert b"<nav" in response.content


@pytest.mark.django_db
def test_baseline_needs_login(bench_urls, client):
    """Anonymous visitors are sent to the login page."""
    bench_urls(True)
    response = client.get("/bench/baseline/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_baseline_absent_when_bench_off(bench_urls, client_as, employee):
    """With CLAUSE5_BENCH off (the default), the page does not exist."""
    bench_urls(False)
    response = client_as(employee).get("/bench/baseline/")
    assert response.status_code == 404
    assert client_as(employee).get("/bench/shell/").status_code == 404
