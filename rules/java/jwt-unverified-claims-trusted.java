package com.example.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

public class TokenService {
    private final Map<String, RSAPublicKey> keys;

    public TokenService(Map<String, RSAPublicKey> keys) {
        this.keys = keys;
    }

    public boolean isAdmin(String token) {
        // ruleid: keylint.java.jwt-unverified-claims-trusted
        return JWT.decode(token).getClaim("role").asString().equals("admin");
    }

    public String currentUser(String token) {
        DecodedJWT decoded = JWT.decode(token);
        // ruleid: keylint.java.jwt-unverified-claims-trusted
        return decoded.getSubject();
    }

    public DecodedJWT verify(String token) {
        // read the kid, then verify with the key it names
        DecodedJWT unverified = JWT.decode(token);
        RSAPublicKey key = keys.get(unverified.getKeyId());
        JWTVerifier verifier = JWT.require(Algorithm.RSA256(key, null)).withIssuer("https://id.example").build();
        // ok: keylint.java.jwt-unverified-claims-trusted
        return verifier.verify(token);
    }

    public String verifiedSubject(String token, JWTVerifier verifier) {
        DecodedJWT unverified = JWT.decode(token);
        DecodedJWT verified = verifier.verify(token);
        // ok: keylint.java.jwt-unverified-claims-trusted
        return unverified.getSubject();
    }

    public String keyId(String token) {
        // the header is not a claim
        // ok: keylint.java.jwt-unverified-claims-trusted
        return JWT.decode(token).getKeyId();
    }
}
