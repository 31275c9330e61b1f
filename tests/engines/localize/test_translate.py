"""Translation providers and the engine's checks on whatever they return.

The chat-completions provider talks to a local fake endpoint over real HTTP.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from edubridge.engines.localize import Options, load_pack, localize_items
from edubridge.engines.localize.model import LocalizeResult
from edubridge.engines.localize.translate import (
    ChatProvider,
    MemoryProvider,
    make_segments,
    translate_result,
)
from edubridge.engines.localize.xliff import export_xliff, import_xliff

from .conftest import make_item

SKELETON = "{ph1}买了{ph3}公斤鸡肉，每公斤{ph2}。他一共花了多少印尼盾？"
GOOD = "{ph1} membeli {ph3} kg daging ayam, harga per kg {ph2}. Berapa rupiah yang ia bayar?"


@pytest.fixture
def draft(pork_item: dict[str, Any]) -> LocalizeResult:
    return localize_items([pork_item], Options(target="id-ID"))


class _Fake(BaseHTTPRequestHandler):
    answer: Callable[[list[str]], Any] = staticmethod(lambda texts: {"translations": texts})
    requests: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body})
        if self.path != "/v1/chat/completions":
            self.send_response(404)
            self.end_headers()
            return
        texts = json.loads(body["messages"][-1]["content"])
        content = json.dumps(type(self).answer(texts), ensure_ascii=False)
        payload = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
        }  # fmt: skip
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[type[_Fake]]:
    handler = type("Handler", (_Fake,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_port}/v1"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


def test_segments_protect_names_amounts_and_numbers(draft: LocalizeResult) -> None:
    protected = [c.to for c in draft.changes if c.kind in ("name", "price")]
    (seg,) = make_segments(draft.items[0], protected)
    assert seg.source == SKELETON
    assert seg.restore(seg.source) == draft.items[0]["stem"]


def test_chat_endpoint_translation_is_checked_and_applied(
    draft: LocalizeResult, endpoint: type[_Fake]
) -> None:
    endpoint.answer = staticmethod(lambda texts: {"translations": [GOOD for _ in texts]})
    provider = ChatProvider(url=endpoint.url, model="test-model")  # type: ignore[attr-defined]
    out = translate_result(draft, provider, load_pack("id-ID"))
    item = out.items[0]
    assert item["stem"].startswith("Budi membeli 3 kg daging ayam")
    assert "Rp36.000" in item["stem"]
    assert item["language"] == "id-ID"
    assert item["interaction"]["unit"] == "rupiah"
    assert item["metadata"]["localize"]["translation"] == "done"
    request = endpoint.requests[0]["body"]
    assert request["model"] == "test-model"
    assert request["response_format"] == {"type": "json_object"}
    change = next(c for c in out.changes if c.kind == "translation")
    assert change.needs_review  # machine translation is always reviewed


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (GOOD.replace("{ph3}", "4"), "placeholders changed"),
        (GOOD + " 5 kg", "numbers appear outside placeholders"),
        (GOOD.replace("daging ayam", "daging babi"), "forbidden term"),
    ],
)
def test_a_bad_chat_translation_is_rejected_and_the_task_kept(
    draft: LocalizeResult, endpoint: type[_Fake], bad: str, problem: str
) -> None:
    endpoint.answer = staticmethod(lambda texts: {"translations": [bad for _ in texts]})
    provider = ChatProvider(url=endpoint.url, model="m")  # type: ignore[attr-defined]
    out = translate_result(draft, provider, load_pack("id-ID"))
    assert out.items[0]["stem"] == draft.items[0]["stem"]
    assert any(problem in w for w in out.warnings)
    assert any(c.kind == "translation" and "TRANSLATION TASK" in c.reason for c in out.changes)


def test_an_unreachable_endpoint_is_a_warning_not_a_crash(draft: LocalizeResult) -> None:
    provider = ChatProvider(url="http://127.0.0.1:9/v1", model="m", timeout=2)
    out = translate_result(draft, provider, load_pack("id-ID"))
    assert any("translation failed" in w for w in out.warnings)


def test_translation_memory_with_glossary(draft: LocalizeResult) -> None:
    memory = MemoryProvider({("zh", "id"): {SKELETON: GOOD}})
    out = translate_result(draft, memory, load_pack("id-ID"),
                           glossary={("zh", "id"): {"鸡肉": "daging ayam"}})  # fmt: skip
    assert out.items[0]["stem"].startswith("Budi membeli")
    assert not next(c for c in out.changes if c.kind == "translation").needs_review


def test_glossary_terms_are_enforced(draft: LocalizeResult) -> None:
    memory = MemoryProvider({("zh", "id"): {SKELETON: GOOD.replace("daging ayam", "ayam")}})
    out = translate_result(draft, memory, load_pack("id-ID"),
                           glossary={("zh", "id"): {"鸡肉": "daging ayam"}})  # fmt: skip
    assert any("glossary term" in w for w in out.warnings)


def test_xliff_round_trip_through_a_translator(draft: LocalizeResult) -> None:
    protected = [c.to for c in draft.changes if c.kind in ("name", "price")]
    segments = make_segments(draft.items[0], protected)
    doc = export_xliff(segments, "zh", "id")
    assert b'version="2.1"' in doc
    assert b'disp="Rp36.000"' in doc
    # the translator fills <target>, keeping the <ph/> elements
    translated = doc.replace(b"</source>", b"</source><target>" + _ph_xml(GOOD) + b"</target>")
    provider = import_xliff(translated)
    out = translate_result(draft, provider, load_pack("id-ID"))
    assert out.items[0]["stem"].startswith("Budi membeli 3 kg")


def _ph_xml(text: str) -> bytes:
    import re

    return re.sub(r"\{(ph\d+)\}", r'<ph id="\1"/>', text).encode()


def test_plain_numbers_take_the_target_format_after_translation() -> None:
    item = make_item("学校图书馆有故事书1450本，借出128本，还剩多少本？", 1322)
    draft = localize_items([item], Options(target="id-ID"))
    skeleton = "学校图书馆有故事书{ph1}本，借出{ph2}本，还剩多少本？"
    target = "Perpustakaan punya {ph1} buku, {ph2} dipinjam. Berapa sisanya?"
    out = translate_result(draft, MemoryProvider({("zh", "id"): {skeleton: target}}),
                           load_pack("id-ID"))  # fmt: skip
    assert out.items[0]["stem"] == "Perpustakaan punya 1.450 buku, 128 dipinjam. Berapa sisanya?"
    fmt = [c for c in out.changes if c.kind == "number-format"]
    assert [(c.from_, c.to) for c in fmt] == [("1450", "1.450")]
