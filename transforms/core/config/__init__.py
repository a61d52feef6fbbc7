"""Every threshold and option of the pipeline, in one place: `PipelineConfig`, one section per
phase (`sections`), each value checked for its type and range when it is made (`values`).

A package rather than one module: the knobs with their reasons (`sections`) are most of it and
are what a reader looks for; the checking and the dotted-key handling are separate concerns.
"""

from transforms.core.config.pipeline_config import PipelineConfig
from transforms.core.config.sections import (
    CleanSettings,
    DedupSettings,
    HtmlSettings,
    MetadataSettings,
    PageTypeSettings,
    ReadSettings,
    RunSettings,
    ShardSettings,
    StorageSettings,
)

__all__ = [
    "CleanSettings",
    "DedupSettings",
    "HtmlSettings",
    "MetadataSettings",
    "PageTypeSettings",
    "PipelineConfig",
    "ReadSettings",
    "RunSettings",
    "ShardSettings",
    "StorageSettings",
]
