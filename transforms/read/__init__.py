"""Phase 1, read: find input files, read them within size bounds, and turn each file (HTML,
text, JSON Lines, WARC) into raw `Article` records.
"""
