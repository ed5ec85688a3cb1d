import dspy

from elexirion_optimizer.offline_lm import answer, offline_lm, sections

SIGNATURE = dspy.Signature(
    {
        "ticket": (str, dspy.InputField()),
        "category": (str, dspy.OutputField()),
        "urgency": (float, dspy.OutputField()),
    },
    "Classify.",
)


def test_answers_with_the_outputs_of_the_closest_demo():
    # Prepare
    predict = dspy.Predict(SIGNATURE)
    predict.demos = [
        dspy.Example(ticket="my invoice is wrong", category="billing", urgency=0.2),
        dspy.Example(ticket="the app crashes on start", category="bug", urgency=0.9),
    ]

    # Act
    with dspy.context(lm=offline_lm(), adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
        crash = predict(ticket="it crashes every time")
        invoice = predict(ticket="second invoice")

    # Assess
    assert (crash.category, crash.urgency) == ("bug", 0.9)
    assert invoice.category == "billing"


def test_without_a_matching_demo_it_answers_typed_placeholders():
    with dspy.context(lm=offline_lm(), adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
        result = dspy.Predict(SIGNATURE)(ticket="hello")

    assert (result.category, result.urgency) == ("unknown", 0.0)


def test_is_deterministic_and_reads_chat_adapter_sections():
    # Prepare
    turns = [
        ("system", "s"),
        (
            "user",
            "[[ ## ticket ## ]]\nx\n\nRespond with the corresponding output fields, "
            "starting with the field `[[ ## category ## ]]`.",
        ),
    ]

    # Act / Assess
    assert answer(turns) == answer(turns) == "[[ ## category ## ]]\nunknown\n\n[[ ## completed ## ]]"
    assert sections("[[ ## a ## ]]\n 1 \n\n[[ ## completed ## ]]\n") == {"a": "1"}
