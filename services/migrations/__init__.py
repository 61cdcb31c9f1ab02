"""Alembic migrations for the onegrid schema."""
