import * as jwt from "jsonwebtoken";
import { createVerify } from "crypto";

const PUBLIC_KEY: string = process.env.JWT_PUBLIC_KEY ?? "";

export function unpinned(token: string): jwt.JwtPayload | string {
  // ruleid: keylint.javascript.jwt-algorithms-not-pinned
  return jwt.verify(token, PUBLIC_KEY);
}

export function pinned(token: string): jwt.JwtPayload | string {
  // ok: keylint.javascript.jwt-algorithms-not-pinned
  return jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256"] });
}

export function signatureCheck(data: string, sig: string): boolean {
  const verifier = createVerify("SHA256");
  verifier.update(data);
  // ok: keylint.javascript.jwt-algorithms-not-pinned
  return verifier.verify(PUBLIC_KEY, sig, "base64");
}
