package auth

import (
	"time"

	jwtv4 "github.com/golang-jwt/jwt/v4"
	"github.com/golang-jwt/jwt/v5"
)

func NoValidation(tokenString string, keyFunc jwt.Keyfunc) (*jwt.Token, error) {
	// ruleid: keylint.go.jwt-claims-validation-disabled
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	return parser.Parse(tokenString, keyFunc)
}

func NoValidationV4(tokenString string, keyFunc jwtv4.Keyfunc) (*jwtv4.Token, error) {
	// ruleid: keylint.go.jwt-claims-validation-disabled
	parser := jwtv4.Parser{ValidMethods: []string{"RS256"}, SkipClaimsValidation: true}
	return parser.Parse(tokenString, keyFunc)
}

func Validated(tokenString string, keyFunc jwt.Keyfunc) (*jwt.Token, error) {
	// ok: keylint.go.jwt-claims-validation-disabled
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithLeeway(30*time.Second), jwt.WithExpirationRequired())
	return parser.Parse(tokenString, keyFunc)
}
