"""A value a widget cannot take (a forged or stale message) costs the server log one line.

Issue 16 §7: before, each forged slider value logged two full tracebacks (Panel's and the
IO loop's) per message. ``qgas serve`` installs :func:`qgas.serve_hooks.log_callback_exception`
as Panel's exception handler and :class:`qgas.serve_hooks.RefusedValueFilter` on the loggers
that report refused values.
"""

from __future__ import annotations

import logging
import sys

import panel as pn
import param
import pytest

from qgas import serve_hooks


class Slider(param.Parameterized):
    order = param.Integer(default=3, bounds=(0, 30))


def refusal(error: BaseException, logger: str) -> logging.LogRecord:
    try:
        raise error
    except type(error):
        return logging.LogRecord(
            logger, logging.ERROR, __file__, 1, "failed %s", ("x",), sys.exc_info()
        )


def formatted(record: logging.LogRecord) -> str:
    return logging.Formatter("%(message)s").format(record)


def raised(error: BaseException) -> BaseException:
    """``error`` with a traceback, as a failing callback hands it over."""
    try:
        raise error
    except type(error) as caught:
        return caught


def forged_value_error() -> ValueError:
    try:
        Slider().order = 1000
    except ValueError as error:
        return error
    raise AssertionError("the parameter accepted a value outside its bounds")


def test_panel_s_own_report_of_a_refused_value_is_dropped():
    record = refusal(forged_value_error(), "panel.reactive")
    assert serve_hooks.RefusedValueFilter().filter(record) is False


def test_bokeh_s_report_of_a_refused_message_becomes_one_line():
    error = ValueError("failed to validate Slider(id='p1').value:\n expected Real, got abc")
    record = refusal(error, "bokeh.server.protocol_handler")
    assert serve_hooks.RefusedValueFilter().filter(record) is True
    text = formatted(record)
    assert "\n" not in text and "Traceback" not in text and "got abc" in text


def test_a_bug_keeps_its_traceback():
    record = refusal(ZeroDivisionError("division by zero"), "panel.reactive")
    assert serve_hooks.RefusedValueFilter().filter(record) is True
    assert "Traceback" in formatted(record)


@pytest.mark.parametrize(
    ("error", "level", "traceback"),
    [
        (forged_value_error(), logging.WARNING, False),
        (raised(KeyError("bug")), logging.ERROR, True),
    ],
)
def test_the_exception_handler_logs_a_refusal_in_one_line(caplog, error, level, traceback):
    with caplog.at_level(logging.INFO, logger=serve_hooks.LOGGER_NAME):
        serve_hooks.log_callback_exception(error)
    (record,) = caplog.records
    assert record.levelno == level
    assert ("Traceback" in caplog.text) is traceback
    if not traceback:
        assert "must be at most 30, not 1000" in record.getMessage()
        assert "\n" not in record.getMessage()


def test_serve_installs_both():
    assert pn.config.exception_handler is None or callable(pn.config.exception_handler)
    source = serve_hooks.register.__code__.co_names
    assert "exception_handler" in source and "REFUSAL_LOGGERS" in source
