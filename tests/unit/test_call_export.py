"""The acknowledgement list as CSV: local times, blanks, and no spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from notifications.call_export import COLUMNS, acknowledgement_csv
from store.importers.csv_cells import neutralise, restore
from store.repositories.calls import RecipientRow


def row(name: str, acknowledged: datetime | None, status: str | None = "sent") -> RecipientRow:
    return RecipientRow(
        staff_id=1,
        name=name,
        email="a@example.com",
        team="Front door",
        inspection_role=None,
        manager_id=None,
        manager_name=None,
        acknowledged_at=acknowledged,
        alert_status=status,
        alert_sent_at=datetime(2026, 7, 1, 8, 59, tzinfo=UTC),
    )


def test_times_are_local_and_blank_when_not_yet() -> None:
    text = acknowledgement_csv(
        [row("A", datetime(2026, 7, 1, 9, 5, tzinfo=UTC)), row("B", None, None)],
        ZoneInfo("Europe/London"),
    )
    rows = list(csv.DictReader(io.StringIO(text)))

    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["acknowledged_at"] == "2026-07-01 10:05:00"  # British Summer Time
    assert rows[0]["alert_delivered_at"] == "2026-07-01 09:59:00"
    assert rows[1]["acknowledged_at"] == ""
    assert rows[1]["alert_status"] == "withdrawn"


def test_minutes_to_acknowledge_are_counted_from_the_call() -> None:
    called = datetime(2026, 7, 1, 8, 58, 30, tzinfo=UTC)
    text = acknowledgement_csv(
        [row("A", datetime(2026, 7, 1, 9, 5, tzinfo=UTC)), row("B", None)],
        ZoneInfo("Europe/London"),
        called,
    )
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [r["minutes_to_acknowledge"] for r in rows] == ["6.5", ""]


def test_a_name_that_looks_like_a_formula_is_kept_as_text() -> None:
    text = acknowledgement_csv([row("=HYPERLINK(1)", None)], ZoneInfo("Europe/London"))

    assert next(csv.DictReader(io.StringIO(text)))["name"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+44 20",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
        "\ncmd",
        "  =HYPERLINK(1)",
        " @SUM(A1)",
        "   -1",
    ],
)
def test_every_formula_start_is_neutralised_even_after_spaces(value: str) -> None:
    assert neutralise(value) == f"'{value}"


@pytest.mark.parametrize("value", ["Adele Vance", "O'Neil", "a=b", "Team - East", " A", ""])
def test_ordinary_cells_are_left_alone(value: str) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize(
    "value", ["=HYPERLINK(1)", "  =1+1", "-1", "@SUM(A1)", "\tcmd", "O'Neil", "'quoted'", ""]
)
def test_an_import_takes_off_the_guard_an_export_put_on_and_nothing_else(value: str) -> None:
    assert restore(neutralise(value)) == value
    assert restore("'plain text") == "'plain text"


def test_each_persons_sms_and_email_status_is_shown_blank_when_none_went() -> None:
    texted = row("A", None)
    text = acknowledgement_csv(
        [texted],
        ZoneInfo("Europe/London"),
        fallbacks={1: {"sms": "sent", "email": "failed"}},
    )
    none_sent = acknowledgement_csv([texted], ZoneInfo("Europe/London"))

    [shown] = list(csv.DictReader(io.StringIO(text)))
    [blank] = list(csv.DictReader(io.StringIO(none_sent)))
    assert (shown["sms_status"], shown["email_status"]) == ("sent", "failed")
    assert (blank["sms_status"], blank["email_status"]) == ("", "")
