"""Monthly cost of the static-site lab for one stage's configuration, with the arithmetic.

    python -m scripts.cost --lab static-site [--stage prod]

CloudFront and S3 have no fixed monthly fee: an idle site costs the storage of site/
(a few kilobytes). Visits cost requests and data transfer, shown per 100,000 page views.
"""

from __future__ import annotations

from stacks.config import REPO_ROOT
from stacks.cost_model import Line
from stacks.static_site.config import StaticSiteConfig

SITE_DIR = REPO_ROOT / "site"
# USD, us-east-1 / CloudFront North America and Europe (the PriceClass_100 edges).
S3_STANDARD_PER_GB_MONTH = 0.023
CLOUDFRONT_HTTPS_PER_10K_REQUESTS = 0.0100
CLOUDFRONT_TRANSFER_OUT_PER_GB = 0.085  # first 10 TB a month
INVALIDATION_PATHS_FREE_PER_MONTH = 1000  # then 0.005 USD per path
PAGE_VIEWS = 100_000

NOT_COUNTED = (
    "Free tier (always free, not only the first year): CloudFront's first 1 TB out and 10 million requests a "
    "month, so a lab site costs nothing to visit. PriceClass_All also serves from edges with higher per-GB "
    "and per-request prices (South America, Australia, India ...). Access logs add a few hundred bytes per "
    "request to S3 storage."
)


def site_bytes() -> int:
    """What BucketDeployment copies into the bucket: every file of site/."""
    return sum(path.stat().st_size for path in SITE_DIR.rglob("*") if path.is_file())


def page_weight() -> tuple[int, int]:
    """(requests, bytes) of one visit to the home page: the HTML and the stylesheet, uncompressed."""
    files = [SITE_DIR / "index.html", *sorted((SITE_DIR / "assets").glob("*.css"))]
    return len(files), sum(path.stat().st_size for path in files)


def monthly_lines(config: StaticSiteConfig) -> list[Line]:
    """A deployed month with no visitors."""
    del config  # the idle cost does not depend on the stage's cache times or price class
    size = site_bytes()
    return [
        Line(
            "S3 storage of site/",
            f"{size:,} B x {S3_STANDARD_PER_GB_MONTH:.3f} USD/GB",
            size / 1e9 * S3_STANDARD_PER_GB_MONTH,
        ),
        Line("CloudFront distribution", "no monthly fee, only requests and transfer", 0.0),
        Line(
            "Invalidation of /* per deploy",
            f"1 path; the first {INVALIDATION_PATHS_FREE_PER_MONTH:,} a month are free",
            0.0,
        ),
    ]


def usage_lines(config: StaticSiteConfig, duration_ms: float) -> tuple[str, list[Line]]:
    """What 100,000 home-page views add before the free tier (cache hits: the bucket is not asked)."""
    del duration_ms  # no function runs per visit
    requests_per_view, bytes_per_view = page_weight()
    requests = PAGE_VIEWS * requests_per_view
    gigabytes = PAGE_VIEWS * bytes_per_view / 1e9
    title = (
        f"Per {PAGE_VIEWS:,} page views ({requests_per_view} requests, {bytes_per_view:,} B each), "
        f"{config.price_class}, before the free tier:"
    )
    return title, [
        Line(
            "CloudFront HTTPS requests",
            f"{requests:,} x {CLOUDFRONT_HTTPS_PER_10K_REQUESTS:.4f} USD / 10,000",
            requests / 10_000 * CLOUDFRONT_HTTPS_PER_10K_REQUESTS,
        ),
        Line(
            "CloudFront transfer out",
            f"{gigabytes:.2f} GB x {CLOUDFRONT_TRANSFER_OUT_PER_GB:.3f} USD",
            gigabytes * CLOUDFRONT_TRANSFER_OUT_PER_GB,
        ),
    ]
