"""Every test event under tests/<lab>/events/ has the shape AWS sends, and says where it comes from.

A hand-written event in a shape AWS never sends makes a handler test pass against an
event the deployed function never sees (the style guide: "take a published sample and
name its source; never edit a fixture to fit the code"). So:
- each events folder has a SOURCES.toml naming the Powertools parser model of its source
  (https://docs.powertools.aws.dev/lambda/python/latest/utilities/parser/#built-in-models)
  and, for each file, where it comes from: `published` (copied unchanged) or `written`;
- every *.json in the folder is listed there and parses with that model, so a new fixture
  is covered the moment it is added;
- each lab whose stack deploys a Lambda function has at least one published event, unless
  AWS defines no event for how that function is invoked (NO_AWS_EVENT says why).
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser import models

from stacks.labs import LABS

TESTS = Path(__file__).parent
ROOT = TESTS.parent
EVENT_DIRS = sorted(path for path in TESTS.glob("*/events") if path.is_dir())
EVENT_FILES = sorted(path for folder in EVENT_DIRS for path in folder.glob("*.json"))

# Labs whose function is invoked with the lab's own payload, not an AWS service event.
NO_AWS_EVENT = {
    "db_lambda": "invoked directly (aws lambda invoke) with the lab's own JSON actions",
    "ops_automation": 'invoked by EventBridge Scheduler with the schedule\'s own Input, {"scheduled_time": ...}',
}


def sources(folder: Path) -> dict[str, Any]:
    manifest = folder / "SOURCES.toml"
    assert manifest.is_file(), f"{folder.relative_to(ROOT)} has no SOURCES.toml naming its events' sources"
    return tomllib.loads(manifest.read_text())


def labs_with_functions() -> list[str]:
    """Lab packages whose stack code builds a function from lambda_src/<package>/."""
    found = []
    for lab in LABS:
        code = "\n".join(path.read_text() for path in (ROOT / "stacks" / lab.package).glob("*.py"))
        names = set(re.findall(r"[\"'](\w+)[\"']", code))
        if any((ROOT / "lambda_src" / name / "__init__.py").is_file() for name in names):
            found.append(lab.package)
    return found


def test_the_events_folders_are_found() -> None:
    # Guards the enumeration itself: an empty glob would make every test below pass.
    assert {folder.parent.name for folder in EVENT_DIRS} >= {
        "queue_worker",
        "s3_events",
        "security_baseline",
        "serverless_api",
    }
    assert len(EVENT_FILES) >= 10


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_each_event_parses_with_the_powertools_model_of_its_source(path: Path) -> None:
    manifest = sources(path.parent)
    model = getattr(models, manifest["model"])
    # model_validate raises a ValidationError on any field AWS's shape does not allow.
    parsed = model.model_validate(json.loads(path.read_text()))
    assert isinstance(parsed, model)


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_each_event_names_its_source(path: Path) -> None:
    entry = sources(path.parent).get("events", {}).get(path.name)
    assert entry is not None, f"{path.name} is not listed in {path.parent.relative_to(ROOT)}/SOURCES.toml"
    kinds = set(entry) & {"published", "written"}
    assert len(kinds) == 1, f"{path.name}: say either published or written, not {sorted(kinds)}"
    assert str(entry[kinds.pop()]).strip(), f"{path.name}: the source is empty"


@pytest.mark.parametrize("folder", EVENT_DIRS, ids=lambda folder: folder.parent.name)
def test_each_listed_event_exists(folder: Path) -> None:
    listed = set(sources(folder).get("events", {}))
    assert listed <= {path.name for path in folder.glob("*.json")}


@pytest.mark.parametrize("package", labs_with_functions())
def test_each_lab_with_a_function_has_a_published_event(package: str) -> None:
    if package in NO_AWS_EVENT:
        assert NO_AWS_EVENT[package].strip()  # the reason is the check: AWS defines no event to copy
        return
    folder = TESTS / package / "events"
    assert folder.is_dir(), f"tests/{package}/events/ is missing: the lab's function has no test event"
    published = [name for name, entry in sources(folder).get("events", {}).items() if "published" in entry]
    assert published, f"tests/{package}/events/ has no event copied from a published AWS sample"
    for name in published:
        assert str(sources(folder)["events"][name]["published"]).count("https://") >= 1


def test_the_labs_with_functions_are_found() -> None:
    assert set(labs_with_functions()) == {
        "db_lambda",
        "multi_region_failover",
        "ops_automation",
        "queue_worker",
        "s3_events",
        "security_baseline",
        "serverless_api",
    }
