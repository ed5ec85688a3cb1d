import io
import json
from decimal import Decimal

import boto3
from boto3.dynamodb.types import TypeSerializer
from botocore.stub import ANY, Stubber

from elexirion_optimizer.store import RecordStore, StoreConfig

CONFIG = StoreConfig(tenant_id="acme", bucket="b", runs_table="runs", attempts_table="attempts")
SERIALIZE = TypeSerializer().serialize


def item(**values):
    return {k: SERIALIZE(Decimal(str(v)) if isinstance(v, float) else v) for k, v in values.items()}


def stubbed_store():
    s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    db = boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    return RecordStore(CONFIG, s3=s3, dynamodb=db), Stubber(s3), Stubber(db)


def test_recent_runs_queries_the_tenant_newest_first_filtered_by_pipeline():
    # Prepare
    store, _, db = stubbed_store()
    runs = [item(pk="TENANT#acme", sk=f"RUN#r{i}", runId=f"r{i}", pipeline="support") for i in (3, 2)]
    db.add_response(
        "query",
        {"Items": runs},
        {
            "TableName": "runs",
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {
                ":pk": {"S": "TENANT#acme"},
                ":low": {"S": "RUN#"},
                ":high": {"S": "RUN#\uffff"},
                ":pipeline": {"S": "support"},
            },
            "FilterExpression": "#pipeline = :pipeline",
            "ExpressionAttributeNames": {"#pipeline": "pipeline"},
            "ScanIndexForward": False,
        },
    )

    # Act
    with db:
        found = store.recent_runs("support", limit=1)

    # Assess
    assert [r["runId"] for r in found] == ["r3"]


def test_an_observation_is_the_last_good_attempt_with_its_scores_and_feedback():
    # Prepare
    store, s3, db = stubbed_store()
    pk = "TENANT#acme#RUN#r1"
    db.add_response(
        "query",
        {
            "Items": [
                item(pk=pk, sk="FEEDBACK#2026#f1", score=0.2),
                item(pk=pk, sk="FEEDBACK#2026#f2", score=1.0, stepId="classify"),
                item(
                    pk=pk,
                    sk="SCORE#classify#ATTEMPT#0002#known",
                    stepId="classify",
                    attempt=2,
                    evaluator="known",
                    score=1,
                ),
                item(
                    pk=pk,
                    sk="SCORE#classify#ATTEMPT#0001#known",
                    stepId="classify",
                    attempt=1,
                    evaluator="known",
                    score=0,
                ),
                item(
                    pk=pk,
                    sk="STEP#classify#ATTEMPT#0001",
                    stepId="classify",
                    attempt=1,
                    status="FAILED",
                    promptVersion="spec:a",
                ),
                item(
                    pk=pk,
                    sk="STEP#classify#ATTEMPT#0002",
                    stepId="classify",
                    attempt=2,
                    status="SUCCEEDED",
                    promptVersion="spec:a",
                ),
                item(
                    pk=pk,
                    sk="STEP#classify#ATTEMPT#0003",
                    stepId="classify",
                    attempt=3,
                    status="SUCCEEDED",
                    degraded=True,
                    promptVersion="spec:a",
                ),
                item(pk=pk, sk="STEP#classify#COUNTER", lastAttempt=3),
            ]
        },
        {"TableName": "attempts", "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": ANY},
    )
    example = {"inputs": {"ticket": "refund"}, "outputs": {"category": "billing"}}
    s3.add_response(
        "get_object",
        {"Body": io.BytesIO(json.dumps(example).encode())},
        {"Bucket": "b", "Key": "tenants/acme/runs/r1/steps/classify/2.example.json"},
    )

    # Act
    with db, s3:
        [found] = store.observations([{"runId": "r1"}], "classify")

    # Assess
    assert (found.attempt, found.inputs, found.outputs) == (2, {"ticket": "refund"}, {"category": "billing"})
    assert found.scores == {"known": 1.0}
    assert found.feedback == 1.0


def test_in_a_loop_body_the_observation_is_the_last_iteration_with_its_own_example_and_scores():
    # Prepare: attempt 1 of iterations 0 and 1, each scored
    store, s3, db = stubbed_store()
    pk = "TENANT#acme#RUN#r1"
    db.add_response(
        "query",
        {
            "Items": [
                *(
                    item(
                        pk=pk,
                        sk=f"SCORE#classify#ITERATION#000{i}#ATTEMPT#0001#known",
                        stepId="classify",
                        iteration=[i],
                        attempt=1,
                        evaluator="known",
                        score=i,
                    )
                    for i in (0, 1)
                ),
                *(
                    item(
                        pk=pk,
                        sk=f"STEP#classify#ITERATION#000{i}#ATTEMPT#0001",
                        stepId="classify",
                        iteration=[i],
                        attempt=1,
                        status="SUCCEEDED",
                        promptVersion="spec:a",
                    )
                    for i in (0, 1)
                ),
            ]
        },
        {"TableName": "attempts", "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": ANY},
    )
    example = {"inputs": {"ticket": "refund"}, "outputs": {"category": "billing"}}
    s3.add_response(
        "get_object",
        {"Body": io.BytesIO(json.dumps(example).encode())},
        {"Bucket": "b", "Key": "tenants/acme/runs/r1/steps/classify/iteration-1/1.example.json"},
    )

    # Act
    with db, s3:
        [found] = store.observations([{"runId": "r1"}], "classify")

    # Assess
    assert (found.attempt, found.scores) == (1, {"known": 1.0})


def test_a_missing_object_reads_as_none():
    # Prepare
    store, s3, _ = stubbed_store()
    s3.add_client_error("get_object", service_error_code="NoSuchKey", http_status_code=404)

    # Act / Assess
    with s3:
        assert store.get_json("tenants/acme/nothing.json") is None


def test_items_are_written_with_decimal_numbers_and_without_nones():
    # Prepare
    store, _, db = stubbed_store()
    db.add_response(
        "put_item",
        {},
        {
            "TableName": "runs",
            "Item": {
                "pk": {"S": "TENANT#acme"},
                "sk": {"S": "PROMPTACTIVE#support#classify"},
                "share": {"N": "0.25"},
                "active": {"M": {"version": {"S": "pack:1"}}},
            },
        },
    )

    # Act / Assess
    with db:
        store.put_item(
            {"pk": "TENANT#acme", "sk": "PROMPTACTIVE#support#classify"},
            {"share": 0.25, "active": {"version": "pack:1", "gone": None}, "canary": None},
        )
