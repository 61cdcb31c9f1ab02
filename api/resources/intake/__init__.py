"""Multi-source intake: events from the 12345 hotline, 110 and other systems."""
