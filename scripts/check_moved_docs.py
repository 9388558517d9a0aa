"""Checks that nothing was lost when the README was split into docs/: a one-off tool for issue 22.

    python -m scripts.check_moved_docs                    # the README of be6e127 against today's docs
    python -m scripts.check_moved_docs --old-ref <commit>
    python -m scripts.check_moved_docs --old-file old.md

It reads the old README and every page of today's docs (README.md, CONTRIBUTING.md,
docs/**/*.md) and reports, per heading of the old README:
- a code block whose text is in no new page (cost outputs, now generated, are compared
  line by line: the new blocks print every stage, so they hold more lines than the old);
- a figure (any word with a digit: 10.0.1.0/24, 5,599, 0.27, t4g.nano, 2026-11-22) that
  appears in no new page;
- a paragraph, list item or table row less than 60 % of whose five-word runs appear in
  a new page, once Markdown markup is dropped: a sentence reworded, or lost.
The exit code is 0 when nothing is reported. tests/test_check_moved_docs.py tests the
comparison on small texts; the real run needs the git history (it is not a test).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scripts.stack_outputs import OneLineParser
from stacks.config import REPO_ROOT

BEFORE_THE_MOVE = "be6e127"
SHINGLE = 5
KEPT_FRACTION = 0.6
FIGURE = re.compile(r"[\w.,/:%$+-]*\d[\w.,/:%$+-]*")
# What the move changed on purpose (issue 22), each with its reason: reported, not counted as lost.
ON_PURPOSE = (
    (re.compile(r"^00[0-4]$|^v\d$"), "a guide by its number: the guides are now named by their titles"),
    (re.compile(r"^lab-[a-z0-9-]+$"), "a README anchor of a lab section: each lab links its guide instead"),
    (re.compile(r"^Guide sections: "), "a lab's guide references: now its section 'Guide sections it reproduces'"),
    (
        re.compile(r"^\| (Lab|\[[a-z0-9-]+\]\(#lab-[a-z0-9-]+\)) \|"),
        "a row of the old labs table: the new table links the guides",
    ),
    (
        re.compile(r"^docs/labs/<lab>\.md +generated study pages"),
        "the layout's line for docs/labs/: generated pages became guides",
    ),
    (
        re.compile(r"^The table is generated from the lab registry"),
        "the labs table's note: the tables it names moved to docs/",
    ),
    (re.compile(r"^\| every other lab \| see the lab's own section"), "'the lab's own section' is now the lab's guide"),
)
# A sentence that named a guide by its number was reworded around the guide's title: it must
# still keep this much of its five-word runs.
GUIDE_NUMBER = re.compile(r"\b00[0-4]\b")
KEPT_WITH_A_GUIDE_TITLE = 0.4


@dataclass
class Section:
    heading: str
    prose: list[str] = field(default_factory=list)  # paragraphs, list items, table rows
    code: list[str] = field(default_factory=list)


def sections(text: str) -> list[Section]:
    """The text by heading (any level, outside code), its prose blocks and its fenced code blocks."""
    found = [Section("(top)")]
    fence: list[str] | None = None
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            found[-1].prose.append(" ".join(paragraph))
            paragraph.clear()

    for line in text.splitlines():
        if fence is not None and line.startswith("## "):
            # be6e127's README left one fence open (db-lambda's cost output): a section heading
            # cannot be code here, so it closes the fence, as a reader of the page would.
            found[-1].code.append("\n".join(fence))
            fence = None
        if fence is not None:
            if line.startswith("```"):
                found[-1].code.append("\n".join(fence))
                fence = None
            else:
                fence.append(line)
        elif line.startswith("```"):
            close_paragraph()
            fence = []
        elif re.match(r"^#{1,6} ", line):
            close_paragraph()
            found.append(Section(line.lstrip("#").strip()))
        elif not line.strip():
            close_paragraph()
        elif re.match(r"^\s*(?:[-*] |\d+\. |\|)", line):  # a list item or table row starts a block
            close_paragraph()
            paragraph.append(line)
        else:
            paragraph.append(line)
    close_paragraph()
    return found


def plain(text: str) -> str:
    """Words only: Markdown links as their text, no markup, one space between words, lower case."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    words = re.findall(r"[\w.,/:%$+=-]+", text.lower())  # markup and brackets are not words
    return " ".join(stripped for word in words if (stripped := word.strip(".,:")))


def shingles(words: list[str]) -> set[str]:
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def code_lines(block: str) -> list[str]:
    return [line.rstrip() for line in block.splitlines() if line.strip()]


