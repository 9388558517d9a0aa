"""cfn-lint results cached by template content, so an unchanged template is not linted twice.

Linting is the slowest gate (ThreeTier's template alone takes seconds). The key is the
SHA-256 of the template's bytes, the cfn-lint version and the ignored rules, so any
change to any of them lints again; a fresh clone (CI) has no cache and lints everything.
Only clean results are cached: a template with findings is linted on every run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from cfnlint.api import ManualArgs, lint_file

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "cfn-lint"


def cache_key(template: Path, ignored: Sequence[str]) -> str:
    digest = hashlib.sha256(template.read_bytes())
    digest.update(json.dumps({"cfn-lint": version("cfn-lint"), "ignored": sorted(ignored)}).encode())
    return digest.hexdigest()


def problems(template: Path, ignored: Sequence[str], *, cache_dir: Path = CACHE_DIR) -> list[str]:
    """cfn-lint's errors and warnings for one template (informational notes are advice only)."""
    marker = cache_dir / f"{cache_key(template, ignored)}.clean"
    if marker.exists():
        return []
    found = [
        f"{template.parent.name}/{template.name}: {match.rule.id} {match.message} ({match.linenumber})"
        for match in lint_file(template, ManualArgs(ignore_checks=list(ignored)))
        if not match.rule.id.startswith("I")
    ]
    if not found:
        cache_dir.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{template.name}\n")
    return found
