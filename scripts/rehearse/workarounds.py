"""The emulator's documented gaps, each worked around here and nowhere else.

1. The Powertools layer. The labs' functions take AWS's public Powertools layer from the
   public SSM parameter /aws/service/powertools/... (stacks/components/powertools_layer.py).
   MiniStack has no such parameter, and /aws/ names are reserved, so the rehearsal
   publishes a layer built from the same pinned release (make rehearse-setup builds it into
   build/rehearse-powertools-layer/), writes its ARN into a parameter of our own, and
   passes that parameter's name at deploy (`make deploy ... CDK_PARAMETERS=...`: the
   template's parameter is of type AWS::SSM::Parameter::Value<String>).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from stacks.components.powertools_layer import POWERTOOLS_VERSION

ROOT = Path(__file__).resolve().parents[2]
POWERTOOLS_LAYER_DIR = ROOT / "build" / "rehearse-powertools-layer"
POWERTOOLS_LAYER_PARAMETER = "/cloudops-cdk-labs/rehearsal/powertools-layer"
PUBLIC_POWERTOOLS_PREFIX = "/aws/service/powertools/"


def layer_zip(layer_dir: Path = POWERTOOLS_LAYER_DIR) -> bytes:
    if not (layer_dir / "python").is_dir():
        raise FileNotFoundError(f"{layer_dir}/python is missing: run make rehearse-setup")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((layer_dir / "python").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, path.relative_to(layer_dir).as_posix())
    return buffer.getvalue()


def publish_powertools_layer(session: Any, layer_dir: Path = POWERTOOLS_LAYER_DIR) -> str:
    """Publishes the layer into the emulator and points our own parameter at it; returns its ARN."""
    published = session.client("lambda").publish_layer_version(
        LayerName="rehearsal-powertools",
        Description=f"Powertools for AWS Lambda (Python) {POWERTOOLS_VERSION}, for the emulator",
        Content={"ZipFile": layer_zip(layer_dir)},
        CompatibleRuntimes=["python3.14"],
    )
    arn = str(published["LayerVersionArn"])
    session.client("ssm").put_parameter(Name=POWERTOOLS_LAYER_PARAMETER, Value=arn, Type="String", Overwrite=True)
    return arn


def parameter_overrides(template: dict[str, Any]) -> list[str]:
    """`Name=value` for each template parameter that reads a public Powertools parameter."""
    return [
        f"{name}={POWERTOOLS_LAYER_PARAMETER}"
        for name, parameter in sorted(template.get("Parameters", {}).items())
        if str(parameter.get("Default", "")).startswith(PUBLIC_POWERTOOLS_PREFIX)
    ]
