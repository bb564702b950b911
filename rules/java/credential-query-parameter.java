package com.example.web;

import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api")
public class ReportController {
    private static final String API_KEY_HEADER = "X-API-Key";

    @GetMapping("/report")
    // ruleid: keylint.java.credential-query-parameter
    public String report(@RequestParam("api_key") String key, @RequestParam(value = "page", defaultValue = "1") int page) {
        return key + page;
    }

    @GetMapping("/feed")
    // ruleid: keylint.java.credential-query-parameter
    public String feed(@RequestParam String token) {
        return token;
    }

    @GetMapping("/export")
    // ruleid: keylint.java.credential-query-parameter
    public String export(@RequestParam(name = "access_token", required = false) String accessToken) {
        return accessToken;
    }

    @GetMapping("/data")
    // ruleid: keylint.java.credential-query-parameter
    public String data(@RequestParam(required = false) String apiKey) {
        return apiKey;
    }

    @GetMapping("/header")
    // ok: keylint.java.credential-query-parameter
    public String header(@RequestHeader(API_KEY_HEADER) String apiKey, @RequestParam int page) {
        return apiKey + page;
    }

    @GetMapping("/items")
    // ok: keylint.java.credential-query-parameter
    public String items(@RequestParam(value = "page", defaultValue = "1") int page, @RequestParam String tokenType) {
        return page + tokenType;
    }

    @PostMapping("/login")
    // form fields in a POST body
    // ok: keylint.java.credential-query-parameter
    public String login(@RequestParam String username, @RequestParam String token) {
        return username + token;
    }
}
