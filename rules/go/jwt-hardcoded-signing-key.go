package auth

import (
	"os"

	"github.com/golang-jwt/jwt/v5"
)

func SignLiteral(token *jwt.Token) (string, error) {
	// ruleid: keylint.go.jwt-hardcoded-signing-key
	return token.SignedString([]byte("s3cr3t-signing-k3y-2024"))
}

func ParseLiteral(tokenString string) (*jwt.Token, error) {
	return jwt.Parse(tokenString, func(t *jwt.Token) (interface{}, error) {
		// ruleid: keylint.go.jwt-hardcoded-signing-key
		return []byte("hunter2hunter2"), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
}

var jwtKey = []byte("my_secret_key_2024")

func SignPackageKey(token *jwt.Token) (string, error) {
	// ruleid: keylint.go.jwt-hardcoded-signing-key
	return token.SignedString(jwtKey)
}

func ParsePackageKey(tokenString string) (*jwt.Token, error) {
	return jwt.Parse(tokenString, func(t *jwt.Token) (interface{}, error) {
		// ruleid: keylint.go.jwt-hardcoded-signing-key
		return jwtKey, nil
	}, jwt.WithValidMethods([]string{"HS256"}))
}

var envKey = []byte(os.Getenv("JWT_SECRET"))

func SignEnvKey(token *jwt.Token) (string, error) {
	// ok: keylint.go.jwt-hardcoded-signing-key
	return token.SignedString(envKey)
}

func SignEnv(token *jwt.Token) (string, error) {
	// ok: keylint.go.jwt-hardcoded-signing-key
	return token.SignedString([]byte(os.Getenv("JWT_SECRET")))
}

func SignPlaceholder(token *jwt.Token) (string, error) {
	// ok: keylint.go.jwt-hardcoded-signing-key
	return token.SignedString([]byte("changeme"))
}

func SignAnglePlaceholder(token *jwt.Token) (string, error) {
	// ok: keylint.go.jwt-hardcoded-signing-key
	return token.SignedString([]byte("<your-key>"))
}
