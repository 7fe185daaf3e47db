"""The lesson player: a lesson chooser in the sidebar and, above the tabs, the current step's
caption with Previous / Next and the list of steps.

The current lesson and step (counted from 1) are :class:`LessonPosition` parameters, synced
to the URL as ``lesson`` and ``step`` by :mod:`dashboard.assembly`: a link opens a class at
its step. Opening a step sets every input of the dashboard to that step's state
(:func:`dashboard.lessons.apply_values`: defaults overridden by the lesson's values) and
shows its view.

When the inputs differ from the step's state (a slider moved during the step, or a link that
carries values of its own beside ``lesson`` and ``step``), the player says so under the
caption, naming each input with its value and the step's, and offers *Back to the step*.
The inputs are not refused: a link copied from the address bar during a lesson carries the
whole state the teacher saw, and opening it must show that state, not silently another; but
the caption describes the step, so the class is told which numbers are no longer its own.
Captions are rendered as Markdown with math, with raw HTML, links and images
switched off (lesson files are also refused when they hold them: :mod:`dashboard.lessons`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any

import panel as pn
import param

from dashboard.base import escape_text, markdown_with_math
from dashboard.lessons import MAX_STEPS, Lesson, LessonCatalogue

__all__ = ["LessonPanel", "LessonPosition", "caption_html", "caption_pane", "step_title"]

#: Characters of a step's title in the step list.
STEP_TITLE_CHARACTERS = 48
#: The caption is what the class reads: a third larger than the page's text (which
#: presentation mode enlarges), on a tinted band above the tabs.
CAPTION_CSS = ":host { font-size: calc(var(--bokeh-font-size, 12px) * 1.35); }"
PLAYER_STYLES = {
    "background": "#eef4fa",
    "border-left": "6px solid #1f3b57",
    "border-radius": "4px",
    "padding": "4px 8px 8px 4px",
    "margin-bottom": "8px",
}


class LessonPosition(param.Parameterized):
    """Which lesson is open and at which step (``None``: no lesson; not written to the URL)."""

    lesson = param.Selector(default=None, objects=[None], allow_None=True, doc="Lesson name.")
    step = param.Integer(
        default=None, bounds=(1, MAX_STEPS), allow_None=True, doc="Step, counted from 1."
    )


def _no_links(parser: Any) -> None:
    """markdown-it plugin: no link, image or autolinked URL in a caption."""
    parser.disable(["link", "image", "autolink", "linkify"], ignoreInvalid=True)


def caption_pane(**params: Any) -> pn.pane.Markdown:
    """A Markdown pane for captions: math rendered, raw HTML shown as text, no links."""
    return pn.pane.Markdown(
        renderer_options={"html": False, "linkify": False}, plugins=[_no_links], **params
    )


def caption_html(caption: str) -> str:
    """The HTML a caption becomes in the page (before KaTeX typesets its math)."""
    pane = caption_pane()
    return html.unescape(pane._transform_object(markdown_with_math(caption))["object"])


def step_title(number: int, caption: str) -> str:
    """``"3 · First words"``: the caption's first bold phrase, else its first words."""
    match = re.match(r"\s*\*\*(.+?)\*\*", caption, flags=re.S)
    text = match.group(1) if match else caption
    text = " ".join(text.replace("$", "").replace("\\", "").split()).rstrip(".:")
    if len(text) > STEP_TITLE_CHARACTERS:
        text = text[: STEP_TITLE_CHARACTERS - 1].rstrip() + "…"
    return f"{number} · {text}"


