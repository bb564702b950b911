const jwt = require("jsonwebtoken");

const PUBLIC_KEY = process.env.JWT_PUBLIC_KEY;

function acceptsNone(token) {
  // ruleid: keylint.javascript.jwt-none-algorithm
  return jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256", "none"] });
}

function acceptsNoneUpper(token, cb) {
  // ruleid: keylint.javascript.jwt-none-algorithm
  jwt.verify(token, PUBLIC_KEY, { algorithms: ['NONE'] }, cb);
}

function acceptsNoneOptions(token) {
  const options = { algorithms: ["none"], audience: "api" };
  // ruleid: keylint.javascript.jwt-none-algorithm
  return jwt.verify(token, PUBLIC_KEY, options);
}

function pinned(token) {
  // ok: keylint.javascript.jwt-none-algorithm
  return jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256"] });
}

function otherLibrary(validator, token) {
  // ok: keylint.javascript.jwt-none-algorithm
  return validator.verify(token, PUBLIC_KEY, { algorithms: ["none"] });
}
