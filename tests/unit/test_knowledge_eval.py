"""The public evaluation set: ranking accuracy and refusals, as benchmarks/qa_eval.py reports."""

from __future__ import annotations

from benchmarks.qa_eval import load_cases, score
from knowledge.entries import load_entries, national_files
from knowledge.library import KnowledgeBase

CASES = load_cases()
RESULT = score(KnowledgeBase.load(), CASES)


def test_the_set_is_big_enough_and_names_real_entries() -> None:
    ids = {e.id for e in load_entries(national_files())}
    in_scope = [c for c in CASES if c.expected is not None]

    assert len(in_scope) >= 150
    assert {c.expected for c in in_scope} <= ids


def test_top_1_is_at_least_90_percent() -> None:
    assert RESULT.top1 / RESULT.in_scope >= 0.9, "\n".join(RESULT.misses)


def test_out_of_scope_questions_are_never_answered_as_if_known() -> None:
    assert RESULT.refused == RESULT.out_of_scope, "\n".join(RESULT.misses)


def test_confident_answers_are_mostly_right() -> None:
    assert RESULT.answered_right >= 0.85 * RESULT.in_scope
    assert RESULT.answered_wrong <= 0.06 * RESULT.in_scope
