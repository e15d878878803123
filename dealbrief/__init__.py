"""The ``dealbrief`` program, runnable as ``python -m dealbrief``; its commands are
``briefs.cli.cli`` (the Discord bot among them, imported only when it runs)."""
