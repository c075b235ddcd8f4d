"""The team pipeline: consumers of scored chunks (`consumer.Consumer`).

A batch hands every chunk of scored responses to each consumer it needs: the
team statistics, the scores file, the people table, person reports, the 360
collector; `anonymise.py` replaces identities before any of them sees a chunk.
"""
