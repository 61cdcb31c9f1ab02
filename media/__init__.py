"""Photo pipeline and media storage (arrives with the snap-and-report issue)."""
