"""The guard of the handler's import budget (target: under 300 ms, scripts/serverless_api/bench.py).

Powertools' OpenAPI validation and pydantic were about 250 ms of every cold start; the
function now checks requests with orders_api/validation.py and leaves pydantic to the
document (models.py, scripts/serverless_api/openapi.py). Importing either again, directly
or through a module that does, fails here, in a fresh interpreter with Lambda's environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scripts.serverless_api import bench

_LOADED = "import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
OPENAPI = "aws_lambda_powertools.event_handler.openapi"
# What enable_validation and get_openapi_schema load: the pydantic side of Powertools.
VALIDATION_MODULES = (
    f"{OPENAPI}.params",
    f"{OPENAPI}.compat",
    f"{OPENAPI}.models",
    f"{OPENAPI}.dependant",
    f"{OPENAPI}.encoders",
    f"{OPENAPI}.schema_generator",
    f"{OPENAPI}.pydantic_loader",
    "aws_lambda_powertools.event_handler.middlewares.openapi_validation",
)


def modules_after_importing(module: str, tmp_path: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", _LOADED.format(module=module)],
        env=bench.lambda_environment(str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stdout))


def test_the_handler_imports_no_pydantic_and_no_openapi_validation(tmp_path: Path) -> None:
    loaded = modules_after_importing("orders_api.handler", tmp_path)
    assert "orders_api.api" in loaded
    assert sorted(name for name in loaded if name.split(".")[0] in ("pydantic", "pydantic_core")) == []
    assert "orders_api.models" not in loaded
    assert sorted(loaded.intersection(VALIDATION_MODULES)) == []
    # Powertools' resolver itself imports a few pydantic-free modules of the openapi package
    # (its config, constants, exceptions): the handler may load those and no other.
    resolver = modules_after_importing("aws_lambda_powertools.event_handler", tmp_path)
    assert not any(name.startswith("pydantic") for name in resolver)
    assert sorted(name for name in loaded - resolver if name.startswith(OPENAPI)) == []
