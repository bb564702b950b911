const jwt = require("jsonwebtoken");

const KEY = process.env.JWT_SECRET;

function forever(user) {
  // ruleid: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ sub: user.id, role: user.role }, KEY);
}

function foreverWithOptions(user) {
  // ruleid: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ sub: user.id }, KEY, { algorithm: "HS256", issuer: "https://id.example" });
}

function foreverCallback(user, cb) {
  // ruleid: keylint.javascript.jwt-token-without-expiry
  jwt.sign({ sub: user.id }, KEY, (err, token) => cb(err, token));
}

function foreverPayloadVariable(user) {
  const payload = { sub: user.id, role: user.role };
  // ruleid: keylint.javascript.jwt-token-without-expiry
  return jwt.sign(payload, KEY, { algorithm: "HS256" });
}

function expiresIn(user) {
  // ok: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ sub: user.id }, KEY, { algorithm: "HS256", expiresIn: "15m" });
}

function expClaim(user) {
  // ok: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) + 900 }, KEY);
}

function expAddedLater(user) {
  const payload = { sub: user.id };
  payload.exp = Math.floor(Date.now() / 1000) + 900;
  // ok: keylint.javascript.jwt-token-without-expiry
  return jwt.sign(payload, KEY);
}

function optionsVariable(user, signOptions) {
  // ok: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ sub: user.id }, KEY, signOptions);
}

function unknownPayload(claims) {
  // ok: keylint.javascript.jwt-token-without-expiry
  return jwt.sign(claims, KEY, { expiresIn: 900 });
}

function spread(user, defaults) {
  // ok: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ ...defaults, sub: user.id }, KEY);
}
