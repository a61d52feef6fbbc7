"""Great Expectations suites (one JSON file per output table) and the code that runs them.

Import-light on purpose: importing this package does not import great_expectations (about 3 s);
`expectations.validate.validate_table` imports it on first use.
"""
