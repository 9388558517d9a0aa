"""The set-up: uv installs the pinned packages (itself pinned, installed by the venv's pip); pip is the fallback."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from scripts.bench_setup import report
from stacks.config import REPO_ROOT


def planned(tmp_path: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    """What `make` would run to set up a new venv in tmp_path (`make -n`: nothing runs)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("MAKE")}
    venv = tmp_path / "venv"
    return subprocess.run(
        ["make", "--no-print-directory", "-n", f"VENV={venv}", *settings, f"{venv}/.dev-installed"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_uv_is_installed_from_its_pin_then_installs_the_same_requirement_files(tmp_path: Path) -> None:
    lines = planned(tmp_path).stdout.splitlines()
    venv = tmp_path / "venv"
    installs = [line for line in lines if " install " in line]
    assert installs == [
        f"{venv}/bin/python -m pip install --quiet -r requirements-uv.txt",
        f"{venv}/bin/uv pip install --quiet --python {venv}/bin/python -r requirements.txt",
        f"{venv}/bin/uv pip install --quiet --python {venv}/bin/python -r requirements-dev.txt",
    ]
    assert re.fullmatch(r"uv==\d+\.\d+\.\d+", (REPO_ROOT / "requirements-uv.txt").read_text().split("\n")[-2])


def test_pip_remains_the_fallback(tmp_path: Path) -> None:
    lines = planned(tmp_path, "INSTALLER=pip").stdout.splitlines()
    venv = tmp_path / "venv"
    assert [line for line in lines if " install " in line] == [
        f"{venv}/bin/python -m pip install --quiet -r requirements.txt",
        f"{venv}/bin/python -m pip install --quiet -r requirements-dev.txt",
    ]


def test_an_unknown_installer_is_one_line(tmp_path: Path) -> None:
    result = planned(tmp_path, "INSTALLER=poetry")
    assert result.returncode != 0
    assert "INSTALLER=poetry: must be uv (the default) or pip.  Stop." in result.stderr


def test_the_setup_bench_reports_both_installers_their_steps_and_their_share() -> None:
    uv_runs = [{"venv": 3.0, "uv itself": 2.0, "packages": 4.0}, {"venv": 2.0, "uv itself": 2.0, "packages": 4.0}]
    pip_runs = [{"venv": 3.0, "packages": 67.0}, {"venv": 3.0, "packages": 77.0}]
    lines = report({"uv": uv_runs, "pip": pip_runs})
    assert lines[0].startswith("cold set-up with uv (empty caches)")
    assert lines[0].endswith("median   8.50 s  (min 8.00, max 9.00; venv 2.5 s, uv itself 2.0 s, packages 4.0 s)")
    assert lines[1].endswith("median  75.00 s  (min 70.00, max 80.00; venv 3.0 s, packages 72.0 s)")
    assert lines[2].split() == ["uv", "/", "pip", "0.11", "(target:", "at", "most", "0.20)"]


@pytest.mark.parametrize("pins", ["requirements.txt", "requirements-dev.txt"])
def test_the_requirement_files_pin_exactly(pins: str) -> None:
    """uv and pip install the same versions only if every line pins one (or includes a file that does)."""
    lines = [line.strip() for line in (REPO_ROOT / pins).read_text().splitlines()]
    requirements = [line for line in lines if line and not line.startswith(("#", "-r "))]
    assert [line for line in requirements if not re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[\w.]+", line)] == []
