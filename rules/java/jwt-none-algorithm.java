package com.example.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import java.security.interfaces.RSAPublicKey;

public class Verifiers {
    public JWTVerifier unsigned() {
        // ruleid: keylint.java.jwt-none-algorithm
        return JWT.require(Algorithm.none()).build();
    }

    public JWTVerifier signed(RSAPublicKey publicKey) {
        // ok: keylint.java.jwt-none-algorithm
        return JWT.require(Algorithm.RSA256(publicKey, null)).build();
    }
}
