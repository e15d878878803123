"""The weekly digest, by concern.

``content`` (what a period's digest holds, built and rendered), ``query`` (its SQL over an
audit-id window), ``settings`` (per server, checked as typed), ``schedule`` (when a digest falls
due), ``ledger`` (the posts claimed, sent, failed or skipped) and ``cli`` (``dealbrief digest``).
"""
