"""Watches: alerts when a fact about a followed company, sector or word arrives.

``watches`` (the use cases every front end calls), ``matcher`` (one fact against every
watch, through an index), ``trail`` (the cursor that turns audit rows into deliveries),
``ledger`` (batches claimed before they are sent, so each delivery goes out once),
``content`` (what a batch says) and ``cli`` (``dealbrief watch``).
"""
