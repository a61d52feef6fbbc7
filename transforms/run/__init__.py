"""Run level, with I/O: plan shards, clean a shard, build tables, stage and publish them
atomically, the ledger, the manifest, the OUTPUT lock and the run options. The flow in
`flows/` calls these; nothing here imports Prefect.
"""
