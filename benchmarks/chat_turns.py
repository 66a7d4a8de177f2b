"""Chat-turn latency, side by side with a bare echo bot on the same SDK.

Usage: python -m benchmarks.chat_turns [--sdk botbuilder agents] [--conversations 200]
                                       [--messages 10] [--rounds 3]

Starts, as separate processes, a fake Teams connector (benchmarks/fake_teams.py, no rate
limit), the SDK's bare echo bot (benchmarks/echo_bot.py) and the real service
(`python -m bot serve` on the demo organisation, authentication off as on a developer's
machine). Each round then runs, one after the other, the same load against each: the given
number of conversations at once, each sending its messages one after another (a framework
question, or "my actions"), and records every request's round trip (the service answers
once the turn's replies are sent). It prints the p50 and p95 of each run and the service's
p95 as a multiple of the echo bot's, the median over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.fake_teams import TENANT, object_id
from tests.e2e.playground import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "what is the timescale for an initial child protection conference",
    "how long does a child and family assessment take",
    "when is the first looked after child review due",
    "how often are statutory visits to children in care",
    "when does the first core group meet",
)
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Run:
    """One load against one bot: every request's round trip, in seconds."""

    name: str
    latencies: list[float]
    failures: int

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def activity(url: str, conversation: int, email: str, text: str, number: int) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"m-{conversation}-{number}",
        "timestamp": "2026-12-01T09:00:00.000Z",
        "serviceUrl": url,
        "channelId": "msteams",
        "from": {"id": f"29:{email}", "name": email, "aadObjectId": object_id(email)},
        "conversation": {
            "id": f"a:bench-{conversation}",
            "conversationType": "personal",
            "tenantId": TENANT,
        },
        "recipient": {"id": "28:bot", "name": "Inspection Ready"},
        "channelData": {"tenant": {"id": TENANT}},
        "text": text,
        "textFormat": "plain",
    }


async def load(
    endpoint: str,
    teams_url: str,
    people: list[str],
    *,
    conversations: int,
    messages: int,
    text: str | None,
) -> tuple[list[float], int]:
    """`conversations` at once, each sending `messages` in turn; round trips and failures."""
    latencies: list[float] = []
    failures = 0
    connector = aiohttp.TCPConnector(limit=conversations)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:

        async def talk(conversation: int) -> None:
            nonlocal failures
            email = people[conversation % len(people)]
            for number in range(messages):
                said = text or QUESTIONS[(conversation + number) % len(QUESTIONS)]
                body = activity(teams_url, conversation, email, said, number)
                started = time.perf_counter()
                async with http.post(endpoint, json=body) as response:
                    await response.read()
                    if response.status >= 300:
                        failures += 1
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(talk(c) for c in range(conversations)))
    return latencies, failures


async def start(command: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            *command, cwd=REPO_ROOT, env=env, stdout=out, stderr=out
        )


async def wait_for(url: str, method: str = "GET") -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.request(method, url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {STARTUP_SECONDS} s")


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


def demo_people() -> list[str]:
    with (REPO_ROOT / "demo" / "staff.csv").open(encoding="utf-8") as handle:
        return [row["email"] for row in csv.DictReader(handle)]


async def bench_sdk(sdk: str, arguments: argparse.Namespace, folder: Path) -> dict[str, Any]:
    python = sys.executable
    teams_port, echo_port, service_port = free_port(), free_port(), free_port()
    teams_url = f"http://127.0.0.1:{teams_port}/"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / f'{sdk}.db'}",
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
        "INSPECTION_READY_DEV_NO_AUTH": "1",
        "INSPECTION_READY_SDK": sdk,
        "INSPECTION_READY_TURNS_PER_MINUTE": "10000",
        "PORT": str(service_port),
    }
    demo = await asyncio.create_subprocess_exec(
        python, "-m", "bot", "demo", cwd=REPO_ROOT, env=env, stdout=asyncio.subprocess.DEVNULL
    )
    await demo.wait()
    log = folder / f"{sdk}.log"
    processes = [
        await start(
            [
                python,
                "-m",
                "benchmarks.fake_teams",
                "--port",
                str(teams_port),
                "--rate",
                "1000000",
                "--throttle",
                "0",
                "--errors",
                "0",
            ],
            env,
            log,
        ),  # fmt: skip
        await start(
            [python, "-m", "benchmarks.echo_bot", "--sdk", sdk, "--port", str(echo_port)],
            env,
            log,
        ),
        await start([python, "-m", "bot", "serve", "--port", str(service_port)], env, log),
    ]
    people = demo_people()
    echo = f"http://127.0.0.1:{echo_port}/api/messages"
    service = f"http://127.0.0.1:{service_port}/api/messages"
    runs: dict[str, list[Run]] = {"echo": [], "question": [], "my actions": []}
    try:
        try:
            await wait_for(f"{teams_url}stats")
            await wait_for(echo, "POST")
            await wait_for(f"http://127.0.0.1:{service_port}/readyz")
        except RuntimeError:
            sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-3000:])
            raise
        # Warm-up: links every person's account, fills caches, compiles templates.
        for target, text in ((echo, "hello"), (service, None), (service, "my actions")):
            await load(target, teams_url, people, conversations=60, messages=2, text=text)
        for _ in range(arguments.rounds):
            for name, target, text in (
                ("echo", echo, "hello"),
                ("question", service, None),
                ("my actions", service, "my actions"),
            ):
                latencies, failures = await load(
                    target,
                    teams_url,
                    people,
                    conversations=arguments.conversations,
                    messages=arguments.messages,
                    text=text,
                )
                runs[name].append(Run(name, latencies, failures))
    finally:
        for process in processes:
            await stop(process)
    return summarise(sdk, runs)


def summarise(sdk: str, runs: dict[str, list[Run]]) -> dict[str, Any]:
    echo_p95 = [run.percentile(0.95) for run in runs["echo"]]
    result: dict[str, Any] = {"sdk": sdk}
    for name, measured in runs.items():
        p95s = [run.percentile(0.95) for run in measured]
        result[name] = {
            "p50_ms": 1000 * statistics.median(run.percentile(0.5) for run in measured),
            "p95_ms": 1000 * statistics.median(p95s),
            "failures": sum(run.failures for run in measured),
            # Each round's service p95 over the same round's echo p95, then the median.
            "ratio": statistics.median(p / e for p, e in zip(p95s, echo_p95, strict=True)),
        }
    return result


async def main_async(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for sdk in arguments.sdk:
            result = await bench_sdk(sdk, arguments, Path(scratch))
            shape = f"{arguments.conversations} conversations x {arguments.messages} messages"
            print(f"{sdk}: {shape}, {arguments.rounds} rounds")  # noqa: T201
            for name in ("echo", "question", "my actions"):
                figures = result[name]
                print(  # noqa: T201
                    f"  {name:11} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
                    f"  x{figures['ratio']:.2f} of echo p95  failures {figures['failures']}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk", nargs="+", default=["botbuilder", "agents"])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
