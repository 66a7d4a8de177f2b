"""Framework answers judged by what they say: the development and held-out question sets.

Usage: python -m benchmarks.fact_eval [--set dev ... dev37 held_out ... held_out5]
       [--show-misses]

Each question in tests/knowledge_eval/dev*.yaml and held_out*.yaml was written from
DOMAIN.md and the seed reports alone, without sight of the knowledge entries, and says
what a right answer must contain rather than which entry should win: for each fact asked
(two for a compound question), one of a few short phrases ("15 working days"). A question
is answered right when the reply the person would read contains every fact; an
out-of-scope one when it is declined; small talk when it gets small talk back.

The held-out sets are never used to tune anything (thresholds, synonyms, entries): print
their figures, never their misses. --show-misses lists the development sets' misses only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from dialogs.ask_dialog import reply_text
from dialogs.routing import Intent, classify
from knowledge.entries import Confidence
from knowledge.library import KnowledgeBase, Response

SETS = Path(__file__).resolve().parents[1] / "tests" / "knowledge_eval"
DEFAULT_TODAY = date(2026, 11, 25)
HELD_OUT = "held_out"
# A second held-out set, written blind later, for a measurement the first has not had.
HELD_OUT_2 = "held_out2"
# A third, written blind again before this round's changes were judged.
HELD_OUT_3 = "held_out3"
# A fourth, written blind and frozen before the extra ways of asking were added.
HELD_OUT_4 = "held_out4"
# A fifth, written blind late in the round that changed the likely answers, compound parts
# and council rules, and scored once at the release before that round and once after it.
HELD_OUT_5 = "held_out5"
HELD_OUT_SETS = frozenset({HELD_OUT, HELD_OUT_2, HELD_OUT_3, HELD_OUT_4, HELD_OUT_5})
SET_NAMES = (
    "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11",
    "dev12", "dev13", "dev14", "dev15", "dev16", "dev17", "dev18", "dev19", "dev20", "dev21",
    "dev22", "dev23", "dev24", "dev25", "dev26", "dev27", "dev28", "dev29", "dev30", "dev31",
    "dev32", "dev33", "dev34", "dev35", "dev36", "dev37",
    HELD_OUT, HELD_OUT_2, HELD_OUT_3, HELD_OUT_4, HELD_OUT_5,
)  # fmt: skip
KINDS = ("plain", "compound", "indirect", "dated", "out_of_scope", "small_talk")


@dataclass(frozen=True, slots=True)
class FactCase:
    question: str
    kind: str
    must_say: tuple[tuple[str, ...], ...]
    today: date


@dataclass(slots=True)
class FactScores:
    """Right answers by kind, and the confident answers that were wrong."""

    total: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    # A reply given as the answer (not "not sure") that lacks a fact, or answers an
    # out-of-scope question as if it were known.
    confident_wrong: int = 0
    # Out-of-scope questions answered only by entries that say the fact is uncertain: not
    # declined, so counted wrong, but not a confident wrong answer either.
    out_of_scope_as_uncertain: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def all_right(self) -> int:
        return sum(self.right.values())

    @property
    def all_total(self) -> int:
        return sum(self.total.values())


def load_fact_cases(name: str) -> list[FactCase]:
    raw = yaml.safe_load((SETS / f"{name}.yaml").read_text(encoding="utf-8"))
    return [
        FactCase(
            str(item["question"]),
            str(item["kind"]),
            tuple(tuple(str(p) for p in group) for group in item.get("must_say") or ()),
            _day(item.get("today")),
        )
        for item in raw
    ]


def _day(value: object) -> date:
    """A case's "today": YAML reads an unquoted date as one, a quoted one as text."""
    if value is None:
        return DEFAULT_TODAY
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def judge(knowledge: KnowledgeBase, case: FactCase) -> tuple[bool, bool, Response]:
    """(right, confidently wrong, the reply) for one question, routed as the chat routes it:
    a message taken for a command never reaches the knowledge, so only small talk may be
    (the help card is a friendly answer to "hi")."""
    reply = knowledge.respond(case.question, case.today)
    if classify(case.question).intent is not Intent.QUESTION:
        return case.kind == "small_talk", False, reply
    if case.kind == "small_talk":
        return reply.small_talk is not None, False, reply
    if case.kind == "out_of_scope":
        answered = reply.answers_given
        return not answered, reply.sure and answered, reply
    text = reply_text(reply).lower()
    says_all = all(any(p.lower() in text for p in group) for group in case.must_say)
    right = reply.answers_given and says_all
    return right, reply.sure and not says_all, reply


def score(knowledge: KnowledgeBase, cases: list[FactCase]) -> FactScores:
    scores = FactScores()
    for case in cases:
        right, wrong, reply = judge(knowledge, case)
        scores.total[case.kind] += 1
        scores.right[case.kind] += right
        scores.confident_wrong += wrong
        scores.out_of_scope_as_uncertain += (
            case.kind == "out_of_scope"
            and reply.answers_given
            and all(p.entry.confidence is Confidence.UNCERTAIN for p in reply.parts)
        )
        if not right:
            shown = reply_text(reply).replace("\n", " ")[:160]
            scores.misses.append(f"[{case.kind}] {case.question!r} -> {shown}")
    return scores


def latencies_ms(knowledge: KnowledgeBase, cases: list[FactCase], repeats: int = 5) -> list[float]:
    timings = []
    for _ in range(repeats):
        for case in cases:
            started = time.perf_counter()
            knowledge.respond(case.question, case.today)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def table(name: str, scores: FactScores, timings: list[float]) -> str:
    rows = [
        f"| {name} | {scores.all_right}/{scores.all_total} = "
        f"{scores.all_right / scores.all_total:.1%} |"
    ]
    for kind in KINDS:
        if scores.total[kind]:
            rows.append(f"| · {kind} | {scores.right[kind]}/{scores.total[kind]} |")
    rows.append(f"| · answered with confidence but wrong | {scores.confident_wrong} |")
    if scores.total["out_of_scope"]:
        rows.append(
            "| · of those, out-of-scope answered by an entry saying it is uncertain | "
            f"{scores.out_of_scope_as_uncertain} |"
        )
    p95 = statistics.quantiles(timings, n=100)[94]
    rows.append(
        f"| · latency per question p50 / p95 | {statistics.median(timings):.2f} ms / "
        f"{p95:.2f} ms |"
    )
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs="+", choices=SET_NAMES, default=list(SET_NAMES))
    parser.add_argument("--show-misses", action="store_true", help="development sets only")
    arguments = parser.parse_args()
    knowledge = KnowledgeBase.load()
    sys.stdout.write("| set | right |\n|---|---|\n")
    for name in arguments.set:
        cases = load_fact_cases(name)
        scores = score(knowledge, cases)
        sys.stdout.write(table(name, scores, latencies_ms(knowledge, cases)))
        if arguments.show_misses and name not in HELD_OUT_SETS:
            sys.stdout.writelines(f"- {miss}\n" for miss in scores.misses)


if __name__ == "__main__":
    main()
