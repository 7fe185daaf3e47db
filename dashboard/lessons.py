"""Lessons: ordered steps through dashboard states, each with a caption, read from TOML files.

A lesson is a TOML file (read with :mod:`tomllib`) named ``<name>.toml``; ``<name>`` is what
the URL carries (``?lesson=<name>&step=3``, steps counted from 1). It holds a ``title`` and
one ``[[step]]`` table per step::

    title = "Perturbation theory first gets better, then worse"

    [[step]]
    view = "energy"
    gamma = 0.1
    energy_weak_order = 1
    caption = "At $\\gamma = 0.1$ one term already gives ..."

    [[step]]
    energy_weak_order = 8        # view and γ carry over from the step before
    caption = "..."

A step's keys are ``caption`` (Markdown with ``$…$`` math, required), ``view`` (a registered
view slug; required in the first step) and any input of the dashboard under its URL name: the
global inputs (``gamma``, ``disorder_strength``, ``lattice_depth``) and every view control
(``<view>_<parameter>``, e.g. ``energy_weak_order``). A step inherits every key of the steps
before it; every input the lesson never sets is at its default. So the state of step K does
not depend on how the class got there: a link to step 3 shows what Next from step 2 shows.

Validation checks every value against the parameter's own bounds and choices (a fresh view
of each kind), so a value the dashboard would refuse is refused here, as a ``ValueError``
naming every problem of the file (not only the first): the file, the step, the key and the
valid values. Captions may not hold
raw HTML (a ``<`` outside math), images or links: the page shows them as text and loads
nothing from elsewhere (the caption pane also renders with HTML, links and images off).

Shipped lessons are in ``assets/lessons/``; a teacher's own are read from the directory named
by the environment variable ``QGAS_LESSONS_DIR`` (a name already shipped is refused there).
``python -m dashboard.lessons FILE…`` checks lesson files and prints every problem of each,
one a line (exit status 2 if any is invalid).
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, BinaryIO

import param

from dashboard.state import GlobalState
from dashboard.views import VIEWS, load_view_class
from physics._assets import shipped_file

__all__ = [
    "GLOBAL_KEYS",
    "LESSONS_DIRECTORY_VARIABLE",
    "MAX_CAPTION_CHARACTERS",
    "MAX_FILE_BYTES",
    "MAX_LESSONS",
    "MAX_STEPS",
    "Lesson",
    "LessonCatalogue",
    "Step",
    "apply_values",
    "catalogue",
    "parse_lesson",
    "read_lesson_file",
    "valid_values",
]

#: Global inputs a step may set (the URL names of :class:`GlobalState` parameters).
GLOBAL_KEYS = ("gamma", "disorder_strength", "lattice_depth")
#: Keys of a lesson file and of a step that are not inputs.
LESSON_KEYS = ("title", "step")
STEP_TEXT_KEYS = ("caption", "view")
#: Limits on what a lesson file may hold (a file is read whole, then parsed).
MAX_STEPS = 20
MAX_CAPTION_CHARACTERS = 2000
MAX_TITLE_CHARACTERS = 120
MAX_FILE_BYTES = 64 * 1024
#: At most this many lesson files are read from a directory (the rest are listed as skipped).
MAX_LESSONS = 100
#: Environment variable naming a directory of a teacher's own lesson files.
LESSONS_DIRECTORY_VARIABLE = "QGAS_LESSONS_DIR"
#: A lesson's name is its file's stem: what the URL carries.
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
#: Math spans of a caption (``$$…$$`` and ``$…$``), where ``<`` is a comparison.
_MATH = re.compile(r"(?<!\\)\$\$.+?\$\$|(?<!\\)\$[^$\n]+?(?<!\\)\$", flags=re.S)
#: Markdown that would show a link or load an image, and raw HTML (outside math).
_FORBIDDEN = (
    (re.compile(r"<"), "raw HTML ('<'; write comparisons inside $…$ math)"),
    (re.compile(r"!\["), "an image ('![')"),
    (re.compile(r"\]\("), "a link ('](')"),
    # a heading is rendered with an anchor link to itself, and is not a caption's size
    (re.compile(r"^[ \t]{0,3}#", flags=re.M), "a heading ('#' at the start of a line)"),
    (
        re.compile(r"\S[^\n]*\n[ \t]{0,3}(?:=+|-+)[ \t]*$", flags=re.M),
        "a heading (a line of '=' or '-' under text)",
    ),
    (re.compile(r"\[\^"), "a footnote ('[^': a link to it and back)"),
    (
        re.compile(r"(?<!\\)\$"),
        "a '$' whose math does not close on the same line (write $…$ math on one line)",
    ),
)
#: A text command of math holding '<' or '>' (KaTeX: "\\lt is only supported in math mode").
_TEXT_WITH_ANGLE = re.compile(r"\\(?:text[a-z]*|mbox|operatorname)\s*\{[^}]*[<>]")
#: The TeX commands a caption may use: letters, operators, relations, fractions, roots, sums
#: and integrals, function names, accents, brackets and fixed spaces. Anything else is
#: refused, inside math or not: a list of forbidden commands let through \Rule, \bbox,
#: \colorbox, \Huge, \raise, \mspace, \phantom and \def (a macro that never ends),
#: which drew coloured blocks over the page or MathJax's red errors (QA).
_ALLOWED_TEX = frozenset(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu
    xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta
    Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega hbar ell infty partial nabla
    frac dfrac tfrac sqrt sum prod int oint lim sup inf max min log ln exp sin cos tan sinh
    cosh tanh arg det Re Im operatorname mathrm mathit mathbf mathbb mathcal text
    times cdot pm mp div ast circ bullet approx sim simeq propto equiv neq ne le leq ge geq
    lt gt ll gg to rightarrow leftarrow Rightarrow Leftrightarrow mapsto in notin subset
    cup cap ldots cdots dots vdots prime left right big Big bigg Bigg langle rangle lvert
    rvert vert lfloor rfloor lceil rceil hat bar tilde vec dot ddot overline quad qquad
    """.split()
)
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")


