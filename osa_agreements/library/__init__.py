"""The clause library: its clauses loaded and validated, its upkeep, and the diff of two versions."""
