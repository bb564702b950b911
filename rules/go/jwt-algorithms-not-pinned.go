package auth

import (
	"crypto/rsa"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

var publicKey *rsa.PublicKey

var hmacKey []byte

func Unpinned(tokenString string) (*jwt.Token, error) {
	// ruleid: keylint.go.jwt-algorithms-not-pinned
	return jwt.Parse(tokenString, func(token *jwt.Token) (interface{}, error) {
		return publicKey, nil
	})
}

func UnpinnedClaims(tokenString string) (*jwt.RegisteredClaims, error) {
	claims := &jwt.RegisteredClaims{}
	// ruleid: keylint.go.jwt-algorithms-not-pinned
	_, err := jwt.ParseWithClaims(tokenString, claims, func(token *jwt.Token) (interface{}, error) {
		return publicKey, nil
	}, jwt.WithAudience("api"))
	return claims, err
}

func UnpinnedParser(tokenString string) (*jwt.Token, error) {
	parser := jwt.NewParser(jwt.WithIssuer("https://id.example"))
	// ruleid: keylint.go.jwt-algorithms-not-pinned
	return parser.Parse(tokenString, func(token *jwt.Token) (interface{}, error) {
		return publicKey, nil
	})
}

func PinnedOption(tokenString string) (*jwt.Token, error) {
	// ok: keylint.go.jwt-algorithms-not-pinned
	return jwt.Parse(tokenString, func(token *jwt.Token) (interface{}, error) {
		return publicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}))
}

func MethodChecked(tokenString string) (*jwt.Token, error) {
	// ok: keylint.go.jwt-algorithms-not-pinned
	return jwt.Parse(tokenString, func(token *jwt.Token) (interface{}, error) {
		if _, ok := token.Method.(*jwt.SigningMethodHMAC); !ok {
			return nil, fmt.Errorf("unexpected signing method: %v", token.Header["alg"])
		}
		return hmacKey, nil
	})
}

func PinnedParser(tokenString string) (*jwt.Token, error) {
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}))
	// ok: keylint.go.jwt-algorithms-not-pinned
	return parser.Parse(tokenString, func(token *jwt.Token) (interface{}, error) {
		return publicKey, nil
	})
}

func NamedKeyFunc(tokenString string, keyFunc jwt.Keyfunc) (*jwt.Token, error) {
	// ok: keylint.go.jwt-algorithms-not-pinned
	return jwt.Parse(tokenString, keyFunc)
}
