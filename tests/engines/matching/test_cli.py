"""`edubridge exchange match`: the command-line contract."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from edubridge.engines.matching.cli import main

PLACES = "place_id,capacity,reserve:country=KE,host\nP1,1,,Nairobi\nP2,2,1,Accra\n"
APPLICATIONS = (
    "applicant_id,place_id,preference,host_score,country\n"
    "ana,P1,1,90,GH\n"
    "ben,P1,1,80,GH\n"
    "ben,P2,2,70,GH\n"
    "cai,P2,1,10,KE\n"
    "dan,P2,1,75,GH\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path: Path, places: str = PLACES, applications: str = APPLICATIONS, *extra: str) -> int:
    return main(
        [
            "--places",
            str(write(tmp_path, "places.csv", places)),
            "--applications",
            str(write(tmp_path, "apps.csv", applications)),
            "--out",
            str(tmp_path / "match.csv"),
            "--seed",
            "5",
            *extra,
        ]
    )


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_writes_one_row_per_applicant_with_place_choice_and_reason(tmp_path: Path) -> None:
    assert run(tmp_path) == 0
    out = {r["applicant_id"]: r for r in rows(tmp_path / "match.csv")}
    assert list(rows(tmp_path / "match.csv")[0]) == ["applicant_id", "place_id", "choice", "reason"]
    assert (out["ana"]["place_id"], out["ana"]["choice"]) == ("P1", "1")
    assert (out["cai"]["place_id"], out["dan"]["place_id"]) == ("P2", "P2")  # cai on the reserve
    assert out["ben"]["place_id"] == ""
    assert out["ben"]["choice"] == ""
    assert out["ben"]["reason"].startswith("unmatched; choice 1 (P1): full of applicants")


def test_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path) == 0
    out = capsys.readouterr().out
    assert "matched 3 of 4 applicants (1 unmatched)" in out
    assert "places filled 2 of 2 (seats 3 of 3; 0 left)" in out
    assert "lottery seed 5" in out
    assert out.rstrip().endswith(" s")


def test_publishes_the_lottery_next_to_the_match(tmp_path: Path) -> None:
    assert run(tmp_path) == 0
    lottery = rows(tmp_path / "match.lottery.csv")
    assert sorted(r["applicant_id"] for r in lottery) == ["ana", "ben", "cai", "dan"]
    assert [r["position"] for r in lottery] == ["1", "2", "3", "4"]
    assert [r["sha256"] for r in lottery] == sorted(r["sha256"] for r in lottery)


def test_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    assert run(tmp_path) == 0
    first = (tmp_path / "match.csv").read_text()
    assert run(tmp_path) == 0
    assert (tmp_path / "match.csv").read_text() == first


def test_second_round_fills_seats_left(tmp_path: Path) -> None:
    places = "place_id,capacity\nP1,1\nP2,3\n"
    apps = "applicant_id,place_id,preference,host_score\nana,P1,1,9\nben,P1,1,5\n"
    second = write(
        tmp_path, "round2.csv", "applicant_id,place_id,preference,host_score\nben,P2,1,1\n"
    )
    assert run(tmp_path, places, apps, "--second-round", str(second)) == 0
    out = {r["applicant_id"]: r for r in rows(tmp_path / "match.csv")}
    assert out["ben"]["place_id"] == "P2"
    assert "in the second round" in out["ben"]["reason"]


BAD_INPUT = [
    pytest.param(
        PLACES,
        APPLICATIONS + "eve,P9,1,50,GH\n",
        "apps.csv, line 7: unknown place 'P9'",
        id="unknown-place",
    ),
    pytest.param(
        PLACES,
        APPLICATIONS + "ana,P2,1,50,GH\n",
        "apps.csv, line 7: duplicate preference 1 for applicant 'ana'",
        id="duplicate-preference",
    ),
    pytest.param(
        PLACES.replace("P1,1,,", "P1,-1,,"),
        APPLICATIONS,
        "places.csv, line 2: negative capacity -1",
        id="negative-capacity",
    ),
    pytest.param(
        "place_id,seats\nP1,1\n",
        APPLICATIONS,
        "places.csv, line 1: missing column capacity",
        id="missing-place-column",
    ),
    pytest.param(
        PLACES,
        "applicant_id,place_id,host_score\nana,P1,1\n",
        "apps.csv, line 1: missing column preference",
        id="missing-application-column",
    ),
    pytest.param(
        PLACES,
        APPLICATIONS.replace("ben,P2,2,70", "ben,P2,2,high"),
        "apps.csv, line 4: host_score is not a number: 'high'",
        id="non-numeric-score",
    ),
    pytest.param(
        PLACES,
        APPLICATIONS.replace("ben,P2,2,70", "ben,P2,second,70"),
        "apps.csv, line 4: preference is not an integer: 'second'",
        id="non-numeric-preference",
    ),
    pytest.param(
        PLACES.replace("P2,2,1", "P2,two,1"),
        APPLICATIONS,
        "places.csv, line 3: capacity is not an integer: 'two'",
        id="non-numeric-capacity",
    ),
    pytest.param(
        PLACES,
        APPLICATIONS.replace("ben,P2,2,70", "ben,P2,2,nan"),
        "apps.csv, line 4: host_score must be a finite number",
        id="nan-score",
    ),
    pytest.param(
        PLACES,
        APPLICATIONS + "ana,P2,2,50,KE\n",
        "apps.csv, line 7: applicant 'ana' has country 'GH' and 'KE'",
        id="inconsistent-attribute",
    ),
    pytest.param(
        PLACES.replace("P2,2,1", "P2,2,3"),
        APPLICATIONS,
        "places.csv, line 3: place 'P2' reserves 3 seats but has capacity 2",
        id="reserve-over-capacity",
    ),
    pytest.param(
        PLACES + "P1,4,,x\n",
        APPLICATIONS,
        "places.csv, line 4: duplicate place_id 'P1'",
        id="duplicate-place",
    ),
    pytest.param(
        PLACES,
        APPLICATIONS + "eve,P1\n",
        "apps.csv, line 7: 2 fields where the header has 5",
        id="short-row",
    ),
]


@pytest.mark.parametrize(("places", "applications", "message"), BAD_INPUT)
def test_bad_input_exits_2_with_one_line_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], places: str, applications: str, message: str
) -> None:
    assert run(tmp_path, places, applications) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert not (tmp_path / "match.csv").exists()


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--places", str(tmp_path / "none.csv"), "--applications", "x", "--out", "y"])
    assert code == 2
    assert "none.csv" in capsys.readouterr().err


def test_missing_argument_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--places", "p.csv"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--applications" in err


def test_seed_is_drawn_and_printed_when_not_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--places", str(write(tmp_path, "p.csv", PLACES))]
    args += ["--applications", str(write(tmp_path, "a.csv", APPLICATIONS))]
    assert main([*args, "--out", str(tmp_path / "m.csv")]) == 0
    assert "lottery seed " in capsys.readouterr().out


def test_no_applications_is_a_valid_empty_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = "place_id,capacity\nP1,1\n"
    assert run(tmp_path, places, "applicant_id,place_id,preference,host_score\n") == 0
    assert rows(tmp_path / "match.csv") == []
    assert "matched 0 of 0 applicants" in capsys.readouterr().out


def test_absurdly_large_preference_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    apps = APPLICATIONS.replace("ben,P2,2,70", "ben,P2,99999999999999999999999,70")
    assert run(tmp_path, PLACES, apps) == 2
    assert "apps.csv, line 4: preference is too large" in capsys.readouterr().err
