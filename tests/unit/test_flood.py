"""TurnLimiter: N turns a minute per key, one warning, the rest dropped, memory that forgets."""

from __future__ import annotations

from bot.flood import Admission, TurnLimiter
from tests.clocks import Ticks


def test_the_limit_then_one_warning_then_silence() -> None:
    limiter = TurnLimiter(3, clock=Ticks())

    outcomes = [limiter.admit(["person:a", "conversation:1"]) for _ in range(6)]

    assert outcomes == [Admission.ADMIT] * 3 + [Admission.WARN] + [Admission.DROP] * 2


def test_the_window_slides_and_refused_turns_do_not_count() -> None:
    clock = Ticks()
    limiter = TurnLimiter(2, clock=clock)
    limiter.admit(["person:a"])
    clock.now += 30
    limiter.admit(["person:a"])
    assert limiter.admit(["person:a"]) is Admission.WARN

    clock.now += 30.5  # the first turn is now over a minute old
    assert limiter.admit(["person:a"]) is Admission.ADMIT
    assert limiter.admit(["person:a"]) is Admission.DROP
    clock.now += 60
    assert limiter.admit(["person:a"]) is Admission.ADMIT


def test_a_busy_conversation_limits_everyone_in_it_but_not_elsewhere() -> None:
    limiter = TurnLimiter(2, clock=Ticks())

    first = [limiter.admit([f"person:{who}", "conversation:team"]) for who in "abc"]
    elsewhere = limiter.admit(["person:c", "conversation:personal-c"])

    assert first == [Admission.ADMIT, Admission.ADMIT, Admission.WARN]
    assert elsewhere is Admission.ADMIT


def test_one_person_flooding_does_not_limit_another() -> None:
    limiter = TurnLimiter(2, clock=Ticks())
    for _ in range(10):
        limiter.admit(["person:a", "conversation:a"])

    assert limiter.admit(["person:b", "conversation:b"]) is Admission.ADMIT


def test_people_idle_for_a_minute_are_forgotten() -> None:
    clock = Ticks()
    limiter = TurnLimiter(2, clock=clock)
    for n in range(1000):
        limiter.admit([f"person:{n}"])
    limiter.admit(["person:0"] * 3)

    clock.now += 61
    limiter.admit(["person:new"])

    assert set(limiter._admitted) == {"person:new"}
    assert limiter._warned == {}


def test_the_warning_names_the_limit() -> None:
    assert "up to 30 messages a minute" in TurnLimiter(30).slow_down_text
