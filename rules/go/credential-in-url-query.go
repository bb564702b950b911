package client

import (
	"fmt"
	"net/http"
	"os"
)

var apiKey = os.Getenv("MAPS_API_KEY")

func Geocode(address string) (*http.Response, error) {
	// ruleid: keylint.go.credential-in-url-query
	return http.Get(fmt.Sprintf("https://maps.example/geocode?address=%s&key=%s", address, apiKey))
}

func GeocodeConcat(address string) (*http.Request, error) {
	u := "https://maps.example/geocode?api_key=" + apiKey + "&q=" + address
	// ruleid: keylint.go.credential-in-url-query
	return http.NewRequest(http.MethodGet, u, nil)
}

func Redirect(w http.ResponseWriter, r *http.Request, token string) {
	// ruleid: keylint.go.credential-in-url-query
	http.Redirect(w, r, "https://app.example/welcome?access_token="+token, http.StatusFound)
}

func PageTwo() (*http.Response, error) {
	// ok: keylint.go.credential-in-url-query
	return http.Get("https://api.example/items?page=2&per_page=50")
}

func Header(address string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, "https://maps.example/geocode?address="+address, nil)
	if err != nil {
		return nil, err
	}
	// ok: keylint.go.credential-in-url-query
	req.Header.Set("X-API-Key", apiKey)
	return http.DefaultClient.Do(req)
}
