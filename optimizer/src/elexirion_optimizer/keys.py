"""The DynamoDB keys and S3 keys the optimizer reads and writes, spelled exactly as the TypeScript
core spells them (`functions/stores/table-definitions.ts`, `functions/shared/artifact-keys.ts`).
`test/fixtures/optimizer/keys.json` holds examples both test suites check, so the two cannot drift."""

#: Attempt numbers are zero-padded to this width in sort keys.
ATTEMPT_DIGITS = 4
RUN_SORT_PREFIX = "RUN#"
STEP_SORT_PREFIX = "STEP#"
SCORE_SORT_PREFIX = "SCORE#"
FEEDBACK_SORT_PREFIX = "FEEDBACK#"


def tenant_partition(tenant_id: str) -> str:
    """The partition of a tenant's runs, registered pipelines and prompt pack registry."""
    return f"TENANT#{tenant_id}"


def attempt_partition(tenant_id: str, run_id: str) -> str:
    """The partition holding a run's attempts, scores and feedback."""
    return f"{tenant_partition(tenant_id)}#RUN#{run_id}"


def _step_in_iteration(step_id: str, iteration: list[int] | None) -> str:
    """A step's part of a sort key; inside a loop body with its iteration (each loop's index)."""
    if iteration is None:
        return step_id
    return f"{step_id}#ITERATION#{'.'.join(str(i).zfill(ATTEMPT_DIGITS) for i in iteration)}"


def score_key(
    tenant_id: str,
    run_id: str,
    step_id: str,
    attempt: int,
    evaluator: str,
    iteration: list[int] | None = None,
) -> dict[str, str]:
    """An evaluator's score of one attempt (of one iteration, inside a loop body), beside the attempt."""
    padded = str(attempt).zfill(ATTEMPT_DIGITS)
    return {
        "pk": attempt_partition(tenant_id, run_id),
        "sk": f"{SCORE_SORT_PREFIX}{_step_in_iteration(step_id, iteration)}#ATTEMPT#{padded}#{evaluator}",
    }


def prompt_pack_version_key(tenant_id: str, pipeline: str, step_id: str, version: str) -> dict[str, str]:
    """The registry record of one prompt pack version, in the runs table."""
    return {"pk": tenant_partition(tenant_id), "sk": f"PROMPTPACK#{pipeline}#{step_id}#{version}"}


def prompt_pack_pointer_key(tenant_id: str, pipeline: str, step_id: str) -> dict[str, str]:
    """The item naming a step's active pack (and canary), in the runs table."""
    return {"pk": tenant_partition(tenant_id), "sk": f"PROMPTACTIVE#{pipeline}#{step_id}"}


def attempt_example_key(
    tenant_id: str, run_id: str, step_id: str, attempt: int, iteration: list[int] | None = None
) -> str:
    """The S3 object holding an attempt's signature inputs and outputs; inside a loop body, attempts are
    numbered per iteration and filed under it."""
    folder = "" if iteration is None else f"iteration-{'.'.join(str(i) for i in iteration)}/"
    return f"tenants/{tenant_id}/runs/{run_id}/steps/{step_id}/{folder}{attempt}.example.json"


def prompt_pack_key(tenant_id: str, pipeline: str, step_id: str, version: str) -> str:
    """The S3 object holding a prompt pack."""
    return f"tenants/{tenant_id}/prompt-packs/{pipeline}/{step_id}/{version}.json"
