"""`python -m elexirion_optimizer`: the compile job's command line.

Settings come from flags, else from the environment the CDK stack gives the container (`TENANT_ID`,
`ARTIFACT_BUCKET`, `RUNS_TABLE`, `ATTEMPTS_TABLE`, provider keys or key secrets). One JSON line per
step goes to stdout; DSPy's progress goes to stderr. Exit status: 0 when every step was handled, 2 on
bad usage or a step that does not opt in.
"""

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from .job import JobOptions, run_job
from .lm import PROVIDER_MODES, ProviderKeyError, lm_for
from .spec import SpecError
from .store import RecordStore, StoreConfig


def parse_args(argv: Sequence[str], env: Mapping[str, str]) -> argparse.Namespace:
    """The job's options; every storage setting has an environment default."""
    parser = argparse.ArgumentParser(
        prog="python -m elexirion_optimizer", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--pipeline", help="optimize this pipeline's steps (default: every pipeline with recent runs)"
    )
    parser.add_argument("--step", help="only this step (it must declare optimize:)")
    parser.add_argument(
        "--provider",
        choices=PROVIDER_MODES,
        default="auto",
        help="auto: each step's provider when its key is set, else the offline LM (default)",
    )
    parser.add_argument(
        "--max-runs", type=int, default=500, help="read at most this many recent runs (default 500)"
    )
    parser.add_argument("--tenant", default=env.get("TENANT_ID"), required="TENANT_ID" not in env)
    parser.add_argument("--bucket", default=env.get("ARTIFACT_BUCKET"), required="ARTIFACT_BUCKET" not in env)
    parser.add_argument("--runs-table", default=env.get("RUNS_TABLE"), required="RUNS_TABLE" not in env)
    parser.add_argument(
        "--attempts-table", default=env.get("ATTEMPTS_TABLE"), required="ATTEMPTS_TABLE" not in env
    )
    parser.add_argument("--s3-endpoint", default=env.get("AWS_ENDPOINT_URL_S3"))
    parser.add_argument("--dynamodb-endpoint", default=env.get("AWS_ENDPOINT_URL_DYNAMODB"))
    parser.add_argument(
        "--region", default=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    )
    parser.add_argument(
        "--s3-path-style",
        action="store_true",
        default=env.get("S3_FORCE_PATH_STYLE") == "true",
        help="path-style S3 addressing, for S3 emulators",
    )
    args = parser.parse_args(argv)
    if args.step and not args.pipeline:
        parser.error("--step needs --pipeline")
    return args


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Runs the job and prints one JSON line per step; returns the exit status."""
    env = os.environ if env is None else env
    args = parse_args(sys.argv[1:] if argv is None else argv, env)
    config = StoreConfig(
        tenant_id=args.tenant,
        bucket=args.bucket,
        runs_table=args.runs_table,
        attempts_table=args.attempts_table,
        s3_endpoint=args.s3_endpoint,
        dynamodb_endpoint=args.dynamodb_endpoint,
        region=args.region,
        s3_path_style=args.s3_path_style,
    )
    options = JobOptions(
        pipeline=args.pipeline,
        step=args.step,
        max_runs=args.max_runs,
        now=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    )
    try:
        outcomes = run_job(
            RecordStore(config), options, lambda step, model=None: lm_for(step, args.provider, env, model)
        )
    except (SpecError, ProviderKeyError) as error:
        print(f"elexirion_optimizer: {error}", file=sys.stderr)
        return 2
    for outcome in outcomes:
        print(json.dumps(outcome.to_json()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
