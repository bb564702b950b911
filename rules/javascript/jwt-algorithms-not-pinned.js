const jwt = require("jsonwebtoken");

const PUBLIC_KEY = process.env.JWT_PUBLIC_KEY;

function unpinned(token) {
  // ruleid: keylint.javascript.jwt-algorithms-not-pinned
  return jwt.verify(token, PUBLIC_KEY);
}

function unpinnedCallback(token, res) {
  // ruleid: keylint.javascript.jwt-algorithms-not-pinned
  jwt.verify(token, PUBLIC_KEY, (err, claims) => res.json(claims));
}

function unpinnedFunctionCallback(token, res) {
  // ruleid: keylint.javascript.jwt-algorithms-not-pinned
  jwt.verify(token, PUBLIC_KEY, function (err, claims) {
    res.json(claims);
  });
}

function unpinnedOptions(token) {
  // ruleid: keylint.javascript.jwt-algorithms-not-pinned
  return jwt.verify(token, PUBLIC_KEY, { audience: "api", issuer: "https://id.example" });
}

function pinned(token) {
  // ok: keylint.javascript.jwt-algorithms-not-pinned
  return jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256"], audience: "api" });
}

function pinnedCallback(token, cb) {
  // ok: keylint.javascript.jwt-algorithms-not-pinned
  jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256"] }, cb);
}

function spreadOptions(token, base) {
  // ok: keylint.javascript.jwt-algorithms-not-pinned
  return jwt.verify(token, PUBLIC_KEY, { ...base, audience: "api" });
}

function optionsVariable(token, verifyOptions) {
  // ok: keylint.javascript.jwt-algorithms-not-pinned
  return jwt.verify(token, PUBLIC_KEY, verifyOptions);
}

function notJsonwebtoken(signature, data) {
  // ok: keylint.javascript.jwt-algorithms-not-pinned
  return signature.verify(data, PUBLIC_KEY);
}
