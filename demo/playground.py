"""This module writes an Agents Playground config that signs in as one of the demo users.

The playground always sends typed messages as its `currentUser`, so chatting as another
person on the demo roster means restarting it with a config that makes them current:
`python -m demo.playground adelev@example.com > playground.json`, then start the playground
with M365_AGENTS_PLAYGROUND_CONFIG_PATH=playground.json (`make run PERSON=adelev@example.com`).
`python -m demo.playground --describe adelev@example.com` prints who that is on the demo
roster, for `make run` to say who you are chatting as.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from demo.loader import demo_file
from store.importers.sources import read_table

TENANT_ID = "00000000-0000-0000-0000-0000000000001"
BOT = {"id": "00000000-0000-0000-0000-00000000000011", "name": "Inspection Ready"}


def _user(index: int, given: str, surname: str, upn: str, email: str) -> dict[str, str]:
    return {
        "id": f"user-id-{index}",
        "name": f"{given} {surname}",
        "userPrincipleName": upn,  # sic: the playground's own spelling
        "aadObjectId": f"00000000-0000-0000-0000-00000000000{20 + index}",
        "givenName": given,
        "surname": surname,
        "email": email,
    }


# The playground's built-in mock users; all six are on the demo roster (demo/staff.csv).
PLAYGROUND_USERS = (
    _user(0, "Alex", "Wilber", "alexw@example.com", "alexw@example.com"),
    _user(1, "Megan", "Bowen", "meganb@example.com", "meganb@example.com"),
    _user(2, "Adele", "Vance", "adelev@example.com", "adelev@example.com"),
    _user(3, "Isaiah", "Langer", "isaiah@example.com", "isaiahl@example.com"),
    _user(4, "Patti", "Fernandez", "pattif@example.com", "pattif@example.com"),
    _user(5, "Lynne", "Robbins", "lynner@example.com", "lynner@example.com"),
)


class UnknownPlaygroundUserError(ValueError):
    """The email is not one of the playground's six mock users."""


def playground_user(email: str) -> dict[str, str]:
    """The mock user with `email` (or UPN), in any case and with spaces around it.

    Raises:
        UnknownPlaygroundUserError: naming the six there are.
    """
    wanted = email.strip().lower()
    found = next(
        (u for u in PLAYGROUND_USERS if wanted in (u["email"], u["userPrincipleName"])), None
    )
    if found is None:
        choices = ", ".join(u["email"] for u in PLAYGROUND_USERS)
        raise UnknownPlaygroundUserError(
            f"{email!r} is not a playground user; use one of {choices}"
        )
    return found


def describe(email: str) -> str:
    """Who the mock user with `email` is on the demo roster: name, email, role and team."""
    user = playground_user(email)
    staff = read_table(demo_file("staff.csv"), display_name="demo/staff.csv")
    row = next((r.cells for r in staff.rows if r.cells["email"] == user["email"]), None)
    if row is None:
        # The demo roster and the mock users are kept in step; this says which one slipped.
        raise UnknownPlaygroundUserError(f"{user['email']} is not on the demo roster")
    return f"{user['name']} ({user['email']}), {row['role']} in {row['team']}"


def playground_config(email: str) -> dict[str, Any]:
    """A complete playground config whose current user has `email` (or UPN)."""
    current = playground_user(email)
    return {
        "version": "0.1.1",
        "tenantId": TENANT_ID,
        "bot": BOT,
        "currentUser": current,
        "users": [u for u in PLAYGROUND_USERS if u is not current],
        "personalChat": {"id": f"personal-chat-{current['id']}"},
        "groupChat": {"id": "group-chat-demo", "name": "Inspection readiness group"},
        "team": {
            "id": "team-demo",
            "name": "Children's services",
            "aadGroupId": "00000000-0000-0000-0000-000000000031",
            "channels": [{"id": "team-demo-readiness", "name": "Inspection readiness"}],
        },
    }


def main(argv: list[str]) -> int:
    """Prints the config for the email given as the only argument, or with `--describe`
    first, who that is."""
    if len(argv) == 2 and argv[0] == "--describe":
        show = describe
    elif len(argv) == 1 and not argv[0].startswith("-"):
        show = _config_text
    else:
        sys.stderr.write("usage: python -m demo.playground [--describe] EMAIL\n")
        return 2
    try:
        text = show(argv[-1])
    except UnknownPlaygroundUserError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    sys.stdout.write(text + "\n")
    return 0


def _config_text(email: str) -> str:
    return json.dumps(playground_config(email), indent=2)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
