"""The use cases: each command's typed input, its parsing and checks, and its call into the store.

The CLI, the Discord cogs, the console and review all call these and only translate: options
in, pages out. Writes go through :mod:`briefs.changes` (each change and its audit row in one
transaction), so a rule written here holds for every front end.

- :mod:`.facts`: ``FactForm`` and fact add, edit, remove, undo, history;
- :mod:`.companies`: company add and alias;
- :mod:`.review`: approve (with corrections and new companies) and reject proposals.
"""
