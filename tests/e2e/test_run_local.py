"""`make run` (scripts/run-local.sh) in a terminal: one address to open, no request logs on
the screen, and Ctrl+C stops the service and the playground with exit status 0."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import re
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.playground import REPO_ROOT, PlaygroundClient, free_port

pytestmark = pytest.mark.e2e

BANNER_END = "Ctrl+C stops the service and the playground."
ADDRESS = re.compile(r"https?://\S+")
# What the repository's checkout provides the script; everything it writes goes to var/ in
# the copy, so a `make run` of the checkout itself is left alone.
SHARED = (".venv", "node_modules", "package.json", "package-lock.json", "pyproject.toml")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout of the script, the Makefile and the installed packages, in `tmp_path`."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run-local.sh").symlink_to(REPO_ROOT / "scripts" / "run-local.sh")
    (tmp_path / "Makefile").symlink_to(REPO_ROOT / "Makefile")
    for name in SHARED:
        (tmp_path / name).symlink_to(REPO_ROOT / name)
    return tmp_path


def run_env(checkout: Path) -> dict[str, str]:
    """The environment of a newcomer's `make run`, on free ports and a database of its own."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("Microsoft", "INSPECTION_READY_", "PERSON", "PORT"))
    }
    # Unique to this run, and inherited by everything the script starts: how the test finds
    # anything left running.
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{checkout / 'var' / 'demo.db'}"
    env["PORT"] = str(free_port())
    env["PLAYGROUND_PORT"] = str(free_port())
    return env


def processes_of(env: dict[str, str]) -> Iterator[int]:
    """The processes whose environment carries this run's database (Linux's /proc: the
    service runs on Linux, in CI and in its container)."""
    marker = f"DATABASE_URL={env['DATABASE_URL']}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                yield int(entry.name)


def kill_left_over(env: dict[str, str]) -> None:
    for pid in processes_of(env):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


async def no_process_left(env: dict[str, str]) -> list[int]:
    """Waits a little for the last ones to go; those still there."""
    for _ in range(20):
        left = list(processes_of(env))
        if not left:
            return []
        await asyncio.sleep(0.1)
    return left


