package auth

import (
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var key = []byte(os.Getenv("JWT_SECRET"))

type UserClaims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

func Forever(userID string) (string, error) {
	// ruleid: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID, "role": "user"})
	return token.SignedString(key)
}

func ForeverRegistered(userID string) (string, error) {
	// ruleid: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, &jwt.RegisteredClaims{Subject: userID, IssuedAt: jwt.NewNumericDate(time.Now())})
	return token.SignedString(key)
}

func ForeverCustom(userID string) (string, error) {
	// ruleid: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, UserClaims{Role: "user", RegisteredClaims: jwt.RegisteredClaims{Subject: userID}})
	return token.SignedString(key)
}

func ForeverVariable(userID string) (string, error) {
	claims := jwt.MapClaims{"sub": userID}
	// ruleid: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	return token.SignedString(key)
}

func Expiring(userID string) (string, error) {
	// ok: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID, "exp": time.Now().Add(15 * time.Minute).Unix()})
	return token.SignedString(key)
}

func ExpiringRegistered(userID string) (string, error) {
	// ok: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{Subject: userID, ExpiresAt: jwt.NewNumericDate(time.Now().Add(15 * time.Minute))})
	return token.SignedString(key)
}

func ExpiringCustom(userID string) (string, error) {
	// ok: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, &UserClaims{Role: "user", RegisteredClaims: jwt.RegisteredClaims{Subject: userID, ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))}})
	return token.SignedString(key)
}

func ExpiryAddedLater(userID string) (string, error) {
	claims := jwt.MapClaims{"sub": userID}
	claims["exp"] = time.Now().Add(15 * time.Minute).Unix()
	// ok: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	return token.SignedString(key)
}

func UnknownClaims(claims jwt.Claims) (string, error) {
	// ok: keylint.go.jwt-token-without-expiry
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	return token.SignedString(key)
}
