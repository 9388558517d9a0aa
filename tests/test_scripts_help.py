"""Every script a learner runs answers --help (and so says what it does and takes)."""

from __future__ import annotations

import importlib

import pytest

from stacks.config import REPO_ROOT


def script_modules() -> list[str]:
    """Modules under scripts/ that run as commands (they have a __main__ block)."""
    return sorted(
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
        for path in (REPO_ROOT / "scripts").rglob("*.py")
        if 'if __name__ == "__main__":' in path.read_text()
    )


def test_the_scripts_are_found() -> None:
    assert "scripts.cost" in script_modules()


@pytest.mark.parametrize("module_name", script_modules())
def test_script_answers_help(module_name: str, capsys: pytest.CaptureFixture[str]) -> None:
    module = importlib.import_module(module_name)
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage:")
    assert len(out.splitlines()) > 2, "the help says nothing beyond the usage line"
