"""Client for the upstream weather provider used by the demo app."""

import logging
import os

import requests

log = logging.getLogger(__name__)

OWM_KEY = os.environ.get("OWM_API_KEY", "")
FORECAST_URL = "https://api.openweathermap.org/data/2.5/forecast?q={city}&units=metric&appid={key}"


class WeatherClient:
    def __init__(self, api_key: str = OWM_KEY):
        self.api_key = api_key
        self.http = requests.Session()

    def current(self, city: str) -> dict:
        # Mistake: the key travels as a query parameter.
        response = self.http.get(
            "https://api.openweathermap.org/data/2.5/weather",
            params={"q": city, "units": "metric", "appid": self.api_key},
            timeout=5,
        )
        return response.json()

    def forecast(self, city: str) -> dict:
        # Mistake: a URL template with the key in its query, logged and then requested.
        url = FORECAST_URL.format(city=city, key=self.api_key)
        log.info("fetching forecast: %s", url)
        return self.http.get(url, timeout=5).json()

    def alerts(self, region: str) -> dict:
        # The fix: the provider also accepts the key in a header.
        response = self.http.get(
            "https://alerts.example.com/v1/alerts",
            params={"region": region, "page": 1},
            headers={"X-API-Key": self.api_key},
            timeout=5,
        )
        return response.json()
