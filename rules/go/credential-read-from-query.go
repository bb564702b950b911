package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

const APIKeyHeader = "X-API-Key"

func Report(w http.ResponseWriter, r *http.Request) {
	// ruleid: keylint.go.credential-read-from-query
	key := r.URL.Query().Get("api_key")
	if key == "" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	w.Write([]byte("ok"))
}

func Feed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := q.Get("page")
	// ruleid: keylint.go.credential-read-from-query
	token := q.Get("token")
	w.Write([]byte(page + token))
}

func GinExport(c *gin.Context) {
	// ruleid: keylint.go.credential-read-from-query
	token := c.Query("access_token")
	c.String(http.StatusOK, token)
}

func Header(w http.ResponseWriter, r *http.Request) {
	// ok: keylint.go.credential-read-from-query
	key := r.Header.Get(APIKeyHeader)
	w.Write([]byte(key))
}

func Items(w http.ResponseWriter, r *http.Request) {
	// ok: keylint.go.credential-read-from-query
	page := r.URL.Query().Get("page")
	w.Write([]byte(page))
}

func GinPage(c *gin.Context) {
	// ok: keylint.go.credential-read-from-query
	c.String(http.StatusOK, c.DefaultQuery("page", "1"))
}
