"""What the page adds to Panel's template: text that scales in presentation mode, keyboard
tabs, named sliders that say their value, and a layout for phones.

* :class:`ClassroomDesign` is Panel's Bootstrap design plus ``static/components.css`` in every
  component's shadow root: buttons, selects and inputs take their size from the custom
  property ``--qge-scale`` (CSS custom properties, unlike page styles, reach inside shadow
  roots), and select boxes never grow past their column.
* :class:`PageBehaviour` is one invisible component per page running ``static/page.js``:
  it puts the class ``qge-presentation`` on ``<body>`` in presentation mode (``dashboard.css``
  then raises ``--bokeh-font-size``, which Bokeh's tabs, labels, slider titles, tooltips and
  Markdown follow, and ``--qge-scale``), makes the tabs operable from the keyboard, gives
  each slider handle an ``aria-label`` and an ``aria-valuetext`` with the physical value
  (``Coupling γ = 2.51``, not the handle's grid index), names the plots after their titles,
  and closes the sidebar at first on screens narrower than 768 px.
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

import param
from panel.custom import JSComponent
from panel.theme.bootstrap import Bootstrap
from panel.viewable import Viewable

__all__ = ["COMPONENT_CSS", "ClassroomDesign", "PageBehaviour"]

_STATIC = resources.files("dashboard") / "static"
#: Styles put into every component's shadow root (package data, like the page styles).
COMPONENT_CSS = (_STATIC / "components.css").read_text(encoding="utf-8")


class ClassroomDesign(Bootstrap):
    """Panel's Bootstrap design with :data:`COMPONENT_CSS` in every component."""

    modifiers: ClassVar[dict] = {
        **Bootstrap.modifiers,
        Viewable: {
            **Bootstrap.modifiers[Viewable],
            "stylesheets": [*Bootstrap.modifiers[Viewable]["stylesheets"], COMPONENT_CSS],
        },
    }


class PageBehaviour(JSComponent):
    """Invisible; runs ``static/page.js`` once per page (see the module docstring)."""

    presentation = param.Boolean(default=False, doc="Presentation mode is on.")

    _esm = (_STATIC / "page.js").read_text(encoding="utf-8")

    def __init__(self, **params) -> None:
        super().__init__(height=0, width=0, margin=0, **params)