class Terminal:
    """A command run in a terminal of its own (a pty), as a person runs it."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: exec, or leave at once
            try:
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        os.set_blocking(fd, False)
        self.output = ""
        self.closed = False
        self.status: int | None = None

    def _read(self) -> None:
        while not self.closed:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:  # the other end is closed: everything in it has exited
                data = b""
            if not data:
                self.closed = True
                return
            self.output += data.decode(errors="replace").replace("\r\n", "\n")

    async def wait_for(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.output:
            self._read()
            if self.closed or time.monotonic() > deadline:
                shown = self.output
                raise AssertionError(f"{text!r} did not appear; the terminal shows:\n{shown}")
            await asyncio.sleep(0.1)

    async def settle(self, seconds: float) -> None:
        """Collects output for `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.closed:
            self._read()
            await asyncio.sleep(0.1)

    def press_ctrl_c(self) -> None:
        os.write(self.fd, b"\x03")

    def _reap(self) -> int | None:
        """The exit status, once the command has exited (never blocks)."""
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid:
            self._read()
            self.status = os.waitstatus_to_exitcode(status)
        return self.status

    async def wait(self, seconds: float) -> int:
        deadline = time.monotonic() + seconds
        while True:
            self._read()
            status = self._reap()
            if status is not None:
                return status
            if time.monotonic() > deadline:
                raise AssertionError(f"still running; the terminal shows:\n{self.output}")
            await asyncio.sleep(0.1)

    def close(self) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        os.close(self.fd)


async def playground_answers(address: str) -> str:
    """The current user of the playground at `address` (it fails if that is not one)."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            address.replace("localhost", "127.0.0.1") + "/_internal/v1/testConfig"
        ) as response,
    ):
        assert response.status == 200
        body = await response.json(content_type=None)
    return str(body["config"]["currentUser"]["email"])


def logged_a_message(log: Path) -> bool:
    return log.exists() and "POST /api/messages" in log.read_text(errors="replace")


async def wait_for_access_log(log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not logged_a_message(log):
        if time.monotonic() > deadline:
            raise AssertionError(f"no request logged in {log}")
        await asyncio.sleep(0.2)


async def test_make_run_shows_one_address_keeps_logs_off_screen_and_stops_on_ctrl_c(
    checkout: Path,
) -> None:
    env = run_env(checkout)
    # make as a person types it; -o: the checkout's packages are installed already.
    argv = ["make", "--no-print-directory", "-o", ".venv/.installed"]
    terminal = Terminal([*argv, "-o", "node_modules/.installed", "run"], checkout, env)
    try:
        await terminal.wait_for(BANNER_END, 45)
        banner_end = terminal.output.index(BANNER_END) + len(BANNER_END)

        addresses = ADDRESS.findall(terminal.output)
        assert len(addresses) == 1, terminal.output
        [address] = addresses
        assert re.fullmatch(r"http://localhost:\d+", address)
        assert not address.endswith(f":{env['PORT']}")
        assert await playground_answers(address) == "alexw@example.com"
        assert "You are chatting as Alex Wilber (alexw@example.com)" in terminal.output
        assert "make run PERSON=adelev@example.com" in terminal.output

        async with aiohttp.ClientSession() as session:
            client = PlaygroundClient(address.replace("localhost", "127.0.0.1"), session)
            chat_id = str((await client.config())["config"]["personalChat"]["id"])
            await client.send_text(chat_id, "user-id-0", "help")
        await wait_for_access_log(checkout / "var" / "service.log", 20)
        await terminal.settle(1)
        assert terminal.output[banner_end:].strip() == ""

        terminal.press_ctrl_c()
        assert await terminal.wait(30) == 0
    finally:
        terminal.close()
        left = await no_process_left(env)
        kill_left_over(env)

    after = terminal.output[banner_end:]
    assert after.split() == ["^C", "Stopped."], after
    assert left == []


async def test_without_a_terminal_sigint_to_its_process_group_stops_it(checkout: Path) -> None:
    env = run_env(checkout)
    process = await asyncio.create_subprocess_exec(
        str(checkout / "scripts" / "run-local.sh"),
        cwd=checkout,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    output = b""
    try:
        async with asyncio.timeout(45):
            while BANNER_END.encode() not in output:
                line = await process.stdout.readline()
                assert line, output.decode()
                output += line
        os.killpg(process.pid, signal.SIGINT)
        async with asyncio.timeout(30):
            output += await process.stdout.read()
            assert await process.wait() == 0
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
        left = await no_process_left(env)
        kill_left_over(env)

    text = output.decode()
    assert text.rstrip().endswith(f"{BANNER_END}\n\nStopped."), text
    assert left == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a port number from 1 to 65535, not 'eighty'."),
        ({"PLAYGROUND_PORT": "70000"}, "PLAYGROUND_PORT must be a port number from 1 to 65535"),
        ({"PORT": "4000", "PLAYGROUND_PORT": "4000"}, "PORT and PLAYGROUND_PORT are both 4000"),
        ({"PERSON": "bob@example.com"}, "'bob@example.com' is not a playground user; use one of"),
    ],
)
async def test_a_bad_setting_is_named_before_anything_starts(
    checkout: Path, settings: dict[str, str], message: str
) -> None:
    process = await asyncio.create_subprocess_exec(
        str(checkout / "scripts" / "run-local.sh"),
        env={**run_env(checkout), **settings},
        stdin=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, error = await asyncio.wait_for(process.communicate(), 30)

    assert process.returncode == 2
    assert message in error.decode()
    assert not (checkout / "var" / "demo.db").exists()


async def test_a_port_already_in_use_is_refused(checkout: Path) -> None:
    env = run_env(checkout)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(env["PORT"])))
        taken.listen()
        process = await asyncio.create_subprocess_exec(
            str(checkout / "scripts" / "run-local.sh"),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, error = await asyncio.wait_for(process.communicate(), 30)

    assert process.returncode == 1
    assert f"Something is already listening on port {env['PORT']}" in error.decode()
