"""The demo app's HTTP API (FastAPI)."""

from typing import Optional

from fastapi import FastAPI, Header, HTTPException, Request

from .weather_client import WeatherClient

app = FastAPI(title="demo weather api")
weather = WeatherClient()
API_KEYS = {"demo-key-1"}


def _check(key: Optional[str]) -> None:
    if key not in API_KEYS:
        raise HTTPException(status_code=401, detail="invalid API key")


@app.get("/weather/{city}")
def current_weather(city: str, api_key: str):  # mistake: FastAPI reads api_key from the query string
    _check(api_key)
    return weather.current(city)


@app.get("/forecast/{city}")
def forecast(city: str, request: Request):
    _check(request.query_params.get("token"))  # mistake: token read from the query string
    return weather.forecast(city)


@app.get("/alerts/{region}")
def alerts(region: str, x_api_key: str = Header(...), page: int = 1):  # the fix: a header
    _check(x_api_key)
    return weather.alerts(region)
