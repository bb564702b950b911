package auth

import (
	"errors"
	"os"

	"github.com/golang-jwt/jwt/v5"
)

var keys = map[string][]byte{"k1": []byte(os.Getenv("JWT_KEY_1"))}

func UserID(tokenString string) (string, error) {
	claims := jwt.MapClaims{}
	// ruleid: keylint.go.jwt-unverified-claims-trusted
	_, _, err := jwt.NewParser().ParseUnverified(tokenString, claims)
	if err != nil {
		return "", err
	}
	sub, _ := claims["sub"].(string)
	return sub, nil
}

func IsAdmin(tokenString string) bool {
	claims := &jwt.RegisteredClaims{}
	// ruleid: keylint.go.jwt-unverified-claims-trusted
	if _, _, err := new(jwt.Parser).ParseUnverified(tokenString, claims); err != nil {
		return false
	}
	return claims.Subject == "admin"
}

func Verify(tokenString string) (*jwt.Token, error) {
	// peek at the kid, then verify with the key it names
	// ok: keylint.go.jwt-unverified-claims-trusted
	unverified, _, err := jwt.NewParser().ParseUnverified(tokenString, jwt.MapClaims{})
	if err != nil {
		return nil, err
	}
	kid, _ := unverified.Header["kid"].(string)
	key, ok := keys[kid]
	if !ok {
		return nil, errors.New("unknown key")
	}
	return jwt.Parse(tokenString, func(t *jwt.Token) (interface{}, error) { return key, nil }, jwt.WithValidMethods([]string{"HS256"}))
}
