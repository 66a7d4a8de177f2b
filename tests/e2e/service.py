"""Runs the real service (`python -m bot serve`) in a subprocess for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Self

import aiohttp

from tests.e2e.playground import REPO_ROOT, free_port


class ServiceProcess:
    """The service with its own SQLite database, demo data loaded, on a free port."""

    def __init__(
        self, directory: Path, *, demo: bool = True, env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self._demo = demo
        self.database_path = directory / "e2e.db"
        self.log_path = directory / "service.log"
        self._env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.database_path}",
            "MicrosoftAppId": "",
            "MicrosoftAppPassword": "",
            "INSPECTION_READY_DEV_NO_AUTH": "1",
            **(env or {}),
        }
        self._process: asyncio.subprocess.Process | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def start(self) -> None:
        """Loads the demo (unless told not to), starts serving and waits until ready."""
        with self.log_path.open("ab") as log:
            if self._demo:
                demo = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "demo",
                    cwd=REPO_ROOT,
                    env=self._env,
                    stdout=log,
                    stderr=log,
                )
                if await demo.wait() != 0:
                    raise RuntimeError(f"loading the demo failed:\n{self.log()}")
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                cwd=REPO_ROOT,
                env=self._env,
                stdout=log,
                stderr=log,
            )
        async with aiohttp.ClientSession() as session:
            for _ in range(150):
                if self._process.returncode is not None:
                    raise RuntimeError(f"the service exited early:\n{self.log()}")
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/readyz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"the service did not become ready:\n{self.log()}")

    async def kill(self) -> None:
        """Kills the process outright (SIGKILL), as a crash or an OOM kill would."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    async def stop(self) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        self._process.terminate()
        try:
            await asyncio.wait_for(self._process.wait(), 15)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
