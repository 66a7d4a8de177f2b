"""The audit form file: the shipped one is valid, a council's own copy is checked loudly,
and its setting and the moderation share are read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings, SettingsError
from notifications.audit_form import AuditForm, AuditFormError

FORM = AuditForm.load()

GOOD = """
grades:
  - top: Outstanding
  - ok: Good
  - ri: Requires improvement to be good
  - bad: Inadequate
domains:
  - key: recording
    title: Recording
    source: our audit tool
    required: false
follow_up:
  priority_area: Learning from audits
  due_working_days: 10
"""


def test_the_shipped_form_grades_on_ofsteds_four_point_scale() -> None:
    assert [label for _, label in FORM.grades] == [
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    ]
    assert [d.key for d in FORM.domains] == [
        "assessment",
        "planning",
        "direct_work",
        "management_oversight",
    ]
    assert all(d.source and d.required for d in FORM.domains)
    assert (FORM.follow_up_area, FORM.follow_up_days) == ("Audit follow-up", 20)
    assert FORM.worst == "inadequate"
    assert FORM.good_or_better("good")
    assert not FORM.good_or_better("requires_improvement")


def test_a_councils_own_form_is_used(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(GOOD, encoding="utf-8")

    form = AuditForm.load(path)

    assert form.grade_keys == ("top", "ok", "ri", "bad")
    assert form.domain("recording") is not None
    assert form.domain("recording").required is False  # type: ignore[union-attr]
    assert (form.follow_up_area, form.follow_up_days) == ("Learning from audits", 10)
    assert form.label("not_applicable") == "Not applicable"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  - bad: Inadequate\n", ""), "must list the 4 points"),
        (("  - ok: Good", "  - top: Good"), "a key of its own"),
        (("key: recording", "key: Recording!"), "domain 1: key must be lower_case_words"),
        (("    source: our audit tool\n", ""), "domain recording needs its source"),
        (("required: false", "required: maybe"), "required must be true or false"),
        (("due_working_days: 10", "due_working_days: 0"), "due_working_days must be a whole"),
        (("priority_area: Learning from audits", "priority_area: ''"), "priority_area must"),
        (("domains:", "domains: []\nx:"), "domains must list at least one"),
    ],
)
def test_a_broken_form_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")

    with pytest.raises(AuditFormError, match=message) as raised:
        AuditForm.load(path)
    assert str(path) in str(raised.value)


def test_a_form_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text("grades: [unclosed", encoding="utf-8")

    with pytest.raises(AuditFormError, match="cannot read the audit form"):
        AuditForm.load(path)


def test_the_settings_name_the_form_and_the_moderation_share(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(GOOD, encoding="utf-8")

    assert Settings.from_env({}).audit_form is None
    assert Settings.from_env({}).moderation_share == 10
    settings = Settings.from_env(
        {"INSPECTION_READY_AUDIT_FORM": str(path), "INSPECTION_READY_MODERATION_SHARE": "25%"}
    )
    assert (settings.audit_form, settings.moderation_share) == (path, 25)
    assert Settings.from_env({"INSPECTION_READY_MODERATION_SHARE": "5"}).moderation_share == 5


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"INSPECTION_READY_AUDIT_FORM": "/no/such/form.yaml"}, "must name an existing file"),
        ({"INSPECTION_READY_MODERATION_SHARE": "ten"}, "whole percentage from 0 to 100"),
        ({"INSPECTION_READY_MODERATION_SHARE": "150%"}, "whole percentage from 0 to 100"),
        ({"INSPECTION_READY_MODERATION_SHARE": "-5"}, "whole percentage from 0 to 100"),
    ],
)
def test_bad_audit_settings_fail_with_the_variable_named(
    environ: dict[str, str], message: str
) -> None:
    [variable] = environ
    with pytest.raises(SettingsError, match=message) as raised:
        Settings.from_env(environ)
    assert variable in str(raised.value)


def test_serve_refuses_a_broken_audit_form_before_listening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "inspection-ready.db"
    form = tmp_path / "form.yaml"
    form.write_text(GOOD.replace("  - bad: Inadequate\n", ""), encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("INSPECTION_READY_AUDIT_FORM", str(form))
    monkeypatch.setenv("INSPECTION_READY_DEV_NO_AUTH", "1")

    assert main(["serve", "--port", "1"]) == 1

    error = capsys.readouterr().err
    assert f"{form}: grades must list the 4 points of Ofsted's scale" in error
    assert not database.exists()
