"""Upload a JPEG under images/ in the s3-events lab's bucket and wait for its thumbnails.

    python -m scripts.s3_events.upload_image                    # a generated 12 MP sample photo
    python -m scripts.s3_events.upload_image ~/Pictures/cat.jpg # your own JPEG
    python -m scripts.s3_events.upload_image cat.jpeg --name trips/cat.jpg

The bucket and the thumbnail sizes come from the S3Events stack's outputs. The upload
lands at images/<name>; the function writes thumbnails/<size>/<name> for each size. Only
keys ending in .jpg (lowercase) trigger it: that is the notification's suffix filter.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scripts.aws_session import aws_session
from scripts.s3_events import common
from scripts.s3_events.sample import jpeg_size, sample_jpeg
from scripts.sandbox.checks import Waiter, WaitTimeout
from scripts.stack_outputs import OneLineParser, ScriptError, run, stack_outputs

SAMPLE_SIZE = (4000, 3000)  # 12 MP, a phone camera's default
JPEG_MAGIC = b"\xff\xd8\xff"
MAX_NAME = 900  # S3 keys are at most 1024 bytes; leave room for thumbnails/<size>/


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", nargs="?", type=Path, help="a JPEG file (default: a generated 12 MP sample photo)")
    parser.add_argument("--name", help="key under images/, ending in .jpg (default: the file's name)")
    parser.add_argument("--stack-name", default=common.STACK_NAME, help="the lab's stack (default %(default)s)")
    parser.add_argument("--region", help="AWS region of the stack (default: your AWS CLI configuration)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds to wait for thumbnails (default 120)")
    args = parser.parse_args(argv)
    if not 1 <= args.timeout <= 900:
        parser.error(f"--timeout must be between 1 and 900 seconds, not {args.timeout}")
    return args


def learner_image(path: Path) -> bytes:
    """The learner's file, if it is a JPEG (the function skips anything else)."""
    if not path.is_file():
        raise ScriptError(f"{path} is not a file")
    data = path.read_bytes()
    if not data.startswith(JPEG_MAGIC):
        raise ScriptError(f"{path} is not a JPEG: the function makes thumbnails of JPEG images only")
    return data


def key_name(path: Path | None, name: str | None, now: float) -> str:
    """The name under images/; ScriptError for a name whose upload would not trigger the function."""
    if name is None:
        name = path.name if path is not None else f"sample-{int(now)}.jpg"
    if not name.endswith(common.SUFFIX):
        raise ScriptError(
            f"name {name!r} does not end with {common.SUFFIX} (lowercase), so the upload would not trigger "
            f"the function; pass --name with a name ending in {common.SUFFIX}"
        )
    if name.startswith("/") or len(name.encode("utf-8")) > MAX_NAME or "//" in name:
        raise ScriptError(f"name {name!r} must be a relative key of at most {MAX_NAME} bytes, without //")
    return name


def main(argv: Sequence[str] | None = None, session: Any = None, wait: Waiter | None = None) -> int:
    args = parse_args(argv)
    name = key_name(args.path, args.name, time.time())
    data = learner_image(args.path) if args.path is not None else None
    session = session or aws_session(args.region)
    outputs = stack_outputs(session, args.stack_name)
    bucket = common.require(outputs, "BucketName", args.stack_name)
    sizes = common.thumbnail_sizes(outputs, args.stack_name)
    if data is None:  # generated only once the stack is known to exist: a 12 MP JPEG takes a second or two
        data = sample_jpeg(*SAMPLE_SIZE)
    s3 = session.client("s3")
    key = common.SOURCE_PREFIX + name
    s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType="image/jpeg")
    width, height = jpeg_size(data)
    print(f"uploaded s3://{bucket}/{key} ({width} x {height}, {len(data):,} bytes)")
    try:
        thumbnails = (wait or Waiter()).until(
            f"thumbnails of {key}",
            lambda: common.all_thumbnails(s3, bucket, name, sizes),
            timeout_s=args.timeout,
            every_s=3,
        )
    except WaitTimeout as error:
        raise ScriptError(
            f"{error}; look at the function's log (see docs/labs/s3-events.md) or the failed-events queue"
        ) from None
    for size, thumbnail in sorted(thumbnails.items()):
        w, h = jpeg_size(thumbnail)
        print(f"  s3://{bucket}/{common.thumbnail_key(name, size)}  {w} x {h}, {len(thumbnail):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
