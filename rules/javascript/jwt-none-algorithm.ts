import jwt from "jsonwebtoken";
import { verify } from "jsonwebtoken";

const PUBLIC_KEY: string = process.env.JWT_PUBLIC_KEY ?? "";

export function acceptsNone(token: string): unknown {
  // ruleid: keylint.javascript.jwt-none-algorithm
  return jwt.verify(token, PUBLIC_KEY, { algorithms: ["HS256", "none"] as jwt.Algorithm[] });
}

export function acceptsNoneNamed(token: string): unknown {
  // ruleid: keylint.javascript.jwt-none-algorithm
  return verify(token, PUBLIC_KEY, { algorithms: ["none"] });
}

export function pinned(token: string): unknown {
  // ok: keylint.javascript.jwt-none-algorithm
  return verify(token, PUBLIC_KEY, { algorithms: ["ES256"] });
}
