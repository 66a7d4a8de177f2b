"""Which completed audits are moderated, and by whom: a fair, repeatable rule."""

from __future__ import annotations

from dialogs.audit_moderation import choose_moderator, sampled
from store.models import Staff, StaffRole


def test_a_ten_percent_share_takes_the_first_then_every_tenth() -> None:
    chosen = [n for n in range(1, 36) if sampled(n, 10)]

    assert chosen == [1, 11, 21, 31]


def test_the_share_holds_over_a_month_of_70_audits() -> None:
    for share, expected in ((0, 0), (10, 7), (25, 18), (33, 24), (100, 70)):
        assert sum(sampled(n, share) for n in range(1, 71)) == expected


def person(staff_id: int) -> Staff:
    return Staff(
        id=staff_id, email=f"p{staff_id}@x", name=f"P{staff_id}", role=StaffRole.COORDINATOR
    )


def test_the_moderator_is_the_least_busy_and_never_the_auditor() -> None:
    people = [person(1), person(2), person(3)]

    assert choose_moderator(people, not_independent={1}, pending={}) is people[1]
    assert choose_moderator(people, not_independent={1}, pending={2: 2, 3: 1}) is people[2]
    assert choose_moderator([people[0]], not_independent={1}, pending={}) is None


def test_the_moderator_is_independent_of_the_case() -> None:
    # 1 audits the case, 2 works it, 3 manages 2: only 4 is independent, however busy.
    people = [person(1), person(2), person(3), person(4)]

    assert choose_moderator(people, not_independent={1, 2, 3}, pending={4: 9}) is people[3]
    assert choose_moderator(people[:3], not_independent={1, 2, 3}, pending={}) is None
