"""The address bar and the browser's history (issue 17, browser QA): every change of the
dashboard's state replaces the address, so Back never shows one address over another state.

Before, Panel's Location pushed one history entry per change of the URL (two for a typed γ,
seven for three presses of a lesson's Next) and nothing followed Back: after the Borel tab,
Back showed ``view=polaron&gamma=3`` above the Borel view.
"""

from __future__ import annotations

from test_classroom import open_view, query


def test_actions_replace_the_address_and_add_no_history(dashboard_server, page):
    open_view(page, dashboard_server.url, "energy")
    entries = page.page.evaluate("history.length")
    page.page.locator(".bk-tab", has_text="m/m*").first.click()
    page.page.wait_for_function("location.search.includes('view=polaron')")
    field = page.page.locator(".qge-typed-gamma input").first
    field.fill("3")
    field.press("Enter")
    page.page.wait_for_function("new URLSearchParams(location.search).get('gamma') === '3'")
    page.page.locator(".bk-tab", has_text="Borel").first.click()
    page.page.wait_for_function("location.search.includes('view=borel')")
    page.wait_idle()
    assert query(page) == {"view": "borel", "gamma": "3"}
    assert page.page.evaluate("history.length") == entries
