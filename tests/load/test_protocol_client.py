"""The protocol students' JSON copy of a page agrees with Bokeh's own copy of it.

:class:`tests.support.protocol_client.ModelIndex` keeps a session's models as the JSON the server
sends instead of building Bokeh models. Two independent routes are fed the same messages of a
real session (the page pulled, then a tab opened): the index, and a Bokeh ``Document`` that
applies them as Bokeh's own Python client does. They must hold the same models, find the same
css classes, sliders and tab bar.
"""

from __future__ import annotations

from typing import Any

import pytest
from bokeh.document import Document
from bokeh.models import Slider, Tabs

from dashboard.assembly import GLOBAL_SLIDER_CLASSES
from dashboard.views import VIEWS
from tests.support.browser import view_class
from tests.support.protocol_client import SLIDER_TYPES, TABS_TYPES, ProtocolSession
from tests.support.served import ServedDashboard, run_coroutine

pytestmark = [pytest.mark.load, pytest.mark.timeout(300)]


class MirroredSession(ProtocolSession):
    """A protocol session that also applies every server message, and its own clicks, to a
    Bokeh ``Document``."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.document = Document()

    def _pulled(self, reply: Any) -> None:
        super()._pulled(reply)
        reply.push_to_document(self.document)

    def _patched(self, patch: Any) -> None:
        super()._patched(patch)
        patch.apply_to_document(self.document)

    def _change(self, model: Any, changes: dict[str, Any]) -> float:
        """A click changes the browser's copy too."""
        self.document.get_model_by_id(model.id).update(**changes)
        return super()._change(model, changes)


def _assert_same_page(session: MirroredSession, classes: list[str]) -> None:
    index, document = session.index, session.document
    assert set(index.reachable(index.roots)) == {model.id for model in document.models}
    for css_class in classes:
        holders = [
            model
            for model in document.models
            if css_class in (getattr(model, "css_classes", None) or [])
        ]
        assert holders, css_class
        assert set(index.with_class(css_class)) == {model.id for model in holders}, css_class
        sliders = {
            reference.id
            for model in holders
            for reference in [model, *model.references()]
            if isinstance(reference, Slider)
        }
        assert {slider.id for slider in session.sliders_under(css_class)} == sliders, css_class
        assert all(index.models[slider]["name"] in SLIDER_TYPES for slider in sliders)
    [tabs] = [model for model in document.models if isinstance(model, Tabs)]
    assert index.of_type(TABS_TYPES) == [tabs.id]
    assert session.tabs().active == tabs.active


async def _compare(url: str) -> None:
    decay_tab = list(VIEWS).index("decay")
    async with MirroredSession(url) as session:
        await session.wait_for_class(view_class(0), timeout=120.0)
        classes = [*GLOBAL_SLIDER_CLASSES.values(), view_class(0)]
        _assert_same_page(session, classes)
        assert session.index.with_class(view_class(decay_tab)) == []
        session.select_tab(decay_tab)
        await session.wait_for_class(view_class(decay_tab), timeout=120.0)
        _assert_same_page(session, [*classes, view_class(decay_tab)])
        assert session.tabs().active == decay_tab


def test_the_json_copy_of_a_served_page_matches_bokehs_copy(tmp_path):
    server = ServedDashboard(tmp_path / "server.log")
    try:
        run_coroutine(_compare(server.url))
        assert server.server_errors() == []
    finally:
        server.stop()
