"""Migration revisions, ``NNNN_slug.py``; never edited once landed."""
