"""The docs hold together offline: every relative link and #anchor resolves, every lab has its
guide and its line in the README's table and the study path, long pages start with a table of
contents, and guide references name the guides by title instead of a folder a clone lacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stacks.config import REPO_ROOT
from stacks.labs import LABS, Lab

PAGES = sorted([REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *(REPO_ROOT / "docs").rglob("*.md")])
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
LONG_PAGE_LINES = 150


def ids(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def prose(text: str) -> str:
    """The text outside fenced code blocks and inline code: where Markdown links live."""
    kept, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            kept.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(kept)


def headings(text: str) -> list[str]:
    return re.findall(r"^#{1,6} (.+?)\s*#*$", prose_keep_code(text), re.MULTILINE)


def prose_keep_code(text: str) -> str:
    """Outside fenced blocks only: headings keep their inline code (it is part of the anchor)."""
    kept, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            kept.append(line)
    return "\n".join(kept)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "").replace("*", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in headings(path.read_text()):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def test_the_slugs_are_githubs() -> None:
    assert slug("What `cdk destroy` leaves") == "what-cdk-destroy-leaves"
    assert slug("Explain VPC components (subnets, route tables, IGW, NAT)") == (
        "explain-vpc-components-subnets-route-tables-igw-nat"
    )
    assert slug("What's the difference between EC2 and Lambda?") == "whats-the-difference-between-ec2-and-lambda"
    assert slug("Step 1: billing-alarm") == "step-1-billing-alarm"


def broken_links(page: Path) -> list[str]:
    broken = []
    for target in LINK.findall(prose(page.read_text())):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...: not ours to check offline
            continue
        file_part, _, anchor = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading with anchor #{anchor} in {ids(linked)}")
    return broken


@pytest.mark.parametrize("page", PAGES, ids=ids)
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    assert broken_links(page) == []


def test_the_link_checker_finds_a_broken_file_and_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## A section\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#a-section) [ok](#here) [gone](missing.md) [bad](other.md#no-section) [bad](#nowhere)\n"
        "`[not a link](missing.md)` [web](https://example.com/x#y)\n\n## Here\n"
    )
    assert broken_links(page) == [
        "missing.md: no such file",
        f"other.md#no-section: no heading with anchor #no-section in {ids_outside(tmp_path, 'other.md')}",
        f"#nowhere: no heading with anchor #nowhere in {ids_outside(tmp_path, 'page.md')}",
    ]


def ids_outside(root: Path, name: str) -> str:
    return str((root / name).resolve())


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_lab_has_its_guide_its_readme_row_and_its_study_step(lab: Lab) -> None:
    assert (REPO_ROOT / lab.guide_page).exists(), f"{lab.guide_page} is missing"
    readme = (REPO_ROOT / "README.md").read_text()
    assert f"| [{lab.name}]({lab.guide_page}) |" in readme, f"the README's labs table has no row for {lab.name}"
    study_path = (REPO_ROOT / "docs" / "study-path.md").read_text()
    assert re.search(rf"^## Step \d+: {re.escape(lab.name)}$", study_path, re.MULTILINE), (
        f"docs/study-path.md has no step for {lab.name}"
    )
    assert f"(labs/{lab.name}.md)" in study_path


def contents_missing(text: str) -> list[str]:
    """The page's `##` headings that its first lines do not link to."""
    top = "\n".join(text.splitlines()[:40])
    linked = set(re.findall(r"\]\(#([^)]+)\)", top))
    return [
        heading
        for heading in re.findall(r"^## (.+)$", prose_keep_code(text), re.MULTILINE)
        if slug(heading) not in linked
    ]


@pytest.mark.parametrize("page", PAGES, ids=ids)
def test_a_long_page_starts_with_a_table_of_contents(page: Path) -> None:
    text = page.read_text()
    if text.count("\n") > LONG_PAGE_LINES:
        assert contents_missing(text) == [], f"{ids(page)}: its first 40 lines link to no such section"


def test_the_contents_check_sees_a_section_left_out() -> None:
    text = "# Page\n\n- [One](#one)\n\n## One\n\n## Two\n"
    assert contents_missing(text) == ["Two"]


# A guide by its number ("002 'VPC'", "guide 000 v2", "001's") means nothing to a reader without the guides.
GUIDE_NUMBER = re.compile(r"\b00[0-4](?:'s| v\d)?\s+['\"“]|\bguides? 00[0-4]\b|\b00[0-4]'s\b", re.IGNORECASE)


@pytest.mark.parametrize("page", PAGES, ids=ids)
def test_guides_are_named_by_title_not_by_a_folder_a_clone_lacks(page: Path) -> None:
    text = prose(page.read_text())
    assert "shared/seeds" not in page.read_text()
    assert GUIDE_NUMBER.findall(text) == [], f"{ids(page)}: name the guide by its title (docs/study-path.md#the-guides)"


SNAPSHOTS = REPO_ROOT / "tests" / "__snapshots__" / "test_snapshots"
# A logical ID CDK made: a construct path in PascalCase ending in its 8-character hash.
LOGICAL_ID = re.compile(r"`([A-Z][A-Za-z0-9]+[0-9A-F]{8})`")


def study_steps() -> dict[str, str]:
    text = (REPO_ROOT / "docs" / "study-path.md").read_text()
    parts = re.split(r"^## Step \d+: ([a-z0-9-]+)$", text, flags=re.MULTILINE)
    return {
        name: re.split(r"^## ", body, flags=re.MULTILINE)[0]
        for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_the_logical_ids_the_study_path_names_are_in_the_labs_templates(lab: Lab) -> None:
    # The snapshots are the synthesized templates (tests/test_snapshots.py keeps them current).
    resources: set[str] = set()
    for stack_id in lab.stack_ids:
        for snapshot in SNAPSHOTS.glob(f"*[[]{stack_id}[]].json"):
            resources |= set(json.loads(snapshot.read_text())["Resources"])
    assert resources, f"no snapshot of {', '.join(lab.stack_ids)}"
    named = set(LOGICAL_ID.findall(study_steps()[lab.name]))
    assert named, f"the study path's step for {lab.name} names no logical ID"
    assert sorted(named - resources) == []
