"""Framework answers on the held-out question set: top-1 and top-3 accuracy, p95 latency.

Usage: python -m benchmarks.qa_eval [--show-misses]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from knowledge.library import Answer, KnowledgeBase

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "knowledge_eval" / "questions.yaml"
TODAY = date(2026, 11, 25)
REPEATS = 5


@dataclass(frozen=True, slots=True)
class Case:
    question: str
    expected: str | None


@dataclass(frozen=True, slots=True)
class Scores:
    """Accuracy over the in-scope questions, refusals over the out-of-scope ones."""

    in_scope: int
    top1: int
    top3: int
    answered_right: int
    answered_wrong: int
    out_of_scope: int
    refused: int
    misses: list[str]


def load_cases(path: Path = QUESTIONS) -> list[Case]:
    return [Case(str(c["question"]), c["expected"]) for c in yaml.safe_load(path.read_text())]


def score(knowledge: KnowledgeBase, cases: list[Case]) -> Scores:
    in_scope = [c for c in cases if c.expected is not None]
    out_of_scope = [c for c in cases if c.expected is None]
    top1 = top3 = answered_right = answered_wrong = 0
    misses = []
    for case in in_scope:
        answer = knowledge.ask(case.question, TODAY)
        ids = [m.entry.id for m in answer.matches]
        top1 += ids[:1] == [case.expected]
        top3 += case.expected in ids
        if answer.sure:
            answered_right += ids[0] == case.expected
            answered_wrong += ids[0] != case.expected
        if ids[:1] != [case.expected] or not answer.sure:
            misses.append(_miss(case, answer))
    refused = 0
    for case in out_of_scope:
        answer = knowledge.ask(case.question, TODAY)
        refused += not answer.sure
        if answer.sure:
            misses.append(_miss(case, answer))
    return Scores(
        len(in_scope),
        top1,
        top3,
        answered_right,
        answered_wrong,
        len(out_of_scope),
        refused,
        misses,
    )


def latencies_ms(knowledge: KnowledgeBase, cases: list[Case]) -> list[float]:
    timings = []
    for _ in range(REPEATS):
        for case in cases:
            started = time.perf_counter()
            knowledge.ask(case.question, TODAY)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _miss(case: Case, answer: Answer) -> str:
    got = answer.best.id if answer.best else None
    return f"{case.question!r}: expected {case.expected}, got {got} (sure={answer.sure})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    arguments = parser.parse_args()
    started = time.perf_counter()
    knowledge = KnowledgeBase.load()
    load_ms = (time.perf_counter() - started) * 1000
    cases = load_cases()
    result = score(knowledge, cases)
    timings = latencies_ms(knowledge, cases)
    p95 = statistics.quantiles(timings, n=100)[94]
    n = result.in_scope
    rows = [
        ("entries", f"{len(knowledge.entries)}"),
        ("questions (in scope / out of scope)", f"{n} / {result.out_of_scope}"),
        ("top-1 correct", f"{result.top1}/{n} = {result.top1 / n:.1%}"),
        ("top-3 correct", f"{result.top3}/{n} = {result.top3 / n:.1%}"),
        ("answered with confidence and right", f"{result.answered_right}/{n}"),
        ("answered with confidence but wrong", f"{result.answered_wrong}/{n}"),
        ("out-of-scope refused (not sure)", f"{result.refused}/{result.out_of_scope}"),
        ("latency per question p50 / p95", f"{statistics.median(timings):.2f} ms / {p95:.2f} ms"),
        ("index build at start-up", f"{load_ms:.0f} ms"),
    ]
    sys.stdout.write("| measure | result |\n|---|---|\n")
    sys.stdout.writelines(f"| {name} | {value} |\n" for name, value in rows)
    if arguments.show_misses:
        sys.stdout.writelines(f"- {miss}\n" for miss in result.misses)


if __name__ == "__main__":
    main()
