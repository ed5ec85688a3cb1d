"""A deterministic stand-in LM, so the job, its tests and the benchmark run with no network and no key.

It reads the ChatAdapter messages it is sent and answers, in ChatAdapter's reply format, with the
outputs of the demonstration whose inputs share the most words with the request; when no
demonstration shares a word it answers typed placeholders (`unknown`, `0.0`, `False`, ...). So it is
right exactly when the prompt carries a demonstration of the same kind of input: prompts improve
only by carrying what the task needs, which is what compilation is for.
"""

import re
from itertools import pairwise
from typing import Any

import dspy
from dspy.lm15 import Message, Response, TextPart, Usage, response_to_events

_HEADER = re.compile(r"^\[\[ ## (\w+) ## \]\]", re.MULTILINE)
_REQUIREMENTS = "Respond with the corresponding output fields"
_REQUESTED = re.compile(r"`\[\[ ## (\w+) ## \]\]`(?: \(must be formatted as a valid Python ([\w\[\], ]+)\))?")
_PLACEHOLDERS = {"float": "0.0", "int": "0", "bool": "False", "dict": "{}"}


class DemoFollowingEngine:
    """A DSPy engine (`complete(Request) -> Response`) answering from the demonstrations in the prompt."""

    def complete(self, request: Any) -> Response:
        turns = [(m.role, m.text or "") for m in request.messages]
        text = answer(turns)
        return Response(
            id=None,
            model="offline/demo-follower",
            message=Message.assistant([TextPart(text)]),
            finish_reason="stop",
            usage=Usage(input_tokens=0, output_tokens=0, total_tokens=0),
        )

    def stream(self, request: Any) -> Any:
        return response_to_events(self.complete(request))

    def close(self) -> None:
        """Nothing to release."""


def offline_lm() -> dspy.LM:
    """The deterministic LM as a `dspy.LM`, uncached (it is cheaper than a cache lookup)."""
    return dspy.LM("offline/demo-follower", engine=DemoFollowingEngine(), cache=False)


def answer(turns: list[tuple[str, str]]) -> str:
    """The reply to a conversation of (role, text) turns whose last turn is the request."""
    request = turns[-1][1]
    head, _, requirements = request.partition(_REQUIREMENTS)
    wanted = _REQUESTED.findall(requirements)
    query = _words(" ".join(sections(head).values()))
    best, best_overlap = None, 0.0
    demos = [(u, a) for (ru, u), (ra, a) in pairwise(turns[:-1]) if (ru, ra) == ("user", "assistant")]
    for user, assistant in demos:
        overlap = _jaccard(query, _words(" ".join(sections(user).values())))
        if overlap > best_overlap:
            best, best_overlap = sections(assistant), overlap
    values = {name: (best or {}).get(name) or _placeholder(kind) for name, kind in wanted}
    return (
        "\n\n".join(f"[[ ## {name} ## ]]\n{value}" for name, value in values.items())
        + "\n\n[[ ## completed ## ]]"
    )


def sections(text: str) -> dict[str, str]:
    """The `[[ ## name ## ]]` sections of a ChatAdapter message, by field name."""
    parts = _HEADER.split(text)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2) if parts[i] != "completed"}


def _placeholder(kind: str) -> str:
    if kind.startswith("list"):
        return "[]"
    return _PLACEHOLDERS.get(kind, "unknown")


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
