"""The pymysql layer (built by `make pymysql-layer`) and the MariaDB the tests need."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from stacks.config import REPO_ROOT
from stacks.db_lambda.pymysql_layer import PIN_FILE, pinned_version
from tests.db_lambda import mariadb

LAYER = REPO_ROOT / "build" / "pymysql-layer"


def test_the_pin_file_holds_exactly_one_pin() -> None:
    pins = [line for line in PIN_FILE.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert pins == [f"PyMySQL=={pinned_version()}"]


def test_the_layer_holds_the_pinned_pure_python_pymysql_under_python() -> None:
    # Given the layer folder as `make setup` builds it (Lambda adds /opt/python to sys.path)
    if not (LAYER / "python").is_dir():
        pytest.fail("build/pymysql-layer/python/ is missing: run `make pymysql-layer`", pytrace=False)
    # When its wheel metadata is read
    dist_infos = sorted((LAYER / "python").glob("*.dist-info"))
    wheel_tags = [line for line in (dist_infos[0] / "WHEEL").read_text().splitlines() if line.startswith("Tag:")]
    # Then it is the pinned release, for any platform, with nothing compiled in it
    assert [path.name for path in dist_infos] == [f"pymysql-{pinned_version()}.dist-info"]
    assert wheel_tags == ["Tag: py3-none-any"]
    assert (LAYER / "python" / "pymysql" / "connections.py").is_file()
    assert not [path for path in LAYER.rglob("*") if path.suffix in (".so", ".pyd")]


def test_the_tests_run_the_release_the_function_gets() -> None:
    assert importlib.metadata.version("PyMySQL") == pinned_version()


def test_without_mariadb_the_server_start_fails_with_a_one_line_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given a machine where neither mariadbd nor mysqld can be found
    monkeypatch.setattr(mariadb, "_SEARCH_PATH", str(tmp_path))
    # When the tests' server is started
    with pytest.raises(mariadb.MariaDBUnavailableError) as raised:
        mariadb.start()
    # Then the one-line error says how to install it
    message = str(raised.value)
    assert message == (
        "MariaDB is not installed (mariadbd not found): run `make mariadb` "
        "(or: sudo apt-get install -y --no-install-recommends mariadb-server)"
    )
