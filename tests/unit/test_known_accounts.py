"""Remembered identities: kept briefly, bounded, per account and tenant, forgotten at once."""

from __future__ import annotations

from bot.identity import Identity, Refusal
from bot.known_accounts import KnownAccounts
from teams.types import TeamsUser
from tests.clocks import Ticks

ALEX = TeamsUser("29:alex", aad_object_id="aad-alex", tenant_id="home")
NOBODY = Identity()
REFUSED = Identity(refused=Refusal.GUEST)


def test_an_answer_is_kept_for_its_time_and_then_asked_for_again() -> None:
    ticks = Ticks()
    known = KnownAccounts(30, monotonic=ticks)
    known.remember(ALEX, REFUSED)
    ticks.now += 29.9
    assert known.get(ALEX) is REFUSED
    ticks.now += 0.1
    assert known.get(ALEX) is None
    assert len(known) == 0


def test_the_same_account_id_from_another_tenant_shares_nothing() -> None:
    known = KnownAccounts()
    known.remember(ALEX, NOBODY)
    assert known.get(TeamsUser("29:alex", aad_object_id="aad-alex", tenant_id="other")) is None
    assert known.get(TeamsUser("29:alex-2", aad_object_id="aad-alex", tenant_id="home")) is NOBODY


def test_an_account_without_an_object_id_is_known_by_its_teams_id() -> None:
    known = KnownAccounts()
    anonymous = TeamsUser("29:anon", tenant_id="home")
    known.remember(anonymous, REFUSED)
    assert known.get(TeamsUser("29:anon", tenant_id="home")) is REFUSED
    assert known.get(TeamsUser("29:other", tenant_id="home")) is None


def test_the_oldest_answers_go_first_when_full() -> None:
    known = KnownAccounts(max_accounts=2)
    users = [TeamsUser(f"29:{n}", aad_object_id=f"aad-{n}", tenant_id="home") for n in range(3)]
    known.remember(users[0], NOBODY)
    known.remember(users[1], NOBODY)
    known.remember(users[0], REFUSED)  # remembered again: now the newest
    known.remember(users[2], NOBODY)
    assert len(known) == 2
    assert known.get(users[1]) is None
    assert known.get(users[0]) is REFUSED
    assert known.get(users[2]) is NOBODY


def test_forget_all_drops_every_answer() -> None:
    known = KnownAccounts()
    known.remember(ALEX, NOBODY)
    known.forget_all()
    assert known.get(ALEX) is None
