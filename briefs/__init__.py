"""The domain of dealbrief: store, rules, queries, rendering, digest content, extraction."""

import sys

# sqlite-utils imports numpy when it is installed (matplotlib brings it), only to store numpy
# values, which dealbrief never passes it; a command would wait for numpy every time. So
# sqlite-utils is imported here, first, with numpy hidden; numpy imports normally afterwards.
if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # None: "not installed"
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]
