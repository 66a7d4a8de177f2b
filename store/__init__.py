"""Persistence: models, migrations, repositories and the database engine."""
