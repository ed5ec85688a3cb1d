"""A DSPy `Signature` from a step's `optimize:` block."""

from typing import Any

import dspy

from .spec import FieldSpec, OptimizeSpec

#: Python annotations of the field types a pipeline may declare (`spec.FIELD_TYPES`).
ANNOTATIONS: dict[str, Any] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list[str]": list[str],
    "dict": dict,
}


def signature_for(spec: OptimizeSpec) -> type[dspy.Signature]:
    """The step's signature: inputs then outputs in declaration order, with the step's instructions.

    Without instructions DSPy's default applies (``Given the fields `a`, produce the fields `b`.``).
    """
    fields = {f.name: (ANNOTATIONS[f.type], _field(dspy.InputField, f)) for f in spec.inputs}
    fields |= {f.name: (ANNOTATIONS[f.type], _field(dspy.OutputField, f)) for f in spec.outputs}
    return dspy.Signature(fields, spec.instructions)


def _field(kind: Any, field: FieldSpec) -> Any:
    return kind(desc=field.desc) if field.desc else kind()
