"""The public evaluation set: ranking accuracy and refusals, as benchmarks/qa_eval.py reports."""

from __future__ import annotations

import pytest

from benchmarks.qa_eval import Scores, load_cases, score
from knowledge.entries import load_entries, national_files
from knowledge.library import KnowledgeBase


@pytest.fixture(scope="module")
def result(shipped_knowledge: KnowledgeBase) -> Scores:
    return score(shipped_knowledge, load_cases())


def test_the_set_is_big_enough_and_names_real_entries() -> None:
    ids = {e.id for e in load_entries(national_files())}
    in_scope = [c for c in load_cases() if c.expected is not None]

    assert len(in_scope) >= 150
    assert {c.expected for c in in_scope} <= ids


def test_top_1_is_at_least_90_percent(result: Scores) -> None:
    assert result.top1 / result.in_scope >= 0.9, "\n".join(result.misses)


def test_out_of_scope_questions_are_never_answered_as_if_known(result: Scores) -> None:
    assert result.refused == result.out_of_scope, "\n".join(result.misses)


def test_confident_answers_are_mostly_right(result: Scores) -> None:
    assert result.answered_right >= 0.85 * result.in_scope
    assert result.answered_wrong <= 0.06 * result.in_scope
