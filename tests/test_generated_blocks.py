"""scripts/generated_blocks.py: commands rewrite only between markers, and a lost marker is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import generated_blocks, readme_tables
from scripts.generated_blocks import MarkerError, begin, end

PAGE = f"# Title\n\nHand-written.\n\n{begin('cost')}\nold cost\n{end('cost')}\n\nMore hand-written text.\n"


def test_replace_rewrites_the_block_and_keeps_everything_around_it() -> None:
    updated = generated_blocks.replace(PAGE, {"cost": "new cost\nsecond line"})
    assert updated == (
        f"# Title\n\nHand-written.\n\n{begin('cost')}\nnew cost\nsecond line\n{end('cost')}\n"
        "\nMore hand-written text.\n"
    )
    assert generated_blocks.read(updated, "cost") == "new cost\nsecond line"


def test_a_hand_edit_outside_the_markers_survives_a_regeneration(tmp_path: Path) -> None:
    page = tmp_path / "guide.md"
    page.write_text(PAGE.replace("Hand-written.", "Hand-written, then edited by a learner."))
    assert generated_blocks.rewrite(page, {"cost": "new cost"}, root=tmp_path, check=False)
    text = page.read_text()
    assert "Hand-written, then edited by a learner." in text
    assert "More hand-written text." in text
    assert generated_blocks.read(text, "cost") == "new cost"
    # A second run finds nothing to do.
    assert not generated_blocks.rewrite(page, {"cost": "new cost"}, root=tmp_path, check=False)


def test_check_mode_reports_a_stale_block_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "guide.md"
    page.write_text(PAGE)
    assert generated_blocks.rewrite(page, {"cost": "new cost"}, root=tmp_path, check=True)
    assert page.read_text() == PAGE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "no markers at all\n",
            "guide.md: needs one '<!-- BEGIN GENERATED: cost -->' ... '<!-- END GENERATED: cost -->' pair, "
            "has 0 x BEGIN, 0 x END: put the markers back",
        ),
        (f"{begin('cost')}\nonly the start\n", "has 1 x BEGIN, 0 x END"),
        (f"{begin('cost')}\n{end('cost')}\n{begin('cost')}\n", "has 2 x BEGIN, 1 x END"),
        (f"{end('cost')}\n{begin('cost')}\n", "guide.md: '<!-- END GENERATED: cost -->' comes before"),
    ],
)
def test_a_missing_or_broken_marker_is_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(MarkerError) as raised:
        generated_blocks.replace(text, {"cost": "new"}, where="guide.md")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_names_lists_a_pages_blocks_in_order() -> None:
    text = f"{begin('config')}\n{end('config')}\n{PAGE}"
    assert generated_blocks.names(text) == ["config", "cost"]


def test_the_tables_command_reports_a_lost_marker_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# A README whose labs table lost its markers\n")
    monkeypatch.setattr(readme_tables, "README", readme)
    monkeypatch.setattr(readme_tables, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(readme_tables, "expected", lambda: {readme: {"labs-table": "| table |"}})
    assert readme_tables.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: README.md: needs one '<!-- BEGIN GENERATED: labs-table -->'")
    assert err.count("\n") == 1


def test_a_missing_page_is_a_one_line_error_naming_the_markers(tmp_path: Path) -> None:
    with pytest.raises(MarkerError) as raised:
        generated_blocks.rewrite(tmp_path / "docs" / "new.md", {"diagram": "x"}, root=tmp_path, check=True)
    assert str(raised.value) == "docs/new.md: missing: create it with the '<!-- BEGIN GENERATED: diagram -->' markers"
