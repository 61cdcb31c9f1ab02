"""Standard replies: /api/v1/replies."""
