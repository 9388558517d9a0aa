"""The db-lambda cost model (stacks/db_lambda/cost.py): its lines follow the stage and add up."""

from __future__ import annotations

import re

import pytest

from scripts.cost import report
from stacks.config import load_stage_config
from stacks.cost_model import PriceMissingError
from stacks.db_lambda.config import DbLambdaConfig
from stacks.db_lambda.cost import monthly_lines
from stacks.labs import lab_named
from tests.harness import stage_context


def lines_of(stage: str) -> dict[str, float]:
    section = load_stage_config(stage_context(stage)).section(DbLambdaConfig)
    return {line.item: line.usd for line in monthly_lines(section)}


@pytest.mark.parametrize("stage", ["sandbox", "prod"])
def test_total_is_the_sum_of_the_printed_lines(stage: str) -> None:
    text = report(lab_named("db-lambda"), stage, duration_ms=200)
    *items, total = [float(m) for m in re.findall(r"=\s+([\d.]+) USD", text)]
    assert total == pytest.approx(sum(items), abs=0.005 * len(items))
    assert total == pytest.approx(sum(lines_of(stage).values()), abs=0.005)


def test_the_endpoint_is_billed_per_az_and_there_is_no_nat_line() -> None:
    sandbox = lines_of("sandbox")
    assert sandbox["Secrets Manager endpoint (1 of 2 AZs)"] == pytest.approx(0.01 * 730)
    assert lines_of("prod")["Secrets Manager endpoint (2 of 2 AZs)"] == pytest.approx(2 * 0.01 * 730)
    assert not [item for item in sandbox if "NAT" in item]


def test_only_prod_pays_for_the_proxy_and_the_standby() -> None:
    sandbox, prod = lines_of("sandbox"), lines_of("prod")
    assert not [item for item in sandbox if "Proxy" in item]
    assert prod["RDS Proxy (2 vCPUs of db.t4g.small)"] == pytest.approx(2 * 0.015 * 730)
    assert "RDS MySQL db.t4g.micro single-AZ" in sandbox
    assert "RDS MySQL db.t4g.small Multi-AZ" in prod


def test_an_instance_class_without_a_price_says_where_to_add_it() -> None:
    section = load_stage_config(stage_context("sandbox")).section(DbLambdaConfig)
    with pytest.raises(PriceMissingError, match=r"no RDS price for db\.r7g\.large in stacks/db_lambda/cost\.py"):
        monthly_lines(section.model_copy(update={"db_instance_type": "r7g.large"}))