class LessonPanel:
    """The lesson chooser (``chooser``) and the step player (``player``) of one session.

    ``apply_state(values, view)`` sets the dashboard's inputs and shows the view; the
    assembly passes a function that does so for its state and views. ``current_state()``
    returns every input by URL name (and ``view``): what the step set is remembered, and
    :meth:`show_differences` (called by the assembly when an input changes) names what
    differs from it.
    """

    def __init__(
        self,
        lessons: LessonCatalogue,
        apply_state: Callable[[Mapping[str, Any], str], None],
        current_state: Callable[[], Mapping[str, Any]] = dict,
    ) -> None:
        self.catalogue = lessons
        self._apply_state = apply_state
        self._current_state = current_state
        self._step_state: Mapping[str, Any] = {}  # the inputs as the open step set them
        self.position = LessonPosition()
        self.position.param.lesson.objects = [None, *lessons.lessons]
        options = {"— no lesson —": ""} | {
            lesson.title: name for name, lesson in lessons.lessons.items()
        }
        self.chooser = pn.widgets.Select(
            label="Lesson", options=options, value="", sizing_mode="stretch_width"
        )
        self._title = pn.pane.Markdown("", css_classes=["qge-lesson-title"], margin=(0, 10))
        self._caption = caption_pane(
            sizing_mode="stretch_width",
            css_classes=["qge-lesson-caption"],
            margin=(0, 10),
            stylesheets=[CAPTION_CSS],
        )
        self._previous = pn.widgets.Button(label="◀ Previous", color="primary")
        self._next = pn.widgets.Button(label="Next ▶", color="primary")
        self._steps = pn.widgets.Select(label="Step", options={}, width=260)
        self._end = pn.widgets.Button(label="End lesson", color="light")
        self.difference = pn.pane.Markdown(
            "", css_classes=["qge-lesson-difference"], margin=(0, 10), visible=False
        )
        self._back = pn.widgets.Button(
            label="Back to the step", color="warning", visible=False, align="center"
        )
        self._back.on_click(lambda _: self._position_changed())
        self._previous.on_click(lambda _: self._go(-1))
        self._next.on_click(lambda _: self._go(+1))
        self._end.on_click(lambda _: self.end())
        self.player = pn.Column(
            self._title,
            self._caption,
            pn.FlexBox(self.difference, self._back, align_items="center"),
            pn.FlexBox(
                self._previous,
                self._steps,
                self._next,
                self._end,
                align_items="end",
                css_classes=["qge-lesson-buttons"],
            ),
            visible=False,
            sizing_mode="stretch_width",
            css_classes=["qge-lesson"],
            styles=PLAYER_STYLES,
        )
        self.chooser.param.watch(self._chosen, "value")
        self._steps.param.watch(self._step_chosen, "value")
        self.position.param.watch(self._position_changed, ["lesson", "step"])

    @property
    def lesson(self) -> Lesson | None:
        """The open lesson, or ``None``."""
        name = self.position.lesson
        return self.catalogue.lessons.get(name) if name else None

    def open(self, name: str, step: int = 1) -> None:
        """Open lesson ``name`` at ``step`` (counted from 1; clamped to the lesson's steps)."""
        steps = len(self.catalogue.lessons[name].steps)
        self.position.param.update(lesson=name, step=min(max(step, 1), steps))

    def end(self) -> None:
        """Close the lesson (the dashboard keeps the step's state)."""
        self.position.param.update(lesson=None, step=None)

    def _go(self, offset: int) -> None:
        if self.lesson is not None:
            last = len(self.lesson.steps)
            self.position.step = min(max((self.position.step or 1) + offset, 1), last)

    def _chosen(self, event: param.parameterized.Event) -> None:
        if event.new and event.new != self.position.lesson:
            self.open(event.new)
        elif not event.new and self.position.lesson:
            self.end()

    def _step_chosen(self, event: param.parameterized.Event) -> None:
        if event.new and event.new != self.position.step:
            self.position.step = event.new

    def _position_changed(self, *_: param.parameterized.Event) -> None:
        lesson = self.lesson
        if lesson is None:
            self.player.visible = False
            self.chooser.value = ""
            return
        last = len(lesson.steps)
        if self.position.step is None or self.position.step > last:
            self.position.step = min(self.position.step or 1, last)  # runs this again
            return
        number = self.position.step
        step = lesson.steps[number - 1]
        self._apply_state(step.values, step.view)
        self.chooser.value = lesson.name
        self._steps.options = {
            step_title(k, s.caption): k for k, s in enumerate(lesson.steps, start=1)
        }
        self._steps.value = number
        self._title.object = f"**Lesson: {escape_text(lesson.title)}**: step {number} of {last}"
        self._caption.object = markdown_with_math(step.caption)
        self._previous.disabled = number == 1
        self._next.disabled = number == last
        self.player.visible = True
        self._step_state = dict(self._current_state())
        self.show_differences()

    def differences(self) -> list[str]:
        """``name = now (step: then)`` for every input that differs from the open step's."""
        if self.lesson is None:
            return []
        now = self._current_state()
        return [
            f"{name} = {_shown(now.get(name))} (step: {_shown(then)})"
            for name, then in self._step_state.items()
            if now.get(name) != then
        ]

    def show_differences(self, *_: Any) -> None:
        """Say, under the caption, which inputs differ from the step's state (if any)."""
        differences = self.differences()
        self.difference.object = (
            "**This view differs from the lesson's step:** "
            + escape_text("; ".join(differences))
            + ". The caption describes the step."
            if differences
            else ""
        )
        self.difference.visible = self._back.visible = bool(differences)


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
