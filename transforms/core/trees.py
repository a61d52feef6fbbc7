"""Gradient-boosted trees as shipped by the project's learned models (page types, line filter).

LightGBM trains them (in `benchmarks/`); at run time a tree is nested lists, walked or compiled
into one Python expression, so neither LightGBM nor scikit-learn is imported by the pipeline.
"""

from __future__ import annotations

from typing import Any

# a node: [feature index, threshold, left, right] (go left when value <= threshold); a leaf: a
# float. `compact_tree` turns LightGBM's dump into this form.
Node = list[Any] | float


def compact_tree(node: dict[str, Any]) -> Node:
    """LightGBM's `dump_model()` tree structure as nested lists (numerical splits only)."""
    if "leaf_value" in node:
        return round(float(node["leaf_value"]), 6)
    if node.get("decision_type", "<=") != "<=":
        raise ValueError(f"unsupported split {node.get('decision_type')!r}")
    return [
        int(node["split_feature"]),
        float(node["threshold"]),
        compact_tree(node["left_child"]),
        compact_tree(node["right_child"]),
    ]


def leaf(node: Node, row: list[float]) -> float:
    """The leaf a row reaches: the reference the compiled expressions are tested against."""
    while isinstance(node, list):
        node = node[2] if row[node[0]] <= node[1] else node[3]
    return node


def tree_expression(node: Node) -> str:
    """A tree as a Python conditional expression over the row `r` (numbers only: the feature
    index is an int and the threshold and leaves floats, written by `repr`)."""
    if not isinstance(node, list):
        return repr(float(node))
    feature, threshold, left, right = node
    return (
        f"({tree_expression(left)} if r[{int(feature)}] <= {float(threshold)!r} "
        f"else {tree_expression(right)})"
    )
