package com.example.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.jsonwebtoken.Jwts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import javax.crypto.SecretKey;

public class TokenIssuer {
    private final SecretKey key;
    private final Algorithm algorithm;

    public TokenIssuer(SecretKey key, Algorithm algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    public String foreverJjwt(String user) {
        // ruleid: keylint.java.jwt-token-without-expiry
        return Jwts.builder().subject(user).claim("role", "user").signWith(key).compact();
    }

    public String foreverJjwtMultiline(String user) {
        // ruleid: keylint.java.jwt-token-without-expiry
        return Jwts.builder()
                .setSubject(user)
                .setIssuedAt(new Date())
                .signWith(key)
                .compact();
    }

    public String foreverAuth0(String user) {
        // ruleid: keylint.java.jwt-token-without-expiry
        return JWT.create().withSubject(user).withIssuer("https://id.example").sign(algorithm);
    }

    public String expiringJjwt(String user) {
        // ok: keylint.java.jwt-token-without-expiry
        return Jwts.builder().subject(user).expiration(Date.from(Instant.now().plus(15, ChronoUnit.MINUTES))).signWith(key).compact();
    }

    public String expiringJjwtLegacy(String user) {
        // ok: keylint.java.jwt-token-without-expiry
        return Jwts.builder()
                .setSubject(user)
                .setExpiration(new Date(System.currentTimeMillis() + 900_000))
                .signWith(key)
                .compact();
    }

    public String expiringAuth0(String user) {
        // ok: keylint.java.jwt-token-without-expiry
        return JWT.create().withSubject(user).withExpiresAt(Instant.now().plus(15, ChronoUnit.MINUTES)).sign(algorithm);
    }

    public String claimsMap(Map<String, Object> claims) {
        // the map may carry exp
        // ok: keylint.java.jwt-token-without-expiry
        return Jwts.builder().setClaims(claims).signWith(key).compact();
    }
}
