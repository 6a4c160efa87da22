"""Reports made from what a check or a comparison found: text, JSON, and the copies sent back with Word comments."""
