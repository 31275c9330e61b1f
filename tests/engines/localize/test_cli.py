"""The `edubridge localize` command contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from edubridge.engines.localize.cli import main

QTI = Path(__file__).resolve().parents[3].parent / "shared" / "standards" / "qti3" / "examples"


def _write(tmp_path: Path, data: Any, name: str = "src.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_prints_one_json_object_with_items_changes_warnings(
    tmp_path: Path, pork_item: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([_write(tmp_path, pork_item), "--to", "id-ID", "--grade", "4"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"items", "changes", "warnings"}
    assert out["items"][0]["correct_response"]["values"] == [108000]
    assert {"item", "kind", "from", "to", "reason", "needs_review"} <= set(out["changes"][0])


def test_accepts_an_array_and_a_bank(
    tmp_path: Path, pork_item: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    second = dict(pork_item, id="zh-0002")
    assert main([_write(tmp_path, [pork_item, second]), "--to", "ar-SA"]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == 2
    bank = {"format": "edubridge-bank/1", "id": "b", "title": "t", "language": "zh-CN",
            "items": [pork_item]}  # fmt: skip
    assert main([_write(tmp_path, bank), "--to", "ar-SA"]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "xx-XX"], "unknown locale 'xx-XX'"),
        (["--to", "id-ID", "--grade", "four"], "invalid int value"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    tmp_path: Path, pork_item: dict[str, Any], capsys: pytest.CaptureFixture[str],
    args: list[str], message: str,
) -> None:  # fmt: skip
    assert main([_write(tmp_path, pork_item), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.json"), "--to", "id-ID"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_invalid_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    assert main([str(path), "--to", "id-ID"]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_invalid_item_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([_write(tmp_path, {"id": "x", "stem": "hi"}), "--to", "id-ID"]) == 2
    assert "invalid item" in capsys.readouterr().err


def test_duplicate_ids_exit_2(
    tmp_path: Path, pork_item: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([_write(tmp_path, [pork_item, pork_item]), "--to", "id-ID"]) == 2
    assert "duplicate" in capsys.readouterr().err


def test_crosswalk_file_is_used(
    tmp_path: Path, pork_item: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    item = dict(pork_item, alignments=[{"framework": "cn", "item": "cn-1", "code": "4.1"}])
    cw = _write(
        tmp_path, {"cn-1": [{"item": "id-9", "type": "exactMatchOf", "code": "4.9"}]}, "cw.json"
    )
    assert main([_write(tmp_path, item), "--to", "id-ID", "--crosswalk", cw]) == 0
    assert json.loads(capsys.readouterr().out)["items"][0]["alignments"][0]["code"] == "4.9"


@pytest.mark.skipif(not QTI.exists(), reason="shared QTI examples not present")
def test_reads_a_qti3_item(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("edubridge.engines.standards.qti.reader")
    xml = QTI / "QTI3_BeginnersGuide_Examples" / "items" / "BG008.xml"
    assert main([str(xml), "--to", "fr-SN"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["items"][0]["format"] == "edubridge-item/1"


def test_writes_an_xliff_file_for_translators(
    tmp_path: Path, pork_item: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draft.xlf"
    assert main([_write(tmp_path, pork_item), "--to", "id-ID", "--xliff-out", str(out)]) == 0
    assert b'srcLang="zh"' in out.read_bytes()
    assert b'trgLang="id"' in out.read_bytes()


def test_chat_url_without_model_exits_2(
    tmp_path: Path, pork_item: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([_write(tmp_path, pork_item), "--to", "id-ID", "--chat-url", "http://x/v1"]) == 2
    assert "go together" in capsys.readouterr().err
