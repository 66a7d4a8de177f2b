"""Framework and statutory knowledge, its search index, and the working-day calculator."""
