const jwt = require("jsonwebtoken");

const KEY = process.env.JWT_SECRET;

function withEmail(user) {
  // ruleid: keylint.javascript.jwt-pii-claim-in-token
  return jwt.sign({ sub: user.id, email: user.email }, KEY, { expiresIn: "15m" });
}

function withPhoneShorthand(user) {
  const { id, phoneNumber } = user;
  // ruleid: keylint.javascript.jwt-pii-claim-in-token
  return jwt.sign({ sub: id, phoneNumber }, KEY, { expiresIn: "15m" });
}

function withAddressLater(user) {
  const payload = { sub: user.id };
  payload.address = user.address;
  // ruleid: keylint.javascript.jwt-pii-claim-in-token
  return jwt.sign(payload, KEY, { expiresIn: "15m" });
}

function withDob(user) {
  const payload = { sub: user.id, "date_of_birth": user.dob };
  // ruleid: keylint.javascript.jwt-pii-claim-in-token
  return jwt.sign(payload, KEY, { expiresIn: "15m" });
}

function withSsn(user) {
  // ruleid: keylint.javascript.jwt-sensitive-id-in-token
  return jwt.sign({ sub: user.id, ssn: user.ssn }, KEY, { expiresIn: "15m" });
}

function withCard(user) {
  // ruleid: keylint.javascript.jwt-sensitive-id-in-token
  return jwt.sign({ sub: user.id, cardNumber: user.card.number }, KEY, { expiresIn: "15m" });
}

function withPassword(user, password) {
  // ruleid: keylint.javascript.jwt-credential-in-token
  return jwt.sign({ username: user.name, password }, KEY, { expiresIn: "15m" });
}

function withApiKey(user) {
  const claims = { sub: user.id };
  claims["api_key"] = user.apiKey;
  // ruleid: keylint.javascript.jwt-credential-in-token
  return jwt.sign(claims, KEY, { expiresIn: "15m" });
}

function opaque(user) {
  // ok: keylint.javascript.jwt-pii-claim-in-token, keylint.javascript.jwt-sensitive-id-in-token, keylint.javascript.jwt-credential-in-token
  return jwt.sign({ sub: user.id, role: user.role, emailVerified: true }, KEY, { expiresIn: "15m" });
}

function notAToken(user) {
  // ok: keylint.javascript.jwt-pii-claim-in-token, keylint.javascript.jwt-credential-in-token
  return JSON.stringify({ email: user.email, password: user.password });
}

function passwordOption(user, passphrase) {
  // the key's passphrase is an option, not a claim
  // ok: keylint.javascript.jwt-credential-in-token
  return jwt.sign({ sub: user.id }, { key: process.env.PRIVATE_KEY, passphrase }, { algorithm: "RS256", expiresIn: "15m" });
}
