"""Stage configuration: what every lab shares. Read once from `cdk.json` context.

`cdk.json` holds one block per stage under `stages`; `-c stage=NAME` picks one
(default: `sandbox`). A block holds the stage-level key `protect_data` and one
section per lab of the registry (`stacks/labs.py`), keyed by the lab's package
name. Each lab's section is a pydantic model in `stacks/<lab>/config.py`, built on
`LabSection` below: frozen, strict types, unknown keys rejected, constraints and
descriptions on each `Field` (the README's configuration tables are generated
from those descriptions).

Any bad value stops the synth with one line (`ConfigError`: the key, the value and
what is allowed) before any construct exists, instead of a jsii stack trace.
Stacks and components receive the typed sections; they never read context or the
environment themselves.
"""

from __future__ import annotations

import difflib
import json
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

DEFAULT_STAGE = "sandbox"
REPO_ROOT = Path(__file__).resolve().parent.parent
CDK_JSON = REPO_ROOT / "cdk.json"
STAGE_KEYS = ("protect_data",)


class ConfigError(Exception):
    """A bad configuration value; its message is the one line the user sees."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        super().__init__(f"invalid configuration: {key} = {_shown(value)}: {allowed}")
        self.key = key

    @classmethod
    def unknown_key(cls, path: str, name: str, value: Any, allowed: Sequence[str]) -> ConfigError:
        """A key the block does not have: named as unknown, with the closest allowed key if one is close."""
        closest = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean {closest[0]}? " if closest else ""
        return cls(f"{path}.{name}", value, f"unknown key; {hint}allowed keys: " + ", ".join(allowed))


def _shown(value: Any) -> str:
    """The value as the user wrote it; an object is a whole block, so it is not printed into the line."""
    if isinstance(value, Mapping):
        return "{...}"
    return json.dumps(value) if _json_safe(value) else repr(value)


class FieldError(Exception):
    """Raised by a section's cross-field check: names the field; the loader adds the path.

    Not a ValueError on purpose: pydantic lets it through unwrapped, with its field name.
    """

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        super().__init__(allowed)
        self.field, self.value, self.allowed = field, value, allowed


def _json_safe(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


class LabSection(BaseModel):
    """Base of every lab's config section: frozen, strict JSON types, no unknown keys.

    A key whose type allows None may be absent (the CDK CLI drops null context values);
    every other key is required. Cross-field checks are `model_validator(mode="after")`
    methods that raise `FieldError`.
    """

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid", validate_default=False)

    # Valid values for every optional key and flag of the section, valid in every stage: the
    # tests synthesize each stage once more with these set ("<stage>-all-options"), so that a
    # configuration the README invites (an alarm e-mail, a certificate) is gated like the defaults.
    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {}
    # Optional keys or flags the all-options variant leaves as each stage has them, with why.
    ALL_OPTIONS_EXEMPT: ClassVar[Mapping[str, str]] = {}


S = TypeVar("S", bound=LabSection)


@dataclass(frozen=True)
class StageConfig:
    """Everything one stage configures. `protect_data` is the sandbox/prod switch for stateful resources."""

    stage: str
    protect_data: bool
    sections: Mapping[str, LabSection]

    def section(self, kind: type[S]) -> S:
        """The lab section of type `kind`, typed: `config.section(ThreeTierConfig).nat_type`."""
        for section in self.sections.values():
            if isinstance(section, kind):
                return section
        raise KeyError(f"no {kind.__name__} section in stage {self.stage}")


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
def cdk_json_context() -> dict[str, Any]:
    """The `context` block of cdk.json (feature flags and stages), for tests and scripts.

    app.py does not call this: the CDK CLI reads cdk.json and passes its context in.
    """
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    return context


def stage_names(context: Mapping[str, Any] | None = None) -> list[str]:
    """The stages cdk.json defines, sandbox first."""
    stages = (context or cdk_json_context())["stages"]
    return sorted(stages, key=lambda name: (name != DEFAULT_STAGE, name))


def load_stage_config(context: Mapping[str, Any]) -> StageConfig:
    """Builds the StageConfig for the stage named by context["stage"] (default sandbox)."""
    from stacks.labs import LABS  # the registry imports lab modules; import it when loading
    from stacks.rehearsal_stage import with_rehearsal_stage  # it reads this module's helpers

    stages = with_rehearsal_stage(context)
    if not isinstance(stages, Mapping) or not stages:
        raise ConfigError("stages", stages, "cdk.json context must hold a 'stages' object with one block per stage")
    stage = context.get("stage", DEFAULT_STAGE)
    if stage not in stages:
        raise ConfigError("stage", stage, "must be one of " + ", ".join(sorted(stages)) + " (set with -c stage=NAME)")
    path = f"stages.{stage}"
    block = stages[stage]
    if not isinstance(block, Mapping):
        raise ConfigError(path, block, "must be an object")
    expected = [*STAGE_KEYS, *(lab.package for lab in LABS)]
    unknown = sorted(set(block) - set(expected))
    if unknown:
        raise ConfigError.unknown_key(path, unknown[0], block[unknown[0]], expected)
    missing = [key for key in expected if key not in block]
    if missing:
        raise ConfigError(f"{path}.{missing[0]}", None, "is missing; this block needs: " + ", ".join(expected))
    protect_data = block["protect_data"]
    if not isinstance(protect_data, bool):
        raise ConfigError(f"{path}.protect_data", protect_data, "must be true or false")
    sections = {
        lab.package: parse_section(lab.config_type(), block[lab.package], f"{path}.{lab.package}") for lab in LABS
    }
    return StageConfig(stage=stage, protect_data=protect_data, sections=sections)


def parse_section(kind: type[S], raw: Any, path: str) -> S:
    """Validates one lab's block; the first problem becomes a one-line ConfigError."""
    if not isinstance(raw, Mapping):
        raise ConfigError(path, raw, "must be an object")
    # Unknown keys first: a misspelled key is also a missing one, and "is missing" would hide the typo.
    unknown = [name for name in raw if name not in kind.model_fields]
    if unknown:
        raise ConfigError.unknown_key(path, unknown[0], raw[unknown[0]], list(kind.model_fields))
    try:
        return kind.model_validate(dict(raw))
    except FieldError as problem:
        raise ConfigError(f"{path}.{problem.field}", problem.value, problem.allowed) from None
    except ValidationError as error:
        raise _one_line(kind, error.errors()[0], raw, path) from None


