from types import SimpleNamespace

from flows.validation import merge_validation


def test_shard_validation_counts_add_up_and_the_share_is_recomputed():
    shards = [
        SimpleNamespace(
            validation={
                "evaluated_expectations": 10,
                "successful_expectations": 10,
                "success_percent": 100.0,
                "failed_rows": 0,
            }
        ),
        SimpleNamespace(
            validation={
                "evaluated_expectations": 10,
                "successful_expectations": 5,
                "success_percent": 50.0,
                "failed_rows": 3,
            }
        ),
        SimpleNamespace(validation={}),  # a shard with no articles is not validated
    ]
    merged = merge_validation(shards)
    assert merged["evaluated_expectations"] == 20
    assert merged["failed_rows"] == 3
    assert merged["success_percent"] == 75.0
