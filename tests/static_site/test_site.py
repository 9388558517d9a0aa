"""The pages in site/ (deployed by the static-site lab): well formed, accessible basics, no
inline code the content security policy would block, and only references to files that exist."""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SITE = Path(__file__).resolve().parents[2] / "site"
PAGES = ("index.html", "404.html")
# Elements that never have an end tag (HTML living standard, "void elements").
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# A versioned asset: name.<first 8 hex digits of its SHA-256>.ext
VERSIONED = re.compile(r"^(?P<stem>[a-z0-9-]+)\.(?P<hash>[0-9a-f]{8})\.(?P<ext>css|js|svg|png|woff2)$")


@dataclass
class Page:
    """What the checks need from one parsed page."""

    errors: list[str] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    title: str = ""
    doctype: str = ""


class StrictParser(HTMLParser):
    """Records every start tag and reports end tags that do not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.page.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.page.tags.append((tag, attributes))
        if attributes.get("id"):
            self.page.ids.add(str(attributes["id"]))
        if tag not in VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.page.errors.append(f"<{tag}/> is not a void element")
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.page.errors.append(f"</{tag}> closes a void element")
        elif not self._open or self._open[-1] != tag:
            self.page.errors.append(f"</{tag}> at line {self.getpos()[0]} closes {self._open[-1:] or 'nothing'}")
        else:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] == "title":
            self.page.title += data

    def finish(self) -> Page:
        self.close()
        self.page.errors.extend(f"<{tag}> is never closed" for tag in self._open)
        return self.page


def parse(name: str) -> Page:
    parser = StrictParser()
    parser.feed((SITE / name).read_text(encoding="utf-8"))
    return parser.finish()


def references(page: Page) -> list[str]:
    return [str(value) for _, attrs in page.tags for key, value in attrs.items() if key in ("href", "src") and value]


def resolve(reference: str, page_name: str) -> Path:
    """The file a local reference points to, as CloudFront's default root object would serve it."""
    path = urlsplit(reference).path
    base = SITE if path.startswith("/") else (SITE / page_name).parent
    target = base / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_well_formed_html(name: str) -> None:
    # When the page is parsed strictly (every element closed in order)
    page = parse(name)
    # Then nothing is left open or closed out of order, and it is an HTML5 document
    assert page.errors == []
    assert page.doctype.lower() == "doctype html"
    assert [tag for tag, _ in page.tags][:1] == ["html"]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_has_the_accessible_basics(name: str) -> None:
    page = parse(name)
    tags = [tag for tag, _ in page.tags]
    html_attrs = page.tags[0][1]
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    # A language for screen readers, a charset, a mobile viewport, a title, one h1 inside a main landmark
    assert html_attrs.get("lang") == "en"
    assert {"charset": "utf-8"} in metas
    assert any(m.get("name") == "viewport" and "width=device-width" in str(m.get("content")) for m in metas)
    assert page.title.strip()
    assert tags.count("h1") == 1
    assert tags.count("main") == 1
    assert tags.index("main") < tags.index("h1")
    # Headings do not skip a level (h1 -> h3 would confuse a screen reader's outline)
    levels = [int(tag[1]) for tag in tags if re.fullmatch(r"h[1-6]", tag)]
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
    # Every image says what it shows (or says it is decoration, with alt="")
    assert all("alt" in attrs for tag, attrs in page.tags if tag == "img")


@pytest.mark.parametrize("name", PAGES)
def test_no_page_carries_code_or_styles_the_content_security_policy_would_block(name: str) -> None:
    # The stack's CSP allows scripts and styles only from the site itself ('self'), never inline
    page = parse(name)
    assert [tag for tag, _ in page.tags if tag in ("script", "style", "iframe", "object", "embed")] == []
    inline = [(tag, key) for tag, attrs in page.tags for key in attrs if key == "style" or key.startswith("on")]
    assert inline == []
    javascript_urls = [ref for ref in references(page) if ref.strip().lower().startswith("javascript:")]
    assert javascript_urls == []


@pytest.mark.parametrize("name", PAGES)
def test_every_reference_is_a_file_of_the_site_or_an_anchor_on_the_page(name: str) -> None:
    page = parse(name)
    for reference in references(page):
        parts = urlsplit(reference)
        # No other origin: the CSP would block its styles, and the lab serves everything itself
        assert not parts.scheme, f"{name}: {reference} leaves the site"
        assert not parts.netloc, f"{name}: {reference} leaves the site"
        if reference.startswith("#"):
            assert reference[1:] in page.ids, f"{name}: {reference} names no element"
        else:
            assert resolve(reference, name).is_file(), f"{name}: {reference} is not a file in site/"


def test_the_404_page_links_by_absolute_path() -> None:
    # CloudFront serves 404.html for any missing address (/a/b/c too), so a relative
    # reference would resolve against the wrong folder there
    page = parse("404.html")
    relative = [ref for ref in references(page) if not ref.startswith(("/", "#"))]
    assert relative == []


def test_assets_are_named_by_their_content_and_all_are_used() -> None:
    # Given the cache policy keeps /assets/* for days, a changed asset must get a new name
    assets = sorted(path for path in (SITE / "assets").iterdir() if path.is_file())
    assert assets, "site/assets/ holds the versioned stylesheet"
    for asset in assets:
        match = VERSIONED.match(asset.name)
        assert match, f"{asset.name} is not named <stem>.<hash8>.<ext>"
        digest = hashlib.sha256(asset.read_bytes()).hexdigest()[:8]
        assert match["hash"] == digest, f"{asset.name}: content hash is {digest}; rename the file"
    # And every asset is referenced by a page (an orphan would be deployed and never served)
    used = {resolve(ref, name) for name in PAGES for ref in references(parse(name)) if not ref.startswith("#")}
    assert set(assets) <= used


def test_stylesheets_fetch_nothing_from_elsewhere() -> None:
    # A url(...) or @import in CSS is a reference too: it must stay on the site and exist
    for sheet in (SITE / "assets").glob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert "@import" not in text
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert not urlsplit(target).scheme, f"{sheet.name}: {target} leaves the site"
            assert resolve(target, f"assets/{sheet.name}").is_file()


def test_the_site_folder_holds_only_what_the_pages_need() -> None:
    # Everything in site/ is deployed; only the two pages and their assets belong there
    files = {path.relative_to(SITE).as_posix() for path in SITE.rglob("*") if path.is_file()}
    assets = {name for name in files if name.startswith("assets/")}
    assert files - assets == set(PAGES)
