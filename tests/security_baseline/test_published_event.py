"""The remediation handler on the Powertools collection's EventBridge event (events/SOURCES.toml).

An EC2 state-change event is no GuardDuty finding: ignored with the reason, no IAM call.
"""

from __future__ import annotations

from guardduty_remediation import handler
from guardduty_remediation.finding import Settings
from tests.security_baseline.conftest import load_event
from tests.security_baseline.test_sample_findings import RecordingGateway


def test_the_published_eventbridge_event_is_ignored() -> None:
    gateway = RecordingGateway()
    result = handler.remediate(
        load_event("powertools_eventbridge_event"),
        account_id="111122223333",
        settings=Settings(dry_run=False),
        gateway=gateway,  # type: ignore[arg-type]
    )
    assert result["status"] == "ignored"
    assert result["reason"].startswith("not a GuardDuty finding event")
    assert gateway.calls == []
