const express = require("express");

const app = express();
const API_KEY_HEADER = "X-API-Key";

app.get("/report", (req, res) => {
  // ruleid: keylint.javascript.credential-read-from-query
  if (req.query.api_key !== process.env.REPORT_KEY) {
    return res.sendStatus(401);
  }
  return res.send("ok");
});

app.get("/feed", (req, res) => {
  // ruleid: keylint.javascript.credential-read-from-query
  const token = req.query["token"];
  res.send(token);
});

app.get("/export", (req, res) => {
  // ruleid: keylint.javascript.credential-read-from-query
  const { access_token, format } = req.query;
  res.send(access_token + format);
});

exports.handler = async (event) => {
  // ruleid: keylint.javascript.credential-read-from-query
  const key = event.queryStringParameters.apiKey;
  return { statusCode: 200, body: key };
};

app.get("/header", (req, res) => {
  // ok: keylint.javascript.credential-read-from-query
  const key = req.get(API_KEY_HEADER);
  res.send(key);
});

app.get("/items", (req, res) => {
  // ok: keylint.javascript.credential-read-from-query
  const page = req.query.page || 1;
  res.send(String(page));
});

app.get("/token-type", (req, res) => {
  // ok: keylint.javascript.credential-read-from-query
  res.send(req.query.token_type);
});

function notARequest(db) {
  // ok: keylint.javascript.credential-read-from-query
  return db.query.token;
}
