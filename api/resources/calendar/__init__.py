"""The working calendar."""
