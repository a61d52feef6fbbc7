"""Phase 4, clean: line-level cleaning of the body (chrome, end matter, lines recurring on a
site), repetition repair, leftovers the suite warns about, and the word-count gate.
"""
