"""The event catalogue."""
