package client

import (
	"net/http"
	"net/url"
	"os"
	"strings"
)

var apiKey = os.Getenv("WEATHER_API_KEY")

const APIKeyHeader = "X-API-Key"

func Weather(city string) (*http.Response, error) {
	params := url.Values{}
	params.Set("q", city)
	// ruleid: keylint.go.credential-in-query-params
	params.Set("api_key", apiKey)
	return http.Get("https://api.weather.example/v1?" + params.Encode())
}

func WeatherRequest(city string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, "https://api.weather.example/v1", nil)
	if err != nil {
		return nil, err
	}
	q := req.URL.Query()
	q.Add("q", city)
	// ruleid: keylint.go.credential-in-query-params
	q.Add("access_token", apiKey)
	req.URL.RawQuery = q.Encode()
	return http.DefaultClient.Do(req)
}

func WeatherLiteral(city string) string {
	// ruleid: keylint.go.credential-in-query-params
	v := url.Values{"q": {city}, "token": {apiKey}}
	return "https://api.weather.example/v1?" + v.Encode()
}

func WeatherHeader(city string) (*http.Response, error) {
	params := url.Values{}
	// ok: keylint.go.credential-in-query-params
	params.Set("q", city)
	req, err := http.NewRequest(http.MethodGet, "https://api.weather.example/v1?"+params.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(APIKeyHeader, apiKey)
	return http.DefaultClient.Do(req)
}

func TokenExchange(code, clientSecret string) (*http.Response, error) {
	// a form body, not a query string
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	// ok: keylint.go.credential-in-query-params
	form.Set("client_secret", clientSecret)
	return http.PostForm("https://auth.example/oauth/token", form)
}

func TokenExchangeRequest(code, clientSecret string) (*http.Request, error) {
	form := url.Values{}
	// ok: keylint.go.credential-in-query-params
	form.Set("client_secret", clientSecret)
	return http.NewRequest(http.MethodPost, "https://auth.example/oauth/token", strings.NewReader(form.Encode()))
}

func PostFormLiteral(code, clientSecret string) (*http.Response, error) {
	// ok: keylint.go.credential-in-query-params
	return http.PostForm("https://auth.example/oauth/token", url.Values{"code": {code}, "client_secret": {clientSecret}})
}
