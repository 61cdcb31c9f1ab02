"""HTTP interface of onegrid: Flask, flask-smorest and marshmallow; ``create_app`` wires it all."""
