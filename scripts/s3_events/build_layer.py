"""Build the thumbnailer's Pillow layer for the Lambda function's platform, without Docker.

    python -m scripts.s3_events.build_layer        # what `make pillow-layer` runs (make synth/test need it)

Pillow is a compiled library: the wheel pip installs locally (x86_64, Python 3.11) would
not load in the function (arm64, Python 3.14). So this downloads the wheels of the pins in
layers/pillow/requirements.txt built for the function's platform -- manylinux_2_28
aarch64 (the python3.14 runtime runs on Amazon Linux 2023, glibc 2.34) and CPython 3.14 --
and unpacks them into build/pillow-layer/python/, the folder Lambda puts on sys.path for a
layer. A wheel is a zip file: unpacking it is what installing it amounts to, and needs no
Docker and no build tools. The stack packages that folder with `Code.from_asset`, so synth
and tests stay offline; only this set-up step needs the network, and only when the pin changes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from scripts.stack_outputs import OneLineParser, ScriptError, run

REPO = Path(__file__).resolve().parents[2]
REQUIREMENTS = REPO / "layers" / "pillow" / "requirements.txt"
LAYER_DIR = REPO / "build" / "pillow-layer"
WHEEL_DIR = REPO / "build" / "pillow-wheels"
# The function's platform (stacks/s3_events: arm64, Python 3.14). Change them together.
PLATFORM = "manylinux_2_28_aarch64"
PYTHON_VERSION = "3.14"
PYTHON_TAG = "cp314"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")
# name-version(-build)?-python-abi-platform.whl (PEP 427)
_WHEEL = re.compile(r"^[^-]+-[^-]+(-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$")


def read_pins(path: Path) -> list[str]:
    """The exact pins (`name==version`) of a requirements file; anything looser is an error."""
    if not path.is_file():
        raise ScriptError(f"{path.name} not found: it pins the layer's packages (e.g. pillow==13.0.0)")
    pins = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not _PIN.match(line):
            raise ScriptError(f"{path.name} line {number}: {line!r} is not an exact pin; write name==version")
        pins.append(line)
    if not pins:
        raise ScriptError(f"{path.name} pins no package; the layer needs at least pillow==<version>")
    return pins


def check_wheel_fits(filename: str) -> None:
    """Refuses a wheel that would not load on arm64 CPython 3.14 (or is not a wheel at all)."""
    match = _WHEEL.match(filename)
    if not match:
        raise ScriptError(f"{filename} is not a wheel; only wheels can be unpacked without building")
    platforms = match["plat"].split(".")
    pure = platforms == ["any"] and match["abi"] == "none"
    native = all(p.endswith("_aarch64") for p in platforms) and (
        PYTHON_TAG in match["py"].split(".") or match["abi"] == "abi3"
    )
    if not (pure or native):
        raise ScriptError(f"{filename} is not built for {PLATFORM} and {PYTHON_TAG}")


def download(pins: Sequence[str], dest: Path) -> list[Path]:
    """pip download of exactly these pins for the function's platform; returns the wheels."""
    shutil.rmtree(dest, ignore_errors=True)  # only this run's wheels: an old pin must not linger
    dest.mkdir(parents=True)
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--only-binary=:all:", "--platform", PLATFORM, "--python-version", PYTHON_VERSION,
        "--implementation", "cp", "--dest", str(dest), *pins,
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        lines = [line.strip() for line in completed.stderr.splitlines() if line.strip()]
        last = lines[-1] if lines else f"pip exited with {completed.returncode}"
        raise ScriptError(f"cannot download {' '.join(pins)} for {PLATFORM} / {PYTHON_TAG}: {last}")
    wheels = sorted(dest.glob("*.whl"))
    if not wheels:
        raise ScriptError(f"pip downloaded no wheel for {' '.join(pins)}")
    return wheels


def unpack(wheels: Sequence[Path], layer_dir: Path) -> int:
    """Unpacks the wheels into layer_dir/python/ (replacing what was there); returns the bytes written."""
    for wheel in wheels:
        check_wheel_fits(wheel.name)
    shutil.rmtree(layer_dir, ignore_errors=True)
    target = layer_dir / "python"
    target.mkdir(parents=True)
    total = 0
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.infolist():
                parts = PurePosixPath(member.filename).parts
                if member.filename.startswith("/") or ".." in parts:
                    raise ScriptError(f"{wheel.name} holds an unsafe path {member.filename!r}; refusing to unpack")
                if member.is_dir():
                    continue
                path = target.joinpath(*parts)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.read(member))
                # zipfile drops Unix modes; keep them (read/execute bits), as pip install would.
                mode = (member.external_attr >> 16) & 0o777
                path.chmod(mode or 0o644)
                total += member.file_size
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requirements", type=Path, default=REQUIREMENTS, help="the pins (default: %(default)s)")
    parser.add_argument("--layer-dir", type=Path, default=LAYER_DIR, help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    pins = read_pins(args.requirements)
    wheels = download(pins, WHEEL_DIR)
    size = unpack(wheels, args.layer_dir)
    names = ", ".join(wheel.name for wheel in wheels)
    print(f"layer {args.layer_dir / 'python'}: {size / 1e6:.1f} MB unpacked from {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
