"""The s3-events learner tools against moto: upload_image, verify (the sandbox loop's contract), bench.

The deployed notification is simulated by `trigger` (tests/s3_events/conftest.py): each
PutObject under images/ ending .jpg invokes the real handler, as S3 -> Lambda would.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from scripts.s3_events import bench, upload_image, verify
from scripts.sandbox.checks import Waiter
from scripts.stack_outputs import run
from tests.s3_events.conftest import Trigger
from tests.s3_events.images import png_bytes, sample_jpeg


class FakeClock:
    """A clock that moves only when the waiter sleeps: timeouts pass in no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def fast_waiter() -> Waiter:
    clock = FakeClock()
    return Waiter(out=io.StringIO(), clock=clock, sleep=clock.sleep)


def all_keys(session: Any, bucket: str) -> list[str]:
    listed = session.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])
    return sorted(item["Key"] for item in listed)


# upload_image


def test_upload_image_sends_a_generated_sample_and_shows_its_thumbnails(
    deployed: dict[str, str], trigger: Trigger, session: Any, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setattr(upload_image, "SAMPLE_SIZE", (1200, 900))  # the 12 MP default is slow to encode
    # When the tool runs without a file
    assert upload_image.main(["--name", "sample.jpg"], session=session, wait=fast_waiter()) == 0
    # Then the function made the thumbnails, and the tool names each with its dimensions
    out = capsys.readouterr().out
    bucket = deployed["BucketName"]
    assert f"uploaded s3://{bucket}/images/sample.jpg (1200 x 900," in out
    for size, dims in ((128, "128 x 96"), (256, "256 x 192"), (512, "512 x 384")):
        assert f"s3://{bucket}/thumbnails/{size}/sample.jpg  {dims}," in out
    assert trigger.errors == []


def test_upload_image_sends_the_learner_s_file_under_its_name(
    deployed: dict[str, str], trigger: Trigger, session: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "my holiday é.jpeg"
    photo.write_bytes(sample_jpeg(600, 800))
    assert upload_image.main([str(photo), "--name", "trips/my holiday é.jpg"], session=session, wait=fast_waiter()) == 0
    assert all_keys(session, deployed["BucketName"]) == [
        "images/trips/my holiday é.jpg",
        "thumbnails/128/trips/my holiday é.jpg",
        "thumbnails/256/trips/my holiday é.jpg",
        "thumbnails/512/trips/my holiday é.jpg",
    ]
    assert "thumbnails/512/trips/my holiday é.jpg  384 x 512," in capsys.readouterr().out


@pytest.mark.parametrize(
    ("files", "argv", "message"),
    [
        ({"cat.png": png_bytes()}, ["cat.png", "--name", "cat.jpg"], "cat.png is not a JPEG: the function makes"),
        ({"cat.jpeg": sample_jpeg(20, 20)}, ["cat.jpeg"], "name 'cat.jpeg' does not end with .jpg (lowercase)"),
        ({"cat.JPG": sample_jpeg(20, 20)}, ["cat.JPG"], "name 'cat.JPG' does not end with .jpg"),
        ({}, ["missing.jpg"], "missing.jpg is not a file"),
        ({"a.jpg": sample_jpeg(20, 20)}, ["a.jpg", "--name", "/abs.jpg"], "name '/abs.jpg' must be a relative key"),
    ],
)
def test_upload_image_refuses_what_the_function_would_ignore_in_one_line(
    files: dict[str, bytes],
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert run(upload_image.main, argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"error: {message}")


def test_upload_image_without_the_stack_says_what_to_do(session: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(lambda argv: upload_image.main(argv, session=session), ["--name", "a.jpg"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: stack S3Events not found in us-east-1: deploy it first")


def test_upload_image_times_out_in_one_line_when_no_thumbnails_come(
    deployed: dict[str, str], session: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a deployment whose function never runs (no trigger installed)
    monkeypatch.setattr(upload_image, "SAMPLE_SIZE", (64, 48))
    code = run(lambda argv: upload_image.main(argv, session=session, wait=fast_waiter()), ["--name", "a.jpg"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: thumbnails of images/a.jpg: not done after 120 s; look at the function's log")
    assert err.count("\n") == 1


@pytest.mark.parametrize("argv", [["--timeout", "0"], ["--timeout", "soon"]])
def test_upload_image_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        upload_image.main(argv)
    assert exited.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


# verify


def test_verify_passes_against_a_working_deployment_and_cleans_up(
    deployed: dict[str, str], trigger: Trigger, session: Any
) -> None:
    results = verify.run_checks(session, deployed, "sandbox", fast_waiter())
    assert [(r.name, r.passed) for r in results] == [
        ("an uploaded JPEG gets a thumbnail per size", True),
        ("an upload that is not an image gets none", True),
    ], results
    assert results[0].detail.startswith("128x96, 256x192, 512x384 under thumbnails/<size>/verify-")
    # The function ran for both uploads: it made thumbnails of one and skipped the other
    assert sorted(len(i["written"]) for i in trigger.invocations) == [0, 3]
    assert sorted(len(i["skipped"]) for i in trigger.invocations) == [0, 1]
    assert all_keys(session, deployed["BucketName"]) == []


def test_verify_fails_when_no_thumbnails_come(deployed: dict[str, str], session: Any) -> None:
    # Given a deployment whose notification or function is broken (nothing is triggered)
    results = verify.run_checks(session, deployed, "sandbox", fast_waiter())
    assert not results[0].passed
    assert "not done after 180 s" in results[0].detail
    assert all_keys(session, deployed["BucketName"]) == []


def copy_everything(session: Any, thumbnail: bytes) -> None:
    """A wrong function: writes `thumbnail` for every upload under images/, image or not."""

    def notify(http_response: Any, context: dict[str, Any], **_: Any) -> None:
        bucket, key = context.pop("wrong")
        if key.startswith("images/"):
            name = key.removeprefix("images/")
            for size in (128, 256, 512):
                session.client("s3").put_object(Bucket=bucket, Key=f"thumbnails/{size}/{name}", Body=thumbnail)

    session.events.register("provide-client-params.s3.PutObject", lambda params, context, **_: context.update(
        wrong=(params["Bucket"], params["Key"])))  # fmt: skip
    session.events.register("after-call.s3.PutObject", notify)


def test_verify_fails_when_a_non_image_gets_thumbnails_or_sizes_are_wrong(
    deployed: dict[str, str], session: Any
) -> None:
    copy_everything(session, sample_jpeg(10, 10))
    results = verify.run_checks(session, deployed, "sandbox", fast_waiter())
    assert [r.passed for r in results] == [False, False]
    assert "thumbnail dimensions {128: (10, 10)" in results[0].detail
    assert results[1].detail.startswith("AssertionError: the function made thumbnails/128/verify-")
    assert all_keys(session, deployed["BucketName"]) == []


def test_verify_reports_missing_outputs_as_a_failed_check(session: Any) -> None:
    results = verify.run_checks(session, {"BucketName": "b"}, "sandbox", fast_waiter())
    assert [(r.passed, r.detail) for r in results] == [
        (False, "stack S3Events has no output ThumbnailSizes: is it the s3-events lab's stack?")
    ]


# bench


def test_bench_counts_thumbnails_per_second() -> None:
    rates, cpu_rates, per_upload = bench.thumbnail_rates(sample_jpeg(400, 300), "64,128", images=2, runs=3)
    assert per_upload == 2
    assert len(rates) == len(cpu_rates) == 3
    assert all(rate > 0 for rate in rates + cpu_rates)


def test_bench_bad_sizes_are_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "SOURCE_SIZE", (64, 48))
    assert run(bench.main, ["--sizes", "8", "--runs", "1", "--images", "1"]) == 1
    assert capsys.readouterr().err == "error: --sizes '8': each size must be between 16 and 4096\n"


def test_verify_leaves_no_version_or_delete_marker_in_a_versioned_bucket(
    deployed: dict[str, str], trigger: Trigger, session: Any
) -> None:
    # Prod's bucket is versioned: deleting a key without its version id adds a delete marker
    # and keeps the object as a noncurrent (billed) version.
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
    s3 = session.client("s3")
    bucket = deployed["BucketName"]
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    results = verify.run_checks(session, deployed, "prod", fast_waiter())
    assert all(result.passed for result in results), results
    listed = s3.list_object_versions(Bucket=bucket)
    assert listed.get("Versions", []) == []
    assert listed.get("DeleteMarkers", []) == []
