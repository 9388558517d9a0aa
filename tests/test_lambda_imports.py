"""Every function's handler imports in a bare interpreter: no AWS settings, none of its variables.

Lambda imports the handler module before the first request (and in the init phase, where
a failure is a cold start that never serves). Importing must read no missing variable,
create no AWS client (a client needs a region and credentials, and costs each cold start
time for a call that may never come) and print nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LAMBDA_SRC = Path(__file__).resolve().parents[1] / "lambda_src"
PACKAGES = sorted(path.parent.name for path in LAMBDA_SRC.glob("*/handler.py"))
# The X-Ray SDK makes a client for its sampling rules when aws_xray_sdk.core is imported
# (the orders API's Tracer): the library's, not one of ours.
LIBRARY_CLIENTS = {"xray"}
_IMPORT = """
import json, sys
import botocore.session
created = []
create_client = botocore.session.Session.create_client
def recording(self, service_name, *args, **kwargs):
    created.append(service_name)
    return create_client(self, service_name, *args, **kwargs)
botocore.session.Session.create_client = recording
import {package}.handler
print(json.dumps(created))
"""


def test_every_function_package_is_found() -> None:
    assert PACKAGES == [
        "db_lambda",
        "failover_site",
        "guardduty_remediation",
        "ops_chores",
        "orders_api",
        "queue_worker",
        "thumbnailer",
    ]


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_the_handler_needs_no_aws_settings_or_variables_and_creates_no_client(package: str) -> None:
    # Given a fresh interpreter with no AWS_* settings, no HOME and none of the function's variables
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(LAMBDA_SRC),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    # When it imports the handler module
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT.format(package=package)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Then the import succeeds, prints nothing and created no client of ours
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    created = json.loads(result.stdout)
    assert sorted(set(created) - LIBRARY_CLIENTS) == []
