package com.example.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;

public class Signing {
    // ruleid: keylint.java.jwt-hardcoded-signing-key
    private static final Algorithm ALGORITHM = Algorithm.HMAC256("s3cr3t-signing-k3y-2024");

    public String legacy(String user) {
        // ruleid: keylint.java.jwt-hardcoded-signing-key
        return Jwts.builder().setSubject(user).signWith(SignatureAlgorithm.HS256, "hunter2hunter2").compact();
    }

    public javax.crypto.SecretKey key() {
        // ruleid: keylint.java.jwt-hardcoded-signing-key
        return Keys.hmacShaKeyFor("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    }

    public Algorithm fromEnv() {
        // ok: keylint.java.jwt-hardcoded-signing-key
        return Algorithm.HMAC256(System.getenv("JWT_SECRET"));
    }

    public Algorithm placeholder() {
        // ok: keylint.java.jwt-hardcoded-signing-key
        return Algorithm.HMAC256("changeme");
    }

    public Algorithm templatePlaceholder() {
        // ok: keylint.java.jwt-hardcoded-signing-key
        return Algorithm.HMAC256("${JWT_SECRET}");
    }
}
