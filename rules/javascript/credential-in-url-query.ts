const API_KEY: string = process.env.WEATHER_API_KEY ?? "";

export async function weather(city: string): Promise<unknown> {
  const base = "https://api.weather.example/v1/current";
  // ruleid: keylint.javascript.credential-in-url-query
  const res = await fetch(`${base}?q=${encodeURIComponent(city)}&appid=x&api_key=${API_KEY}`);
  return res.json();
}

export async function weatherHeader(city: string): Promise<unknown> {
  // ok: keylint.javascript.credential-in-url-query
  const res = await fetch(`https://api.weather.example/v1/current?q=${city}`, { headers: { "X-API-Key": API_KEY } });
  return res.json();
}
