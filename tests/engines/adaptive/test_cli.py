"""`edubridge kt evaluate`: scores every model, JSON on request, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edubridge.engines.adaptive.cli import main

from .synthetic import TRUE, bkt_sequences, write_three_line


@pytest.fixture
def split(tmp_path: Path) -> tuple[str, str]:
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    write_three_line(str(train), bkt_sequences(TRUE, learners=120, answers=6, seed=1))
    write_three_line(str(test), bkt_sequences(TRUE, learners=40, answers=6, seed=2))
    return str(train), str(test)


def test_json_lists_every_model_with_its_metrics(
    split: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--train", split[0], "--test", split[1], "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    names = [m["name"] for m in out["models"]]
    assert names == ["bkt", "bkt-forget", "pfa", "history-lr", "context-lr"]
    for m in out["models"]:
        for key in ("auc", "rmse", "log_loss", "accuracy", "fit_seconds", "predict_seconds"):
            assert isinstance(m[key], float)
        assert 0.0 <= m["auc"] <= 1.0


def test_table_is_printed_without_json(
    split: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--train", split[0], "--test", split[1], "--models", "bkt"]) == 0
    out = capsys.readouterr().out
    assert "AUC" in out
    assert out.splitlines()[2].startswith("bkt")


def test_unreadable_file_exits_2_with_one_line(
    split: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--train", str(tmp_path / "nope.csv"), "--test", split[1]]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:")
    assert "cannot read" in err
    assert "\n" not in err


def test_malformed_block_exit_2_names_the_line(
    split: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("2\n1,1\n1,0\n3\n1,1\n1,1,1\n")
    assert main(["--train", split[0], "--test", str(bad)]) == 2
    assert "line 5: 2 skill ids but count says 3" in capsys.readouterr().err


def test_missing_argument_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--train", "x"]) == 2
    assert "--test" in capsys.readouterr().err


def test_unknown_model_exits_2(split: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--train", split[0], "--test", split[1], "--models", "dkt"]) == 2
    assert "unknown model" in capsys.readouterr().err


def test_cards_carry_metrics_by_group(
    split: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--train", split[0], "--test", split[1], "--json", "--cards", "--models", "pfa"]
    assert main(args) == 0
    card = json.loads(capsys.readouterr().out)["models"][0]["card"]
    assert "first answer on skill" in card["metrics_by_group"]
    assert card["metrics"]["auc"] == pytest.approx(card["metrics"]["auc"])
    assert card["limits"]
