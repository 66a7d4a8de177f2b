"""Teams' per-conversation limits: 7 a second, 8 in 2 s, 60 in 30 s, 1800 in an hour."""

from __future__ import annotations

from notifications.conversation_limits import TEAMS_WINDOWS, ConversationLimits


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sends_allowed(limits: ConversationLimits, conversation: str, ticks: Ticks, step: float) -> int:
    """How many sends, one every `step` seconds, go before the first is held."""
    count = 0
    while limits.take(conversation) == 0:
        count += 1
        ticks.now += step
    return count


def test_the_windows_are_teams_documented_limits() -> None:
    assert TEAMS_WINDOWS == ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))


def test_seven_go_in_one_second_and_the_eighth_waits_for_the_first_to_leave() -> None:
    ticks = Ticks()
    limits = ConversationLimits(clock=ticks)

    assert [limits.take("a") for _ in range(7)] == [0.0] * 7
    assert limits.take("a") == 1.0
    # Another conversation is not held back by this one.
    assert limits.take("b") == 0.0
    ticks.now += 1.0
    assert limits.take("a") == 0.0


def test_no_more_than_eight_in_any_two_seconds() -> None:
    ticks = Ticks()
    limits = ConversationLimits(clock=ticks)

    # One every 0.2 s keeps under 7 a second, and the two-second window stops the ninth.
    assert sends_allowed(limits, "a", ticks, 0.2) == 8
    ticks.now -= 0.2
    wait = limits.take("a")
    assert wait > 0
    ticks.now += wait
    assert limits.take("a") == 0.0


def test_no_more_than_sixty_in_thirty_seconds_or_1800_in_an_hour() -> None:
    ticks = Ticks()
    limits = ConversationLimits(clock=ticks)
    assert sends_allowed(limits, "a", ticks, 0.26) == 60

    hourly = ConversationLimits(clock=ticks)
    assert sends_allowed(hourly, "h", ticks, 0.51) == 1800


def test_replies_are_counted_but_never_refused() -> None:
    ticks = Ticks()
    limits = ConversationLimits(clock=ticks)
    for _ in range(9):
        limits.record("a")

    # The outbox leaves the room the replies took.
    assert limits.take("a") > 0
    ticks.now += 2.0
    assert limits.take("a") == 0.0


def test_quiet_conversations_are_forgotten_after_an_hour() -> None:
    ticks = Ticks()
    limits = ConversationLimits(clock=ticks)
    for n in range(100):
        limits.take(f"c{n}")
    ticks.now += 3601
    limits.take("fresh")

    assert len(limits) == 1
