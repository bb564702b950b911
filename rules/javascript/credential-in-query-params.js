const axios = require("axios");
const got = require("got");

const API_KEY = process.env.MAPS_API_KEY;
const API_KEY_HEADER = "X-API-Key";

async function geocode(address) {
  // ruleid: keylint.javascript.credential-in-query-params
  return axios.get("https://maps.example/geocode", { params: { address, key: API_KEY } });
}

async function geocodePost(address) {
  // ruleid: keylint.javascript.credential-in-query-params
  return axios.post("https://maps.example/geocode", { address }, { params: { api_key: API_KEY } });
}

async function geocodeConfig(address) {
  // ruleid: keylint.javascript.credential-in-query-params
  return axios({ url: "https://maps.example/geocode", method: "get", params: { address, access_token: API_KEY } });
}

// ruleid: keylint.javascript.credential-in-query-params
const client = axios.create({ baseURL: "https://maps.example", params: { apiKey: API_KEY } });

async function geocodeInstance(address) {
  const api = axios.create({ baseURL: "https://maps.example" });
  const params = { address, token: API_KEY };
  // ruleid: keylint.javascript.credential-in-query-params
  return api.get("/geocode", { params });
}

async function geocodeGot(address) {
  // ruleid: keylint.javascript.credential-in-query-params
  return got("https://maps.example/geocode", { searchParams: { address, client_secret: API_KEY } }).json();
}

async function geocodeHeader(address) {
  // ok: keylint.javascript.credential-in-query-params
  return axios.get("https://maps.example/geocode", { params: { address, page: 2 }, headers: { [API_KEY_HEADER]: API_KEY } });
}

async function tokenExchange(code) {
  // the client secret is in the POST body, not the URL
  // ok: keylint.javascript.credential-in-query-params
  return axios.post("https://auth.example/oauth/token", { code, client_secret: API_KEY }, { params: { audience: "api" } });
}

async function gotHeader(address) {
  // ok: keylint.javascript.credential-in-query-params
  return got("https://maps.example/geocode", { searchParams: { address }, headers: { authorization: `Bearer ${API_KEY}` } });
}
