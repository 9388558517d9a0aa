"""Static-site lab: LABS.md §5 and issue 12, one assertion per property, in both stages
and in a variant with the optional custom domain and certificate."""

from __future__ import annotations

import copy
import filecmp
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from constructs import IConstruct

from scripts.static_site.verify import BUCKET_DOMAIN_OUTPUT, SITE_URL_OUTPUT
from stacks.config import REPO_ROOT, ConfigError, load_stage_config
from stacks.static_site.config import StaticSiteConfig
from stacks.static_site.security_headers import CONTENT_SECURITY_POLICY
from tests.harness import SynthesizedStage, resources_of_type, stage_context

STACK = "StaticSite"
SITE_BUCKET = "SiteBucket397A1860"
ACCESS_LOG_BUCKET = "AccessLogBucketDA470295"
DOMAIN = "www.example.com"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
TWO_YEARS_S = 730 * 24 * 3600


def distribution_arn(distribution_id: str) -> dict[str, Any]:
    """The distribution's ARN as CDK renders it: CloudFront ARNs have no region."""
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":cloudfront::",
                {"Ref": "AWS::AccountId"},
                ":distribution/",
                {"Ref": distribution_id},
            ],
        ]
    }


def only(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def distribution_config(template: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = only(template, "AWS::CloudFront::Distribution")[1]["Properties"]["DistributionConfig"]
    return config


def behaviours(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Path pattern ('*' for the default) -> cache behaviour."""
    config = distribution_config(template)
    found = {"*": config["DefaultCacheBehavior"]}
    found.update({b["PathPattern"]: b for b in config.get("CacheBehaviors", [])})
    return found


def bucket_policy(template: dict[str, Any], bucket_id: str) -> list[dict[str, Any]]:
    for resource in resources_of_type(template, "AWS::S3::BucketPolicy").values():
        if resource["Properties"]["Bucket"] == {"Ref": bucket_id}:
            statements: list[dict[str, Any]] = resource["Properties"]["PolicyDocument"]["Statement"]
            return statements
    raise AssertionError(f"no policy for {bucket_id}")


# --- The bucket: private, encrypted, TLS-only, reachable only through the distribution --------
def test_site_bucket_blocks_public_access_and_encrypts_with_sse_s3(each_variant: SynthesizedStage) -> None:
    bucket = each_variant.template_json(STACK)["Resources"][SITE_BUCKET]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert "WebsiteConfiguration" not in bucket, "no S3 website endpoint: it cannot be private"


@pytest.mark.parametrize("bucket_id", [SITE_BUCKET, ACCESS_LOG_BUCKET])
def test_both_buckets_refuse_requests_without_tls(each_variant: SynthesizedStage, bucket_id: str) -> None:
    denies = [s for s in bucket_policy(each_variant.template_json(STACK), bucket_id) if s["Effect"] == "Deny"]
    assert denies == [
        {
            "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Resource": [
                {"Fn::GetAtt": [bucket_id, "Arn"]},
                {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]},
            ],
        }
    ]


def test_only_this_distribution_may_read_the_site_bucket(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    distribution_id, _ = only(template, "AWS::CloudFront::Distribution")
    allows = [s for s in bucket_policy(template, SITE_BUCKET) if s["Effect"] == "Allow"]
    # One Allow: CloudFront, read-only, and only when the request comes from this distribution (OAC)
    assert allows == [
        {
            "Action": "s3:GetObject",
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn(distribution_id)}},
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [SITE_BUCKET, "Arn"]}, "/*"]]},
        }
    ]


def test_the_origin_uses_origin_access_control_not_the_legacy_identity(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    oac_id, oac = only(template, "AWS::CloudFront::OriginAccessControl")
    assert oac["Properties"]["OriginAccessControlConfig"] == {
        "Name": oac["Properties"]["OriginAccessControlConfig"]["Name"],
        "OriginAccessControlOriginType": "s3",
        "SigningBehavior": "always",
        "SigningProtocol": "sigv4",
    }
    (origin,) = distribution_config(template)["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": [SITE_BUCKET, "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert resources_of_type(template, "AWS::CloudFront::CloudFrontOriginAccessIdentity") == {}


def test_site_bucket_logical_id_is_pinned(each_variant: SynthesizedStage) -> None:
    resources = each_variant.template_json(STACK)["Resources"]
    assert resources[SITE_BUCKET]["Type"] == "AWS::S3::Bucket"
    assert resources[ACCESS_LOG_BUCKET]["Type"] == "AWS::S3::Bucket"


# --- The distribution ----------------------------------------------------------------------------
def test_root_object_and_custom_404_page(each_variant: SynthesizedStage) -> None:
    config = distribution_config(each_variant.template_json(STACK))
    html_ttl = each_variant.config.section(StaticSiteConfig).html_ttl_seconds
    assert config["DefaultRootObject"] == "index.html"
    # Through OAC a missing key is S3's 403 (no ListBucket): both statuses become the 404 page
    assert sorted(config["CustomErrorResponses"], key=lambda r: r["ErrorCode"]) == [
        {"ErrorCachingMinTTL": html_ttl, "ErrorCode": code, "ResponseCode": 404, "ResponsePagePath": "/404.html"}
        for code in (403, 404)
    ]
    assert (REPO_ROOT / "site" / "404.html").is_file()


def test_every_behaviour_redirects_http_to_https_with_the_security_headers(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    policy_id, _ = only(template, "AWS::CloudFront::ResponseHeadersPolicy")
    found = behaviours(template)
    assert sorted(found) == ["*", "/assets/*"]
    for behaviour in found.values():
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": policy_id}
        assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
        assert behaviour["Compress"] is True


def test_response_headers_policy_sets_hsts_csp_nosniff_and_frame_options(each_variant: SynthesizedStage) -> None:
    _, policy = only(each_variant.template_json(STACK), "AWS::CloudFront::ResponseHeadersPolicy")
    security = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert security["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": TWO_YEARS_S,
        "IncludeSubdomains": True,
        "Override": True,
    }
    assert security["ContentSecurityPolicy"] == {"ContentSecurityPolicy": CONTENT_SECURITY_POLICY, "Override": True}
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"] == {"FrameOption": "DENY", "Override": True}


def test_the_content_security_policy_forbids_scripts_and_inline_code() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'none'"  # so no script-src means no script at all
    assert "script-src" not in directives
    assert directives["style-src"] == "'self'"  # the site's one stylesheet, never inline styles
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def ttl(template: dict[str, Any], path: str) -> tuple[int, int, int]:
    policy_ref = behaviours(template)[path]["CachePolicyId"]["Ref"]
    config = template["Resources"][policy_ref]["Properties"]["CachePolicyConfig"]
    return config["MinTTL"], config["DefaultTTL"], config["MaxTTL"]


def test_pages_are_cached_briefly_and_versioned_assets_for_a_day_up_to_a_week(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    settings = each_variant.config.section(StaticSiteConfig)
    assert ttl(template, "*") == (0, settings.html_ttl_seconds, settings.html_ttl_seconds)
    assert settings.html_ttl_seconds <= 3600
    # The guide's figures: 24 hours by default, 7 days at most
    assert ttl(template, "/assets/*") == (0, 24 * 3600, 7 * 24 * 3600)


def test_cache_keys_ignore_cookies_headers_and_query_strings(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    for path in ("*", "/assets/*"):
        policy_ref = behaviours(template)[path]["CachePolicyId"]["Ref"]
        key = template["Resources"][policy_ref]["Properties"]["CachePolicyConfig"][
            "ParametersInCacheKeyAndForwardedToOrigin"
        ]
        assert key["CookiesConfig"] == {"CookieBehavior": "none"}
        assert key["HeadersConfig"] == {"HeaderBehavior": "none"}
        assert key["QueryStringsConfig"] == {"QueryStringBehavior": "none"}
        assert key["EnableAcceptEncodingBrotli"] is True


def test_price_class_comes_from_the_configuration(sandbox: SynthesizedStage, prod: SynthesizedStage) -> None:
    assert distribution_config(sandbox.template_json(STACK))["PriceClass"] == "PriceClass_100"  # the cheapest
    assert distribution_config(prod.template_json(STACK))["PriceClass"] == "PriceClass_All"


def test_the_default_certificate_has_no_viewer_certificate_block(each_stage: SynthesizedStage) -> None:
    # CloudFront fixes the *.cloudfront.net policy at TLSv1: the template states nothing it would ignore
    config = distribution_config(each_stage.template_json(STACK))
    assert "ViewerCertificate" not in config
    assert "Aliases" not in config
    assert config["HttpVersion"] == "http2and3"


def test_access_logs_go_to_the_log_bucket_and_expire(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    days = each_variant.config.section(StaticSiteConfig).access_log_days
    assert distribution_config(template)["Logging"] == {
        "Bucket": {"Fn::GetAtt": [ACCESS_LOG_BUCKET, "RegionalDomainName"]},
        "Prefix": "cloudfront/",
    }
    site = template["Resources"][SITE_BUCKET]["Properties"]
    if each_variant.config.protect_data:
        assert site["LoggingConfiguration"] == {
            "DestinationBucketName": {"Ref": ACCESS_LOG_BUCKET},
            "LogFilePrefix": "s3/",
        }
    else:
        # S3 delivers server access logs best effort, hours late: in the sandbox they would refill the
        # log bucket after the destroy empties it (BucketNotEmpty; aws-cdk #21776,
        # https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html#LogDeliveryBestEffort).
        assert "LoggingConfiguration" not in site
    logs = template["Resources"][ACCESS_LOG_BUCKET]["Properties"]
    assert logs["LifecycleConfiguration"]["Rules"] == [{"ExpirationInDays": days, "Status": "Enabled"}]
    # CloudFront's standard logs arrive through an ACL grant: ACLs on, the bucket owner keeps the objects
    assert logs["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    assert logs["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True


# --- The deployment of site/ ---------------------------------------------------------------------
def test_site_folder_is_deployed_with_one_invalidation(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    distribution_id, _ = only(template, "AWS::CloudFront::Distribution")
    _, deployment = only(template, "Custom::CDKBucketDeployment")
    properties = deployment["Properties"]
    assert properties["DestinationBucketName"] == {"Ref": SITE_BUCKET}
    assert properties["DistributionId"] == {"Ref": distribution_id}
    assert properties["DistributionPaths"] == ["/*"]
    assert properties["Prune"] is True
    assert properties["RetainOnDelete"] is False
    assert len(properties["SourceObjectKeys"]) == 1


def deployment_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    (function_id,) = [
        i for i in resources_of_type(template, "AWS::Lambda::Function") if i.startswith("CustomCDKBucketDeployment")
    ]
    role_id = template["Resources"][function_id]["Properties"]["Role"]["Fn::GetAtt"][0]
    policies = [
        p
        for p in resources_of_type(template, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": role_id}]
    ]
    assert len(policies) == 1, "the deployment role has one policy"
    found: list[dict[str, Any]] = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    return found


def test_the_deployment_reads_only_the_zipped_site_from_the_cdk_asset_bucket(each_variant: SynthesizedStage) -> None:
    # BucketDeployment's own grant reads the whole bootstrap bucket (every stack's templates and code)
    template = each_variant.template_json(STACK)
    _, deployment = only(template, "Custom::CDKBucketDeployment")
    ([asset_bucket], [key]) = (
        deployment["Properties"]["SourceBucketNames"],
        deployment["Properties"]["SourceObjectKeys"],
    )
    on_assets = [s for s in deployment_statements(template) if str(asset_bucket) in str(s["Resource"])]
    assert on_assets == [
        {
            "Sid": "ReadTheZippedSiteOnly",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", asset_bucket, f"/{key}"]]},
        }
    ]


def test_the_deployment_invalidates_only_this_distribution(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    distribution_id, _ = only(template, "AWS::CloudFront::Distribution")
    invalidations = [s for s in deployment_statements(template) if "cloudfront" in str(s["Action"])]
    assert invalidations == [
        {
            "Sid": "InvalidateThisDistributionOnly",
            "Effect": "Allow",
            "Action": ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
            "Resource": distribution_arn(distribution_id),
        }
    ]


def test_the_deployment_role_holds_nothing_else(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    resources = [str(s["Resource"]) for s in deployment_statements(template)]
    assert len(resources) == 4  # its log group, the zipped site, the site bucket, the distribution
    assert "DeploymentLogs" in resources[0]
    assert SITE_BUCKET in resources[2]
    assert all("'*'" not in r and r != "*" for r in resources)


def test_the_deployed_asset_is_the_repository_s_site_folder(each_variant: SynthesizedStage) -> None:
    # The staged asset (what `cdk deploy` uploads and the deployment unzips into the bucket)
    # holds exactly the files of site/, byte for byte
    template = each_variant.template_json(STACK)
    _, deployment = only(template, "Custom::CDKBucketDeployment")
    (key,) = deployment["Properties"]["SourceObjectKeys"]
    asset_hash = key.removesuffix(".zip")
    staged = Path(each_variant.outdir) / f"asset.{asset_hash}"
    site = REPO_ROOT / "site"
    comparison = filecmp.dircmp(site, staged)
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()) == files
    assert comparison.diff_files == []
    assert all(filecmp.cmp(site / f, staged / f, shallow=False) for f in files)


def test_the_deployment_function_logs_to_its_own_group_with_the_configured_retention(
    each_variant: SynthesizedStage,
) -> None:
    # CDK's BucketDeployment function would log to a group Lambda makes on first use (no retention,
    # left after destroy); the stack gives it one. The S3 auto-delete provider's group comes from
    # stacks/components/provider_logs.py, for every lab (tests/test_destroy.py).
    template = each_variant.template_json(STACK)
    (function_id,) = [
        i for i in resources_of_type(template, "AWS::Lambda::Function") if i.startswith("CustomCDKBucketDeployment")
    ]
    group_ref = template["Resources"][function_id]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    group = template["Resources"][group_ref]
    assert group_ref.startswith("DeploymentLogs")
    assert group["Properties"]["RetentionInDays"] == each_variant.config.section(StaticSiteConfig).log_retention_days
    assert group["DeletionPolicy"] == ("Retain" if each_variant.config.protect_data else "Delete")


def test_sandbox_removes_everything_and_empties_the_log_bucket_first(sandbox: SynthesizedStage) -> None:
    template = sandbox.template_json(STACK)
    resources = template["Resources"]
    assert resources[SITE_BUCKET]["DeletionPolicy"] == "Delete"
    assert resources[ACCESS_LOG_BUCKET]["DeletionPolicy"] == "Delete"
    (auto_delete_id,) = resources_of_type(template, "Custom::S3AutoDeleteObjects")
    assert resources[auto_delete_id]["Properties"]["BucketName"] == {"Ref": ACCESS_LOG_BUCKET}


def test_the_log_bucket_is_emptied_only_after_the_distribution_is_gone(sandbox: SynthesizedStage) -> None:
    """CloudFront keeps delivering standard logs (through the bucket's ACL grant) until the distribution
    is deleted: a log bucket emptied at the start of the destroy fills again and fails with BucketNotEmpty
    (aws-cdk #16332, https://github.com/aws/aws-cdk/issues/16332). CloudFormation deletes a resource
    before those it depends on, so the distribution depends on the emptying."""
    template = sandbox.template_json(STACK)
    resources = template["Resources"]
    (auto_delete_id,) = resources_of_type(template, "Custom::S3AutoDeleteObjects")
    (distribution_id,) = resources_of_type(template, "AWS::CloudFront::Distribution")
    assert auto_delete_id in resources[distribution_id].get("DependsOn", [])


@pytest.mark.parametrize(
    ("resource_type", "config_key"),
    [
        ("AWS::CloudFront::ResponseHeadersPolicy", "ResponseHeadersPolicyConfig"),
        ("AWS::CloudFront::OriginAccessControl", "OriginAccessControlConfig"),
    ],
)
def test_global_cloudfront_names_carry_the_region(
    each_stage: SynthesizedStage, resource_type: str, config_key: str
) -> None:
    """CloudFront is global: response headers policies and origin access controls have names unique in
    the account, so the sandbox in one region and prod in another of the same account need different
    names (ResponseHeadersPolicyAlreadyExists: "You must provide a unique name",
    https://docs.aws.amazon.com/botocore/latest/reference/services/cloudfront/client/exceptions/OriginAccessControlAlreadyExists.html)."""
    _, resource = only(each_stage.template_json(STACK), resource_type)
    name = resource["Properties"][config_key]["Name"]
    assert {"Ref": "AWS::Region"} in name["Fn::Join"][1]


def test_prod_keeps_the_access_logs_and_rebuilds_the_site_from_the_repository(prod: SynthesizedStage) -> None:
    template = prod.template_json(STACK)
    resources = template["Resources"]
    assert resources[ACCESS_LOG_BUCKET]["DeletionPolicy"] == "Retain"
    assert resources_of_type(template, "Custom::S3AutoDeleteObjects") == {}
    # The site bucket only ever holds a copy of site/: no stage keeps it
    assert resources[SITE_BUCKET]["DeletionPolicy"] == "Delete"


def test_the_deployment_role_has_no_managed_policy(each_variant: SynthesizedStage) -> None:
    template = each_variant.template_json(STACK)
    for role in resources_of_type(template, "AWS::IAM::Role").values():
        if role["Properties"].get("Description", "").startswith("Static site deployment"):
            assert "ManagedPolicyArns" not in role["Properties"]
            return
    raise AssertionError("no deployment role")


def test_outputs_are_the_ones_verify_reads(each_stage: SynthesizedStage) -> None:
    outputs = each_stage.template_json(STACK)["Outputs"]
    distribution_id, _ = only(each_stage.template_json(STACK), "AWS::CloudFront::Distribution")
    assert outputs[SITE_URL_OUTPUT]["Value"] == {
        "Fn::Join": ["", ["https://", {"Fn::GetAtt": [distribution_id, "DomainName"]}, "/"]]
    }
    assert outputs[BUCKET_DOMAIN_OUTPUT]["Value"] == {"Fn::GetAtt": [SITE_BUCKET, "RegionalDomainName"]}


def test_stack_is_environment_agnostic(each_variant: SynthesizedStage) -> None:
    assert each_variant.stacks[STACK].environment == "aws://unknown-account/unknown-region"


# --- With a custom domain and its certificate (the all-options variant) -------------------------
def test_a_custom_domain_gets_its_certificate_and_the_tls_1_2_policy(all_options: SynthesizedStage) -> None:
    settings = all_options.config.section(StaticSiteConfig)
    assert settings.domain_name is not None
    template = all_options.template_json(STACK)
    config = distribution_config(template)
    assert config["Aliases"] == [settings.domain_name]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": settings.certificate_arn,
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "SslSupportMethod": "sni-only",
    }
    assert template["Outputs"][SITE_URL_OUTPUT]["Value"] == f"https://{settings.domain_name}/"


def test_with_a_custom_domain_the_tls_finding_is_fixed_not_acknowledged(all_options: SynthesizedStage) -> None:
    # The nag gate (tests/test_gates.py) passes on this variant too; here nothing acknowledges CFR4
    assert acknowledgments(all_options.stacks[STACK], "AwsSolutions-CFR4") == []


def acknowledgments(scope: IConstruct, rule_id: str) -> list[str]:
    """The reasons given for `rule_id` anywhere under `scope` (CDK stores ids as 'Annotation::<id>')."""
    return [
        reason
        for construct in scope.node.find_all()
        for entry in construct.node.metadata
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for key, reason in entry.data.items()
        if key.split("::")[-1] == rule_id
    ]


def test_without_a_custom_domain_the_tls_finding_is_acknowledged_with_why(sandbox: SynthesizedStage) -> None:
    distribution = sandbox.stacks[STACK].node.find_child("Site").node.find_child("Distribution")
    (reason,) = acknowledgments(distribution, "AwsSolutions-CFR4")
    assert "fixes at TLSv1" in reason


# --- Configuration errors ------------------------------------------------------------------------
def sandbox_context_with(**static_site: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    context["stages"]["sandbox"]["static_site"].update(static_site)
    return context


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"price_class": "PriceClass_50"},
            'stages.sandbox.static_site.price_class = "PriceClass_50": must be one of "PriceClass_100", '
            '"PriceClass_200", "PriceClass_All"',
        ),
        (
            {"domain_name": DOMAIN},
            "stages.sandbox.static_site.certificate_arn = null: must be set together with domain_name",
        ),
        (
            {"certificate_arn": CERTIFICATE},
            "stages.sandbox.static_site.domain_name = null: must be set together with certificate_arn",
        ),
        (
            {"domain_name": DOMAIN, "certificate_arn": CERTIFICATE.replace("us-east-1", "eu-west-1")},
            'stages.sandbox.static_site.certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/'
            '12345678-1234-1234-1234-123456789012": must be in us-east-1: CloudFront only uses',
        ),
        (
            {"domain_name": "https://example.com"},
            'stages.sandbox.static_site.domain_name = "https://example.com": must',
        ),
        ({"domain_name": "WWW.Example.com"}, 'stages.sandbox.static_site.domain_name = "WWW.Example.com": must be a'),
        (
            {"asset_max_ttl_days": 1, "asset_default_ttl_hours": 48},
            "stages.sandbox.static_site.asset_max_ttl_days = 1: must be at least asset_default_ttl_hours (48 h)",
        ),
        ({"html_ttl_seconds": 86400}, "stages.sandbox.static_site.html_ttl_seconds = 86400: must be between 0 and"),
        ({"log_retention_days": 2}, "stages.sandbox.static_site.log_retention_days = 2: must be one of 1, 3"),
        ({"cache": True}, "stages.sandbox.static_site.cache = true: unknown key"),
    ],
)
def test_bad_configuration_stops_with_one_line(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_stage_config(sandbox_context_with(**change))
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"invalid configuration: {message}"), text
