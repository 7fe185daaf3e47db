"""A Bokeh-protocol client that drives the served dashboard's widgets the way a browser does.

It speaks Bokeh's websocket protocol to the server (``ACK``, ``PULL-DOC``, ``PATCH-DOC``),
holds its own copy of the session's document and sends widget changes as the browser's
BokehJS does: a slider step is a ``PATCH-DOC`` setting the slider model's ``value`` and
``value_throttled``, a tab click one setting the ``Tabs`` model's ``active``. The server
cannot tell it from a browser session: it builds the same document, runs the same callbacks
and sends the same plot data back. It renders nothing, so thirty sessions fit in one client
process and a load test on a 2-core machine measures the server, not thirty Chromium pages
competing with it for the same two cores (``benchmarks.load --client protocol``).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import panel  # noqa: F401  (registers Panel's Bokeh models, which the document contains)
from bokeh.client.util import websocket_url_for_server_url
from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.core.serialization import Deserializer
from bokeh.document import Document
from bokeh.document.callbacks import invoke_with_curdoc
from bokeh.document.events import DocumentPatchedEvent, MessageSentEvent, ModelChangedEvent
from bokeh.events import DocumentReady
from bokeh.models import Slider, Tabs
from bokeh.protocol import Protocol
from bokeh.protocol.receiver import Receiver
from bokeh.util.token import generate_jwt_token, generate_session_id
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

__all__ = ["DATA_EVENTS", "ProtocolSession"]

#: Document events that carry plot data (the same ones the browser benchmark watches for).
DATA_EVENTS = frozenset({"ColumnDataChanged", "ColumnsStreamed", "ColumnsPatched"})


class _RetainingDeserializer(Deserializer):
    """A deserializer given every model the client has seen: a full definition sent again for
    one of them updates that instance (Bokeh's keeps the instance unchanged and warns)."""

    def _decode_object_ref(self, obj: Any) -> Any:
        instance = self._references.get(obj["id"])
        if instance is None:
            return super()._decode_object_ref(obj)
        for name, value in (obj.get("attributes") or {}).items():
            instance.set_from_json(name, self._decode(value), setter=self._setter)
        return instance


class ProtocolSession:
    """One session of the dashboard served at ``url`` (``http://host:port/app``), driven over
    Bokeh's websocket protocol.

    Use as ``async with ProtocolSession(url) as session:``; the document is pulled on entry
    (:attr:`document`) and kept in sync with the server's until exit.
    """

    def __init__(self, url: str, max_message_size: int = 100 * 2**20) -> None:
        self.url = url
        self.session_id = generate_session_id()
        self.document = Document()
        self.closed = False
        #: Why the connection ended, if not by :meth:`close` or the server closing it.
        self.failure: Exception | None = None
        #: Monotonic arrival times of the server messages carrying plot data / any patch.
        self.data_times: list[float] = []
        self.patch_times: list[float] = []
        self._max_message_size = max_message_size
        self._protocol = Protocol()
        self._socket: WebSocketClientConnectionWrapper | None = None
        self._replies: dict[str, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None
        self._sends: set[asyncio.Task] = set()
        self._known: dict[str, Any] = {}

    async def __aenter__(self) -> ProtocolSession:
        await self.connect()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def connect(self, timeout: float = 180.0) -> None:
        """Open the websocket (the server creates the session), wait for ``ACK``, pull the
        document and start following the server's patches."""
        request = HTTPRequest(websocket_url_for_server_url(self.url))
        token = generate_jwt_token(self.session_id)
        socket = await websocket_connect(
            request, subprotocols=["bokeh", token], max_message_size=self._max_message_size
        )
        self._socket = WebSocketClientConnectionWrapper(socket)
        receiver = Receiver(self._protocol)
        ack = await asyncio.wait_for(self._read_message(receiver), timeout)
        if ack is None or ack.msgtype != "ACK":
            raise ConnectionError(f"expected ACK from {self.url}, got {ack!r}")
        self._reader = asyncio.create_task(self._follow(receiver))
        reply = await asyncio.wait_for(
            self._request(self._protocol.create("PULL-DOC-REQ")), timeout
        )
        if reply.msgtype != "PULL-DOC-REPLY":
            raise ConnectionError(f"pulling the document failed: {reply.content}")
        self.document.on_change(self._send_local_change)
        # BokehJS announces a rendered document; Panel holds back model changes until then.
        ready = MessageSentEvent(self.document, "bokeh_event", DocumentReady())
        await self._send(self._protocol.create("PATCH-DOC", [ready]))

    async def close(self, timeout: float = 30.0) -> None:
        """Close the websocket (the server destroys the session after its unused lifetime)."""
        if self._socket is not None:
            self._socket.close(1000, "done")
        if self._reader is not None:
            try:  # the reader ends when the server acknowledges the close
                await asyncio.wait_for(self._reader, timeout)
            except Exception:
                self._reader.cancel()

    def models_with_class(self, css_class: str) -> list[Any]:
        """The document's models whose ``css_classes`` contain ``css_class``."""
        return [
            model
            for model in self.document.models
            if css_class in (getattr(model, "css_classes", None) or [])
        ]

    def sliders_under(self, css_class: str) -> list[Slider]:
        """The sliders in (or being) the models that carry ``css_class``, in document order."""
        found: dict[str, Slider] = {}
        for model in self.models_with_class(css_class):
            for reference in [model, *model.references()]:
                if isinstance(reference, Slider):
                    found.setdefault(reference.id, reference)
        return list(found.values())

    def tabs(self) -> Tabs | None:
        """The document's ``Tabs`` model (the dashboard's topic tabs)."""
        return next((model for model in self.document.models if isinstance(model, Tabs)), None)

    async def wait_for_class(self, css_class: str, timeout: float, settle: float = 0.5) -> None:
        """Wait until a model with ``css_class`` exists and ``settle`` s passed without a patch
        from the server (the view is built and its first results arrived)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            quiet = not self.patch_times or time.monotonic() - self.patch_times[-1] >= settle
            if self.models_with_class(css_class) and quiet:
                return
            if self.closed:
                raise self._ended()
            await asyncio.sleep(0.05)
        raise TimeoutError(f"no model with class {css_class!r} after {timeout:.0f} s")

    def step_slider(self, slider: Slider, direction: int) -> float:
        """Move ``slider`` one step in ``direction`` (±1; reversed at an end), as a keyboard
        step in the browser does: ``value`` then ``value_throttled``. Returns the send time."""
        value = slider.value + direction * slider.step
        if not slider.start <= value <= slider.end:
            value = slider.value - direction * slider.step
        changes = {"value": value, "value_throttled": value}
        for name, new in changes.items():  # value_throttled is read-only on the Python side
            slider.set_from_json(name, new, setter=self)
        events = [
            ModelChangedEvent(self.document, slider, name, new) for name, new in changes.items()
        ]
        sent = time.monotonic()
        self._send_soon(self._protocol.create("PATCH-DOC", events))
        return sent

    async def wait_update(self, since: float, settle: float, timeout: float) -> float | None:
        """Seconds from ``since`` to the last plot-data message of the burst that followed
        (no further one for ``settle`` s), or None if none came within ``timeout`` s."""
        while True:
            now = time.monotonic()
            last = self.data_times[-1] if self.data_times else 0.0
            if last > since and now - last >= settle:
                return last - since
            if last <= since and now - since > timeout:
                return None
            if self.closed:
                raise self._ended()
            await asyncio.sleep(0.02)

    def _ended(self) -> ConnectionError:
        if self.failure is None:
            return ConnectionError("the server closed the session")
        return ConnectionError(f"the session's connection failed: {self.failure!r}")

    async def _read_message(self, receiver: Receiver) -> Any:
        assert self._socket is not None
        while True:
            fragment = await self._socket.read_message()
            if fragment is None:
                return None
            message = await receiver.consume(fragment)
            if message is not None:
                return message

    async def _follow(self, receiver: Receiver) -> None:
        try:
            while (message := await self._read_message(receiver)) is not None:
                waiter = self._replies.get(message.header.get("reqid", ""))
                if waiter is not None:
                    if message.msgtype == "PULL-DOC-REPLY":  # before the patches that follow it
                        message.push_to_document(self.document)
                    del self._replies[message.header["reqid"]]
                    waiter.set_result(message)
                elif message.msgtype == "PATCH-DOC":
                    now = time.monotonic()
                    self.patch_times.append(now)
                    kinds = {event.get("kind") for event in message.content.get("events", [])}
                    if kinds & DATA_EVENTS:
                        self.data_times.append(now)
                    self._apply(message)
        except Exception as error:  # reported by the waiting calls, which raise it
            self.failure = error
        finally:
            self.closed = True
            for waiter in self._replies.values():
                if not waiter.done():  # a request that timed out was cancelled
                    waiter.set_exception(self._ended())

    def _apply(self, patch: Any) -> None:
        """Apply a server patch as ``Document.apply_json_patch`` does, except that models which
        left the document stay resolvable. The server may still patch a model the client has
        just detached (a tab switched away while the last update was on its way); Bokeh's
        Python document then drops the whole patch, new models included, and every later
        patch referring to those fails. BokehJS applies such patches."""
        self._known.update((model.id, model) for model in self.document.models)
        deserializer = _RetainingDeserializer(list(self._known.values()), setter=self)

        def apply() -> None:
            for event in deserializer.deserialize(patch.payload)["events"]:
                DocumentPatchedEvent.handle_event(self.document, event, self)

        invoke_with_curdoc(self.document, apply)
        self.document.models.flush_synced(lambda model: not deserializer.has_ref(model))

    async def _request(self, message: Any) -> Any:
        reply = asyncio.get_running_loop().create_future()
        self._replies[message.header["msgid"]] = reply
        await self._send(message)
        return await reply

    async def _send(self, message: Any) -> None:
        assert self._socket is not None
        await message.send(self._socket)

    def _send_soon(self, message: Any) -> None:
        if self.closed:
            return
        task = asyncio.create_task(self._send(message))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    def _send_local_change(self, event: Any) -> None:
        if event.setter is not self:
            self._send_soon(self._protocol.create("PATCH-DOC", [event]))
