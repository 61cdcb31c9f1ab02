"""CLI: `onegrid areas …` (boundary import)."""

from flask.cli import AppGroup

areas_cli = AppGroup("areas", help="Areas and grids: import boundary data.")
