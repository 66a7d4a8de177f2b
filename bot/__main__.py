"""Lets `python -m bot` run the `inspection-ready` command line."""

from __future__ import annotations

from bot.cli import main

raise SystemExit(main())