def valid_values(parameter: param.Parameter, quoted: bool = False) -> str:
    """The values ``parameter`` accepts, as a user reads them (``0 … 10``, ``a, b``).

    ``quoted`` writes choices as a lesson file spells them (``'speckle'``); a URL's
    refusal lists them bare, as they are typed in the address bar.
    """
    if hasattr(parameter, "valid_text"):  # a parameter that says it itself
        return parameter.valid_text
    if isinstance(parameter, param.Boolean):
        return "true, false"
    if isinstance(parameter, param.Selector):
        choices = [value for value in parameter.objects if value is not None]
        return ", ".join(repr(v) if quoted else str(v) for v in choices) or "none available"
    if isinstance(parameter, param.Number) and parameter.bounds:
        low, high = parameter.bounds
        kind = "integer " if isinstance(parameter, param.Integer) else ""
        return (
            f"{kind}{'−∞' if low is None else f'{low:g}'} … {'∞' if high is None else f'{high:g}'}"
        )
    return type(parameter).__name__


@dataclass(frozen=True)
class Step:
    """One step: the view shown, the inputs set (URL name -> value, inherited ones included)
    and the caption (Markdown with ``$…$`` math)."""

    view: str
    values: Mapping[str, Any]
    caption: str


@dataclass(frozen=True)
class Lesson:
    """A named, titled sequence of steps (``name`` is the file's stem, used in the URL)."""

    name: str
    title: str
    steps: tuple[Step, ...]


#: The fresh views once every one of them was built (a failure is retried next time).
_BUILT: list[tuple[GlobalState, dict[str, Any]]] = []


def _fresh_views() -> tuple[GlobalState, dict[str, Any]]:
    """A global state and every view built on it, at their defaults (never shown).

    A view that cannot be built has no inputs to set; such a result is not kept: a failure
    of a moment (a table being rewritten) had left a shipped lesson out until the server
    restarted, its keys called unknown.
    """
    if _BUILT:
        return _BUILT[0]
    state = GlobalState()
    views = {}
    for slug in VIEWS:
        try:
            views[slug] = load_view_class(slug)(state=state)
        except Exception:
            continue
    if len(views) == len(VIEWS):
        _BUILT.append((state, views))
    return state, views


def _inputs() -> dict[str, param.Parameter]:
    """URL name -> the parameter object of every input a step may set (of fresh objects)."""
    state, views = _fresh_views()
    inputs = {key: state.param[key] for key in GLOBAL_KEYS}
    for view in views.values():
        inputs.update({url: view.param[name] for name, url in view.url_parameters().items()})
    return inputs


def _check_combinations(values: dict[str, Any], where: str) -> list[str]:
    """The problems of a step's inputs valid one by one but not together (the decay view's
    N and realisations over its cost budget: :meth:`dashboard.base.View.check_combination`)."""
    problems = []
    for view in _fresh_views()[1].values():
        names = view.url_parameters()
        given = {name: values[names[name]] for name in view.combined if names[name] in values}
        if given:
            try:
                view.check_combination(**given)
            except ValueError as error:
                problems.append(f"{where}: {error}")
    return problems


