import jwt, { SignOptions } from "jsonwebtoken";

const KEY: string = process.env.JWT_SECRET ?? "";

export function forever(userId: string): string {
  // ruleid: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ sub: userId }, KEY, { algorithm: "HS256" });
}

export function expiring(userId: string): string {
  const options: SignOptions = { algorithm: "HS256", expiresIn: "10m" };
  // ok: keylint.javascript.jwt-token-without-expiry
  return jwt.sign({ sub: userId }, KEY, options);
}
