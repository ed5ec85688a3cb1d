from elexirion_optimizer.signatures import signature_for
from elexirion_optimizer.spec import FieldSpec
from factories import optimize_spec


def test_inputs_come_first_then_outputs_with_their_types_and_descriptions():
    # Prepare
    spec = optimize_spec(
        inputs=(FieldSpec("ticket", "str", "raw message"), FieldSpec("tags", "list[str]")),
        outputs=(FieldSpec("category", "str"), FieldSpec("urgency", "float", "0 to 1")),
    )

    # Act
    signature = signature_for(spec)

    # Assess
    assert list(signature.input_fields) == ["ticket", "tags"]
    assert list(signature.output_fields) == ["category", "urgency"]
    assert signature.output_fields["urgency"].annotation is float
    assert signature.input_fields["tags"].annotation == list[str]
    assert signature.input_fields["ticket"].json_schema_extra["desc"] == "raw message"
    assert signature.instructions == "Classify the support ticket."


def test_without_instructions_dspy_default_applies():
    signature = signature_for(optimize_spec(instructions=None))

    assert signature.instructions == "Given the fields `ticket`, produce the fields `category`."
