"""The emulator's one documented workaround: a Powertools layer of our own, by parameter."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from scripts.rehearse import workarounds
from tests.harness import SynthesizedStage


def test_each_public_powertools_parameter_is_pointed_at_ours(sandbox: SynthesizedStage) -> None:
    template = sandbox.template_json("OpsAutomation")
    [override] = workarounds.parameter_overrides(template)
    name, value = override.split("=")
    assert template["Parameters"][name]["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert template["Parameters"][name]["Default"].startswith("/aws/service/powertools/python/arm64/python3.14/")
    assert value == workarounds.POWERTOOLS_LAYER_PARAMETER
    assert workarounds.parameter_overrides(sandbox.template_json("Fanout")) == []  # no function, no layer


def test_the_layer_zip_holds_python_at_its_root(tmp_path: Path) -> None:
    (tmp_path / "python" / "aws_lambda_powertools").mkdir(parents=True)
    (tmp_path / "python" / "aws_lambda_powertools" / "__init__.py").write_text("")
    (tmp_path / "python" / "__pycache__").mkdir()
    (tmp_path / "python" / "__pycache__" / "x.pyc").write_text("")
    names = zipfile.ZipFile(io.BytesIO(workarounds.layer_zip(tmp_path))).namelist()
    assert names == ["python/aws_lambda_powertools/__init__.py"]


def test_a_missing_layer_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make rehearse-setup"):
        workarounds.layer_zip(tmp_path)


def test_publishing_writes_the_layer_arn_into_our_parameter(aws: Any, tmp_path: Path) -> None:
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "module.py").write_text("X = 1\n")
    arn = workarounds.publish_powertools_layer(aws, tmp_path)
    assert ":layer:rehearsal-powertools:" in arn
    stored = aws.client("ssm").get_parameter(Name=workarounds.POWERTOOLS_LAYER_PARAMETER)["Parameter"]["Value"]
    assert stored == arn
