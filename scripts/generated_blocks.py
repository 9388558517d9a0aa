"""Generated blocks inside hand-written pages: the one place that reads and rewrites them.

A page (README.md, docs/labs/<lab>.md, docs/configuration.md) holds hand-written text and,
between a pair of markers, text a command writes:

    <!-- BEGIN GENERATED: diagram -->
    ... written by make diagram ...
    <!-- END GENERATED: diagram -->

The commands (`make diagram`, `python -m scripts.readme_tables`) rewrite only what lies
between the markers, so a hand edit anywhere else survives a regeneration; the freshness
tests compare only the blocks. A page that lost a marker is a one-line error naming the
page and the marker to put back, never a silently rewritten page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path


class MarkerError(ValueError):
    """A page lacks a marker pair, or holds it twice or out of order."""


def begin(name: str) -> str:
    return f"<!-- BEGIN GENERATED: {name} -->"


def end(name: str) -> str:
    return f"<!-- END GENERATED: {name} -->"


def _span(text: str, name: str, where: str) -> tuple[int, int]:
    """Where the block's content starts and ends (just after BEGIN's line, just before END)."""
    opening, closing = begin(name), end(name)
    if text.count(opening) != 1 or text.count(closing) != 1:
        found = f"{text.count(opening)} x BEGIN, {text.count(closing)} x END"
        raise MarkerError(f"{where}: needs one '{opening}' ... '{closing}' pair, has {found}: put the markers back")
    start = text.index(opening) + len(opening)
    stop = text.index(closing)
    if stop < start:
        raise MarkerError(f"{where}: '{closing}' comes before '{opening}': swap them")
    return start, stop


def read(text: str, name: str, *, where: str = "page") -> str:
    """The content of block `name`, without the markers and their line breaks."""
    start, stop = _span(text, name, where)
    return text[start:stop].strip("\n")


def names(text: str) -> list[str]:
    """The names of the blocks a page holds, in order."""
    return re.findall(r"<!-- BEGIN GENERATED: ([\w-]+) -->", text)


def replace(text: str, blocks: Mapping[str, str], *, where: str = "page") -> str:
    """`text` with each named block's content replaced; everything outside the markers is kept."""
    for name, content in blocks.items():
        start, stop = _span(text, name, where)
        text = text[:start] + "\n" + content.strip("\n") + "\n" + text[stop:]
    return text


def rewrite(path: Path, blocks: Mapping[str, str], *, root: Path, check: bool) -> bool:
    """Rewrite `path`'s blocks (unless `check`); True when the file was (or would be) changed."""
    where = str(path.relative_to(root))
    if not path.exists():
        raise MarkerError(f"{where}: missing: create it with the '{begin(next(iter(blocks)))}' markers")
    text = path.read_text()
    updated = replace(text, blocks, where=where)
    if updated == text:
        return False
    if not check:
        path.write_text(updated)
    return True
