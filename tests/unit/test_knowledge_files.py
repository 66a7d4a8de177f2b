"""The shipped knowledge files: valid, sourced, honest about confidence, each entry findable."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from knowledge.ages import stated_age
from knowledge.entries import Confidence, KnowledgeError, load_entries, national_files
from knowledge.library import KnowledgeBase, load_vocabulary

TODAY = date(2026, 11, 25)
# Read once at collection, to name a test per entry; the search index is built by a fixture.
ENTRIES = load_entries(national_files())
# Words an uncertain answer uses to say so.
UNCERTAINTY = (
    "uncertain",
    "not confirmed",
    "unconfirmed",
    "not clear",
    "conflict",
    "check",
    "reported",
    "not been confirmed",
    "could not be confirmed",
    "not found",
)


def test_there_are_at_least_150_entries_with_unique_ids() -> None:
    ids = [e.id for e in ENTRIES]

    assert len(ids) >= 150
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_entry_is_sourced_and_dated(entry) -> None:
    assert entry.source.document
    assert entry.framework
    assert entry.reviewed <= datetime.now(UTC).date()  # never reviewed in the future
    assert entry.confidence in Confidence


@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if e.confidence is Confidence.UNCERTAIN], ids=lambda e: e.id
)
def test_uncertain_answers_say_they_are_uncertain(entry) -> None:
    assert any(word in entry.answer.lower() for word in UNCERTAINTY)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_entry_is_found_by_its_own_questions(
    entry, shipped_knowledge: KnowledgeBase
) -> None:
    for question in entry.questions:
        answer = shipped_knowledge.ask(question, TODAY)
        assert answer.best is not None, question
        assert answer.best.id == entry.id, f"{question!r} found {answer.best.id}"


def test_a_bad_file_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: Not Valid\n  topic: x\n", encoding="utf-8")

    with pytest.raises(KnowledgeError, match="bad.yaml: entry 'Not Valid': missing"):
        load_entries([bad])


def test_a_repeated_id_is_refused(tmp_path: Path) -> None:
    text = Path(national_files()[0]).read_text(encoding="utf-8")
    copy = tmp_path / "copy.yaml"
    copy.write_text(text, encoding="utf-8")

    with pytest.raises(KnowledgeError, match="is already used in"):
        load_entries([national_files()[0], copy])


def test_the_readme_example_of_a_local_entry_works(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("**Your council's own procedures.**")[1].split("```yaml\n")[1]
    local = tmp_path / "ours.yaml"
    local.write_text(example.split("```")[0], encoding="utf-8")

    knowledge = KnowledgeBase.load(tmp_path)
    answer = knowledge.ask("how often do I visit a child on a CP plan", TODAY)

    assert answer.best is not None
    assert answer.best.local is True
    assert [e.id for e in knowledge.entries].count("cp-plan-visit-frequency") == 1


def test_a_second_timescale_must_say_which_words_pick_it(tmp_path: Path) -> None:
    entry = """
- id: two-clocks
  topic: T
  title: Two clocks
  questions: [one, two, three]
  answer: First within 5 working days, final within 20.
  confidence: C
  source: {document: D}
  framework: F
  reviewed: 2026-11-25
  timescale:
    - {amount: 5, unit: working_days, from: the letter}
    - {amount: 20, unit: working_days, from: the letter%s}
"""
    good = tmp_path / "good.yaml"
    good.write_text(entry % ", when: [final]", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(entry % "", encoding="utf-8")

    [loaded] = load_entries([good])
    assert [t.amount for t in loaded.timescales] == [5, 20]
    assert loaded.timescale_for("when is the final one") == loaded.timescales[1]
    assert loaded.timescale_for("when is it due") == loaded.timescales[0]
    with pytest.raises(KnowledgeError, match="needs `when`"):
        load_entries([bad])


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("little one is 3, last review", 3),
        ("a 14 year old in care", 14),
        ("3yo placed with carers", 3),
        ("three-year-old", 3),
        ("under 5s", 4),
        ("aged 16", 16),
        ("over 5", 5),
        ("icpc is 15 working days", None),
        ("icpc is 8/12", None),
        ("the review is 20 days away", None),
    ],
)
def test_a_childs_age_is_read_from_the_question(text: str, age: int | None) -> None:
    assert stated_age(text) == age


def test_timescales_can_depend_on_the_childs_age(tmp_path: Path) -> None:
    entry = """
