"""The response headers every answer of the static site carries (CloudFront adds them at the edge)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from constructs import Construct

# The pages in site/ load one stylesheet from the site itself and nothing else: no script,
# no inline style, no frame, no form (tests/static_site/test_site.py keeps them that way).
# So everything is denied except stylesheets and images from 'self'.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Two years, the value the HSTS preload list asks for; browsers then refuse plain HTTP for the name.
HSTS_MAX_AGE = cdk.Duration.days(730)


def security_headers_policy(scope: Construct, construct_id: str) -> cloudfront.ResponseHeadersPolicy:
    """HSTS, CSP, X-Content-Type-Options nosniff, X-Frame-Options DENY and a referrer policy.

    `override=True` everywhere: the edge's value wins over anything an object's metadata says.
    """
    stack = cdk.Stack.of(scope)
    return cloudfront.ResponseHeadersPolicy(
        scope,
        construct_id,
        # CloudFront is global: a policy's name is unique per account, not per region, so the same
        # stack in two regions of one account would collide (AlreadyExists) on CDK's default name.
        # The region is in it, as CDK already does for cache policies.
        response_headers_policy_name=f"{stack.stack_name}-SecurityHeaders-{stack.region}",
        comment="CloudOps CDK Labs static site: security headers",
        security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
            strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, override=True
            ),
            content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                content_security_policy=CONTENT_SECURITY_POLICY, override=True
            ),
            content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
            frame_options=cloudfront.ResponseHeadersFrameOptions(
                frame_option=cloudfront.HeadersFrameOption.DENY, override=True
            ),
            referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override=True
            ),
        ),
    )
