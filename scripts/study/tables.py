"""Printing the study tools' tables so that no cell is ever cut, on a terminal or into a pipe or file.

rich fits a table to the console's width and, where a column gets narrower than its
words, cuts them ("On cdk destr…"). Here every column wraps at spaces and keeps its longest
word whole (a column of one-word names, declared overflow="fold", is folded at FOLD_WIDTH
instead), and a table whose columns cannot all have that at this width is printed
stacked: one block per row, each cell under its column's header. Nothing is cut.
Output that is not a terminal (a pipe, a file) is laid out at least PIPE_WIDTH wide, since
nothing there knows the reader's width.
"""

from __future__ import annotations

from typing import IO

from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Column, Table
from rich.text import Text

PIPE_WIDTH = 160
# A column declared overflow="fold" (a logical ID, a resource type: one long word) may be
# folded onto several lines, never narrower than this.
FOLD_WIDTH = 30


def output_console(file: IO[str] | None = None) -> Console:
    """The console a study tool prints to: the terminal's width, or at least PIPE_WIDTH into a pipe or file."""
    console = Console(file=file)
    if not console.is_terminal:
        console.width = max(console.width, PIPE_WIDTH)
    return console


def print_table(console: Console, table: Table) -> None:
    """The table, wrapped at spaces to the console's width; stacked when a column cannot hold its longest word."""
    needs = [_needed_width(console, column) for column in table.columns]
    if sum(needs) + _frame_width(table) > console.width:
        console.print(stacked(table))
        return
    for column, width in zip(table.columns, needs, strict=True):
        if column.ratio:
            column.width = width  # rich shares a ratio column's width out with this as its minimum
        else:
            column.min_width = width
        column.overflow = "fold"
    console.print(table)


def _needed_width(console: Console, column: Column) -> int:
    """The column's longest word; a column that folds by design (logical IDs) needs at most FOLD_WIDTH."""
    cells = [column.header, *column.cells]
    longest = max(Measurement.get(console, console.options, cell).minimum for cell in cells)
    return min(longest, FOLD_WIDTH) if column.overflow == "fold" else longest


def _frame_width(table: Table) -> int:
    """What a table adds to its columns' text: each column's padding, and the box's vertical lines."""
    count = len(table.columns)
    _, right, _, left = table.padding
    lines = (count + 1 if table.show_edge else count - 1) if table.box else 0
    return count * (left + right) + lines


def stacked(table: Table) -> RenderableType:
    """The table's rows one under the other: each cell on its own lines, under its column's header."""
    parts: list[RenderableType] = []
    if table.title:
        parts.append(Text(str(table.title), style="bold"))
    columns = [(str(column.header), list(column.cells)) for column in table.columns]
    rows = max((len(cells) for _, cells in columns), default=0)
    for index in range(rows):
        parts.append(Rule(style="dim"))
        for header, cells in columns:
            if index < len(cells):
                parts.append(Text(f"{header}:", style="bold"))
                parts.append(Padding(cells[index], (0, 0, 0, 2)))
    if table.caption:
        parts.append(Text(str(table.caption)))
    return Group(*parts)
