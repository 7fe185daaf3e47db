"""A Bokeh-protocol client that drives the served dashboard's widgets the way a browser does.

It speaks Bokeh's websocket protocol to the server (``ACK``, ``PULL-DOC``, ``PATCH-DOC``)
and sends widget changes as the browser's BokehJS does: a slider step is a ``PATCH-DOC``
setting the slider model's ``value`` and ``value_throttled``, a tab click one setting the
``Tabs`` model's ``active``. The server cannot tell it from a browser session: it builds the
same document, runs the same callbacks and sends the same plot data back.

It renders nothing, and it does not even build Bokeh models: it keeps the session's models
as the JSON the server sent (:class:`ModelIndex`), which is all a student needs to find the
tabs, sliders and alerts. Thirty sessions then fit in one client process that costs a small
fraction of the server's CPU, so a load test on a 2-core machine measures the server, not
its load generator (mirroring the document in Bokeh models cost the client as much CPU as the
server spent building the pages: ``docs/performance/load.md``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any, ClassVar

from bokeh.client.util import websocket_url_for_server_url
from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.document import Document
from bokeh.document.events import MessageSentEvent
from bokeh.events import DocumentReady
from bokeh.protocol import Protocol
from bokeh.protocol.messages.patch_doc import patch_doc
from bokeh.protocol.receiver import Receiver
from bokeh.util.token import generate_jwt_token, generate_session_id
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

__all__ = [
    "DATA_EVENTS",
    "DATA_SOURCE_TYPE",
    "SLIDER_TYPES",
    "TABS_TYPES",
    "ModelIndex",
    "ProtocolSession",
    "RemoteModel",
]

#: Bokeh type names of the tab bar and of sliders (Panel subclasses Bokeh's Tabs).
TABS_TYPES = frozenset({"Tabs", "panel.models.tabs.Tabs"})
SLIDER_TYPES = frozenset({"Slider"})
#: Document events that carry plot data (the same ones the browser benchmark watches for).
DATA_EVENTS = frozenset({"ColumnDataChanged", "ColumnsStreamed", "ColumnsPatched"})
#: A patch defining a model of this type carries plot data too: the first plots of a view
#: (a heavy view whose first result comes after the student's first move).
DATA_SOURCE_TYPE = "ColumnDataSource"


def _references(value: Any, known: dict[str, dict]) -> Iterator[str]:
    """Ids of the known models that the serialized ``value`` refers to or defines.

    Bokeh serializes a model as ``{"type": "object", "name", "id", "attributes"}`` the first
    time a message mentions it and as ``{"id": …}`` afterwards.
    """
    if isinstance(value, dict):
        model_id = value.get("id")
        if isinstance(model_id, str) and model_id in known:
            yield model_id
            return
        for item in value.values():
            yield from _references(item, known)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _references(item, known)


class ModelIndex:
    """The models of one session's document, as the JSON the server sent.

    ``models`` maps a model id to ``{"name": Bokeh type name, "attributes": {…}}``, holding
    the attributes the server sent (Bokeh omits those at their default). A model stays
    indexed after it leaves the document, as in BokehJS: the server may still patch it.
    """

    def __init__(self) -> None:
        self.models: dict[str, dict[str, Any]] = {}
        self.roots: list[str] = []
        #: Bokeh type names of the models first defined since the caller last cleared it.
        self.arrivals: list[str] = []
        self._by_class: dict[str, set[str]] = {}
        self._document_order: dict[str, int] | None = None  # id -> position in the document

    def load(self, document: dict[str, Any]) -> None:
        """Start from a serialized document (a ``PULL-DOC-REPLY``'s ``doc``)."""
        self.absorb(document["roots"])
        self.roots = [root["id"] for root in document["roots"]]
        self._document_order = None

    def absorb(self, value: Any) -> None:
        """Index every model definition inside the serialized ``value``."""
        if isinstance(value, list | tuple):
            for item in value:
                self.absorb(item)
        elif isinstance(value, dict):
            if value.get("type") == "object" and "id" in value:
                if value["id"] not in self.models:
                    self.models[value["id"]] = {"name": value.get("name", ""), "attributes": {}}
                    self.arrivals.append(value.get("name", ""))
                for name, attribute in (value.get("attributes") or {}).items():
                    self.set(value["id"], name, attribute)
            else:
                for item in value.values():
                    self.absorb(item)

    def set(self, model_id: str, name: str, value: Any) -> None:
        """Attribute ``name`` of model ``model_id`` becomes the serialized ``value``."""
        self.absorb(value)
        model = self.models.get(model_id)
        if model is None:
            return
        model["attributes"][name] = value
        if name == "css_classes":
            for members in self._by_class.values():
                members.discard(model_id)
            for css_class in value or []:
                self._by_class.setdefault(css_class, set()).add(model_id)
        if isinstance(value, dict | list | tuple):  # may have attached or detached models
            self._document_order = None

    def apply(self, event: dict[str, Any]) -> None:
        """Apply one ``PATCH-DOC`` event (plot data are not kept: nothing here reads them)."""
        kind = event.get("kind")
        if kind == "ModelChanged":
            self.set(event["model"]["id"], event["attr"], event["new"])
        elif kind == "RootAdded":
            self.absorb(event["model"])
            self.roots.append(event["model"]["id"])
            self._document_order = None
        elif kind == "RootRemoved":
            self.roots = [root for root in self.roots if root != event["model"]["id"]]
            self._document_order = None

    def reachable(self, start: list[str]) -> list[str]:
        """Ids of the models ``start`` consists of, themselves included, in document order
        (depth first, attributes in the order the server sent them)."""
        seen: dict[str, None] = {}
        pending = [model_id for model_id in reversed(start) if model_id in self.models]
        while pending:
            model_id = pending.pop()
            if model_id in seen:
                continue
            seen[model_id] = None
            attributes = self.models[model_id]["attributes"]
            pending.extend(reversed(list(_references(list(attributes.values()), self.models))))
        return list(seen)

    def in_document(self, model_id: str) -> bool:
        """Whether the document (its roots) still contains model ``model_id``."""
        return model_id in self._positions()

    def _positions(self) -> dict[str, int]:
        if self._document_order is None:
            members = self.reachable(self.roots)
            self._document_order = {model_id: n for n, model_id in enumerate(members)}
        return self._document_order

    def with_class(self, css_class: str) -> list[str]:
        """Ids of the document's models whose ``css_classes`` contain ``css_class``."""
        positions = self._positions()
        members = [member for member in self._by_class.get(css_class, ()) if member in positions]
        return sorted(members, key=positions.__getitem__)

    def of_type(self, names: frozenset[str]) -> list[str]:
        """Ids of the document's models of a Bokeh type in ``names``, in document order."""
        positions = self._positions()
        members = [
            model_id
            for model_id, model in self.models.items()
            if model["name"] in names and model_id in positions
        ]
        return sorted(members, key=positions.__getitem__)


class RemoteModel:
    """One model of a :class:`ProtocolSession`'s document, read from its :class:`ModelIndex`.

    Attributes the server never sent read as their Bokeh defaults given here.
    """

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "visible": True,
        "step": 1,
        "title": "",
        "text": "",
        "active": 0,
    }

    def __init__(self, session: ProtocolSession, model_id: str) -> None:
        self.session = session
        self.id = model_id

    def __getattr__(self, name: str) -> Any:
        attributes = self.session.index.models[self.id]["attributes"]
        if name in attributes:
            return attributes[name]
        if name in self.DEFAULTS:
            return self.DEFAULTS[name]
        raise AttributeError(f"model {self.id} has no attribute {name!r} (not sent)")

    @property
    def in_document(self) -> bool:
        """Whether the session's document still contains this model."""
        return self.session.index.in_document(self.id)


