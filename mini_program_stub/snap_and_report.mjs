#!/usr/bin/env node
// The resident's snap-and-report flow, as the mini-program drives it, against a running server.
//
//   node mini_program_stub/snap_and_report.mjs --phone 13812345678 photo1.jpg [photo2.heic …]
//
// Options: --base http://127.0.0.1:5000  --lat 33.9631 --lng 118.2755 (GCJ-02, as
// wx.getLocation gives)  --category 0101  --description "…"  --code 123456 (else it asks; under
// `make run` the code is in the server log). Node 18+ (global fetch, FormData, Blob); no packages.

import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import { createInterface } from "node:readline/promises";

function parseArgs(argv) {
  const options = { base: "http://127.0.0.1:5000", photos: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) options[arg.slice(2)] = argv[++i];
    else options.photos.push(arg);
  }
  if (!options.phone || options.photos.length === 0) {
    console.error("usage: snap_and_report.mjs --phone N [--code C] [--lat --lng] photo …");
    process.exit(2);
  }
  return options;
}

async function call(base, method, path, { token, json, form, headers = {} } = {}) {
  const init = { method, headers: { "Accept-Language": "zh-CN", ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  if (form) init.body = form; // fetch sets the multipart boundary itself
  const response = await fetch(base + path, init);
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${body?.message ?? ""}`);
  }
  return body;
}

async function signIn(options) {
  await call(options.base, "POST", "/api/v1/auth/otp", { json: { phone: options.phone } });
  let code = options.code;
  if (!code) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    code = (await rl.question("SMS code (see the server log under make run): ")).trim();
    rl.close();
  }
  const tokens = await call(options.base, "POST", "/api/v1/auth/otp/verify", {
    json: { phone: options.phone, code },
  });
  return tokens.access_token;
}

async function upload(options, token, path) {
  // One file per request in the field "file", as wx.uploadFile sends it.
  const form = new FormData();
  form.append("file", new Blob([await readFile(path)]), basename(path));
  const photo = await call(options.base, "POST", "/api/v1/media", { token, form });
  const where = photo.exif?.lat != null ? ` GPS ${photo.exif.lat},${photo.exif.lng}` : "";
  console.log(`uploaded ${basename(path)} → ${photo.id} (${photo.width}×${photo.height})${where}`);
  return photo;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const token = await signIn(options);
  const photos = [];
  for (const path of options.photos) photos.push(await upload(options, token, path));

  const location =
    options.lat && options.lng
      ? { lat: Number(options.lat), lng: Number(options.lng), coord: "gcj02" }
      : undefined; // the server falls back to the first photo's GPS
  if (location) {
    const query = `lat=${location.lat}&lng=${location.lng}&coord=gcj02` +
      (options.category ? `&category=${options.category}` : "");
    const nearby = await call(options.base, "GET", `/api/v1/reports/nearby?${query}`, { token });
    for (const item of nearby.items) {
      console.log(`nearby: ${item.number} ${item.status_text ?? item.status} ${item.distance_m} m`);
    }
  }

  // The same key on a retry returns the first report instead of filing a second one.
  const key = randomUUID();
  const body = {
    description: options.description ?? "随手拍：路面井盖缺失",
    media_ids: photos.map((p) => p.id),
    ...(options.category ? { category_code: options.category } : {}),
    ...(location ? { location } : {}),
  };
  const report = await call(options.base, "POST", "/api/v1/reports", {
    token,
    json: body,
    headers: { "Idempotency-Key": key },
  });
  console.log(`report ${report.number}: ${report.status_text} (grid ${report.grid?.name ?? "—"})`);

  const mine = await call(options.base, "GET", "/api/v1/me/reports", { token });
  console.log(`my reports: ${mine.total}`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
