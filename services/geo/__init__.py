"""Geography: coordinate systems, boundary geometry, and locating points in grids."""
