"""The Sweeps view in a real browser at a phone's and a laptop's viewport (issue 17): the data
of a curve or an overlay keep a phone's width and at least 300 px of height, the kind buttons stay
on one line in presentation mode, and the choices read the file's labels, not its names.

The served sweep (``conftest.dashboard_server``): m/m* of the polaron over four γ and the two
routes ``method = energy, sigma``, written by ``qgas sweep``.
"""

from __future__ import annotations

import pytest
from conftest import Page
from test_classroom import OVERFLOWING, VIEWPORTS, open_view

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

#: Issue 17: the plot's data area on a phone (it was ~130–200 px wide beside a legend).
PHONE_DATA_SIZE = 300

#: Inner (data area) widths and heights of the Bokeh figures of the page.
FRAMES = """() => Array.from(Bokeh.documents[0].all_models)
  .filter((m) => (m.type ?? m.constructor.__name__) === 'Figure')
  .map((m) => [m.inner_width, m.inner_height])"""

#: Number of lines each kind button's text takes, by its text.
BUTTON_LINES = """() => {
  const out = {};
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.closest && element.closest('.bk-btn-group') && element.tagName === 'BUTTON'
          && ['curve', 'overlay', 'heat map'].includes(element.textContent.trim())) {
        const range = document.createRange();
        range.selectNodeContents(element);
        out[element.textContent.trim()] = range.getClientRects().length;
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return out;
}"""

#: Texts of the options of every select of the page.
OPTION_TEXTS = """() => {
  const out = [];
  const visit = (root) => {
    for (const option of root.querySelectorAll('option')) out.push(option.textContent);
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return out;
}"""


@pytest.mark.parametrize("kind", ["curve", "overlay"])
def test_a_phones_sweep_plot_keeps_its_data_wide_and_tall(dashboard_server, browser, kind):
    tab = Page(browser, VIEWPORTS["phone"])
    try:
        open_view(tab, f"{dashboard_server.url}?view=sweeps&sweeps_kind={kind}", "sweeps")
        (frame,) = tab.page.evaluate(FRAMES)
        width, height = frame
        assert width >= PHONE_DATA_SIZE * 0.9 and height >= PHONE_DATA_SIZE, frame
        assert tab.page.evaluate(OVERFLOWING)["out"] == []  # the legend's long title included
        assert tab.console_errors == []
    finally:
        tab.close()


def test_kind_buttons_stay_on_one_line_in_presentation_mode(dashboard_server, browser):
    tab = Page(browser, VIEWPORTS["laptop"])
    try:
        open_view(tab, f"{dashboard_server.url}?view=sweeps&presentation=true", "sweeps")
        assert tab.page.evaluate(BUTTON_LINES) == {"curve": 1, "overlay": 1, "heat map": 1}
        options = tab.page.evaluate(OPTION_TEXTS)
        assert "coupling gamma = c/n" in options  # the long name written by qgas sweep
        assert "gamma" not in options and "inverse_mass_ratio" not in options
    finally:
        tab.close()
