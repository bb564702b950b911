const jwt = require("jsonwebtoken");

const KEY = process.env.JWT_SECRET;

function noExpiry(token) {
  // ruleid: keylint.javascript.jwt-expiry-not-verified
  return jwt.verify(token, KEY, { algorithms: ["HS256"], ignoreExpiration: true });
}

function noExpiryOptions(token, cb) {
  const opts = { algorithms: ["HS256"], ignoreExpiration: true };
  // ruleid: keylint.javascript.jwt-expiry-not-verified
  jwt.verify(token, KEY, opts, cb);
}

function checked(token) {
  // ok: keylint.javascript.jwt-expiry-not-verified
  return jwt.verify(token, KEY, { algorithms: ["HS256"], ignoreExpiration: false, clockTolerance: 30 });
}

function defaults(token) {
  // ok: keylint.javascript.jwt-expiry-not-verified
  return jwt.verify(token, KEY, { algorithms: ["HS256"] });
}
