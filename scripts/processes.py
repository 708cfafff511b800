"""Child processes for the measuring scripts (benchmark.py, drill_reminders.py): free ports, start and stop.

Each child runs in a process group of its own, so that a stop or a kill reaches what it started too (a
Celery worker's pool processes); its output goes to `<name>.<n>.log` in the script's temporary folder.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
FORBIDDEN_REDIS_PORT = 6379  # the machine's own Redis: never touched


def log_to(prefix: str):
    """A `log(text)` that prints "[prefix 12:00:00Z] text" at once."""

    def log(text: str) -> None:
        print(f"[{prefix} {time.strftime('%H:%M:%S', time.gmtime())}Z] {text}", flush=True)

    return log


log = log_to("processes")


def free_port() -> int:
    """A free TCP port on the loopback, never the machine's own Redis port."""
    while True:
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            port = probe.getsockname()[1]
        if port != FORBIDDEN_REDIS_PORT:
            return port


def wait_for_port(port: int, *, timeout: float, proc: subprocess.Popen | None = None, what: str = "") -> None:
    """Wait until something listens on `port`; fails early when `proc` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what or 'a child process'} exited with {proc.returncode} before listening")
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what or 'a server'} did not listen on port {port} within {timeout} s")


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


@dataclass
class Child:
    name: str
    popen: subprocess.Popen
    log: Path
    started: float
    expected_exit: bool = False  # set when this script stops or kills it: an exit then is no failure

    @property
    def pid(self) -> int:
        return self.popen.pid


class Processes:
    """The children of one run; `stop_all` stops every one (group-wide), also after an error."""

    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env = env
        self.logdir = logdir
        self.generation: dict[str, int] = {}  # how many of each name were started (a restarted worker is #2)
        self.all: list[Child] = []

    def spawn(self, name: str, argv: list[str], **env: str) -> Child:
        self.generation[name] = self.generation.get(name, 0) + 1
        path = self.logdir / f"{name}.{self.generation[name]}.log"
        with path.open("wb") as out:
            # The argv is built by the scripts from fixed parts, paths and numbers: no shell, no outside input.
            popen = subprocess.Popen(  # noqa: S603
                argv, cwd=ROOT, env={**self.env, **env}, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        child = Child(name, popen, path, time.monotonic())
        self.all.append(child)
        return child

    def signal_group(self, child: Child, sig: int, *, wait: float) -> bool:
        """Send `sig` to the child's whole process group; True when the group is gone within `wait` s."""
        child.expected_exit = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if child.popen.poll() is not None and not group_members(child.pid):
                return True
            time.sleep(0.05)
        return False

    def stop(self, child: Child, *, timeout: float = 15) -> None:
        """SIGTERM to the main process (a celery worker then stops its pool itself), SIGKILL to what is left."""
        child.expected_exit = True
        if child.popen.poll() is None:
            child.popen.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.popen.wait(timeout=timeout)
        if child.popen.poll() is None or group_members(child.pid):
            self.signal_group(child, signal.SIGKILL, wait=10)
        try:
            child.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log(f"warning: {child.name} (pid {child.pid}) did not exit")

    def stop_all(self) -> None:
        for child in reversed(self.all):
            try:
                self.stop(child)
            except Exception as error:  # noqa: BLE001 - clean-up goes on whatever happens
                log(f"warning: stopping {child.name} (pid {child.pid}): {error}")

    def tail(self, child: Child, lines: int = 20) -> str:
        try:
            return "\n".join(child.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
