const jwt = require("jsonwebtoken");

const SECRET = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

function signLiteral(user) {
  // ruleid: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: user.id }, "s3cr3t-signing-k3y-2024", { expiresIn: "15m" });
}

function signConstant(user) {
  // ruleid: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: user.id }, SECRET, { expiresIn: "15m" });
}

function verifyLiteral(token) {
  // ruleid: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.verify(token, 'shhhhh', { algorithms: ["HS256"] });
}

function verifyTemplate(token) {
  // ruleid: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.verify(token, `hunter2hunter2`, { algorithms: ["HS256"] });
}

function signEnv(user) {
  // ok: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: "15m" });
}

function signPlaceholder(user) {
  // ok: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: user.id }, "changeme", { expiresIn: "15m" });
}

function signAnglePlaceholder(user) {
  // ok: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: user.id }, "<your-key>", { expiresIn: "15m" });
}

function signTemplatePlaceholder(user) {
  // ok: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: user.id }, "${API_KEY}", { expiresIn: "15m" });
}

function signInterpolated(user, env) {
  // ok: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: user.id }, `${env.JWT_SECRET}`, { expiresIn: "15m" });
}

function verifyPublicKey(token, publicKey) {
  // ok: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.verify(token, publicKey, { algorithms: ["RS256"] });
}
