"""Everything the tool writes: atomic private files, scores, the summary, the terminal."""
