"""JSON Schemas of the files the auditor writes (loaded with importlib.resources)."""
