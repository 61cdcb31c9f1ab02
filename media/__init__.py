"""Photos: the Pillow pipeline (sniff, verify, orient, read EXIF, strip, resize, hash) and the
media stores (a local directory or an S3-compatible bucket) behind ``services.ports``."""
