"""The ``onegrid`` console command: Flask's CLI group around create_app."""

from flask.cli import FlaskGroup

from api.app import create_app


def main() -> None:
    FlaskGroup(
        create_app=create_app, help="onegrid: the one-network unified management backend"
    ).main(prog_name="onegrid")
