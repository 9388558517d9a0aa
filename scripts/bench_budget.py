"""Where `make unit`'s time goes, and what the ratio target leaves for it (used by scripts.bench).

pytest's `--durations=0 --durations-min=0` lists every test's setup, call and teardown;
summed by part they show what a worker spends its time on. The budget arithmetic says
what a ratio target allows: `make unit` may take `target x make synth` of wall time,
which is that much time on each worker; every worker first collects the suite; the
tests of synthesized apps all run on one worker (tests/conftest.py); the rest share
what is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# pytest's durations line: "1.23s call     tests/x/test_y.py::test_z[param]@group"
_DURATION = re.compile(r"^(?P<seconds>\d+(?:\.\d+)?)s (?:setup|call|teardown)\s+(?P<nodeid>\S.*)$")
SYNTH_PART = "synthesized apps and their tests (one worker)"
# The xdist group every test of a synthesized app is in (tests/conftest.py SYNTH_GROUP).
_SYNTH_SUFFIX = "@synthesized-apps"
SHOWN_FROM = 0.1  # seconds: parts that take less are counted, not listed


def part_of(nodeid: str) -> str:
    """The part a test belongs to: the synthesized apps' group, a lab's folder, or the root gates."""
    if nodeid.endswith(_SYNTH_SUFFIX):
        return SYNTH_PART
    path = nodeid.split("::", 1)[0]
    folders = path.split("/")
    return f"{folders[0]}/{folders[1]}/" if len(folders) > 2 else path


def seconds_by_part(pytest_output: str) -> dict[str, float]:
    """Test time (setup + call + teardown) summed per part, from pytest's durations list."""
    parts: dict[str, float] = {}
    for line in pytest_output.splitlines():
        match = _DURATION.match(line.strip())
        if match:
            part = part_of(match["nodeid"])
            parts[part] = parts.get(part, 0.0) + float(match["seconds"])
    if not parts:
        raise ValueError("no test durations in the pytest output (run it with --durations=0 --durations-min=0)")
    return parts


@dataclass(frozen=True)
class Budget:
    """Seconds of worker time: what the target allows, and what the parts take today."""

    allowed_wall: float
    workers: int
    collection: float
    synth_part: float
    rest_today: float

    @property
    def rest_allowed(self) -> float:
        """What the target leaves for every test outside the synthesized apps, on all workers."""
        return self.workers * (self.allowed_wall - self.collection) - self.synth_part

    @property
    def rest_cut_needed(self) -> float:
        """The share of the rest's time that would have to go (0 when it already fits)."""
        if self.rest_today <= 0:
            return 0.0
        return max(0.0, 1 - max(self.rest_allowed, 0.0) / self.rest_today)


def budget(
    parts: dict[str, float], *, synth_seconds: float, target_ratio: float, workers: int, collection: float
) -> Budget:
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    synth_part = parts.get(SYNTH_PART, 0.0)
    return Budget(
        allowed_wall=target_ratio * synth_seconds,
        workers=workers,
        collection=collection,
        synth_part=synth_part,
        rest_today=sum(parts.values()) - synth_part,
    )


def report(parts: dict[str, float], plan: Budget, target_ratio: float) -> list[str]:
    total = sum(parts.values())
    lines = [f"Test time by part (setup + call + teardown, median of the runs; {total:.1f} s in all):"]
    ranked = sorted(parts.items(), key=lambda item: -item[1])
    lines += [f"  {seconds:6.1f} s  {part}" for part, seconds in ranked if seconds >= SHOWN_FROM]
    if hidden := sum(1 for _, seconds in ranked if seconds < SHOWN_FROM):
        lines.append(f"  and {hidden} part(s) under {SHOWN_FROM} s each")
    lines += [
        f"Budget at ratio {target_ratio:g}: make unit may take {plan.allowed_wall:.1f} s, that is"
        f" {plan.allowed_wall:.1f} s on each of {plan.workers} worker(s); each first collects the suite"
        f" ({plan.collection:.1f} s) and one runs the synthesized apps ({plan.synth_part:.1f} s).",
        f"That leaves {max(plan.rest_allowed, 0.0):.1f} s for every other test; they take {plan.rest_today:.1f} s"
        + (f" (a cut of {plan.rest_cut_needed:.0%})." if plan.rest_cut_needed else ": the target fits."),
    ]
    return lines
