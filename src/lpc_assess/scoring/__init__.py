"""Scoring: pure numbers, no files and no printing.

`person.py` is the reference of the scoring method (docs/scoring.md);
`compiled.py` is its fast path for batches, equal to it bit for bit; `team.py`
holds the streaming team statistics; `threesixty.py` the rater groups.
"""
