"""Risk language in session-note text: a reviewed lexicon, its matcher, and a SQL prefilter.

Pure Python (no database, no Qt): a bottom layer that imports nothing of backoffice.
"""
