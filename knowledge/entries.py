"""This module contains KnowledgeEntry and the loader that validates the knowledge files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from knowledge.ages import stated_age

# libyaml's loader when PyYAML was built with it: several times faster at start-up.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ENTRY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ANSWER_WORDS = 130
MAX_TITLE_LENGTH = 70
# "mondays" counts Mondays after the start: 1 is the following Monday, when inspectors
# arrive after the call to the DCS.
TIMESCALE_UNITS = ("working_days", "days", "weeks", "months", "mondays")
FIELDS = {
    "cycle",
    "id",
    "topic",
    "title",
    "questions",
    "also_asked",
    "keywords",
    "answer",
    "confidence",
    "source",
    "framework",
    "reviewed",
    "local_procedures_may_differ",
    "timescale",
    "replaces",
}
REQUIRED = {
    "id",
    "topic",
    "title",
    "questions",
    "answer",
    "confidence",
    "source",
    "framework",
    "reviewed",
}


class KnowledgeError(ValueError):
    """A knowledge file breaks the schema; the message names the file and the entry."""


class Confidence(StrEnum):
    """How sure the fact brief is: confirmed, secondary source only, or uncertain."""

    CONFIRMED = "C"
    SECONDARY = "S"
    UNCERTAIN = "U"


@dataclass(frozen=True, slots=True)
class Source:
    """Where an answer comes from."""

    document: str
    url: str | None = None
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Timescale:
    """A deadline an entry states, so a question with a date can be answered with one."""

    amount: int
    unit: str
    start: str
    # Words that pick this timescale when an entry has several ("second", "final").
    when: tuple[str, ...] = ()
    # The children's ages (youngest, oldest) it is for, where it depends on age; it is then
    # used only when the question gives an age in the range (or says one of `when`).
    ages: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Cycle:
    """How often something an entry describes comes round, and how far either side of the
    anniversary it may fall: "every 3 years, within 6 months either side"."""

    years: int
    either_side_months: int
    # What the cycle counts from ("last inspection").
    start: str


@dataclass(frozen=True, slots=True)
class KnowledgeEntry:
    """One reviewed answer to a family of questions."""

    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str
    confidence: Confidence
    source: Source
    framework: str
    reviewed: date
    local_procedures_may_differ: bool = False
    timescale: Timescale | None = None
    replaces: tuple[str, ...] = ()
    local: bool = False
    # Every timescale the entry states, the default (`timescale`) first.
    timescales: tuple[Timescale, ...] = ()
    # More ways people put the question, in their own words: they add to the words the
    # entry is found by, but no answer is sure on its closeness to one of them alone.
    also_asked: tuple[str, ...] = ()
    # When it comes round again, for "our last one was March 2024: when is the next due?".
    cycle: Cycle | None = None

    def timescale_for(self, question: str) -> Timescale | None:
        """The timescale `question` asks about: the one whose words it uses, or whose ages
        include the child's, else the first; none when they all depend on an age not given."""
        lowered = question.lower()
        age = stated_age(question)
        for timescale in self.timescales:
            if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in timescale.when):
                return timescale
            if timescale.ages and age is not None:
                youngest, oldest = timescale.ages
                if youngest <= age <= oldest:
                    return timescale
        if self.timescale is not None and self.timescale.ages is not None:
            return None  # a deadline for the wrong age is worse than none
        return self.timescale


def national_files() -> list[Path]:
    """The knowledge files shipped with the service, in a stable order."""
    folder = Path(str(resources.files("knowledge") / "entries"))
    return sorted(folder.glob("*.yaml"))


def load_entries(paths: list[Path], *, local: bool = False) -> list[KnowledgeEntry]:
    """Reads and validates every entry in `paths`.

    Raises:
        KnowledgeError: for the first file that breaks the schema or repeats an id.
    """
    entries: list[KnowledgeEntry] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        except (OSError, yaml.YAMLError) as exc:
            raise KnowledgeError(f"{path.name}: cannot be read as YAML: {exc}") from exc
        if not isinstance(data, list):
            raise KnowledgeError(f"{path.name}: must be a YAML list of entries")
        for raw in data:
            entry = parse_entry(raw, path.name, local=local)
            if entry.id in seen:
                raise KnowledgeError(
                    f"{path.name}: id {entry.id!r} is already used in {seen[entry.id].name}"
                )
            seen[entry.id] = path
            entries.append(entry)
    return entries


