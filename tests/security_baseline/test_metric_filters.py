"""Each of the four CIS metric filters counts the CloudTrail records it is for, and no others."""

from __future__ import annotations

import pytest

from scripts.security_baseline.filter_pattern import compile_pattern
from scripts.security_baseline.samples import samples_for
from stacks.security_baseline.filters import FILTERS, MetricFilter, filter_named


def test_there_are_the_four_filters_the_lab_promises() -> None:
    assert [f.key for f in FILTERS] == [
        "RootAccountUsage",
        "UnauthorizedApiCalls",
        "ConsoleSignInWithoutMfa",
        "IamPolicyChanges",
    ]


@pytest.mark.parametrize("metric_filter", FILTERS, ids=lambda f: f.key)
def test_each_filter_counts_its_positive_samples(metric_filter: MetricFilter) -> None:
    pattern = compile_pattern(metric_filter.pattern)
    samples = samples_for(metric_filter.key)
    assert len(samples.matches) >= 2
    missed = [sample.why for sample in samples.matches if not pattern.matches(sample.message)]
    assert missed == []


@pytest.mark.parametrize("metric_filter", FILTERS, ids=lambda f: f.key)
def test_each_filter_ignores_its_negative_samples(metric_filter: MetricFilter) -> None:
    pattern = compile_pattern(metric_filter.pattern)
    samples = samples_for(metric_filter.key)
    assert len(samples.does_not_match) >= 2
    counted = [sample.why for sample in samples.does_not_match if pattern.matches(sample.message)]
    assert counted == []


def test_the_iam_filter_covers_all_sixteen_events_of_the_benchmark() -> None:
    pattern = compile_pattern(filter_named("IamPolicyChanges").pattern)
    events = [
        f"{verb}{kind}Policy"
        for verb, kinds in (("Delete", ("Group", "Role", "User")), ("Put", ("Group", "Role", "User")))
        for kind in kinds
    ]
    events += ["CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion"]
    events += [f"{verb}{kind}Policy" for verb in ("Attach", "Detach") for kind in ("Role", "User", "Group")]
    assert len(set(events)) == 16
    assert [name for name in events if not pattern.matches({"eventName": name})] == []
    assert pattern.matches({"eventName": "SetDefaultPolicyVersion"}) is False


def test_the_remediations_own_change_is_seen_by_the_iam_filter() -> None:
    # The lab's two halves meet: the deny policy the remediation writes raises the IAM policy alarm.
    samples = samples_for("IamPolicyChanges")
    [own] = [s for s in samples.matches if s.record["requestParameters"].get("policyName") == "AWSRevokeOlderSessions"]
    assert compile_pattern(filter_named("IamPolicyChanges").pattern).matches(own.record)


def test_an_unknown_filter_or_sample_name_is_a_one_line_error() -> None:
    with pytest.raises(LookupError, match=r"^no metric filter 'Root': use one of RootAccountUsage, "):
        filter_named("Root")
    with pytest.raises(LookupError, match=r"^no samples for metric filter 'Nope'"):
        samples_for("Nope")
