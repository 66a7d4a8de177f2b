"""The Teams command menu offers commands the bot really understands."""

from __future__ import annotations

import json
from pathlib import Path

from dialogs.routing import Intent, classify

MANIFEST = Path(__file__).resolve().parents[2] / "manifest" / "manifest.json"


def test_every_menu_command_routes_to_its_dialog() -> None:
    [bot] = json.loads(MANIFEST.read_text(encoding="utf-8"))["bots"]
    commands = {
        c["title"]: classify(c["title"]).intent for c in bot["commandLists"][0]["commands"]
    }

    assert commands == {
        "help": Intent.HELP,
        "my actions": Intent.MY_ACTIONS,
        "what's overdue": Intent.OVERDUE,
        "what's due this week": Intent.DUE_THIS_WEEK,
        "my audits": Intent.MY_AUDITS,
        "my team": Intent.MY_TEAM,
        "calendar": Intent.CALENDAR,
        "inspection call": Intent.INSPECTION_CALL,
    }
