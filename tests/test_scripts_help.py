"""Every script a learner runs answers --help (and so says what it does and takes)."""

from __future__ import annotations

import importlib
import re

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


# Where the docs name commands: the README, CONTRIBUTING and every page under docs/ (the
# labs' guides among them), so that the check holds wherever the prose moves.
DOCS = sorted([REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *(REPO_ROOT / "docs").rglob("*.md")])
DOCUMENTED = re.compile(r"python3? -m (scripts(?:\.[A-Za-z0-9_<>]+)+)")
# Placeholders the docs use in a module name, and what they stand for: the README's sandbox
# loop names its five commands' scripts as `python -m scripts.sandbox.<command> --help`.
PLACEHOLDERS = {"<command>": ("preflight", "deploy", "verify", "destroy", "leftovers")}


def documented_modules() -> list[str]:
    """Every `python -m scripts.x.y` the docs name, placeholders expanded, each once."""
    found: dict[str, None] = {}
    for page in DOCS:
        for name in DOCUMENTED.findall(page.read_text()):
            placeholder = next((p for p in PLACEHOLDERS if p in name), None)
            if placeholder is None:
                found[name] = None
            else:
                found.update(dict.fromkeys(name.replace(placeholder, value) for value in PLACEHOLDERS[placeholder]))
    return sorted(found)


def test_the_documented_commands_are_found() -> None:
    modules = documented_modules()
    assert {"scripts.cost", "scripts.sandbox.destroy", "scripts.sandbox.leftovers"} <= set(modules)
    assert not [name for name in modules if "<" in name], "a placeholder the test does not know: add it"


@pytest.mark.parametrize("module_name", documented_modules())
def test_every_documented_command_exists_as_written_and_answers_help(
    module_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert module_name in script_modules(), (
        f"the docs name `python -m {module_name}`, which is no command of scripts/: fix the docs or add it"
    )
    test_script_answers_help(module_name, capsys)
