import { Request, Response } from "express";
import { NextRequest } from "next/server";

export function report(req: Request, res: Response): void {
  // ruleid: keylint.javascript.credential-read-from-query
  const key = req.query.apiKey as string;
  res.send(key);
}

export async function GET(request: NextRequest): Promise<Response> {
  const { searchParams } = new URL(request.url);
  // ruleid: keylint.javascript.credential-read-from-query
  const token = searchParams.get("token");
  return new Response(token);
}

export function page(req: Request, res: Response): void {
  // ok: keylint.javascript.credential-read-from-query
  res.send(req.query.page as string);
}
