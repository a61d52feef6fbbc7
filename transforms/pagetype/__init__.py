"""What a page is (article, live blog, forum, product, listing, ...), from cheap evidence on the
parsed tree: markup that states it (JSON-LD, og:type), the URL, and the page's shape through a
small learned model; and pages that are never content (error pages, consent walls, paywall
stubs, bot challenges, login walls, empty script shells). docs/page_types.md.
"""