class ProtocolSession:
    """One session of the dashboard served at ``url`` (``http://host:port/app``), driven over
    Bokeh's websocket protocol.

    Use as ``async with ProtocolSession(url) as session:``; the document is pulled on entry
    (:attr:`index`) and kept in sync with the server's until exit.
    """

    def __init__(self, url: str, max_message_size: int = 100 * 2**20) -> None:
        self.url = url
        self.session_id = generate_session_id()
        self.index = ModelIndex()
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
        # BokehJS announces a rendered document; Panel holds back model changes until then.
        ready = MessageSentEvent(Document(), "bokeh_event", DocumentReady())
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

    def models_with_class(self, css_class: str) -> list[RemoteModel]:
        """The document's models whose ``css_classes`` contain ``css_class``."""
        return [RemoteModel(self, model_id) for model_id in self.index.with_class(css_class)]

    def sliders_under(self, css_class: str) -> list[RemoteModel]:
        """The sliders in (or being) the models that carry ``css_class``, in document order."""
        found: dict[str, RemoteModel] = {}
        for model_id in self.index.with_class(css_class):
            for member in self.index.reachable([model_id]):
                if self.index.models[member]["name"] in SLIDER_TYPES:
                    found.setdefault(member, RemoteModel(self, member))
        return list(found.values())

    def tabs(self) -> RemoteModel | None:
        """The document's ``Tabs`` model (the dashboard's topic tabs)."""
        found = self.index.of_type(TABS_TYPES)
        return RemoteModel(self, found[0]) if found else None

    def select_tab(self, tab_index: int) -> None:
        """Click tab ``tab_index``, as the browser does (sets the ``Tabs`` model's
        ``active``)."""
        tabs = self.tabs()
        if tabs is None:
            raise LookupError("the document has no Tabs model")
        self._change(tabs, {"active": tab_index})

    async def wait_for_class(self, css_class: str, timeout: float, settle: float = 0.5) -> None:
        """Wait until a model with ``css_class`` exists and ``settle`` s passed without a patch
        from the server (the view is built and its first results arrived)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            quiet = not self.patch_times or time.monotonic() - self.patch_times[-1] >= settle
            if quiet and self.index.with_class(css_class):
                return
            if self.closed:
                raise self._ended()
            await asyncio.sleep(0.05)
        raise TimeoutError(f"no model with class {css_class!r} after {timeout:.0f} s")

    def step_slider(self, slider: RemoteModel, direction: int) -> float:
        """Move ``slider`` one step in ``direction`` (±1; reversed at an end), as a keyboard
        step in the browser does: ``value`` then ``value_throttled``. Returns the send time."""
        value = slider.value + direction * slider.step
        if not slider.start <= value <= slider.end:
            value = slider.value - direction * slider.step
        return self._change(slider, {"value": value, "value_throttled": value})

    def _change(self, model: RemoteModel, changes: dict[str, Any]) -> float:
        """Set attributes of ``model`` here and on the server, in one ``PATCH-DOC`` as BokehJS
        sends it; returns the send time."""
        events = []
        for name, new in changes.items():
            self.index.set(model.id, name, new)
            event = {"kind": "ModelChanged", "model": {"id": model.id}, "attr": name, "new": new}
            events.append(event)
        sent = time.monotonic()
        self._send_soon(patch_doc(patch_doc.create_header(), {}, {"events": events}))
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
                        self._pulled(message)
                    del self._replies[message.header["reqid"]]
                    waiter.set_result(message)
                elif message.msgtype == "PATCH-DOC":
                    now = time.monotonic()
                    self.patch_times.append(now)
                    self.index.arrivals.clear()
                    self._patched(message)
                    events = message.content.get("events", [])
                    if (
                        any(event.get("kind") in DATA_EVENTS for event in events)
                        or DATA_SOURCE_TYPE in self.index.arrivals
                    ):
                        self.data_times.append(now)
        except Exception as error:  # reported by the waiting calls, which raise it
            self.failure = error
        finally:
            self.closed = True
            for waiter in self._replies.values():
                if not waiter.done():  # a request that timed out was cancelled
                    waiter.set_exception(self._ended())

    def _pulled(self, reply: Any) -> None:
        """Take in the ``PULL-DOC-REPLY``."""
        self.index.load(reply.content["doc"])

    def _patched(self, patch: Any) -> None:
        """Take in a ``PATCH-DOC`` from the server."""
        for event in patch.content.get("events", []):
            self.index.apply(event)

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
