"""Phase 6, deduplicate (pure): MinHash signatures, LSH band keys and the clustering of
candidate pairs. The run-level join with earlier runs is `transforms.run.deduplicate`.
"""