- id: by-age
  topic: T
  title: By age
  questions: [one, two, three]
  answer: Every 6 months under 5, then yearly.
  confidence: C
  source: {document: D}
  framework: F
  reviewed: 2026-11-25
  timescale:
    - {amount: 6, unit: months, from: last one, ages: %s}
    - {amount: 12, unit: months, from: last one, ages: [5, 25]}
"""
    good = tmp_path / "good.yaml"
    good.write_text(entry % "[0, 4]", encoding="utf-8")
    [loaded] = load_entries([good])
    assert loaded.timescale_for("she is 3") == loaded.timescales[0]
    assert loaded.timescale_for("a 9 year old") == loaded.timescales[1]
    assert loaded.timescale_for("when is the next one") is None
    for bad_ages in ("[4, 0]", "[3]", "[0, 4.5]", "five"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(entry % bad_ages, encoding="utf-8")
        with pytest.raises(KnowledgeError, match="ages"):
            load_entries([bad])


ALSO_ASKED = """
- id: evidence-store
  topic: Readiness
  title: Where the inspection evidence is kept
  questions: [where is the inspection evidence store, evidence library location]
  also_asked: [the shared folder with all our stuff for when the inspectors arrive]
  answer: The evidence store is the shared folder the coordinators keep for inspectors.
  confidence: C
  source: {document: Our council's readiness guide}
  framework: Local procedures 2026
  reviewed: 2026-11-20
- id: sif-team-size
  topic: History
  title: How many inspectors came for a SIF inspection
  questions: [how many inspectors on a SIF inspection, SIF inspection team size]
  answer: Reports conflict; this is uncertain.
  confidence: U
  source: {document: "Norfolk County Council briefing, 2015"}
  framework: SIF 2013-2017
  reviewed: 2026-11-25
"""


def test_other_ways_of_asking_find_the_entry_without_making_it_sure(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(ALSO_ASKED, encoding="utf-8")
    entries = load_entries([path], local=True)
    knowledge = KnowledgeBase(entries, load_vocabulary())

    put_their_way = knowledge.ask("shared folder of stuff for the inspectors", TODAY)
    without = KnowledgeBase([replace(e, also_asked=()) for e in entries], load_vocabulary()).ask(
        "shared folder of stuff for the inspectors", TODAY
    )

    assert entries[0].also_asked == (
        "the shared folder with all our stuff for when the inspectors arrive",
    )
    assert put_their_way.best is not None
    assert put_their_way.best.id == "evidence-store"
    assert without.best is not None
    assert without.best.id == "sif-team-size"  # "inspectors" alone
    # None of its phrasings was asked, so it is offered, not given as certain.
    assert put_their_way.sure is False


def test_other_ways_of_asking_must_be_texts(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(
        ALSO_ASKED.replace("also_asked: [the shared", "also_asked: [[the shared").replace(
            "arrive]", "arrive]]"
        ),
        encoding="utf-8",
    )

    with pytest.raises(KnowledgeError, match="also_asked must be a list of non-empty texts"):
        load_entries([path], local=True)


def test_a_source_with_an_unquoted_comma_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    # YAML reads {document: Briefing, 2015} as a second field named 2015, not one text.
    path = tmp_path / "ours.yaml"
    path.write_text(
        ALSO_ASKED.replace('"Norfolk County Council briefing, 2015"', "Briefing, 2015"),
        encoding="utf-8",
    )

    with pytest.raises(KnowledgeError, match="source has unknown field"):
        load_entries([path], local=True)
