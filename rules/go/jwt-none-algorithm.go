package auth

import "github.com/golang-jwt/jwt/v5"

func AcceptUnsigned(tokenString string) (*jwt.Token, error) {
	return jwt.Parse(tokenString, func(token *jwt.Token) (interface{}, error) {
		// ruleid: keylint.go.jwt-none-algorithm
		return jwt.UnsafeAllowNoneSignatureType, nil
	})
}

func NoneInMethods(tokenString string, keyFunc jwt.Keyfunc) (*jwt.Token, error) {
	// ruleid: keylint.go.jwt-none-algorithm
	return jwt.Parse(tokenString, keyFunc, jwt.WithValidMethods([]string{"RS256", "none"}))
}

func Pinned(tokenString string, keyFunc jwt.Keyfunc) (*jwt.Token, error) {
	// ok: keylint.go.jwt-none-algorithm
	return jwt.Parse(tokenString, keyFunc, jwt.WithValidMethods([]string{"RS256"}))
}
