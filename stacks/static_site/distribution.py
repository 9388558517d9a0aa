"""The CloudFront distribution in front of the private site bucket."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from stacks.static_site.config import StaticSiteConfig
from stacks.static_site.security_headers import security_headers_policy

ASSETS_PATH = "/assets/*"
NOT_FOUND_PAGE = "/404.html"
CLOUDFRONT_LOG_PREFIX = "cloudfront/"
_PRICE_CLASSES = {
    "PriceClass_100": cloudfront.PriceClass.PRICE_CLASS_100,
    "PriceClass_200": cloudfront.PriceClass.PRICE_CLASS_200,
    "PriceClass_All": cloudfront.PriceClass.PRICE_CLASS_ALL,
}


class SiteDistribution(Construct):
    """CloudFront -> S3 through Origin Access Control.

    Defaults:
    - Origin Access Control (`S3BucketOrigin.with_origin_access_control`, not the legacy
      origin access identity): CloudFront signs its requests, and the bucket policy lets in
      `cloudfront.amazonaws.com` for s3:GetObject only when `AWS:SourceArn` is this
      distribution. Anyone else, the bucket's own URL included, gets 403.
    - HTTP is redirected to HTTPS; HTTP/2 and HTTP/3; compression on.
    - `index.html` at `/`; a missing page answers 404 with `/404.html`. Through OAC a missing
      key is a 403 from S3 (CloudFront may not list the bucket, so S3 does not say whether
      the key exists), so both 403 and 404 map to the 404 page.
    - Two cache policies: pages for `html_ttl_seconds`, versioned `/assets/*` for
      `asset_default_ttl_hours` (at most `asset_max_ttl_days`): a changed asset gets a new
      name, so it never needs an invalidation.
    - The security headers of security_headers.py on every answer, error pages included.
    - TLS: with a custom domain and its ACM certificate, the TLSv1.2_2021 security policy
      (TLS 1.2 minimum). With the default *.cloudfront.net certificate CloudFront fixes the
      policy at TLSv1 whatever the template says (CloudFront documents it; CDK warns), so
      the sandbox shape cannot enforce TLS 1.2 for old clients; current browsers use 1.2+.
    - Standard (legacy) access logs to `log_bucket` under cloudfront/: free apart from storage.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        config: StaticSiteConfig,
        log_bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)

        headers = security_headers_policy(self, "SecurityHeaders")
        page_cache = _cache_policy(
            self,
            "PageCachePolicy",
            "Pages (HTML): minutes, so an edit shows soon",
            default=cdk.Duration.seconds(config.html_ttl_seconds),
            maximum=cdk.Duration.seconds(config.html_ttl_seconds),
        )
        asset_cache = _cache_policy(
            self,
            "AssetCachePolicy",
            "Versioned assets: their names change with their content",
            default=cdk.Duration.hours(config.asset_default_ttl_hours),
            maximum=cdk.Duration.days(config.asset_max_ttl_days),
        )

        stack = cdk.Stack.of(self)
        # Named with the region, like the response headers policy: an origin access control's name is
        # unique in the account (CloudFront is global), and CDK's default name does not carry the region.
        access_control = cloudfront.S3OriginAccessControl(
            self, "OriginAccessControl", origin_access_control_name=f"{stack.stack_name}-Oac-{stack.region}"
        )
        origin = origins.S3BucketOrigin.with_origin_access_control(bucket, origin_access_control=access_control)

        def behaviour(cache_policy: cloudfront.ICachePolicy) -> cloudfront.BehaviorOptions:
            return cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cache_policy,
                response_headers_policy=headers,
                compress=True,
            )

        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", config.certificate_arn)
            if config.certificate_arn is not None
            else None
        )
        not_found_ttl = cdk.Duration.seconds(config.html_ttl_seconds)
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="CloudOps CDK Labs: static site (S3 + CloudFront with OAC)",
            default_behavior=behaviour(page_cache),
            additional_behaviors={ASSETS_PATH: behaviour(asset_cache)},
            default_root_object="index.html",
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=status, response_http_status=404, response_page_path=NOT_FOUND_PAGE, ttl=not_found_ttl
                )
                for status in (403, 404)
            ],
            price_class=_PRICE_CLASSES[config.price_class],
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            certificate=certificate,
            domain_names=[config.domain_name] if config.domain_name is not None else None,
            # Only with a certificate: without one CloudFront ignores it (and CDK warns).
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate else None,
            enable_logging=True,
            log_bucket=log_bucket,
            log_file_prefix=CLOUDFRONT_LOG_PREFIX,
        )


def _cache_policy(
    scope: Construct, construct_id: str, comment: str, *, default: cdk.Duration, maximum: cdk.Duration
) -> cloudfront.CachePolicy:
    """A cache policy keyed on the path only (no cookies, headers or query strings: the site ignores them)."""
    return cloudfront.CachePolicy(
        scope,
        construct_id,
        comment=comment,
        default_ttl=default,
        min_ttl=cdk.Duration.seconds(0),
        max_ttl=maximum,
        cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        header_behavior=cloudfront.CacheHeaderBehavior.none(),
        query_string_behavior=cloudfront.CacheQueryStringBehavior.none(),
        enable_accept_encoding_gzip=True,
        enable_accept_encoding_brotli=True,
    )
