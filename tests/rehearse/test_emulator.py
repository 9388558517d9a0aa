"""The emulator's life: loopback only, a free port, stopped by its PID on every path.

A stand-in executable plays MiniStack (the real one is rehearsed by make rehearse): it
serves the health page on GATEWAY_PORT at BIND_HOST, as MiniStack does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from scripts.rehearse.emulator import Emulator
from scripts.stack_outputs import ScriptError

SERVER = """#!{python}
import http.server, json, os, sys
if os.environ.get("FAIL_AT_START"):
    sys.exit(3)
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({{"services": {{"sqs": "available"}}}}).encode()
        self.send_response(200); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args):
        pass
address = (os.environ["BIND_HOST"], int(os.environ["GATEWAY_PORT"]))
print("state in", os.environ["STATE_DIR"], flush=True)
http.server.HTTPServer(address, Health).serve_forever()
"""


def fake_venv(tmp_path: Path) -> Path:
    executable = tmp_path / "bin" / "ministack"
    executable.parent.mkdir(parents=True)
    executable.write_text(SERVER.format(python=sys.executable))
    executable.chmod(0o755)
    return tmp_path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_it_answers_on_loopback_and_is_stopped_on_exit(tmp_path: Path) -> None:
    with Emulator(venv=fake_venv(tmp_path)) as emulator:
        assert emulator.endpoint.startswith("http://127.0.0.1:")
        assert emulator.healthy()
        assert emulator.process is not None
        pid = emulator.process.pid
        assert str(emulator.workdir) in emulator.log_tail()  # its state lives in the rehearsal's folder
    assert not alive(pid) or os.waitpid(pid, os.WNOHANG) != (0, 0)
    assert not emulator.healthy()


def test_it_is_stopped_when_the_rehearsal_fails(tmp_path: Path) -> None:
    emulator = Emulator(venv=fake_venv(tmp_path))
    with pytest.raises(RuntimeError), emulator:
        raise RuntimeError("a step blew up")
    assert emulator.process is None
    assert not emulator.healthy()


def test_the_environment_points_every_tool_at_it_and_drops_the_user_s_aws_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "my-real-account")
    emulator = Emulator(venv=fake_venv(tmp_path), port=4599)
    env = emulator.environment()
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4599"
    assert "AWS_PROFILE" not in env  # never the learner's real account
    assert env["AWS_ACCESS_KEY_ID"] == "000000000000"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "us-east-1"


def test_an_emulator_that_dies_at_start_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAIL_AT_START", "1")
    with pytest.raises(ScriptError, match=r"the emulator exited at start \(code 3\)"):
        Emulator(venv=fake_venv(tmp_path)).start()


def test_a_missing_emulator_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="run make rehearse"):
        Emulator(venv=tmp_path).start()
