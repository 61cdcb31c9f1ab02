"""Domain rules and persistence for onegrid; knows nothing of HTTP."""
