import jwt from "jsonwebtoken";

const config = { secret: process.env.JWT_SECRET as string };

export function signLiteral(userId: string): string {
  // ruleid: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: userId }, "my-app-jwt-signing-secret-123", { expiresIn: "15m" });
}

export function signFromConfig(userId: string): string {
  // ok: keylint.javascript.jwt-hardcoded-signing-key
  return jwt.sign({ sub: userId }, config.secret, { expiresIn: "15m" });
}
