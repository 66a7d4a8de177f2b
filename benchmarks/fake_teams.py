"""A fake Teams connector in its own process: 50 requests a second, injected 429s and 5xx.

Usage: python -m benchmarks.fake_teams --port P [--rate 50] [--throttle 0.05] [--errors 0.02]
GET /stats answers what it has seen: accepted sends, distinct conversations, duplicates,
429s (over the rate, and injected), injected 5xx, and when the last new conversation got
its first message (time.time()).
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections import Counter

from aiohttp import web

TENANT = "00000000-0000-0000-0000-0000000000aa"


class FakeTeams:
    """Accepts sends under the rate; answers 429 with Retry-After beyond it, and some
    429s and 5xx at random besides, as a busy tenant does."""

    def __init__(self, rate: int, throttle: float, errors: float, seed: int) -> None:
        self._rate = rate
        self._throttle = throttle
        self._errors = errors
        self._random = random.Random(seed)
        self._window: list[float] = []
        self.deliveries: Counter[str] = Counter()
        self.stats = {
            "accepted": 0,
            "over_rate": 0,
            "injected_429": 0,
            "injected_5xx": 0,
            # The most requests seen in any one second: what the tenant limit is about.
            "peak_per_second": 0,
        }
        self.first_at: float | None = None
        self.last_new_at: float | None = None

    async def send(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        self._window = [t for t in self._window if now - t < 1.0]
        # Every request counts against the tenant's limit, refused ones too.
        self._window.append(now)
        self.stats["peak_per_second"] = max(self.stats["peak_per_second"], len(self._window))
        if len(self._window) > self._rate:
            self.stats["over_rate"] += 1
            return _error(429, {"Retry-After": "1"})
        draw = self._random.random()
        if draw < self._throttle:
            self.stats["injected_429"] += 1
            return _error(429, {"Retry-After": "2"})
        if draw < self._throttle + self._errors:
            self.stats["injected_5xx"] += 1
            return _error(self._random.choice([500, 502, 503]), {})
        await request.read()
        conversation = request.match_info["cid"]
        self.stats["accepted"] += 1
        if conversation not in self.deliveries and is_recipient(conversation):
            self.last_new_at = time.time()
            self.first_at = self.first_at or self.last_new_at
        self.deliveries[conversation] += 1
        # Teams numbers personal-chat messages in epoch milliseconds.
        return web.json_response({"id": str(int(time.time() * 1000))})

    async def member(self, request: web.Request) -> web.Response:
        """A member of the home tenant whose id is "29:" and their email (chat benchmark)."""
        member_id = request.match_info["mid"]
        email = member_id.removeprefix("29:")
        return web.json_response(
            {
                "id": member_id,
                "name": email.split("@")[0],
                "aadObjectId": object_id(email),
                "email": email,
                "userPrincipalName": email,
                "tenantId": TENANT,
                "userRole": "user",
            }
        )

    async def update(self, request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"id": request.match_info["aid"]})

    async def report(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                **self.stats,
                "recipients": sum(1 for c in self.deliveries if is_recipient(c)),
                "duplicates": sum(n - 1 for c, n in self.deliveries.items() if is_recipient(c)),
                "first_at": self.first_at,
                "last_new_at": self.last_new_at,
            }
        )


def is_recipient(conversation: str) -> bool:
    """Everyone's chat but the coordinator's (whose status card and replies are not alerts):
    those the roster gave a chat ("a:r...") and those installed through Graph ("19:...")."""
    return conversation != "a:coordinator"


def object_id(email: str) -> str:
    """The Entra ID object id the fake gives an address (stable across runs)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{email}"))


def _error(status: int, headers: dict[str, str]) -> web.Response:
    return web.json_response({"error": {"code": "Injected"}}, status=status, headers=headers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--throttle", type=float, default=0.05, help="share answered 429")
    parser.add_argument("--errors", type=float, default=0.02, help="share answered 5xx")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    teams = FakeTeams(arguments.rate, arguments.throttle, arguments.errors, arguments.seed)
    app = web.Application()
    app.router.add_post("/v3/conversations/{cid}/activities", teams.send)
    app.router.add_post("/v3/conversations/{cid}/activities/{aid}", teams.send)
    app.router.add_put("/v3/conversations/{cid}/activities/{aid}", teams.update)
    app.router.add_get("/v3/conversations/{cid}/members/{mid}", teams.member)
    app.router.add_get("/stats", teams.report)
    web.run_app(app, host="127.0.0.1", port=arguments.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
