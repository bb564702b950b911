const jwt = require("jsonwebtoken");

const KEY = process.env.JWT_SECRET;
const REFRESH_KEY = process.env.JWT_REFRESH_SECRET;

function monthLong(user) {
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: "30d" });
}

function yearLong(user) {
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: "365d" });
}

function yearInSeconds(user) {
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: 31536000 });
}

function weekArithmetic(user) {
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: 60 * 60 * 24 * 7 });
}

function twoDaysInHours(user) {
  const options = { algorithm: "HS256", expiresIn: "48h" };
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, options);
}

function oneYear(user) {
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: "1y" });
}

function expInPayload(user) {
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) + 60 * 60 * 24 * 90 }, KEY);
}

function refreshTooLong(user) {
  // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
  const refreshToken = jwt.sign({ sub: user.id }, REFRESH_KEY, { expiresIn: "90d" });
  return refreshToken;
}

function shortLived(user) {
  // ok: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: "15m" });
}

function oneDay(user) {
  // ok: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: "1d" });
}

function hourInSeconds(user) {
  // ok: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: 3600 });
}

function millisecondsString(user) {
  // "3600000" is milliseconds (one hour)
  // ok: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id }, KEY, { expiresIn: "3600000" });
}

function refreshWeek(user) {
  // ok: keylint.javascript.jwt-token-lifetime-over-policy
  const refreshToken = jwt.sign({ sub: user.id }, REFRESH_KEY, { expiresIn: "7d" });
  return refreshToken;
}

function refreshByType(user) {
  // ok: keylint.javascript.jwt-token-lifetime-over-policy
  return jwt.sign({ sub: user.id, type: "refresh" }, KEY, { expiresIn: "14d" });
}

function tokens(user) {
  return {
    // ruleid: keylint.javascript.jwt-token-lifetime-over-policy
    accessToken: jwt.sign({ sub: user.id, scope: user.scope }, KEY, { expiresIn: "7d" }),
    // ok: keylint.javascript.jwt-token-lifetime-over-policy
    refreshToken: jwt.sign({ sub: user.id }, KEY, { expiresIn: "7d" }),
  };
}
