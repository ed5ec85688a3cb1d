import json

import pytest

from elexirion_optimizer import __main__ as cli
from elexirion_optimizer.job import StepOutcome
from elexirion_optimizer.spec import SpecError

ENV = {"TENANT_ID": "acme", "ARTIFACT_BUCKET": "b", "RUNS_TABLE": "r", "ATTEMPTS_TABLE": "a"}


def test_storage_settings_default_to_the_container_environment():
    # Act
    args = cli.parse_args(["--pipeline", "support"], ENV | {"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:1"})

    # Assess
    assert (args.tenant, args.bucket, args.runs_table, args.attempts_table) == ("acme", "b", "r", "a")
    assert args.s3_endpoint == "http://127.0.0.1:1" and args.provider == "auto"


def test_missing_settings_and_a_step_without_its_pipeline_are_usage_errors():
    with pytest.raises(SystemExit):
        cli.parse_args(["--pipeline", "support"], {})
    with pytest.raises(SystemExit):
        cli.parse_args(["--step", "classify"], ENV)


def test_prints_one_json_line_per_step(monkeypatch, capsys):
    # Prepare
    outcome = StepOutcome("support", "classify", "promoted", "better", "pack:1", 0.2, 0.9, 1, 10, 4)
    monkeypatch.setattr(cli, "run_job", lambda store, options, lm_for: [outcome])

    # Act
    status = cli.main(["--pipeline", "support", "--provider", "offline"], ENV)

    # Assess
    assert status == 0
    assert json.loads(capsys.readouterr().out) == {
        "pipeline": "support",
        "step": "classify",
        "status": "promoted",
        "reason": "better",
        "version": "pack:1",
        "before": 0.2,
        "after": 0.9,
        "trials": 1,
        "train": 10,
        "held_out": 4,
    }


def test_a_step_that_does_not_opt_in_exits_2(monkeypatch, capsys):
    # Prepare
    def refuse(store, options, lm_for):
        raise SpecError("step 'reply' of pipeline 'support' does not declare optimize:")

    monkeypatch.setattr(cli, "run_job", refuse)

    # Act / Assess
    assert cli.main(["--pipeline", "support", "--step", "reply"], ENV) == 2
    assert "does not declare optimize" in capsys.readouterr().err
