"""Phase 3, HTML: parse a page once, take its captions and credits, extract the body."""
