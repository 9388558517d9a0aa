"""What a lab is (stacks/labs.py declares them): its names, its stacks and where its code lives.

Modules are named, not imported: nothing here imports CDK or pydantic.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stacks.config import LabSection
    from stacks.cost_model import Line

# Where a stack of a multi-region lab runs: its section's `<role>_region`, except the global
# part (Route 53 is a global service; its stack still needs a home), which runs in the primary region.
STACK_ROLES = ("primary", "secondary", "global")


@dataclass(frozen=True)
class LabStack:
    """One stack of a lab made of several: its id, its class and the region role it runs in.

    The region itself is not here: it comes from the stage's section (`primary_region`,
    `secondary_region`), so a learner moves the lab with cdk.json alone.
    """

    stack_id: str  # `cdk deploy <id>`
    stack_class: str  # class name in stacks/<package>/stack.py
    role: str  # one of STACK_ROLES

    @property
    def region_key(self) -> str:
        """The section field that names this stack's region."""
        return "primary_region" if self.role == "global" else f"{self.role}_region"


@dataclass(frozen=True)
class Lab:
    """One lab: its names, its guide sections and where its code lives."""

    name: str  # "queue-worker": make LAB=..., README anchor, the `Lab` tag
    stack_id: str  # "QueueWorker": `cdk deploy QueueWorker`, no stage in it
    package: str  # "queue_worker": stacks/<package>/, its cdk.json section, scripts/ and tests/ folders
    stack_class: str  # class name in stacks/<package>/stack.py
    config_class: str  # class name in stacks/<package>/config.py
    title: str  # the architecture in one line, as the README's labs table shows it
    practises: str  # what a learner practises in it, one line of the README's labs table
    guide: tuple[str, ...]  # the study guide sections it reproduces
    description: str  # the stack's CloudFormation description
    region: str | None = None  # a region the lab must be deployed in; None: any
    # Why `make rehearse` (the local emulator, scripts/rehearse/) cannot run the lab; "" when it can.
    # tests/rehearse/test_registry.py checks the resource types named here against the emulator.
    rehearsal_gap: str = ""
    # A lab of several stacks (one per region and a global part) lists them in deploy order;
    # `stack_id` is then its front-door stack (the one `verify` reads) and must be one of them.
    stacks: tuple[LabStack, ...] = ()

    def __post_init__(self) -> None:
        if self.stacks and self.stack_id not in self.stack_ids:
            raise ValueError(f"{self.name}: stack_id {self.stack_id} is not one of its stacks")
        unknown = [stack.role for stack in self.stacks if stack.role not in STACK_ROLES]
        if unknown:
            raise ValueError(f"{self.name}: stack role {unknown[0]!r} must be one of " + ", ".join(STACK_ROLES))

    @property
    def stack_specs(self) -> tuple[LabStack, ...]:
        """Every stack of the lab in deploy order (destroy: the reverse); one for most labs."""
        return self.stacks or (LabStack(self.stack_id, self.stack_class, "primary"),)

    @property
    def stack_ids(self) -> tuple[str, ...]:
        """Every stack id of the lab, in deploy order: what the gates iterate."""
        return tuple(stack.stack_id for stack in self.stack_specs)

    def stack_regions(self, section: LabSection) -> dict[str, str | None]:
        """Stack id -> the region it is synthesized for (None: environment-agnostic)."""
        if not self.stacks:
            return {self.stack_id: self.region}
        return {stack.stack_id: str(getattr(section, stack.region_key)) for stack in self.stacks}

    def regions(self, section: LabSection) -> tuple[str, ...]:
        """The distinct pinned regions the lab needs (bootstrap, leftovers), in deploy order."""
        return tuple(dict.fromkeys(region for region in self.stack_regions(section).values() if region))

    @property
    def guide_page(self) -> str:
        """The lab's guide, relative to the repository root: docs/labs/<name>.md."""
        return f"docs/labs/{self.name}.md"

    def module(self, name: str) -> ModuleType:
        """stacks/<package>/<name>.py, imported on first use."""
        return importlib.import_module(f"stacks.{self.package}.{name}")

    def config_type(self) -> type[LabSection]:
        kind: type[LabSection] = getattr(self.module("config"), self.config_class)
        return kind

    def stack_type(self, stack_class: str | None = None) -> Any:
        return getattr(self.module("stack"), stack_class or self.stack_class)

    def cost_lines(self, section: LabSection) -> list[Line]:
        """The lab's monthly cost for one stage's section, from stacks/<package>/cost.py."""
        lines: list[Line] = self.module("cost").monthly_lines(section)
        return lines


def no_provisioner(*resource_types: str) -> str:
    """A rehearsal gap: resource types the emulator cannot create (it fails the stack on them)."""
    return "the emulator has no provisioner for " + ", ".join(resource_types)
