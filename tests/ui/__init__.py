"""UI tests: widgets, the task model and whole edit sessions under pytest-qt."""
