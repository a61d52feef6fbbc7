"""The framework every phase builds on: the record (`Article`), the step base classes and
their runner, the config, the Arrow schemas and the ids. Imports nothing else of `transforms`.
"""
