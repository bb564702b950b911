"""Demo app configuration: mostly read from the environment, with the slips keylint is for."""
import os

DEBUG = os.getenv("DEBUG", "false") == "true"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-7c1e9a4b2f8d6e3a")  # falls back to a key everyone knows
DATABASE_URL = "postgresql://orders:Ord3rs-Pr0d-91@db.internal:5432/orders"
STRIPE_API_KEY = "sk_live_51Mz9QkLmNoPqRsTuVwXyZa1b2C3d"
MAILGUN_API_KEY = os.environ["MAILGUN_API_KEY"]
TOKEN_URL = "https://auth.example.com/oauth/token"
API_KEY_HEADER = "X-API-Key"
