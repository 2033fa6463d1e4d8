"""The app for the concurrency benchmark under gunicorn: production-like settings (DEBUG off)
without two start-up/login guards that would measure something else: login rate limits (all
simulated reviewers share one loopback address) and the production check of every user's
password against the demo password (one scrypt per user per worker: minutes for 300 users)."""

from app import create_app

app = create_app(
    "development",
    DEBUG=False,
    RATELIMIT_ENABLED=False,
    AUTH_RATE_LIMITED=False,
    # The login guard's per-address limit (10 a minute per worker) refused 30 of 50 reviewers.
    LOGIN_RATE_LIMIT="100000 per minute",
    LOGIN_MAX_FAILURES_PER_ADDRESS=100000,
)
