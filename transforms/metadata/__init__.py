"""Phase 5, metadata: title, subtitle, authors, dates, URL, site name and language, from the
markup's evidence and the text.
"""
