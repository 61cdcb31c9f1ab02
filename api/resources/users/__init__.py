"""Administration of accounts within the administrator's area."""
