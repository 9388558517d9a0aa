"""scripts/query_readings.py against moto: a Query reads one zipcode; a Scan reads the table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from queue_worker import logic, store
from scripts.queue_worker import query_readings


def store_readings(session: Any, table: str) -> None:
    readings = [
        logic.parse_reading(f'{{"zipcode": "{z}", "temperature_f": {t}, "observed_at": "{at}"}}')
        for z, t, at in [
            ("90210", 61, "2024-05-01T10:00:00Z"),
            ("90210", 64.5, "2024-05-01T12:00:00Z"),
            ("90210", 66, "2024-05-02T12:00:00Z"),
            ("10001", 48, "2024-05-01T12:00:00Z"),
            ("10001", 49, "2024-05-01T13:00:00Z"),
        ]
    ]
    result = store.write_readings(readings, table_name=table, client=session.client("dynamodb"))
    assert result.failed == {}


def test_query_returns_one_zipcode_newest_first(
    session: Any, deployed: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    store_readings(session, deployed["TableName"])
    assert query_readings.main(["--zipcode", "90210"], session=session) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines[:3]] == [
        ["90210", "2024-05-02T12:00:00Z", "66"],
        ["90210", "2024-05-01T12:00:00Z", "64.5"],
        ["90210", "2024-05-01T10:00:00Z", "61"],
    ]
    assert lines[3] == "Query read 3 item(s) of zipcode 90210 and returned 3."


def test_a_time_range_is_a_key_condition(
    session: Any, deployed: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    store_readings(session, deployed["TableName"])
    argv = ["--zipcode", "90210", "--since", "2024-05-01T11:00:00Z", "--until", "2024-05-01T14:00:00+02:00"]
    assert query_readings.main(argv, session=session) == 0
    out = capsys.readouterr().out
    assert "2024-05-01T12:00:00Z" in out
    assert "2024-05-01T10:00:00Z" not in out
    assert "2024-05-02T12:00:00Z" not in out


def test_compare_scan_shows_the_scan_reads_the_whole_table(
    session: Any, deployed: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    store_readings(session, deployed["TableName"])
    assert query_readings.main(["--zipcode", "10001", "--compare-scan"], session=session) == 0
    out = capsys.readouterr().out
    assert "Query read 2 item(s) of zipcode 10001 and returned 2." in out
    assert "Scan examined 5 item(s) (the whole table) to return 2" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--zipcode", "9021"], "error: --zipcode must be exactly 5 digits, not '9021'"),
        (["--zipcode", "90210", "--limit", "0"], "error: --limit must be between 1 and 1000, not 0"),
        (["--zipcode", "90210", "--since", "2024-05-01"], "error: argument --since: '2024-05-01' is not an ISO-8601"),
        (
            ["--zipcode", "90210", "--since", "2024-05-02T00:00:00Z", "--until", "2024-05-01T00:00:00Z"],
            "error: --since must not be later than --until",
        ),
    ],
)
def test_bad_arguments_give_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        query_readings.main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(message)


def test_items_store_temperatures_as_numbers(session: Any, deployed: dict[str, str]) -> None:
    store_readings(session, deployed["TableName"])
    item = (
        session.resource("dynamodb")
        .Table(deployed["TableName"])
        .get_item(Key={"Zipcode": "90210", "ObservedAt": "2024-05-01T12:00:00Z"})["Item"]
    )
    assert item["TemperatureF"] == Decimal("64.5")
