"""A Lambda function's code asset: its own package from lambda_src/, nothing else."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import aws_lambda as lambda_

# Absolute: jsii resolves relative asset paths against its own Node process's directory.
LAMBDA_SRC = Path(__file__).resolve().parents[2] / "lambda_src"


def package_code(package: str) -> lambda_.Code:
    """The asset `lambda_src/<package>/`, rooted at lambda_src/ so that the handler's
    package-absolute imports (`from queue_worker import logic`) resolve the same in
    Lambda and in the tests; every other function's package is left out.
    """
    if not (LAMBDA_SRC / package / "__init__.py").is_file():
        raise ValueError(f"no Lambda package lambda_src/{package}/ (it needs an __init__.py)")
    return lambda_.Code.from_asset(
        str(LAMBDA_SRC),
        # Glob exclusions, applied in order: everything, then back in only this package.
        exclude=["*", f"!{package}", f"!{package}/**", "**/__pycache__", "**/*.pyc"],
    )
