"""This module contains TerminalProgress, the progress bar long imports draw on a terminal."""

from __future__ import annotations

from typing import TextIO

BAR_WIDTH = 30


class TerminalProgress:
    """Redraws one line as rows are written; silent when the stream is not a terminal."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self._stream = stream
        self._label = label
        self._enabled = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled or total <= 0:
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self._stream.write(f"\r{self._label} [{bar}] {done:,}/{total:,} rows")
        if done >= total:
            self._stream.write("\n")
        self._stream.flush()
