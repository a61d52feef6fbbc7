from transforms.run.manifest import merge_counts


def test_shard_validation_counts_add_up_and_the_share_is_recomputed():
    shards = [
        {
            "evaluated_expectations": 10,
            "successful_expectations": 10,
            "success_percent": 100.0,
            "failed_rows": 0,
            "quality_flags": {"repeated_paragraph": 1},
        },
        {
            "evaluated_expectations": 10,
            "successful_expectations": 5,
            "success_percent": 50.0,
            "failed_rows": 3,
            "quality_flags": {"repeated_paragraph": 2, "caption_in_body": 1},
        },
        {},  # a shard with no articles is not validated
    ]
    merged = merge_counts(shards)
    assert merged["evaluated_expectations"] == 20
    assert merged["failed_rows"] == 3
    assert merged["success_percent"] == 75.0
    assert merged["quality_flags"] == {"repeated_paragraph": 3, "caption_in_body": 1}
