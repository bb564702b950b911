import { sign } from "jsonwebtoken";

interface User { id: string; email: string; role: string }

export function accessToken(user: User, key: string): string {
  // ruleid: keylint.javascript.jwt-pii-claim-in-token
  return sign({ sub: user.id, email: user.email }, key, { expiresIn: "15m" });
}

export function opaqueToken(user: User, key: string): string {
  // ok: keylint.javascript.jwt-pii-claim-in-token
  return sign({ sub: user.id, role: user.role }, key, { expiresIn: "15m" });
}
