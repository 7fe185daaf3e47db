"""The served dashboard in a real browser (Debian Chromium driven by Playwright).

Checks: every registered view renders a plot without an error message; each of the three
mission sliders, moved from the keyboard, changes the data of the plots it drives (to the
physics value); the page logs no console error and requests nothing off 127.0.0.1; an
invalid URL is refused visibly without executing markup. Screenshots go to
``test-results/<test name>/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.views import VIEWS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

#: sidebar slider CSS class -> (URL key, views whose data it must change)
MISSION_SLIDERS = {
    "qge-gamma": ("gamma", ("energy", "polaron")),
    "qge-disorder": ("disorder_strength", ("decay",)),
    "qge-depth": ("lattice_depth", ("phase_map",)),
}


def assert_clean(tab) -> None:
    assert tab.console_errors == [], f"console errors: {tab.console_errors}"
    assert tab.external_requests == [], f"requests off 127.0.0.1: {tab.external_requests}"


def show_view(tab, slug: str) -> None:
    tab.page.locator(".bk-tab").nth(list(VIEWS).index(slug)).click()
    tab.page.locator(f".qge-view-{slug}").first.wait_for(state="visible", timeout=120_000)
    tab.page.wait_for_function(  # plotted data (heavy views compute in a worker thread)
        "(prefix) => Array.from(Bokeh.documents[0].all_models).some("
        "(m) => m.name && m.name.startsWith(prefix) && m.data !== undefined)",
        arg=f"{slug}|",
        timeout=120_000,
    )
    tab.wait_idle()
    tab.page.wait_for_timeout(300)


def view_sources(tab, slug: str) -> dict[str, str]:
    return {name: data for name, data in tab.sources().items() if name.startswith(f"{slug}|")}


def test_every_view_renders(dashboard_server, page, output_dir):
    page.open(dashboard_server.url)
    for slug in VIEWS:
        show_view(page, slug)
        page.page.screenshot(path=output_dir / f"{slug}.png", full_page=True)
        assert view_sources(page, slug), f"view {slug!r} has no plotted data"
        alerts = page.page.locator(".bk-panel-models-markup-HTML .alert-danger")
        visible = [
            alerts.nth(i).inner_text() for i in range(alerts.count()) if alerts.nth(i).is_visible()
        ]
        assert visible == [], f"view {slug!r} shows an error: {visible}"
    assert_clean(page)


@pytest.mark.parametrize("slider", sorted(MISSION_SLIDERS))
def test_mission_slider_updates_its_plots(dashboard_server, page, output_dir, slider):
    """Each view driven by the slider (shown in turn: only the visible tab is in the page)
    receives new plot data when the slider moves, and the value lands in the URL."""
    key, slugs = MISSION_SLIDERS[slider]
    page.open(dashboard_server.url)
    handle = page.page.locator(f".{slider} .noUi-handle").first
    for slug in slugs:
        show_view(page, slug)
        before = view_sources(page, slug)
        handle.focus()
        for _ in range(3):
            handle.press("ArrowRight")
        page.page.wait_for_function(
            "(key) => new URLSearchParams(window.location.search).has(key)",
            arg=key,
            timeout=30_000,
        )
        page.wait_idle()
        page.page.wait_for_function(
            """([prefix, old]) => {
                 for (const m of Bokeh.documents[0].all_models) {
                   if (m.name && m.name.startsWith(prefix) && m.data !== undefined) {
                     const cols = m.data instanceof Map ? Object.fromEntries(m.data) : m.data;
                     const text = JSON.stringify(Object.fromEntries(Object.entries(cols).map(
                        ([k, v]) => [k, Array.from(v, (x) => (typeof x === 'number'
                                                             ? x : String(x)))])));
                     if (old[m.name] !== undefined && old[m.name] !== text) return true;
                   }
                 }
                 return false;
               }""",
            arg=[f"{slug}|", before],
            timeout=120_000,
        )
    value = float(parse_qs(urlparse(page.page.url).query)[key][0])
    assert value > 0
    page.page.screenshot(path=output_dir / f"{slider}.png", full_page=True)
    assert_clean(page)


def test_gamma_marker_sits_on_the_exact_energy(dashboard_server, page):
    from physics import lieb_liniger

    page.open(dashboard_server.url + "?gamma=3.16")
    marker = json.loads(view_sources(page, "energy")["energy|marker"])
    assert marker["gamma"] == [pytest.approx(3.16)]
    assert marker["e"] == [pytest.approx(float(lieb_liniger.ground_state_energy(3.16)), rel=1e-9)]
    assert_clean(page)


INVALID_QUERY = (
    "gamma=-1&disorder_strength=NaN&lattice_depth=1e400&energy_weak_order=text"
    "&view=%3Cscript%3Ealert(1)%3C/script%3E"
)


def test_invalid_url_values_are_refused_visibly(dashboard_server, page, output_dir):
    from playwright.sync_api import expect

    dialogs = []
    page.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.open(f"{dashboard_server.url}?{INVALID_QUERY}")
    warning = page.page.locator(".alert-warning", has_text="Ignored URL parameters")
    expect(warning).to_be_visible()
    for name in ("gamma", "disorder_strength", "lattice_depth", "energy_weak_order", "view"):
        expect(warning).to_contain_text(name)
    expect(warning).to_contain_text("<script>alert(1)</script>")  # as text, not as markup
    assert dialogs == []
    marker = json.loads(view_sources(page, "energy")["energy|marker"])
    assert marker["gamma"] == [1.0]  # the default is kept
    page.page.screenshot(path=output_dir / "invalid_url.png")
    assert_clean(page)


def test_a_number_of_5000_digits_in_the_url_is_refused_not_a_blank_page(dashboard_server, page):
    """Panel parses the request's query when the session starts; int() of more than 4,300
    digits raised there (a blank page and a server traceback) before the app could refuse it."""
    from playwright.sync_api import expect

    page.open(f"{dashboard_server.url}?view=energy&gamma={'9' * 5000}")
    warning = page.page.locator(".alert-warning", has_text="Ignored URL parameters")
    expect(warning).to_contain_text("gamma = 999")
    expect(warning).to_contain_text("5000 characters")
    marker = json.loads(view_sources(page, "energy")["energy|marker"])
    assert marker["gamma"] == [1.0]
    # the address bar drops it too (it kept the digits, sent them back on every change and
    # so never followed the inputs again)
    page.page.wait_for_function("() => !new URLSearchParams(location.search).has('gamma')")
    assert page.page.evaluate("() => new URLSearchParams(location.search).get('view')") == "energy"
    assert_clean(page)


def test_the_address_bar_keeps_one_of_a_repeated_parameter(dashboard_server, page):
    """QA: ?gamma=2.51&gamma=10 applied 10 and said so, but the browser's address kept both
    until γ moved: a teacher copying the link at once shared the ambiguous one."""
    from playwright.sync_api import expect

    page.open(f"{dashboard_server.url}?view=polaron&gamma=2.51&gamma=10")
    warning = page.page.locator(".alert-warning", has_text="Ignored URL parameters")
    expect(warning).to_contain_text("gamma (given 2 times)")
    page.page.wait_for_function(
        "() => new URLSearchParams(location.search).getAll('gamma').join() === '10'"
    )
    assert page.page.evaluate("() => new URLSearchParams(location.search).get('view')") == "polaron"


def test_html_snapshots_download_in_a_served_session(dashboard_server, page):
    """The snapshot is written while the session's document is served (the case unit tests
    of ``to_html`` miss): two views of one session, one after the other, each a standalone
    page with its plotted data and no script fetched off the machine."""
    page.open(dashboard_server.url)
    for slug in ("energy", "polaron"):
        show_view(page, slug)
        button = page.page.locator(f".qge-view-{slug}").get_by_role("button", name="HTML snapshot")
        with page.page.expect_download(timeout=120_000) as download:
            button.click()
        html_text = Path(download.value.path()).read_text(encoding="utf-8")
        assert download.value.suggested_filename.startswith(f"qgas_{slug}_")
        assert "_gamma-1" in download.value.suggested_filename  # named at the click
        assert html_text.lstrip().startswith("<!DOCTYPE html>")
        assert f"{slug}|" in html_text  # the view's named data sources are in the page
        assert '<script src="http' not in html_text
    assert_clean(page)
