"""What the page adds to Panel's template: text that scales in presentation mode, keyboard
tabs, named sliders that say their value, and a layout for phones.

* :class:`ClassroomDesign` is Panel's Bootstrap design plus ``static/components.css`` in every
  component's shadow root: buttons, selects and inputs take their size from the custom
  property ``--qge-scale`` (CSS custom properties, unlike page styles, reach inside shadow
  roots), and select boxes never grow past their column.
* :class:`ClassroomTemplate` is Panel's Bootstrap template whose ``<body>`` arrives with the
  class ``qge-presentation`` when the page is served in presentation mode (``dashboard.css``
  then raises ``--bokeh-font-size``, which Bokeh's tabs, labels, slider titles, tooltips and
  Markdown follow, and ``--qge-scale``). The class is in the page's HTML, so every widget is
  drawn at its size from the first frame: set by ``page.js`` alone, it came 1.4–2.6 s after
  the widgets were drawn and 0.5–1.4 s after Bokeh reported the document idle (the module is
  compiled and imported in the browser), and a class saw the tabs, sliders and caption at
  their normal size beside presentation-size plots. Its address bar is replaced, never
  pushed: Back leaves the dashboard instead of showing an old address over the current state.
* :class:`PageBehaviour` is one invisible component per page running ``static/page.js``:
  it follows later changes of presentation mode (the class on ``<body>``), makes the tabs
  operable from the keyboard, gives each slider handle an ``aria-label`` and an
  ``aria-valuetext`` with the physical value (``Coupling γ = 2.51``, not the handle's grid
  index), names the plots after their titles, and closes the sidebar at first on screens
  narrower than 768 px.
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

import param
from panel.custom import JSComponent
from panel.template import BootstrapTemplate
from panel.theme.bootstrap import Bootstrap
from panel.viewable import Viewable

__all__ = [
    "COMPONENT_CSS",
    "PRESENTATION_CLASS",
    "ClassroomDesign",
    "ClassroomTemplate",
    "PageBehaviour",
]

_STATIC = resources.files("dashboard") / "static"
#: Styles put into every component's shadow root (package data, like the page styles).
COMPONENT_CSS = (_STATIC / "components.css").read_text(encoding="utf-8")
#: Class of ``<body>`` in presentation mode (``dashboard.css``, ``page.js``).
PRESENTATION_CLASS = "qge-presentation"
#: Run before Panel's scripts: the address bar is replaced, never pushed. Panel's Location
#: pushed a history entry for every change of the URL (two to seven for one click: a typed
#: γ, a lesson's Next) and nothing follows the browser's Back, so Back showed one address
#: over another state (``view=polaron&gamma=3`` above the Borel tab). The address is the
#: state on screen; Back leaves the dashboard.
_REPLACE_HISTORY = (
    "<script>history.pushState = (state, unused, url) => "
    "history.replaceState(state, unused, url);</script>"
)
#: Panel's page (``page``: the template's own Jinja template) with ``<body>``'s class set when
#: the page is rendered (Panel's base page writes a bare ``<body>`` around ``inner_body``),
#: and :data:`_REPLACE_HISTORY` first in it.
_PAGE_WITH_BODY_CLASS = (
    "{% extends page %}{% block body %}"
    '<body class="{{ body_class() }}">' + _REPLACE_HISTORY + "{{ self.inner_body() }}</body>"
    "{% endblock %}"
)


class ClassroomDesign(Bootstrap):
    """Panel's Bootstrap design with :data:`COMPONENT_CSS` in every component."""

    modifiers: ClassVar[dict] = {
        **Bootstrap.modifiers,
        Viewable: {
            **Bootstrap.modifiers[Viewable],
            "stylesheets": [*Bootstrap.modifiers[Viewable]["stylesheets"], COMPONENT_CSS],
        },
    }


class ClassroomTemplate(BootstrapTemplate):
    """Panel's Bootstrap template; ``<body>`` has :data:`PRESENTATION_CLASS` in the served
    page when ``presentation`` is on as the page is rendered (see the module docstring)."""

    presentation = param.Boolean(default=False, doc="Presentation mode is on.")

    def __init__(self, **params) -> None:
        super().__init__(**params)
        page = self.template
        self.template = page.environment.from_string(
            _PAGE_WITH_BODY_CLASS, globals={"page": page, "body_class": self.body_class}
        )

    def body_class(self) -> str:
        """The class of ``<body>`` in the page served now."""
        return PRESENTATION_CLASS if self.presentation else ""


class PageBehaviour(JSComponent):
    """Invisible; runs ``static/page.js`` once per page (see the module docstring)."""

    presentation = param.Boolean(default=False, doc="Presentation mode is on.")

    _esm = (_STATIC / "page.js").read_text(encoding="utf-8")

    def __init__(self, **params) -> None:
        super().__init__(height=0, width=0, margin=0, **params)