def _check_value(parameter: param.Parameter, value: Any) -> Any:
    """``value`` as the parameter holds it; ``ValueError`` if the parameter refuses it."""
    if isinstance(value, bool) != isinstance(parameter, param.Boolean) and not isinstance(
        parameter, param.Selector
    ):
        raise ValueError(f"{value!r} has the wrong type")
    if isinstance(parameter, param.Number) and not isinstance(parameter, param.Integer):
        value = float(value) if isinstance(value, int | float) else value
    if isinstance(parameter, param.Selector) and not any(
        type(choice) is type(value) and choice == value for choice in parameter.objects
    ):  # 2.0 == 2 is "in" [1, 2, 3], but a view computing with d = 2.0 fails
        raise ValueError(f"{value!r} is not one of the choices")
    parameter._validate(value)
    return value


def _check_caption(caption: Any, where: str) -> str:
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"{where}: 'caption' must be non-empty text, not {caption!r}")
    if len(caption) > MAX_CAPTION_CHARACTERS:
        raise ValueError(
            f"{where}: 'caption' has {len(caption)} characters (at most {MAX_CAPTION_CHARACTERS})"
        )
    outside_math = _MATH.sub(" ", caption)
    for pattern, what in _FORBIDDEN:
        if pattern.search(outside_math):
            raise ValueError(f"{where}: 'caption' holds {what}, which lessons may not show")
    if _TEXT_WITH_ANGLE.search(caption):
        raise ValueError(
            f"{where}: 'caption' holds '<' or '>' inside a text command of its math, which "
            "draws a TeX error (write the comparison outside \\text{…})"
        )
    for command in _TEX_COMMAND.finditer(caption):
        if command.group(1) not in _ALLOWED_TEX:
            raise ValueError(
                f"{where}: 'caption' holds the TeX command {command.group(0)!r}, which lessons "
                "may not show (captions use letters, operators, fractions, roots, sums, "
                "integrals, accents and brackets: no links, loads, macros, styles, colours, "
                "boxes or spaces of chosen size)"
            )
    return caption


def _unknown(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def parse_lesson(text: str, name: str, source: str) -> Lesson:
    """The lesson written in TOML ``text``, named ``name``; errors name ``source`` (a file).

    Raises
    ------
    ValueError
        Listing every problem found, one a line, each naming ``source``, the step (counted
        from 1) and the key: invalid TOML (then nothing else can be read), a missing or
        unknown key, a value of the wrong type or out of its parameter's range, a γ off the
        slider's grid, a caption with markup, too many steps.
    """
    problems: list[str] = []
    if not NAME_PATTERN.fullmatch(name):
        problems.append(
            f"{source}: the lesson name {name!r} (the file's name without .toml) must be 1–64 "
            "lower-case letters, digits, '-' or '_', starting with a letter or digit"
        )
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError("\n".join([*problems, f"{source}: not valid TOML: {error}"])) from None
    for key in document:
        if key not in LESSON_KEYS:
            problems.append(
                f"{source}: unknown key {key!r}{_unknown(key, list(LESSON_KEYS))}; a lesson "
                "has 'title' and [[step]] tables"
            )
    title = document.get("title")
    if not isinstance(title, str) or not 0 < len(title.strip()) <= MAX_TITLE_CHARACTERS:
        problems.append(
            f"{source}: 'title' must be text of 1–{MAX_TITLE_CHARACTERS} characters, not {title!r}"
        )
    raw_steps = document.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(f"{source}: no [[step]] tables (a lesson needs 1–{MAX_STEPS} steps)")
        raw_steps = []
    if len(raw_steps) > MAX_STEPS:
        problems.append(f"{source}: {len(raw_steps)} steps (at most {MAX_STEPS})")
    steps: list[Step] = []
    view, values = "", {}
    for number, raw in enumerate(raw_steps[:MAX_STEPS], start=1):
        where = f"{source}: step {number}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a [[step]] table")
            continue
        values = dict(values)
        for key, value in raw.items():
            if key not in STEP_TEXT_KEYS:
                problems.extend(_check_input(key, value, values, where))
        problems.extend(_check_combinations(values, where))
        view = raw.get("view", view)
        if view not in VIEWS:
            problems.append(
                f"{where}: 'view' = {view!r} is not a view (valid: {', '.join(VIEWS)})"
                if view
                else f"{where}: 'view' is missing (the first step must name its view)"
            )
        try:
            steps.append(Step(view, values, _check_caption(raw.get("caption"), where)))
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise ValueError("\n".join(problems))
    return Lesson(name, title.strip(), tuple(steps))


def _check_input(key: str, value: Any, values: dict[str, Any], where: str) -> list[str]:
    """Set input ``key`` of a step's ``values`` to ``value``; the problems found, if any."""
    inputs = _inputs()
    if key not in inputs:
        return [
            f"{where}: unknown key {key!r}{_unknown(key, [*STEP_TEXT_KEYS, *inputs])}; a step "
            "sets 'view', 'caption', a global input (gamma, disorder_strength, "
            "lattice_depth) or a view control named <view>_<control>"
        ]
    try:
        values[key] = _check_value(inputs[key], value)
    except ValueError:
        valid = valid_values(inputs[key], quoted=True)
        return [f"{where}: {key} = {value!r} is not valid (valid: {valid})"]
    return []


