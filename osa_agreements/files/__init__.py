"""Files the toolkit reads and writes: YAML, JSON Schemas, atomic writes, the shipped data, the validation cache."""
