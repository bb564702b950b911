package auth

import (
	"os"

	"github.com/golang-jwt/jwt/v5"
)

var key = []byte(os.Getenv("JWT_SECRET"))

func keyFunc(t *jwt.Token) (interface{}, error) { return key, nil }

func Subject(tokenString string) string {
	// ruleid: keylint.go.jwt-parse-error-ignored
	token, _ := jwt.Parse(tokenString, keyFunc, jwt.WithValidMethods([]string{"HS256"}))
	claims := token.Claims.(jwt.MapClaims)
	return claims["sub"].(string)
}

func Custom(tokenString string) *jwt.RegisteredClaims {
	claims := &jwt.RegisteredClaims{}
	var token *jwt.Token
	// ruleid: keylint.go.jwt-parse-error-ignored
	token, _ = jwt.ParseWithClaims(tokenString, claims, keyFunc, jwt.WithValidMethods([]string{"HS256"}))
	_ = token
	return claims
}

func Checked(tokenString string) (string, error) {
	// ok: keylint.go.jwt-parse-error-ignored
	token, err := jwt.Parse(tokenString, keyFunc, jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		return "", err
	}
	return token.Claims.(jwt.MapClaims)["sub"].(string), nil
}

func ValidFlag(tokenString string) bool {
	// ok: keylint.go.jwt-parse-error-ignored
	token, _ := jwt.Parse(tokenString, keyFunc, jwt.WithValidMethods([]string{"HS256"}))
	if token != nil && token.Valid {
		return true
	}
	return false
}

func NotJWT(s string) int {
	// ok: keylint.go.jwt-parse-error-ignored
	n, _ := strconvParse(s)
	return n
}

func strconvParse(s string) (int, error) { return len(s), nil }