@dataclass
class Report:
    missing_code: list[tuple[str, str]] = field(default_factory=list)  # (heading, first line)
    missing_figures: list[tuple[str, str]] = field(default_factory=list)  # (heading, figure)
    reworded: list[tuple[str, float, str]] = field(default_factory=list)  # (heading, kept, text)
    on_purpose: list[tuple[str, str, str]] = field(default_factory=list)  # (heading, what, why)
    counts: dict[str, int] = field(default_factory=dict)

    def clean(self) -> bool:
        return not (self.missing_code or self.missing_figures or self.reworded)


def on_purpose(text: str) -> str | None:
    """Why `text` (a figure or a block) was changed on purpose, or None."""
    return next((why for pattern, why in ON_PURPOSE if pattern.search(text)), None)


def compare(old: str, new_pages: Iterable[str]) -> Report:
    pages = list(new_pages)
    everything = "\n".join(pages)
    new_code = "\n".join(block for page in pages for section in sections(page) for block in section.code)
    new_code_lines = {line.strip() for line in new_code.splitlines()}
    new_plain = plain(everything)
    new_shingles = shingles(new_plain.split())
    report = Report()
    old_sections = sections(old)
    report.counts = {
        "headings": len(old_sections) - 1,
        "code blocks": sum(len(s.code) for s in old_sections),
        "prose blocks": sum(len(s.prose) for s in old_sections),
        "figures": 0,
    }
    for section in old_sections:
        for block in section.code:
            lines = code_lines(block)
            lost = [line.strip() for line in lines if line.strip() not in new_code_lines]
            for line in lost:
                why = on_purpose(line)
                if why:
                    report.on_purpose.append((section.heading, line, why))
            if [line for line in lost if not on_purpose(line)]:
                report.missing_code.append((section.heading, next(line for line in lost if not on_purpose(line))))
        for text in [*section.prose, *section.code]:
            for figure in set(FIGURE.findall(text)):
                figure = figure.strip(".,:()")
                if not figure or not re.search(r"\d", figure):
                    continue
                report.counts["figures"] += 1
                if figure in everything:
                    continue
                why = on_purpose(figure)
                if why:
                    report.on_purpose.append((section.heading, figure, why))
                else:
                    report.missing_figures.append((section.heading, figure))
        for text in section.prose:
            words = plain(text).split()
            if not re.search(r"\w", text.replace("---", "")):
                continue  # a table's header separator
            if len(words) < SHINGLE:
                kept = 1.0 if " ".join(words) in new_plain else 0.0
            else:
                own = shingles(words)
                kept = len(own & new_shingles) / len(own)
            if kept >= KEPT_FRACTION:
                continue
            why = on_purpose(text)
            if not why and GUIDE_NUMBER.search(text) and kept >= KEPT_WITH_A_GUIDE_TITLE:
                why = "a sentence naming a guide by its number, now by its title"
            if why:
                report.on_purpose.append((section.heading, text[:60], why))
            else:
                report.reworded.append((section.heading, kept, text[:110]))
    return report


def new_pages() -> list[str]:
    pending = REPO_ROOT / "docs" / "pending"  # other branches' changes waiting to be merged: not pages
    docs = sorted(path for path in (REPO_ROOT / "docs").rglob("*.md") if not path.is_relative_to(pending))
    paths = [REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *docs]
    return [path.read_text() for path in paths]


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--old-ref", default=BEFORE_THE_MOVE, help=f"commit of the old README (default {BEFORE_THE_MOVE})"
    )
    parser.add_argument("--old-file", help="read the old README from this file instead of git")
    args = parser.parse_args(argv)
    if args.old_file:
        with open(args.old_file) as handle:
            old = handle.read()
    else:
        shown = subprocess.run(
            ["git", "show", f"{args.old_ref}:README.md"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        if shown.returncode != 0:
            parser.error(f"git show {args.old_ref}:README.md failed: {shown.stderr.strip() or 'no such commit'}")
        old = shown.stdout
    report = compare(old, new_pages())
    counted = ", ".join(f"{count} {what}" for what, count in report.counts.items())
    print(f"old README: {counted}")
    for heading, line in report.missing_code:
        print(f"code lost     [{heading}] {line}")
    for heading, figure in sorted(set(report.missing_figures)):
        print(f"figure lost   [{heading}] {figure}")
    for heading, kept, text in report.reworded:
        print(f"reworded {kept:4.0%} [{heading}] {text}")
    reasons: dict[str, int] = {}
    for _, _, why in report.on_purpose:
        reasons[why] = reasons.get(why, 0) + 1
    for why, count in reasons.items():
        print(f"on purpose    {count} x {why}")
    print(
        f"{len(report.missing_code)} code block(s) lost, {len(set(report.missing_figures))} figure(s) lost, "
        f"{len(report.reworded)} block(s) reworded below {KEPT_FRACTION:.0%}"
    )
    return 0 if report.clean() else 1


if __name__ == "__main__":
    sys.exit(main())
