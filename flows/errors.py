"""Errors the flow raises that the command line reports: importable without Prefect."""


class RunFailed(RuntimeError):
    """The pipeline broke (a table-level check, unbalanced accounting) or the run crossed the
    team's `run.max_quarantine_share`: raised after the quarantine, manifest and report are written."""