# pydantic's error types, in the words the README and the tests use.
_TYPE_WORDS = {
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "string_type": "must be a string",
    "dict_type": "must be an object",
}


def _one_line(kind: type[LabSection], error: ErrorDetails, raw: Mapping[str, Any], path: str) -> ConfigError:
    field, *rest = error["loc"]
    name = str(field)
    key = f"{path}.{name}" + "".join(f"[{index}]" for index in rest)
    value = error["input"]
    fields = kind.model_fields
    kind_of = error["type"]
    if kind_of == "missing":
        return ConfigError(key, None, "is missing; this block needs: " + ", ".join(fields))
    if kind_of in _TYPE_WORDS:
        return ConfigError(key, value, _TYPE_WORDS[kind_of])
    if kind_of == "tuple_type":
        return ConfigError(key, value, "must be a list of numbers")
    if kind_of in ("too_short", "too_long"):
        bounds = _bounds(kind, name, "min_length", "max_length")
        return ConfigError(key, value, f"must be a list of {bounds[0]} to {bounds[1]} items")
    if kind_of in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(kind, name, "ge", "le", item=bool(rest))
        return ConfigError(key, value, f"must be between {low:g} and {high:g}")
    if kind_of == "literal_error":
        allowed = typing.get_args(fields[name].annotation)
        return ConfigError(key, value, "must be one of " + ", ".join(json.dumps(option) for option in allowed))
    if kind_of == "value_error":
        return ConfigError(key, value, error["msg"].removeprefix("Value error, "))
    return ConfigError(key, value, error["msg"])


def _bounds(kind: type[LabSection], name: str, low_attr: str, high_attr: str, *, item: bool = False) -> tuple[Any, Any]:
    """The (low, high) constraints of a field, or of its items, from its Field metadata."""
    metadata: list[Any] = list(kind.model_fields[name].metadata)
    if item:
        (item_type,) = {a for a in typing.get_args(kind.model_fields[name].annotation) if a is not Ellipsis}
        metadata = list(typing.get_args(item_type)[1:])
    # A Field(...) inside Annotated keeps its constraints in its own metadata list.
    flat = [inner for m in metadata for inner in (m.metadata if isinstance(m, FieldInfo) else [m])]
    low = next(getattr(m, low_attr) for m in flat if getattr(m, low_attr, None) is not None)
    high = next(getattr(m, high_attr) for m in flat if getattr(m, high_attr, None) is not None)
    return low, high
