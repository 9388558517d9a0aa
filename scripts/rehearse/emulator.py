"""A private MiniStack: loopback only, a free port, its state in a temporary folder.

MiniStack (PyPI `ministack`, MIT) is pinned in requirements-rehearse.txt and installed
into its own venv, .venv-rehearse/ (make rehearse-setup): it pins a botocore of its own,
older than ours, and its local Lambda executor runs the handlers on that interpreter.
The server is stopped by its PID on every exit path (`with Emulator(...)`, and atexit
should the process end some other way).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType

from scripts.stack_outputs import ScriptError

ROOT = Path(__file__).resolve().parents[2]
REHEARSE_VENV = ROOT / ".venv-rehearse"
HOST = "127.0.0.1"
# MiniStack's default account (its access key id is the account id) and the region we use.
ACCOUNT = "000000000000"
REGION = "us-east-1"
START_TIMEOUT_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Emulator:
    """Start on enter, stop on exit; `endpoint` and `environment()` for the AWS tools."""

    def __init__(self, venv: Path = REHEARSE_VENV, port: int | None = None) -> None:
        self.executable = venv / "bin" / "ministack"
        self.port = port or free_port()
        self.endpoint = f"http://{HOST}:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="cloudops-rehearsal-"))
        self.log_path = self.workdir / "emulator.log"
        self.process: subprocess.Popen[bytes] | None = None

    def environment(self) -> dict[str, str]:
        """What every AWS tool of the loop reads: the endpoint, the emulator's account, a region."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        env.update(
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_ACCESS_KEY_ID=ACCOUNT,
            AWS_SECRET_ACCESS_KEY="rehearsal",
            AWS_REGION=REGION,
            AWS_DEFAULT_REGION=REGION,
        )
        return env

    def start(self) -> None:
        if not self.executable.exists():
            raise ScriptError(f"no emulator at {self.executable}: run make rehearse (it installs it) first")
        env = {
            **os.environ,
            "GATEWAY_PORT": str(self.port),
            "BIND_HOST": HOST,  # loopback only
            "LAMBDA_EXECUTOR": "local",  # handlers run on the emulator's interpreter: no Docker
            "STATE_DIR": str(self.workdir / "state"),
            "S3_DATA_DIR": str(self.workdir / "s3"),
            "MINISTACK_REGION": REGION,
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(self.executable)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        atexit.register(self.stop)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ScriptError(f"the emulator exited at start (code {self.process.returncode}): {self.log_tail(5)}")
            if self.healthy():
                return
            time.sleep(0.25)
        self.stop()
        raise ScriptError(f"the emulator did not answer on {self.endpoint} within {START_TIMEOUT_SECONDS:.0f} s")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.endpoint}/_ministack/health", timeout=1) as answer:
                return bool(json.loads(answer.read()).get("services"))
        except (OSError, ValueError):
            return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # Its own session: the signal reaches the server and any handler process it started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
