"""A person's view of the Agents Playground's own web page, driven in headless Chromium.

The playground renders each bot message in a Fluent "OutputCard" and each Adaptive Card in
it with the Adaptive Cards JavaScript renderer (`.ac-preview-panel > .ac-adaptiveCard`; a
ShowCard's card is a nested `.ac-adaptiveCard`). The composer is a Lexical editor. Cards
only ever get appended to the chat, and an Action.Execute answer replaces its card's
content where it is, so a card's position among the chat's cards is a stable handle.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Locator, Page, Route
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

CARD_SELECTOR = ".ac-preview-panel > .ac-adaptiveCard"
SHOW_CARD_SELECTOR = ".ac-adaptiveCard"
COMPOSER_SELECTOR = '[data-lexical-editor="true"][role="textbox"]'
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

_FIND_CARD = """([selector, since, needle]) => {
  const cards = document.querySelectorAll(selector);
  for (let i = since; i < cards.length; i++) {
    if (cards[i].innerText.includes(needle)) return {index: i};
  }
  return null;
}"""


async def keep_to_loopback(context: BrowserContext) -> None:
    """Refuses every request that would leave this machine (the page asks a CDN for fonts)."""

    async def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK_HOSTS:
            await route.continue_()
        else:
            await route.abort("blockedbyclient")

    await context.route("**/*", route)


def one_line(text: str, limit: int = 400) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


class ChatPage:
    """One person's personal chat with the bot in the playground page."""

    def __init__(self, page: Page, who: str, artifacts: Path) -> None:
        self.page = page
        self.who = who
        self.artifacts = artifacts

    @property
    def cards(self) -> Locator:
        return self.page.locator(CARD_SELECTOR)

    async def open(self, base_url: str) -> None:
        """Opens the page; the playground then installs the app in the personal chat."""
        await self.page.goto(base_url)
        await self.page.locator(COMPOSER_SELECTOR).wait_for(timeout=30_000)

    async def card_count(self) -> int:
        return await self.cards.count()

    async def type_message(self, text: str) -> int:
        """Types `text` in the composer and presses Enter; returns the number of cards before,
        for `card(since=...)`."""
        since = await self.card_count()
        composer = self.page.locator(COMPOSER_SELECTOR)
        await composer.click()
        await composer.press_sequentially(text)
        await composer.press("Enter")
        return since

    async def card(
        self, needle: str, *, what: str, since: int = 0, within: float = 15.0
    ) -> Locator:
        """The first card from position `since` on that shows `needle`, waiting up to
        `within` seconds for it."""
        return (await self.find_card(needle, what=what, since=since, within=within))[1]

    async def find_card(
        self, needle: str, *, what: str, since: int = 0, within: float = 15.0
    ) -> tuple[int, Locator]:
        """The position and the card, as `card` finds it."""
        try:
            found = await self.page.wait_for_function(
                _FIND_CARD,
                arg=[CARD_SELECTOR, since, needle],
                timeout=within * 1000,
                polling=100,
            )
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"{what}: no card showing {needle!r} appeared in {self.who}'s chat within"
                f" {within:g} s.\n{await self.describe()}"
            ) from None
        index = int((await found.json_value())["index"])
        return index, self.cards.nth(index)

    async def button(
        self, card: Locator, title: str | re.Pattern[str], *, what: str, within: float = 5.0
    ) -> Locator:
        """The card's first visible button named `title` (or whose name matches it)."""
        buttons = card.get_by_role("button", name=title, exact=isinstance(title, str))
        deadline = time.monotonic() + within
        while await buttons.count() == 0:
            if time.monotonic() >= deadline:
                titles = [one_line(t) for t in await card.get_by_role("button").all_inner_texts()]
                wanted = title if isinstance(title, str) else title.pattern
                raise AssertionError(
                    f"{what}: the card has no {wanted!r} button; its buttons are {titles}.\n"
                    f"The card shows: {one_line(await card.inner_text())}"
                )
            await asyncio.sleep(0.1)
        return buttons.first

    async def press(self, card: Locator, title: str | re.Pattern[str], *, what: str) -> None:
        """Clicks the card's button named `title`."""
        await (await self.button(card, title, what=what)).click()

    @staticmethod
    def show_card(card: Locator) -> Locator:
        """The card a ShowCard button opened inside `card`."""
        return card.locator(SHOW_CARD_SELECTOR).last

    async def wait_for_text(
        self, card: Locator, expected: str | re.Pattern[str], *, what: str, within: float = 15.0
    ) -> str:
        """Waits until the card's text contains `expected` (a string, or a pattern to search);
        returns that text."""
        deadline = time.monotonic() + within
        while True:
            shown = await card.inner_text()
            found = (
                expected.search(shown) if isinstance(expected, re.Pattern) else expected in shown
            )
            if found:
                return shown
            if time.monotonic() >= deadline:
                wanted = expected.pattern if isinstance(expected, re.Pattern) else expected
                raise AssertionError(
                    f"{what}: the card did not show {wanted!r} within {within:g} s.\n"
                    f"The card shows: {one_line(shown, 1500)}"
                )
            await asyncio.sleep(0.2)

    async def screenshot(self, name: str) -> Path:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{name}.png"
        await self.page.screenshot(path=path)
        return path

    async def describe(self, last: int = 4) -> str:
        """The chat's last few cards, one line each, for assertion messages."""
        texts = await self.cards.all_inner_texts()
        if not texts:
            return f"{self.who}'s chat shows no card."
        first = max(0, len(texts) - last)
        lines = [f"{self.who}'s chat shows {len(texts)} cards; the last:"]
        lines += [f"  [{i}] {one_line(texts[i])}" for i in range(first, len(texts))]
        return "\n".join(lines)
