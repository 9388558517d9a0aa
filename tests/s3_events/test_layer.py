"""The Pillow layer: pins, wheel checks and unpacking (offline), and the layer `make` built."""

from __future__ import annotations

import stat
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from scripts.s3_events import build_layer
from scripts.stack_outputs import ScriptError

REPO = Path(__file__).resolve().parents[2]


def write_wheel(path: Path, files: dict[str, tuple[bytes, int]]) -> Path:
    """A wheel-shaped zip: name -> (content, Unix mode)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, (content, mode) in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            archive.writestr(info, content)
    return path


def test_pins_are_read_and_must_be_exact(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("# the image library\npillow==13.0.0  # why\n\n")
    assert build_layer.read_pins(good) == ["pillow==13.0.0"]
    loose = tmp_path / "loose.txt"
    loose.write_text("pillow>=12\n")
    with pytest.raises(ScriptError, match=r"loose.txt line 1: 'pillow>=12' is not an exact pin; write name==version"):
        build_layer.read_pins(loose)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(ScriptError, match="pins no package"):
        build_layer.read_pins(empty)
    with pytest.raises(ScriptError, match=r"missing\.txt not found"):
        build_layer.read_pins(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    "name",
    [
        "pillow-13.0.0-cp314-cp314-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl",
        "somelib-1.0-cp312-abi3-manylinux_2_28_aarch64.whl",
        "pure-2.0-py3-none-any.whl",
    ],
)
def test_wheels_for_arm64_python_314_are_accepted(name: str) -> None:
    try:
        build_layer.check_wheel_fits(name)
    except ScriptError as refusal:
        pytest.fail(f"a wheel that loads on arm64 CPython 3.14 was refused: {refusal}")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("pillow-13.0.0-cp314-cp314-manylinux_2_28_x86_64.whl", "is not built for manylinux_2_28_aarch64 and cp314"),
        ("pillow-13.0.0-cp311-cp311-manylinux_2_28_aarch64.whl", "is not built for"),
        ("pillow-13.0.0-cp314-cp314-win_arm64.whl", "is not built for"),
        ("pillow-13.0.0.tar.gz", "is not a wheel"),
    ],
)
def test_wheels_for_another_platform_are_refused(name: str, reason: str) -> None:
    with pytest.raises(ScriptError, match=reason):
        build_layer.check_wheel_fits(name)


def test_unpacking_puts_the_packages_under_python_with_their_modes_and_replaces_an_old_layer(tmp_path: Path) -> None:
    # Given a layer folder left from an older pin, and a new wheel with a native module
    layer = tmp_path / "layer"
    (layer / "python" / "PIL").mkdir(parents=True)
    (layer / "python" / "PIL" / "stale.py").write_text("old")
    wheel = write_wheel(
        tmp_path / "pillow-13.0.0-cp314-cp314-manylinux_2_28_aarch64.whl",
        {
            "PIL/__init__.py": (b"# init", 0o644),
            "PIL/_imaging.cpython-314-aarch64-linux-gnu.so": (b"\x7fELF", 0o755),
            "pillow-13.0.0.dist-info/METADATA": (b"Name: pillow", 0o644),
        },
    )
    # When unpacked
    written = build_layer.unpack([wheel], layer)
    # Then python/ holds exactly the new files, modes kept; nothing of the old layer is left
    files = sorted(str(p.relative_to(layer)) for p in layer.rglob("*") if p.is_file())
    assert files == [
        "python/PIL/__init__.py",
        "python/PIL/_imaging.cpython-314-aarch64-linux-gnu.so",
        "python/pillow-13.0.0.dist-info/METADATA",
    ]
    native = layer / "python" / "PIL" / "_imaging.cpython-314-aarch64-linux-gnu.so"
    assert stat.S_IMODE(native.stat().st_mode) == 0o755
    assert written == len(b"# init") + len(b"\x7fELF") + len(b"Name: pillow")


def test_a_wheel_with_a_path_outside_the_layer_is_refused(tmp_path: Path) -> None:
    wheel = write_wheel(tmp_path / "evil-1.0-py3-none-any.whl", {"../../outside.py": (b"x", 0o644)})
    with pytest.raises(ScriptError, match="unsafe path"):
        build_layer.unpack([wheel], tmp_path / "layer")
    assert not (tmp_path / "outside.py").exists()


def test_a_failed_download_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        assert command[command.index("--platform") + 1] == "manylinux_2_28_aarch64"
        assert command[command.index("--python-version") + 1] == "3.14"
        assert "--only-binary=:all:" in command
        stderr = "WARNING: Retrying...\nERROR: Could not find a version that satisfies the requirement pillow==99\n"
        return subprocess.CompletedProcess(command, 1, "", stderr)

    monkeypatch.setattr(subprocess, "run", offline)
    with pytest.raises(ScriptError) as error:
        build_layer.download(["pillow==99"], tmp_path / "wheels")
    assert str(error.value) == (
        "cannot download pillow==99 for manylinux_2_28_aarch64 / cp314: "
        "ERROR: Could not find a version that satisfies the requirement pillow==99"
    )


def test_the_built_layer_is_the_pinned_pillow_for_arm64_python_314() -> None:
    # `make test` and `make synth` build it first (Makefile: $(PILLOW_LAYER_STAMP)); pytest alone does not.
    python = build_layer.LAYER_DIR / "python"
    assert python.is_dir(), "no Pillow layer: run `make pillow-layer`"
    (pin,) = build_layer.read_pins(build_layer.REQUIREMENTS)
    name, version = pin.split("==")
    assert (python / f"{name}-{version}.dist-info").is_dir(), f"the layer is not {pin}: run `make pillow-layer`"
    assert sorted(p.name for p in python.glob("*.dist-info")) == [f"{name}-{version}.dist-info"]
    assert (python / "PIL" / "_imaging.cpython-314-aarch64-linux-gnu.so").is_file()
    assert not list(python.rglob("*x86_64*.so"))


def test_local_tests_use_the_same_pillow_as_the_layer() -> None:
    import PIL

    (pin,) = build_layer.read_pins(build_layer.REQUIREMENTS)
    assert pin == f"pillow=={PIL.__version__}", "reinstall the dev requirements: make setup"
    assert "-r layers/pillow/requirements.txt" in (REPO / "requirements-dev.txt").read_text().splitlines()
