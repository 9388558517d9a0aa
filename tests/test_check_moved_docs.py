"""scripts/check_moved_docs.py finds what a split of a page lost: code, figures, sentences."""

from __future__ import annotations

from scripts import check_moved_docs

OLD = """# Old

## Lab: demo

It costs about 54.42 USD a month in the sandbox, and the queue keeps messages 14 days.

```bash
npx cdk deploy Demo -c stage=sandbox
```

Guide sections: 002 'VPC'.
"""


def test_a_faithful_move_reports_nothing() -> None:
    new = [
        "# Front door\n\nSee the guide.\n",
        "# Lab demo\n\n## Deploy\n\nIt costs about 54.42 USD a month in the sandbox, and the queue keeps messages "
        "14 days.\n\n```bash\nnpx cdk deploy Demo -c stage=sandbox\n```\n",
    ]
    report = check_moved_docs.compare(OLD, new)
    assert report.clean()
    assert [why for _, _, why in report.on_purpose] == [
        "a guide by its number: the guides are now named by their titles",
        "a lab's guide references: now its section 'Guide sections it reproduces'",
    ]


def test_a_lost_figure_a_lost_command_and_a_lost_sentence_are_each_reported() -> None:
    new = ["# Lab demo\n\nIt costs about 5.42 USD a month.\n\n```bash\nnpx cdk deploy Other\n```\n"]
    report = check_moved_docs.compare(OLD, new)
    assert ("Lab: demo", "npx cdk deploy Demo -c stage=sandbox") in report.missing_code
    assert ("Lab: demo", "54.42") in report.missing_figures
    assert [heading for heading, _, _ in report.reworded] == ["Lab: demo"]
    assert not report.clean()


def test_a_heading_inside_an_unclosed_fence_closes_it() -> None:
    # be6e127's README left db-lambda's cost block open; the next lab's heading ends it.
    found = check_moved_docs.sections("## A\n\n```\ncost\n\n## B\n\ntext\n")
    assert [(section.heading, section.code, section.prose) for section in found[1:]] == [
        ("A", ["cost\n"], []),
        ("B", [], ["text"]),
    ]
