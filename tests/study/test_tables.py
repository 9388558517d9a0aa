"""The study tools' tables are never cut: piped or redirected they print whole, a narrow terminal stacks them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from scripts.stack_outputs import run
from scripts.study import compare, cost_table, explain
from scripts.study.tables import FOLD_WIDTH
from stacks.labs import lab_named
from tests.harness import SynthesizedStage

LAB = lab_named("serverless-api")


def cells(rows: list[explain.Row], *, ids: bool = True) -> list[str]:
    """Every text explain puts in a cell of the lab's tables (logical IDs, which may fold, if `ids`)."""
    texts = [text for row in rows for text in (row.explanation.what, *row.cost, row.on_destroy)]
    return [row.logical_id for row in rows] + texts if ids else texts


def whole_words(texts: list[str], out: str) -> set[str]:
    """The words of `texts` that `out` does not hold whole (a word longer than FOLD_WIDTH may fold)."""
    return {word for text in texts for word in text.split() if len(word) <= FOLD_WIDTH and word not in out}


def test_explain_into_a_pipe_or_file_cuts_no_cell(
    tmp_path: Path, prod: SynthesizedStage, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the lab's prod template, as `make synth-all` writes it
    template = prod.template_json(LAB.stack_id)
    (tmp_path / f"{LAB.stack_id}.template.json").write_text(json.dumps(template))
    # When explain's output goes into a pipe (pytest's capture is not a terminal)
    assert run(explain.main, ["--lab", LAB.name, "--stage", "prod", "--cdk-out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # Then nothing is cut: no ellipsis, every word of every cell is there whole (a logical ID may fold)
    assert "…" not in out
    rows = explain.explain(LAB, template, explain.cost_lines(LAB, "prod"))
    assert whole_words(cells(rows, ids=False), out) == set()
    assert "On cdk destroy" in out


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "file"])
def test_a_narrow_console_stacks_the_columns_and_keeps_every_cell_whole(prod: SynthesizedStage, terminal: bool) -> None:
    template = prod.template_json(LAB.stack_id)
    lines = explain.cost_lines(LAB, "prod")
    console = Console(file=io.StringIO(), width=60, force_terminal=terminal, color_system=None)
    explain.render(console, LAB, "prod", template, lines)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "…" not in out
    assert "On cdk destroy:" in out, "stacked: each cell under its column's header"
    assert max(len(line) for line in out.splitlines()) <= 60
    # A stacked cell may wrap (at spaces, or inside a word longer than the line), never lose text
    flat = re.sub(r"\s", "", out)
    assert [text for text in cells(explain.explain(LAB, template, lines)) if re.sub(r"\s", "", text) not in flat] == []


def test_compare_and_cost_into_a_pipe_cut_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cost_table.main, []) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert "every lab" in out


def test_compare_at_80_columns_cuts_nothing(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    lab = lab_named("three-tier")
    result = compare.compare(
        lab, "sandbox", "prod", sandbox.template_json("ThreeTier"), prod.template_json("ThreeTier")
    )
    console = Console(file=io.StringIO(), width=80, color_system=None)
    compare.render(console, result)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "…" not in out
    assert whole_words([change for changes in result.changed.values() for change in changes], out) == set()
