"""Benchmark of the thumbnailer's image work, offline (a benchmark, not a timed test).

    python -m scripts.s3_events.bench                     # 12 MP JPEG, 128/256/512, 5 runs of 10 images
    python -m scripts.s3_events.bench --runs 9 --images 20 --sizes 256,1024
    python -m scripts.s3_events.bench --full-decode      # what draft mode saves: decode every pixel

Reports thumbnails per second for a generated 12-megapixel (4000 x 3000) JPEG through
`thumbnailer.resize.make_thumbnails` (open, checks, draft decode, EXIF orientation, one
Lanczos resize and JPEG encode per size), median of --runs runs. No S3: the image work is
the function's cost; compare numbers between commits on one machine, not with Lambda
(arm64 at 1,024 MB gets a different share of a different CPU).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import PIL
from PIL import JpegImagePlugin

from scripts.s3_events.sample import sample_jpeg
from scripts.stack_outputs import OneLineParser, ScriptError, run

LAMBDA_SRC = Path(__file__).resolve().parents[2] / "lambda_src"
SOURCE_SIZE = (4000, 3000)


def thumbnail_rates(data: bytes, sizes: str, images: int, runs: int) -> tuple[list[float], list[float], int]:
    """Per run of `images` conversions of `data`: thumbnails per wall-clock second and per CPU second of
    this process (steadier on a shared machine); and thumbnails per image."""
    if str(LAMBDA_SRC) not in sys.path:
        sys.path.insert(0, str(LAMBDA_SRC))
    from thumbnailer import resize, settings

    try:
        config = settings.from_environment({"THUMBNAIL_SIZES": sizes})
    except settings.ConfigurationError as error:
        raise ScriptError(str(error).replace("THUMBNAIL_SIZES=", "--sizes ")) from None
    resize.make_thumbnails(data, config)  # warm-up: the first call loads the JPEG codec
    rates, cpu_rates = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        made = sum(len(resize.make_thumbnails(data, config)) for _ in range(images))
        rates.append(made / (time.perf_counter() - start))
        cpu_rates.append(made / (time.process_time() - cpu_start))
    return rates, cpu_rates, len(config.sizes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(description="Benchmark the thumbnailer on a generated 12 MP JPEG.")
    parser.add_argument("--sizes", default="128,256,512", help="thumbnail sizes (default %(default)s, as cdk.json)")
    parser.add_argument("--images", type=int, default=10, help="images per run (default %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="runs; the median is reported (default %(default)s)")
    parser.add_argument(
        "--full-decode", action="store_true", help="turn JPEG draft mode off, for comparison (the function keeps it on)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.images <= 1000:
        parser.error(f"--images must be between 1 and 1000, not {args.images}")
    if not 1 <= args.runs <= 50:
        parser.error(f"--runs must be between 1 and 50, not {args.runs}")

    data = sample_jpeg(*SOURCE_SIZE)
    if args.full_decode:
        # draft() returning None is what Pillow does when it cannot reduce: the decoder then decodes in full.
        JpegImagePlugin.JpegImageFile.draft = lambda self, mode, size: None  # type: ignore[method-assign]
    rates, cpu_rates, per_upload = thumbnail_rates(data, args.sizes, args.images, args.runs)
    per_image = per_upload / statistics.median(rates)
    label = "thumbnailer (full decode)" if args.full_decode else "thumbnailer"
    print(f"python {sys.version.split()[0]}, Pillow {PIL.__version__}, {os.cpu_count()} CPU(s)")
    print(
        f"{label}: median {statistics.median(rates):,.1f} thumbnails/s "
        f"({SOURCE_SIZE[0]} x {SOURCE_SIZE[1]} JPEG of {len(data) / 1e6:.1f} MB, sizes {args.sizes}, "
        f"{per_image * 1000:.0f} ms per upload; {args.runs} runs of {args.images}: "
        + ", ".join(f"{rate:,.1f}" for rate in rates)
        + ")"
    )
    print(f"{label}: median {statistics.median(cpu_rates):,.1f} thumbnails per CPU second (the same runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
