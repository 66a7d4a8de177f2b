"""This module writes a call's acknowledgement list as CSV, for the coordinator to download."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from notifications.ack_times import minutes_to_acknowledge
from store.importers.csv_cells import neutralise
from store.repositories.calls import RecipientRow

COLUMNS = (
    "name",
    "email",
    "team",
    "inspection_role",
    "line_manager",
    "alert_status",
    "alert_delivered_at",
    # When Teams said the person had read the alert (read receipts), blank when it has not.
    "alert_read_at",
    "acknowledged_at",
    "minutes_to_acknowledge",
    # The SMS and email sent to those Teams could not reach: blank when none was.
    "sms_status",
    "email_status",
)


def acknowledgement_csv(
    rows: list[RecipientRow],
    timezone: ZoneInfo,
    called_at: datetime | None = None,
    fallbacks: Mapping[int, Mapping[str, str]] | None = None,
) -> str:
    """One line per recipient; times are local, blank when it has not happened; minutes
    from the call to the acknowledgement when `called_at` is given; each person's SMS and
    email status from `fallbacks` (staff id -> channel -> status)."""
    fallbacks = fallbacks or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            neutralise(value)
            for value in (
                row.name,
                row.email,
                row.team or "",
                row.inspection_role or "",
                row.manager_name or "",
                row.alert_status or "withdrawn",
                _local(row.alert_sent_at, timezone),
                _local(row.alert_read_at, timezone),
                _local(row.acknowledged_at, timezone),
                _minutes(called_at, row.acknowledged_at),
                fallbacks.get(row.staff_id, {}).get("sms", ""),
                fallbacks.get(row.staff_id, {}).get("email", ""),
            )
        )
    return out.getvalue()


def _minutes(called_at: datetime | None, acknowledged_at: datetime | None) -> str:
    if called_at is None or acknowledged_at is None:
        return ""
    return f"{minutes_to_acknowledge(called_at, acknowledged_at):.1f}"


def _local(moment: datetime | None, timezone: ZoneInfo) -> str:
    return moment.astimezone(timezone).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
