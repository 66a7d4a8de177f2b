"""Repositories: functions that take an AsyncSession and read or write one kind of record."""
