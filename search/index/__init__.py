"""Keeping the index in step with the database: the one indexing path,
the drift check and repair (check_index), and the index's state."""
