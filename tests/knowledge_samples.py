"""Small knowledge files for tests that must not depend on the shipped entries' wording."""

from __future__ import annotations

from pathlib import Path

from knowledge.entries import load_entries
from knowledge.library import KnowledgeBase, load_vocabulary

NATIONAL = """
- id: icpc-timescale
  topic: Statutory timescales
  title: Initial child protection conference (ICPC) timing
  questions:
    - when must the initial child protection conference be held
    - ICPC timescale
    - how many working days from strategy discussion to ICPC
  answer: Procedures say the ICPC is held within 15 working days of the strategy discussion.
  confidence: S
  source:
    document: Sussex Child Protection procedures
    section: "4.1"
    url: https://example.org/icpc
  framework: Working Together to Safeguard Children 2023
  reviewed: 2026-11-25
  local_procedures_may_differ: true
  timescale: {amount: 15, unit: working_days, from: strategy discussion}
- id: cla-review-timescale
  topic: Statutory timescales
  title: Reviews for looked-after children
  questions:
    - when is the first LAC review due
    - looked after review timescale
    - how often are children in care reviewed
  answer: The first review is within 20 working days of becoming looked after.
  confidence: C
  source:
    document: SI 2010/959
    section: reg 33
    url: https://example.org/reg33
  framework: Care Planning Regulations 2010
  reviewed: 2026-11-25
- id: sif-team-size
  topic: History
  title: How many inspectors came for a SIF inspection
  questions:
    - how many inspectors on a SIF inspection
    - SIF inspection team size
    - size of the single inspection framework team
  answer: Reports conflict; this is uncertain. Check the handbook.
  confidence: U
  source:
    document: Norfolk County Council briefing, 2015
  framework: SIF 2013-2017
  reviewed: 2026-11-25
"""

LOCAL = """
- id: icpc-timescale
  topic: Local procedures
  title: ICPC timing in our council
  questions:
    - when must the initial child protection conference be held
    - ICPC timescale
    - ICPC deadline here
  answer: In our council the ICPC is held within 10 working days of the strategy discussion.
  confidence: C
  source:
    document: Our council's child protection procedures
    section: "3.2"
  framework: Local procedures 2026
  reviewed: 2026-11-20
  timescale: {amount: 10, unit: working_days, from: strategy discussion}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sample_knowledge(folder: Path, *, with_local: bool = False) -> KnowledgeBase:
    entries = load_entries([write(folder / "national", "sample.yaml", NATIONAL)])
    if with_local:
        entries += load_entries([write(folder / "local", "ours.yaml", LOCAL)], local=True)
    return KnowledgeBase(entries, load_vocabulary())
