"""`make run` says who you are chatting as: each playground user as the demo roster has them."""

from __future__ import annotations

import pytest

from demo.playground import PLAYGROUND_USERS, UnknownPlaygroundUserError, describe, main


def test_every_playground_user_is_described_from_the_demo_roster() -> None:
    described = [describe(user["email"]) for user in PLAYGROUND_USERS]

    assert described[0] == "Alex Wilber (alexw@example.com), coordinator in Quality assurance"
    assert described[2] == (
        "Adele Vance (adelev@example.com), practitioner in Assessment and intervention"
    )
    assert len(described) == 6


def test_a_user_is_found_by_upn_in_any_case() -> None:
    assert describe(" Isaiah@Example.com ").startswith("Isaiah Langer (isaiahl@example.com), ")


def test_someone_else_is_refused_naming_the_six(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UnknownPlaygroundUserError, match="use one of alexw@example.com, "):
        describe("bob@example.com")

    assert main(["--describe", "bob@example.com"]) == 2
    assert main(["--describe"]) == 2
    assert "'bob@example.com' is not a playground user" in capsys.readouterr().err
