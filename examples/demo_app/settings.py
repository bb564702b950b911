"""Settings of the demo app, read once at start-up."""

import os
from datetime import timedelta

DEBUG = os.environ.get("DEMO_DEBUG") == "1"
SECRET_KEY = os.environ["DEMO_SECRET_KEY"]

# Mistake: a week-long access token; keep access tokens short (minutes) and refresh them.
ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 7
REFRESH_TOKEN_EXPIRE_DAYS = 14  # fine: within the 30-day refresh policy

# Read at run time: not guessed by the linter.
SESSION_IDLE_MINUTES = int(os.environ.get("DEMO_SESSION_IDLE_MINUTES", "30"))


class FlaskConfig:
    """Handed to app.config.from_object() for the flask-jwt-extended parts of the app."""

    SECRET_KEY = SECRET_KEY
    JWT_TOKEN_LOCATION = ["headers"]
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    # Mistake: False means refresh tokens never expire.
    JWT_REFRESH_TOKEN_EXPIRES = False
