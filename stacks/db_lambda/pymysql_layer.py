"""The pymysql layer: the folder `make pymysql-layer` builds from the one pin, as a Lambda layer."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from stacks.config import REPO_ROOT

PIN_FILE = REPO_ROOT / "layers" / "pymysql" / "requirements.txt"
# Absolute: jsii resolves relative asset paths against its own Node process's directory.
LAYER_DIR = REPO_ROOT / "build" / "pymysql-layer"


class LayerNotBuiltError(RuntimeError):
    """The layer folder is missing; the message says how to build it."""


def pinned_version() -> str:
    """The release in layers/pymysql/requirements.txt (PyMySQL==X.Y.Z)."""
    for line in PIN_FILE.read_text().splitlines():
        if line.startswith("PyMySQL=="):
            return line.removeprefix("PyMySQL==").strip()
    raise LayerNotBuiltError(f"{PIN_FILE.relative_to(REPO_ROOT)} has no PyMySQL==VERSION line")


def pymysql_layer(
    scope: Construct, construct_id: str, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture
) -> lambda_.LayerVersion:
    """build/pymysql-layer/ (python/pymysql/...): Lambda puts /opt/python on the function's path.

    Built without Docker from a pure-Python wheel (see the Makefile), so one folder serves
    arm64; synth only zips it and stays offline.
    """
    if not (LAYER_DIR / "python" / "pymysql" / "__init__.py").is_file():
        raise LayerNotBuiltError("build/pymysql-layer/python/pymysql is missing: run `make pymysql-layer` first")
    version = pinned_version()
    return lambda_.LayerVersion(
        scope,
        construct_id,
        code=lambda_.Code.from_asset(str(LAYER_DIR)),
        compatible_runtimes=[runtime],
        compatible_architectures=[architecture],
        description=f"PyMySQL {version} (pure Python), from layers/pymysql/requirements.txt",
    )
