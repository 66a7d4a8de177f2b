"""This module contains SearchIndex: BM25 ranking over entries, with typo correction."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

# BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# Words shorter than this are never "corrected": too many short words are one edit apart.
MIN_CORRECTABLE_LENGTH = 5
# Nor longer than this: the candidates grow with the square of a word's length (every
# two-letter deletion), and no word of the framework's is this long, so a typo of one
# cannot be either. A pasted run of letters costs nothing.
MAX_CORRECTABLE_LENGTH = 30


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked document: its position in the index and its score."""

    document: int
    score: float


class SearchIndex:
    """Ranks documents (lists of terms) against a query with BM25.

    Query terms the index has never seen are corrected to the most common indexed term one
    edit away (two for long words), so "asessment" still finds "assessment".
    """

    def __init__(self, documents: Sequence[Sequence[str]], *, correct_typos: bool = True) -> None:
        self._lengths = [len(d) for d in documents]
        self._average_length = (sum(self._lengths) / len(documents)) if documents else 0.0
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for number, document in enumerate(documents):
            for term, count in Counter(document).items():
                self._postings[term].append((number, count))
        total = len(documents)
        self._idf = {
            term: math.log(1 + (total - len(p) + 0.5) / (len(p) + 0.5))
            for term, p in self._postings.items()
        }
        self._deletions: dict[str, list[str]] = defaultdict(list)
        # How many deletion variants queries have generated: the bounded cost of typos.
        self.variants_generated = 0
        for term in self._postings if correct_typos else ():
            if _correctable(term):
                for variant in _deletions(term, _max_edits(term)):
                    self._deletions[variant].append(term)

    @property
    def average_idf(self) -> float:
        """The weight of a typical indexed term."""
        return sum(self._idf.values()) / len(self._idf) if self._idf else 0.0

    def idf(self, term: str) -> float:
        """How rare (so how telling) a term is; 0 for a term never indexed."""
        return self._idf.get(term, 0.0)

    def correct(self, term: str) -> str:
        """The term itself if indexed, else the likeliest indexed term it is a typo of."""
        if term in self._postings or not _correctable(term):
            return term
        candidates: set[str] = set()
        variants = _deletions(term, _max_edits(term))
        self.variants_generated += len(variants)
        for variant in variants:
            candidates.update(self._deletions.get(variant, ()))
        close = [c for c in candidates if _distance(term, c) <= _max_edits(term)]
        if not close:
            return term
        return max(close, key=lambda c: (len(self._postings[c]), c))

    def search(self, terms: Sequence[str], limit: int = 3) -> list[Hit]:
        """The best `limit` documents for the query terms, best first."""
        scores: dict[int, float] = defaultdict(float)
        for term in set(terms):
            idf = self._idf.get(term)
            if idf is None:
                continue
            for document, count in self._postings[term]:
                norm = K1 * (1 - B + B * self._lengths[document] / self._average_length)
                scores[document] += idf * count * (K1 + 1) / (count + norm)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [Hit(document, score) for document, score in ranked[:limit]]


def _correctable(term: str) -> bool:
    return MIN_CORRECTABLE_LENGTH <= len(term) <= MAX_CORRECTABLE_LENGTH and not term.isdigit()


def _max_edits(term: str) -> int:
    return 2 if len(term) >= 8 else 1


def _deletions(term: str, edits: int) -> set[str]:
    variants = {term}
    frontier = {term}
    for _ in range(edits):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        variants |= frontier
    return variants


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count as one edit)."""
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[-1]
