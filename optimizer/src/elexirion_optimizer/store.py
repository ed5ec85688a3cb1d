"""The optimizer's reads and writes: run, attempt, score and feedback records in DynamoDB, examples
and prompt packs in S3, and the prompt pack registry (records and the active pointer) in DynamoDB.

The tables are the ones the TypeScript core writes (`functions/stores/table-definitions.ts`);
endpoints are configurable so the job runs against the local stack's emulators.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from statistics import fmean
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config

from . import keys
from .dataset import Observation


@dataclass(frozen=True)
class StoreConfig:
    """Where the tenant's data lives. Endpoints and region default to boto3's own resolution."""

    tenant_id: str
    bucket: str
    runs_table: str
    attempts_table: str
    s3_endpoint: str | None = None
    dynamodb_endpoint: str | None = None
    region: str | None = None
    #: Path-style S3 addressing, which S3 emulators on loopback addresses need.
    s3_path_style: bool = False


class RecordStore:
    """The tenant's records, through boto3 clients (injectable, for tests and emulators)."""

    def __init__(self, config: StoreConfig, s3: Any = None, dynamodb: Any = None):
        self.config = config
        region = config.region
        # Checksums only where required: S3 emulators reject the default aws-chunked uploads.
        s3_config = Config(
            s3={"addressing_style": "path"} if config.s3_path_style else {},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self.s3 = s3 or boto3.client(
            "s3", endpoint_url=config.s3_endpoint, region_name=region, config=s3_config
        )
        self.db = dynamodb or boto3.client(
            "dynamodb", endpoint_url=config.dynamodb_endpoint, region_name=region
        )
        self._out, self._in = TypeSerializer(), TypeDeserializer()

    def recent_runs(self, pipeline: str | None, limit: int) -> list[dict[str, Any]]:
        """The tenant's runs, newest first, of one pipeline or of all."""
        query: dict[str, Any] = {
            "TableName": self.config.runs_table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.tenant_partition(self.config.tenant_id)},
                ":low": {"S": keys.RUN_SORT_PREFIX},
                ":high": {"S": keys.RUN_SORT_PREFIX + "\uffff"},
            },
            "ScanIndexForward": False,
        }
        if pipeline is not None:
            query["FilterExpression"] = "#pipeline = :pipeline"
            query["ExpressionAttributeNames"] = {"#pipeline": "pipeline"}
            query["ExpressionAttributeValues"][":pipeline"] = {"S": pipeline}
        runs = []
        for item in self._query(query):
            runs.append(item)
            if len(runs) == limit:
                break
        return runs

    def observations(self, runs: list[dict[str, Any]], step_id: str) -> list[Observation]:
        """One observation per run: the step's last succeeded, non-degraded attempt that recorded its
        signature values, with its evaluator scores and the human feedback on the step (or its run)."""
        found = []
        for run in runs:
            items = list(
                self._query(
                    {
                        "TableName": self.config.attempts_table,
                        "KeyConditionExpression": "pk = :pk",
                        "ExpressionAttributeValues": {
                            ":pk": {"S": keys.attempt_partition(self.config.tenant_id, run["runId"])},
                        },
                    }
                )
            )
            observation = self._observation(run["runId"], step_id, items)
            if observation is not None:
                found.append(observation)
        return found

    def get_json(self, key: str) -> Any:
        """An S3 object's JSON; None when there is no such object."""
        try:
            body = self.s3.get_object(Bucket=self.config.bucket, Key=key)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return None
        return json.loads(body)

    def put_json(self, key: str, value: Any) -> None:
        """Writes JSON to S3."""
        body = json.dumps(value, ensure_ascii=False, indent=2).encode()
        self.s3.put_object(Bucket=self.config.bucket, Key=key, Body=body, ContentType="application/json")

    def get_item(self, key: dict[str, str]) -> dict[str, Any] | None:
        """An item of the runs table (registry records live there), without its keys."""
        reply = self.db.get_item(
            TableName=self.config.runs_table, Key={k: {"S": v} for k, v in key.items()}, ConsistentRead=True
        )
        return self._record(reply["Item"]) if "Item" in reply else None

    def put_item(self, key: dict[str, str], record: dict[str, Any]) -> None:
        """Writes an item of the runs table."""
        item = {k: self._out.serialize(_to_dynamo(v)) for k, v in {**record, **key}.items() if v is not None}
        self.db.put_item(TableName=self.config.runs_table, Item=item)

    def _observation(self, run_id: str, step_id: str, items: list[dict[str, Any]]) -> Observation | None:
        attempts = sorted(
            (
                i
                for i in items
                if i["sk"].startswith(keys.STEP_SORT_PREFIX)
                and "attempt" in i
                and i.get("stepId") == step_id
                and i.get("status") == "SUCCEEDED"
                and not i.get("degraded")
            ),
            # Inside a loop body attempts count per iteration: the last is the latest iteration's.
            key=lambda i: (i.get("iteration", []), i["attempt"]),
            reverse=True,
        )
        for attempt in attempts:
            example = self.get_json(
                keys.attempt_example_key(
                    self.config.tenant_id, run_id, step_id, attempt["attempt"], attempt.get("iteration")
                )
            )
            if example is None:
                continue
            scores = {
                i["evaluator"]: float(i["score"])
                for i in items
                if i["sk"].startswith(keys.SCORE_SORT_PREFIX)
                and i.get("stepId") == step_id
                and i.get("attempt") == attempt["attempt"]
                and i.get("iteration") == attempt.get("iteration")
            }
            feedback = [i for i in items if i["sk"].startswith(keys.FEEDBACK_SORT_PREFIX)]
            on_step = [float(i["score"]) for i in feedback if i.get("stepId") == step_id]
            on_run = [float(i["score"]) for i in feedback if "stepId" not in i]
            given = on_step or on_run
            return Observation(
                run_id=run_id,
                attempt=attempt["attempt"],
                prompt_version=attempt["promptVersion"],
                inputs=example["inputs"],
                outputs=example["outputs"],
                scores=scores,
                feedback=fmean(given) if given else None,
            )
        return None

    def _query(self, query: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for page in self.db.get_paginator("query").paginate(**query):
            for item in page["Items"]:
                yield self._record(item) | {"sk": item["sk"]["S"]}

    def _record(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: _from_dynamo(self._in.deserialize(v)) for k, v in item.items() if k not in ("pk", "sk")}


def _from_dynamo(value: Any) -> Any:
    """DynamoDB numbers arrive as Decimal; JSON wants int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value


def _to_dynamo(value: Any) -> Any:
    """DynamoDB takes numbers as Decimal, not float."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_to_dynamo(v) for v in value]
    return value
