"""sqlite-utils, imported the one way the program imports it at run time.

sqlite-utils imports numpy when it is installed (matplotlib brings it), only to store numpy
values, which dealbrief never passes it; a command would wait for numpy every time. So it is
imported here with numpy hidden, and numpy imports normally afterwards. Lookups never come
here: they read through a plain ``sqlite3`` connection (``briefs.store.open_lookup``).
"""

from __future__ import annotations

import sys

if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # None: "not installed"
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]

from sqlite_utils import Database  # after the import above, by design
from sqlite_utils.migrations import Migrations

__all__ = ["Database", "Migrations"]
