"""``edubridge privacy anonymize``: exit 0 and a release on success; exit 2, one line on stderr
and nothing written on bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edubridge.engines.privacy.cli import main

from .conftest import ADULT_QUASI, frame, read_rows


def _args(sample: Path, hierarchies: Path, out: Path, *extra: str) -> list[str]:
    return [
        "--input",
        str(sample),
        "--sep",
        ";",
        "--quasi",
        ",".join(ADULT_QUASI),
        "--sensitive",
        "salary-class",
        "--hierarchies",
        str(hierarchies),
        "--out",
        str(out),
        *extra,
    ]


def test_writes_a_k_anonymous_l_diverse_release_and_prints_the_figures(
    adult_sample: Path,
    adult_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    checker: Any,
) -> None:
    out = tmp_path / "release.csv"
    code = main(_args(adult_sample, adult_dir, out, "--k", "5", "--l", "2", "--suppression", "1%"))
    printed = capsys.readouterr().out
    assert code == 0
    assert "generalization: sex=" in printed
    assert "ncp=" in printed
    assert "discernibility=" in printed
    assert "suppressed: " in printed
    header, rows = read_rows(out)
    release = frame(header, rows)
    assert checker.k_anonymity(release, ADULT_QUASI) >= 5
    assert checker.l_diversity(release, ADULT_QUASI, ["salary-class"]) >= 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--k", "5", "--quasi", "sex,agee"], "unknown column 'agee'"),
        (["--k", "5000"], "impossible k: k=5000"),
        (["--k", "5", "--l", "3"], "impossible"),
        (["--k", "0"], "k must be at least 1"),
        (["--k", "5", "--suppression", "lots"], "is not a number"),
        (["--k", "5", "--suppression", "100%"], "suppression limit"),
        (["--k", "five"], "invalid int value"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    adult_sample: Path,
    adult_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    out = tmp_path / "release.csv"
    code = main(_args(adult_sample, adult_dir, out) + extra)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_hierarchy_that_does_not_cover_a_value_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "in.csv"
    data.write_text("grade,score\ng1,1\ng9,2\n", encoding="utf-8")
    folders = tmp_path / "h"
    folders.mkdir()
    (folders / "school_hierarchy_grade.csv").write_text("g1;*\ng2;*\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code = main(
        [
            "--input",
            str(data),
            "--quasi",
            "grade",
            "--hierarchies",
            str(folders),
            "--k",
            "2",
            "--out",
            str(out),
        ]
    )
    assert code == 2
    assert "does not cover value 'g9'" in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_hierarchy_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "in.csv"
    data.write_text("grade,score\ng1,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code = main(
        [
            "--input",
            str(data),
            "--quasi",
            "grade",
            "--hierarchies",
            str(tmp_path),
            "--k",
            "1",
            "--out",
            str(out),
        ]
    )
    assert code == 2
    assert "no hierarchy file *_hierarchy_grade.csv" in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_input_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--input",
            str(tmp_path / "nope.csv"),
            "--quasi",
            "a",
            "--hierarchies",
            str(tmp_path),
            "--k",
            "2",
            "--out",
            str(tmp_path / "out.csv"),
        ]
    )
    assert code == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_output_may_not_overwrite_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "in.csv"
    data.write_text("grade\ng1\ng1\n", encoding="utf-8")
    code = main(
        [
            "--input",
            str(data),
            "--quasi",
            "grade",
            "--hierarchies",
            str(tmp_path),
            "--k",
            "2",
            "--out",
            str(data),
        ]
    )
    assert code == 2
    assert "--out must not be the --input file" in capsys.readouterr().err
    assert data.read_text(encoding="utf-8") == "grade\ng1\ng1\n"


def test_tab_separated_input_is_read_with_backslash_t(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "in.tsv"
    data.write_text("grade\tscore\ng1\t1\ng2\t2\n", encoding="utf-8")
    (tmp_path / "x_hierarchy_grade.csv").write_text("g1;*\ng2;*\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    code = main(
        [
            "--input",
            str(data),
            "--sep",
            "\\t",
            "--quasi",
            "grade",
            "--hierarchies",
            str(tmp_path),
            "--k",
            "2",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "generalization: grade=1/1" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == "grade\tscore\n*\t1\n*\t2\n"
