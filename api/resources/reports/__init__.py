"""reports endpoints."""
