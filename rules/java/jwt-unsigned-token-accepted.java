package com.example.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwt;
import io.jsonwebtoken.Jwts;
import javax.crypto.SecretKey;

public class TokenReader {
    private final SecretKey key;

    public TokenReader(SecretKey key) {
        this.key = key;
    }

    public Claims unsignedClaims(String token) {
        // ruleid: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parserBuilder().build().parseClaimsJwt(token).getBody();
    }

    public Claims unsecured012(String token) {
        // ruleid: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parser().build().parseUnsecuredClaims(token).getPayload();
    }

    public Object allowUnsecured(String token) {
        // ruleid: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parser().unsecured().build().parse(token);
    }

    public Jwt<?, ?> noKey(String token) {
        // ruleid: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parser().parse(token);
    }

    public Jwt<?, ?> noKeyBuilder(String token) {
        // ruleid: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parserBuilder().requireIssuer("https://id.example").build().parse(token);
    }

    public Claims signed011(String token) {
        // ok: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(token).getBody();
    }

    public Claims signed012(String token) {
        // ok: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parser().verifyWith(key).build().parseSignedClaims(token).getPayload();
    }

    public Jwt<?, ?> keyedGenericParse(String token) {
        // ok: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parser().verifyWith(key).build().parse(token);
    }

    public Jwt<?, ?> legacyKeyed(String token) {
        // ok: keylint.java.jwt-unsigned-token-accepted
        return Jwts.parser().setSigningKey(key).parse(token);
    }
}
