"""On a phone the plot comes right after the view's own controls (issue 17: "Phone: usable").

The controls' column dissolves below 768 px (``dashboard.base``: ``display: contents`` and
``order``), so the pins and the downloads, a screen of buttons, move below the plots and the
plot is on the first screen with the sliders that drive it; on a laptop they stay under the
controls, beside the plots. The sidebar with the global sliders starts closed on a phone, so
each view driven by one says where it is. Truth: the boxes the browser lays out.
"""

from __future__ import annotations

import pytest
from conftest import Page
from test_classroom import VIEWPORTS, open_view

pytestmark = pytest.mark.timeout(900)

#: Views drawn with the shared layout of ``dashboard.base.View`` (a light and a heavy one).
LAID_OUT = ("energy", "phase_map", "decay")


def boxes(tab: Page, slug: str) -> tuple[dict, dict, dict]:
    """(first plot, CSV button, view) boxes of view ``slug``."""
    view = tab.page.locator(f".qge-view-{slug}").first
    plot = view.locator(".bk-Canvas").first.bounding_box()
    download = view.get_by_role("button", name="CSV").first.bounding_box()
    return plot, download, view.bounding_box()


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_on_a_phone_pins_and_downloads_follow_the_plots(dashboard_server, browser, viewport):
    tab = Page(browser, VIEWPORTS[viewport])
    try:
        for slug in LAID_OUT:
            open_view(tab, f"{dashboard_server.url}?view={slug}", slug)
            plot, download, view = boxes(tab, slug)
            note = tab.page.locator(f".qge-view-{slug}").first.get_by_text("☰ menu")
            # the sidebar with the view's global slider starts closed on a phone: say where
            assert note.is_visible() == (viewport == "phone"), slug
            if viewport == "phone":
                assert plot["y"] < download["y"], (slug, plot, download)
                assert plot["y"] < VIEWPORTS["phone"][1], (slug, plot)  # on the first screen
                assert download["width"] > 0.4 * view["width"], (slug, download, view)
            else:  # beside the plots, under the controls
                assert download["x"] + download["width"] <= plot["x"], (slug, plot, download)
        assert tab.console_errors == []
    finally:
        tab.close()
