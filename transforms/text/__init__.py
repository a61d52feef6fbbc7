"""Phase 2, text: bytes to clean Unicode text (charset detection and decoding, normalisation)."""
