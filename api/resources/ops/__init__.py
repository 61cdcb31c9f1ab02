"""Liveness and readiness probes, outside the API prefix."""
