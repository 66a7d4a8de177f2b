"""The import progress bar: drawn on a terminal, silent otherwise."""

from __future__ import annotations

import io

from bot.progress import TerminalProgress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_one_line_and_ends_it_when_done() -> None:
    terminal = FakeTerminal()
    progress = TerminalProgress(terminal, "Importing staff.csv")

    progress(500, 1000)
    progress(1000, 1000)

    assert terminal.getvalue() == (
        "\rImporting staff.csv [###############...............] 500/1,000 rows"
        "\rImporting staff.csv [##############################] 1,000/1,000 rows\n"
    )


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()

    TerminalProgress(stream, "Importing")(10, 10)

    assert stream.getvalue() == ""
