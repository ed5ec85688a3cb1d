"""Elexirion's prompt optimizer: compiles prompt packs for the pipeline steps that opt in, with DSPy.

Importing the package makes DSPy and litellm work offline: litellm would otherwise download its model
price map from GitHub on import (stanfordnlp/dspy#9388), and DSPy's disk cache goes to a temporary
directory instead of the home directory (read-only in some containers).
"""

import os
import tempfile

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("DSPY_CACHEDIR", os.path.join(tempfile.gettempdir(), "elexirion-dspy-cache"))
