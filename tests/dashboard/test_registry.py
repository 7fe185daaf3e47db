"""Every module under dashboard/views/ is registered, and every registered view is a View."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import dashboard.views
from dashboard.base import View
from dashboard.views import VIEWS, load_view_class


def test_every_view_module_is_registered():
    modules = {info.name for info in pkgutil.iter_modules(dashboard.views.__path__)}
    registered = {VIEWS[slug].split(":")[0].rsplit(".", 1)[1] for slug in VIEWS}
    assert modules - registered == set(), "view modules missing from dashboard.views.VIEWS"


@pytest.mark.parametrize("slug", sorted(VIEWS))
def test_registered_view_is_a_view_with_matching_slug(slug):
    importlib.import_module(VIEWS[slug].split(":")[0])  # an import error fails here
    view_class = load_view_class(slug)
    assert issubclass(view_class, View)
    assert view_class.slug == slug
    assert view_class.title and view_class.explanation


def test_unknown_view_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match="not registered"):
        load_view_class("no_such_view")