def _open_regular(path: Path | Traversable, source: str) -> BinaryIO:
    """``path`` opened for reading; a file on disk is opened without blocking and refused
    unless it is a regular file (a FIFO would otherwise wait for a writer forever; the
    server's catalogue skips non-regular files too)."""
    if not isinstance(path, Path):
        return path.open("rb")
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise ValueError(f"{source}: not a regular file")
    return open(descriptor, "rb")


def read_lesson_file(path: Path | Traversable) -> Lesson:
    """The lesson in file ``path`` (named by its stem); ``ValueError`` naming the file."""
    source = path.name
    try:
        with _open_regular(path, source) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValueError(f"{source}: cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"{source}: larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{source}: not UTF-8 text") from None
    return parse_lesson(text, path.name.removesuffix(".toml"), source)


@dataclass(frozen=True)
class LessonCatalogue:
    """The lessons a server offers (name -> lesson) and why other files were left out."""

    lessons: Mapping[str, Lesson]
    problems: tuple[str, ...]


def _lesson_files(directory: Path | Traversable) -> list[Path | Traversable]:
    try:
        files = [f for f in directory.iterdir() if f.name.endswith(".toml") and f.is_file()]
    except OSError:
        return []
    return sorted(files, key=lambda f: f.name)


#: The catalogues read, by lesson directory (kept once every view could be built).
_CATALOGUES: dict[str, LessonCatalogue] = {}


def catalogue(own_directory: str | None = None) -> LessonCatalogue:
    """The shipped lessons and those in ``own_directory`` (``None``: ``$QGAS_LESSONS_DIR``).

    Read once per process and directory (again while a view cannot be built, whose inputs
    would read as unknown keys). A file that is invalid, beyond :data:`MAX_LESSONS` or uses
    a name already taken is left out, its problem listed.
    """
    if own_directory is None:
        own_directory = os.environ.get(LESSONS_DIRECTORY_VARIABLE) or ""
    if own_directory in _CATALOGUES:
        return _CATALOGUES[own_directory]
    directories = [shipped_file("lessons")]
    if own_directory:
        directories.append(Path(own_directory))
    lessons: dict[str, Lesson] = {}
    problems: list[str] = []
    for directory in directories:
        for index, path in enumerate(_lesson_files(directory)):
            if index >= MAX_LESSONS:
                problems.append(f"{path.name}: skipped (at most {MAX_LESSONS} lessons are read)")
                continue
            try:
                lesson = read_lesson_file(path)
            except ValueError as error:
                problems.append(str(error))
                continue
            if lesson.name in lessons:
                problems.append(f"{path.name}: the name {lesson.name!r} is already a lesson")
                continue
            lessons[lesson.name] = lesson
    read = LessonCatalogue(lessons, tuple(problems))
    if _BUILT:
        _CATALOGUES[own_directory] = read
    return read


def apply_values(values: Mapping[str, Any], state: GlobalState, views: Mapping[str, Any]) -> None:
    """Set ``state`` and ``views`` to their defaults overridden by ``values`` (URL names).

    Each object gets one ``param.update`` (its watchers run once, for the parameters that
    change); presentation mode is left as it is. Raises what the parameters raise for an
    invalid value, and ``KeyError`` for a name no input has.
    """
    controls = {
        url: (slug, name)
        for slug, view in views.items()
        for name, url in view.url_parameters().items()
    }
    unknown = [key for key in values if key not in GLOBAL_KEYS and key not in controls]
    if unknown:
        raise KeyError(unknown[0])
    state.param.update(**{key: values.get(key, state.param[key].default) for key in GLOBAL_KEYS})
    for slug, view in views.items():
        target = {name: view.param[name].default for name in view.own_parameters()}
        target.update(
            {
                controls[key][1]: value
                for key, value in values.items()
                if controls.get(key, ("",))[0] == slug
            }
        )
        changed = {name: value for name, value in target.items() if getattr(view, name) != value}
        if changed:
            view.param.update(**changed)


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.lessons FILE…``: check lesson files, one line per file."""
    paths = [Path(argument) for argument in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print("usage: python -m dashboard.lessons LESSON.toml …", file=sys.stderr)
        return 2
    status = 0
    for path in paths:
        try:
            lesson = read_lesson_file(path)
        except ValueError as error:
            print("\n".join(f"invalid: {line}" for line in str(error).splitlines()))
            status = 2
        else:
            print(f"ok: {path.name}: {lesson.title!r}, {len(lesson.steps)} steps")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
