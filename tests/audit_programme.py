"""A small council for audit-draw tests: a three-tier tree, four teams, forty open cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.importing import STAFF_HEADER, write_csv

CATEGORIES = ("early help", "child in need", "child protection", "child in care", "care leaver")
TEAMS = ("Front door", "Assessment", "Children in care", "Leaving care")
# A DCS, two heads of service, a team manager and two practitioners per team, a coordinator.
STAFF = [
    "dcs@example.com,Dana Cole,manager,Leadership,,Director of Children's Services",
    "hos1@example.com,Harriet Osei,manager,Leadership,dcs@example.com,",
    "hos2@example.com,Hugo Smart,manager,Leadership,dcs@example.com,",
    "coord@example.com,Cora Ord,coordinator,Quality assurance,dcs@example.com,",
]
for number, team in enumerate(TEAMS, start=1):
    head = "hos1" if number <= 2 else "hos2"
    STAFF.append(
        f"tm{number}@example.com,Team Manager {number},manager,{team},{head}@example.com,"
    )
    STAFF += [
        f"sw{number}{n}@example.com,Social Worker {number}{n},practitioner,{team},"
        f"tm{number}@example.com,"
        for n in (1, 2)
    ]
# Case n: team n % 4, category n % 5, worked by one of that team's two workers.
CASES = [
    f"CR-{100100 + n},{TEAMS[n % 4]},sw{n % 4 + 1}{n % 2 + 1}@example.com,{CATEGORIES[n % 5]},"
    "2026-01-05"
    for n in range(40)
]


def write_council(
    directory: Path, *, recently_audited: str | None = None, audited_on: date | None = None
) -> list[Path]:
    """The staff and cases files (and an audits file naming one case audited recently)."""
    files = [
        write_csv(directory / "staff.csv", "\n".join([STAFF_HEADER, *STAFF])),
        write_csv(
            directory / "cases.csv",
            "\n".join(["case_ref,team,worker_email,category,opened", *CASES]),
        ),
    ]
    if recently_audited is not None:
        files.append(
            write_csv(
                directory / "audits.csv",
                "ref,case_ref,audit_type,auditor_email,due_date,status\n"
                f"AUD-OLD-1,{recently_audited},monthly,tm1@example.com,"
                f"{(audited_on or date(2026, 10, 30)).isoformat()},complete",
            )
        )
    return files
