"""CLI: `onegrid calendar …` (the working calendar)."""

from flask.cli import AppGroup

calendar_cli = AppGroup("calendar", help="The working calendar: holidays and make-up workdays.")
