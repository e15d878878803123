"""The domain of dealbrief: store, rules, queries, rendering, digest content, extraction."""
