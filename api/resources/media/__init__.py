"""media endpoints."""
