const jwt = require("jsonwebtoken");

const PUBLIC_KEY = process.env.JWT_PUBLIC_KEY;

function requireAdmin(req, res, next) {
  const token = req.headers.authorization.split(" ")[1];
  // ruleid: keylint.javascript.jwt-unverified-claims-trusted
  const claims = jwt.decode(token);
  if (claims.role === "admin") {
    return next();
  }
  return res.status(403).end();
}

function requireScope(req, res, next) {
  const token = req.headers.authorization.split(" ")[1];
  // ruleid: keylint.javascript.jwt-unverified-claims-trusted
  const decoded = jwt.decode(token, { complete: true });
  if (decoded.payload.scope.includes("write")) {
    next();
  } else {
    res.status(403).end();
  }
}

function authenticate(req, res, next) {
  // ruleid: keylint.javascript.jwt-unverified-claims-trusted
  req.user = jwt.decode(req.cookies.session);
  next();
}

function verifyToken(token) {
  // ruleid: keylint.javascript.jwt-unverified-claims-trusted
  return jwt.decode(token);
}

// ruleid: keylint.javascript.jwt-unverified-claims-trusted
const checkToken = (token) => jwt.decode(token);

function verifiedUser(req, res, next) {
  const token = req.headers.authorization.split(" ")[1];
  // ok: keylint.javascript.jwt-unverified-claims-trusted
  const claims = jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256"] });
  if (claims.role === "admin") {
    req.user = claims;
  }
  next();
}

function pickKeyThenVerify(token, keys) {
  // reading the header to pick the key, then verifying, is fine
  // ok: keylint.javascript.jwt-unverified-claims-trusted
  const decoded = jwt.decode(token, { complete: true });
  if (decoded.payload.sub) {
    return jwt.verify(token, keys[decoded.header.kid], { algorithms: ["RS256"] });
  }
  return null;
}

function showExpiry(token) {
  // display only: no decision on an authorisation claim
  // ok: keylint.javascript.jwt-unverified-claims-trusted
  const decoded = jwt.decode(token);
  console.log("token expires at", new Date(decoded.exp * 1000));
}
