"""Read helpers: ``get_*`` raise NotFound, ``find_*`` may return None, ``list_*`` return pages."""
