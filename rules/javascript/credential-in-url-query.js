const axios = require("axios");
const got = require("got");
const express = require("express");

const API_KEY = process.env.MAPS_API_KEY;
const token_url = "https://auth.example/oauth/token";
const API_KEY_HEADER = "X-API-Key";

async function geocode(address) {
  // ruleid: keylint.javascript.credential-in-url-query
  const res = await fetch(`https://maps.example/geocode?address=${address}&key=${API_KEY}`);
  return res.json();
}

async function geocodeConcat(address) {
  // ruleid: keylint.javascript.credential-in-url-query
  return axios.get("https://maps.example/geocode?api_key=" + API_KEY + "&q=" + address);
}

async function geocodeBuiltEarlier(address) {
  const url = `https://maps.example/geocode?q=${address}&access_token=${API_KEY}`;
  // ruleid: keylint.javascript.credential-in-url-query
  return got(url).json();
}

async function geocodeGotPost(address) {
  // ruleid: keylint.javascript.credential-in-url-query
  return got.post(`https://maps.example/geocode?apikey=${API_KEY}`, { json: { address } });
}

const app = express();
app.get("/login/callback", (req, res) => {
  const token = req.session.accessToken;
  // ruleid: keylint.javascript.credential-in-url-query
  res.redirect(`https://app.example/welcome?token=${token}`);
});

async function pageTwo() {
  // ok: keylint.javascript.credential-in-url-query
  return fetch("https://api.example/items?page=2&per_page=50");
}

async function headerKey(address) {
  // ok: keylint.javascript.credential-in-url-query
  return fetch(`https://maps.example/geocode?address=${address}`, { headers: { [API_KEY_HEADER]: API_KEY } });
}

async function bearer(address) {
  // ok: keylint.javascript.credential-in-url-query
  return axios.get(`https://maps.example/geocode?address=${address}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
}

async function fetchToken(code) {
  // ok: keylint.javascript.credential-in-url-query
  return axios.post(token_url, { code, grant_type: "authorization_code" });
}

async function tokenEndpoint() {
  // ok: keylint.javascript.credential-in-url-query
  return fetch("https://auth.example/token?grant_type=client_credentials&token_type=bearer");
}

function logOnly(address) {
  // not sent anywhere
  // ok: keylint.javascript.credential-in-url-query
  console.log(`would call https://maps.example/geocode?key=${API_KEY}`);
}
