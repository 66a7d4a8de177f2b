"""INSPECTION_READY_IMMEDIATELY_DAYS: what "immediately" means for an action's deadline."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


def test_immediately_defaults_to_five_working_days_and_is_read() -> None:
    assert Settings.from_env({}).immediately_days == 5
    assert Settings.from_env({"INSPECTION_READY_IMMEDIATELY_DAYS": "10"}).immediately_days == 10


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "INSPECTION_READY_IMMEDIATELY_DAYS must be a whole number, got 'soon'"),
        ("0", "INSPECTION_READY_IMMEDIATELY_DAYS must be from 1 to 60, got 0"),
        ("61", "INSPECTION_READY_IMMEDIATELY_DAYS must be from 1 to 60, got 61"),
    ],
)
def test_a_bad_immediately_setting_fails_with_the_variable_named(value: str, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"INSPECTION_READY_IMMEDIATELY_DAYS": value})

    assert str(raised.value) == message