def parse_entry(raw: Any, file_name: str, *, local: bool = False) -> KnowledgeEntry:
    """One entry, checked field by field."""
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{file_name}: every entry must be a mapping")
    name = f"{file_name}: entry {raw.get('id', '?')!r}"
    missing = REQUIRED - raw.keys()
    unknown = raw.keys() - FIELDS
    if missing:
        raise KnowledgeError(f"{name}: missing {', '.join(sorted(missing))}")
    if unknown:
        raise KnowledgeError(f"{name}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    entry_id = _text(raw, "id", name)
    if not ENTRY_ID.match(entry_id):
        raise KnowledgeError(f"{name}: id must be lower-case words joined by hyphens")
    title = _text(raw, "title", name)
    if len(title) > MAX_TITLE_LENGTH:
        raise KnowledgeError(f"{name}: title is longer than {MAX_TITLE_LENGTH} characters")
    answer = " ".join(_text(raw, "answer", name).split())
    if len(answer.split()) > MAX_ANSWER_WORDS:
        raise KnowledgeError(f"{name}: answer is longer than {MAX_ANSWER_WORDS} words")
    questions = _texts(raw, "questions", name)
    # A council's own entry may answer one question as it was asked (one answered in
    # Teams does); the shipped ones are found by several phrasings each.
    least = 1 if local else 3
    if len(questions) < least:
        raise KnowledgeError(
            f"{name}: give at least {least} phrasing{'s' if least > 1 else ''} in questions"
        )
    try:
        confidence = Confidence(str(raw["confidence"]))
    except ValueError:
        raise KnowledgeError(f"{name}: confidence must be C, S or U") from None
    reviewed = raw["reviewed"]
    if not isinstance(reviewed, date):
        raise KnowledgeError(f"{name}: reviewed must be a date (YYYY-MM-DD)")
    local_flag = raw.get("local_procedures_may_differ", False)
    if not isinstance(local_flag, bool):
        raise KnowledgeError(f"{name}: local_procedures_may_differ must be true or false")
    timescales = _timescales(raw.get("timescale"), name)
    return KnowledgeEntry(
        id=entry_id,
        topic=_text(raw, "topic", name),
        title=title,
        questions=tuple(questions),
        also_asked=tuple(_texts(raw, "also_asked", name, required=False)),
        keywords=tuple(_texts(raw, "keywords", name, required=False)),
        answer=answer,
        confidence=confidence,
        source=_source(raw["source"], name),
        framework=_text(raw, "framework", name),
        reviewed=reviewed,
        local_procedures_may_differ=local_flag,
        timescale=timescales[0] if timescales else None,
        timescales=timescales,
        replaces=tuple(_texts(raw, "replaces", name, required=False)),
        local=local,
        cycle=_cycle(raw.get("cycle"), name),
    )


def _text(raw: dict[str, Any], field: str, name: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{name}: {field} must be non-empty text")
    return value.strip()


def _texts(raw: dict[str, Any], field: str, name: str, *, required: bool = True) -> list[str]:
    value = raw.get(field, [] if not required else None)
    # YAML reads a bare 2016 as a number; in a list of search terms it is just text.
    if isinstance(value, list):
        value = [str(v) if isinstance(v, int | float) else v for v in value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{name}: {field} must be a list of non-empty texts")
    return [v.strip() for v in value]


def _source(raw: Any, name: str) -> Source:
    if not isinstance(raw, dict) or not isinstance(raw.get("document"), str):
        raise KnowledgeError(f"{name}: source must have a document (and a url where there is one)")
    url = raw.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        raise KnowledgeError(f"{name}: source url must be an http(s) address")
    unknown = raw.keys() - {"document", "url", "section"}
    if unknown:
        raise KnowledgeError(
            f"{name}: source has unknown field(s) {', '.join(sorted(map(str, unknown)))}"
        )
    section = raw.get("section")
    return Source(
        document=raw["document"].strip(), url=url, section=str(section) if section else None
    )


def _cycle(raw: Any, name: str) -> Cycle | None:
    if raw is None:
        return None
    whole = ("years", "either_side_months")
    if (
        not isinstance(raw, dict)
        or set(raw) != {*whole, "from"}
        or not all(isinstance(raw[f], int) and not isinstance(raw[f], bool) for f in whole)
        or raw["years"] < 1
        or not 0 <= raw["either_side_months"] < 12 * raw["years"]
        or not isinstance(raw["from"], str)
        or not raw["from"].strip()
    ):
        raise KnowledgeError(
            f"{name}: cycle needs years (a whole number, at least 1), either_side_months (a "
            "whole number of months, less than the cycle) and from (the event it counts from)"
        )
    return Cycle(raw["years"], raw["either_side_months"], raw["from"].strip())


def _timescales(raw: Any, name: str) -> tuple[Timescale, ...]:
    """One timescale (a mapping) or several (a list: the first is the default, the others
    each name the words that pick them under `when`, or the ages they are for)."""
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    found = tuple(_timescale(item, name) for item in items)
    if not found or any(not t.when and not t.ages for t in found[1:]):
        raise KnowledgeError(
            f"{name}: every timescale after the first needs `when`, the words that pick it, "
            "or `ages`, the children's ages it is for"
        )
    return found


def _timescale(raw: Any, name: str) -> Timescale:
    when = raw.get("when", []) if isinstance(raw, dict) else None
    ages = raw.get("ages") if isinstance(raw, dict) else None
    if ages is not None and not (
        isinstance(ages, list)
        and len(ages) == 2
        and all(isinstance(a, int) and not isinstance(a, bool) for a in ages)
        and 0 <= ages[0] <= ages[1]
    ):
        raise KnowledgeError(f"{name}: timescale ages must be [youngest, oldest], whole years")
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("amount"), int)
        or raw.get("unit") not in TIMESCALE_UNITS
        or not isinstance(raw.get("from"), str)
        or not isinstance(when, list)
        or not all(isinstance(w, str) and w.strip() for w in when)
        or set(raw) - {"amount", "unit", "from", "when", "ages"}
    ):
        raise KnowledgeError(
            f"{name}: timescale needs amount (whole number), unit "
            f"({', '.join(TIMESCALE_UNITS)}) and from (the event it counts from), and "
            "optionally when (a list of words) and ages ([youngest, oldest])"
        )
    return Timescale(
        amount=raw["amount"],
        unit=raw["unit"],
        start=raw["from"],
        when=tuple(w.strip().lower() for w in when),
        ages=(ages[0], ages[1]) if ages else None,
    )
