"""This module contains KnowledgeBase: national and local entries, searchable, answering."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from knowledge.dates import Deadline, deadline, find_date
from knowledge.entries import KnowledgeEntry, KnowledgeError, load_entries, national_files
from knowledge.index import SearchIndex
from knowledge.text import Vocabulary
from knowledge.working_days import WorkingDays

logger = logging.getLogger(__name__)

# How far the question and the best entry must agree for the entry to be given as the
# answer: the share of the question found in the entry plus the share of the entry's closest
# phrasing found in the question, and a floor for each. Calibrated on the evaluation set in
# tests/knowledge_eval: every out-of-scope question there stays below (the highest reaches
# 0.94), while nine in ten in-scope questions are answered.
MIN_AGREEMENT = 1.0
MIN_EACH = 0.4
# Words the knowledge never uses still count against coverage, at this share of an average
# word's weight: a question mostly about something else is not answered.
UNKNOWN_WORD_WEIGHT = 1.0
SUGGESTIONS = 3
# How many candidates each index offers before they are combined.
PHRASING_CANDIDATES = 30
# The whole entry's score counts for this much beside its best phrasing's.
ENTRY_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Match:
    """An entry and how well it matched."""

    entry: KnowledgeEntry
    score: float


@dataclass(frozen=True, slots=True)
class Ranked:
    """An entry's combined score and its phrasing closest to the question."""

    entry: int
    score: float
    phrasing: int


@dataclass(frozen=True, slots=True)
class Answer:
    """What the knowledge base makes of a question.

    `sure` is False when the best match is too weak to give as the answer; the matches are
    then offered as the nearest topics.
    """

    question: str
    matches: tuple[Match, ...]
    sure: bool
    deadline: Deadline | None = None

    @property
    def best(self) -> KnowledgeEntry | None:
        return self.matches[0].entry if self.matches else None


class KnowledgeBase:
    """Every entry in force (local ones replacing the national ones they cover), indexed."""

    def __init__(
        self,
        entries: list[KnowledgeEntry],
        vocabulary: Vocabulary,
        working_days: WorkingDays | None = None,
    ) -> None:
        replaced = {r for e in entries if e.local for r in (e.id, *e.replaces)}
        self.entries = [e for e in entries if e.local or e.id not in replaced]
        self._by_id = {e.id: e for e in self.entries}
        self._vocabulary = vocabulary
        self._working_days = working_days or WorkingDays()
        self._documents = [self._document(e) for e in self.entries]
        self._index = SearchIndex(self._documents)
        # Each phrasing on its own too: a question close to one phrasing is a strong signal
        # that a long entry's many other words would otherwise drown.
        self._phrasing_owner: list[int] = []
        self._first_phrasing: list[int] = []
        self._phrasing_terms: list[list[str]] = []
        for number, entry in enumerate(self.entries):
            self._first_phrasing.append(len(self._phrasing_terms))
            for text in (entry.title, *entry.questions):
                self._phrasing_terms.append(vocabulary.terms(text))
                self._phrasing_owner.append(number)
        # Typos are corrected once, against the entry index, before either index is searched.
        self._phrasings = SearchIndex(self._phrasing_terms, correct_typos=False)

    @classmethod
    def load(cls, local_folder: Path | None = None) -> KnowledgeBase:
        """The shipped knowledge plus a council's own entries from `local_folder`.

        Raises:
            KnowledgeError: a file is invalid, or the local folder does not exist.
        """
        entries = load_entries(national_files())
        if local_folder is not None:
            if not local_folder.is_dir():
                raise KnowledgeError(f"local knowledge folder {local_folder} does not exist")
            local_files = sorted(local_folder.glob("*.yaml"))
            entries += load_entries(local_files, local=True)
            logger.info("Loaded %d local knowledge file(s)", len(local_files))
        return cls(entries, load_vocabulary())

    def entry(self, entry_id: str) -> KnowledgeEntry | None:
        """One entry by id, if it is in force."""
        return self._by_id.get(entry_id)

    def ask(self, question: str, today: date) -> Answer:
        """The best entries for `question`, whether the best one is a confident answer, and
        a worked-out deadline when the question gives a date and the entry a timescale."""
        terms = [self._index.correct(t) for t in self._vocabulary.terms(question)]
        ranked = self._rank(terms)
        matches = tuple(Match(self.entries[r.entry], r.score) for r in ranked[:SUGGESTIONS])
        if not matches:
            return Answer(question, (), sure=False)
        best = ranked[0]
        # Sure only when the question and the entry largely agree in both directions: most
        # of the question is about this entry, and most of its closest phrasing was asked.
        asked = self._coverage(terms, set(self._documents[best.entry]))
        phrased = self._coverage(self._phrasing_terms[best.phrasing], set(terms))
        sure = asked + phrased >= MIN_AGREEMENT and min(asked, phrased) >= MIN_EACH
        found_deadline = None
        entry = matches[0].entry
        if sure and entry.timescale is not None:
            start = find_date(question, today)
            if start is not None:
                found_deadline = deadline(start, entry.timescale, self._working_days)
        return Answer(question, matches, sure=sure, deadline=found_deadline)

    def _coverage(self, terms: list[str], found: set[str]) -> float:
        """The share of `terms`' weight that is in `found`; unindexed words weigh average."""
        unknown = UNKNOWN_WORD_WEIGHT * self._index.average_idf
        weights = {t: self._index.idf(t) or unknown for t in terms}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in found) / total if total else 0.0

    def _rank(self, terms: list[str]) -> list[Ranked]:
        """Entries by the best of their phrasings, plus a share of the whole entry's score."""
        best_phrasing: dict[int, tuple[float, int]] = {}
        for hit in self._phrasings.search(terms, limit=PHRASING_CANDIDATES):
            owner = self._phrasing_owner[hit.document]
            if owner not in best_phrasing:  # hits come best first
                best_phrasing[owner] = (hit.score, hit.document)
        scores = {owner: score for owner, (score, _) in best_phrasing.items()}
        for hit in self._index.search(terms, limit=PHRASING_CANDIDATES):
            scores[hit.document] = scores.get(hit.document, 0.0) + ENTRY_WEIGHT * hit.score
        ranked = [
            Ranked(entry, score, best_phrasing.get(entry, (0.0, self._first_phrasing[entry]))[1])
            for entry, score in scores.items()
        ]
        return sorted(ranked, key=lambda r: (-r.score, r.entry))

    def _document(self, entry: KnowledgeEntry) -> list[str]:
        # Titles and keywords say what an entry is about, so they count twice.
        terms = self._vocabulary.terms
        document = terms(entry.title) * 2 + terms(" ".join(entry.keywords)) * 2
        for question in entry.questions:
            document += terms(question)
        return document + terms(entry.answer)


def load_vocabulary() -> Vocabulary:
    """The shipped synonym and acronym groups."""
    text = (resources.files("knowledge") / "synonyms.yaml").read_text(encoding="utf-8")
    groups = yaml.safe_load(text)
    if not isinstance(groups, dict):
        raise KnowledgeError("synonyms.yaml must map each term to a list of phrases")
    return Vocabulary({str(k): [str(p) for p in v] for k, v in groups.items()})
