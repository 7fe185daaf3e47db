"""Keyboard and assistive technology beyond a page load (issue 17 §2, browser QA).

A γ typed between the slider's grid points makes the slider one stop longer (new options
replace the slider in the page): its handle must still read out the physical value, not the
grid index ("114.00" for a typed 6, "81.00" for 0.5, even after an arrow key). The tab list,
drawn at the top, must come first in keyboard order with one tab stop for the whole list:
Bokeh put it after the panel it shows, so 32 Tab presses passed every control and plot
toolbar button of e(γ) before the first tab (76 on the decay view).
"""

from __future__ import annotations

import pytest
from conftest import Page
from test_classroom import open_view, query

from dashboard.state import GAMMA_GRID
from dashboard.views import VIEWS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

#: The focused element, followed into shadow roots: whether it is a tab (and selected), and
#: the slug of the view holding it (``qge-view-<slug>`` on an ancestor), if any.
FOCUSED = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  let view = null;
  for (let node = element; node && view === null; node = node.parentNode || node.host) {
    const match = node.classList ? String(node.className).match(/qge-view-([a-z_]+)/) : null;
    if (match) view = match[1];
  }
  const tab = !!element && element.classList.contains('bk-tab');
  return {tab, selected: tab && element.getAttribute('aria-selected') === 'true',
          text: element ? element.textContent.trim().slice(0, 40) : '', view};
}"""
#: ``tabIndex`` of every tab of the page's tab list.
TAB_INDICES = """() => {
  const out = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.classList.contains('bk-tab')) out.push(element.tabIndex);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return out;
}"""
#: More Tab presses than the page has controls outside the views (sidebar, header: 9).
MAX_PRESSES = 20


def gamma_handle(tab: Page):
    """The γ slider's handle, found anew at each use (new options replace the slider)."""
    return tab.page.locator(".qge-gamma .noUi-handle").first


@pytest.mark.parametrize("typed", ["6", "0.5"])
def test_a_typed_gamma_is_read_out_as_its_value_also_after_an_arrow_key(
    dashboard_server, page, typed
):
    from playwright.sync_api import expect

    value = float(typed)
    assert value not in GAMMA_GRID  # a new stop: the slider is replaced
    open_view(page, dashboard_server.url, "energy", plotted=False)
    field = page.page.locator(".qge-typed-gamma input").first
    field.fill(typed)
    field.press("Enter")
    page.page.wait_for_function(
        "(typed) => new URLSearchParams(location.search).get('gamma') === typed", arg=typed
    )
    expect(gamma_handle(page)).to_have_attribute("aria-valuetext", f"Coupling γ = {typed}")
    following = min(stop for stop in GAMMA_GRID if stop > value)
    gamma_handle(page).focus()
    page.page.keyboard.press("ArrowRight")
    page.page.wait_for_function(
        "(value) => parseFloat(new URLSearchParams(location.search).get('gamma')) === value",
        arg=following,
    )
    expect(gamma_handle(page)).to_have_attribute("aria-valuetext", f"Coupling γ = {following:g}")
    assert page.console_errors == []


@pytest.mark.parametrize("slug", ["energy", "decay"])
def test_the_tab_list_comes_before_the_view_in_keyboard_order(dashboard_server, page, slug):
    open_view(page, f"{dashboard_server.url}?view={slug}", slug, plotted=False)
    page.page.wait_for_timeout(500)  # page.js marks the tabs 120 ms after a change
    passed = []
    for _ in range(MAX_PRESSES):
        page.page.keyboard.press("Tab")
        focused = page.page.evaluate(FOCUSED)
        if focused["tab"]:
            break
        passed.append(focused)
    assert focused["selected"], (focused, passed)
    assert [f for f in passed if f["view"] is not None] == [], passed
    # one tab stop for the list: the selected tab alone is reached with Tab
    indices = page.page.evaluate(TAB_INDICES)
    assert sorted(indices) == [-1] * (len(indices) - 1) + [0], indices
    page.page.keyboard.press("Tab")
    inside = page.page.evaluate(FOCUSED)
    assert not inside["tab"] and inside["view"] == slug, inside
    page.page.keyboard.press("Shift+Tab")
    assert page.page.evaluate(FOCUSED) == focused
    page.page.keyboard.press("Shift+Tab")
    before = page.page.evaluate(FOCUSED)
    assert not before["tab"] and before["view"] is None, before
    assert query(page).get("view", "energy") == slug
    assert page.console_errors == []


def test_the_arrow_keys_move_the_single_tab_stop(dashboard_server, page):
    open_view(page, dashboard_server.url, "energy", plotted=False)
    page.page.wait_for_timeout(500)
    page.page.locator(".bk-tab").first.focus()
    page.page.keyboard.press("ArrowRight")
    second = list(VIEWS)[1]
    page.page.wait_for_function(
        "(slug) => new URLSearchParams(location.search).get('view') === slug", arg=second
    )
    page.wait_idle()
    page.page.wait_for_timeout(500)
    assert page.page.evaluate(TAB_INDICES)[:2] == [-1, 0]
    focused = page.page.evaluate(FOCUSED)
    assert focused["tab"] and focused["selected"], focused
    page.page.keyboard.press("Tab")
    assert page.page.evaluate(FOCUSED)["view"] == second
    assert page.console_errors == []
