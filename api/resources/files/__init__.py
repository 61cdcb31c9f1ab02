"""Files of the local media store, served through signed, expiring links."""
