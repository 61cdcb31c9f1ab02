"""The ``onegrid`` console command: Flask's CLI group around create_app."""

from flask.cli import FlaskGroup

from api.app import create_app
from api.worker import run_command


def main() -> None:
    group = FlaskGroup(
        create_app=create_app, help="onegrid: the one-network unified management backend"
    )
    group.add_command(run_command)  # Flask's run, plus the periodic jobs in a thread
    group.main(prog_name="onegrid")
