const API_KEY = process.env.NEWS_API_KEY;
const CLIENT_SECRET = process.env.OAUTH_CLIENT_SECRET;

async function headlines(country) {
  const params = new URLSearchParams({ country, apiKey: API_KEY });
  // ruleid: keylint.javascript.credential-in-urlsearchparams
  return fetch(`https://news.example/v2/top-headlines?${params}`);
}

async function headlinesAppend(country) {
  const params = new URLSearchParams();
  params.append("country", country);
  params.append("api_key", API_KEY);
  // ruleid: keylint.javascript.credential-in-urlsearchparams
  return fetch("https://news.example/v2/top-headlines?" + params.toString());
}

async function headlinesUrlObject(country) {
  const url = new URL("https://news.example/v2/top-headlines");
  url.searchParams.set("country", country);
  url.searchParams.set("token", API_KEY);
  // ruleid: keylint.javascript.credential-in-urlsearchparams
  return fetch(url);
}

async function tokenRequest(code) {
  // a form-encoded body is not part of the URL
  const body = new URLSearchParams({ grant_type: "authorization_code", code, client_secret: CLIENT_SECRET });
  // ok: keylint.javascript.credential-in-urlsearchparams
  return fetch("https://auth.example/oauth/token", { method: "POST", body });
}

async function pagination(page) {
  const params = new URLSearchParams({ page: String(page), per_page: "50" });
  // ok: keylint.javascript.credential-in-urlsearchparams
  return fetch(`https://api.example/items?${params}`, { headers: { "X-API-Key": API_KEY } });
}
