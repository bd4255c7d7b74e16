#!/usr/bin/env bash
# Last step of the secure-image composite (and a step of build-sign-push.yml), for an image index
# only: attests each platform image's
# SBOM to that image's own digest (the index digest itself was signed by the sign step). Runs the
# sign bundle of this checkout once per platform (INPUT_SIGN=false), each run with its own output
# file, and writes the `attestations` output. Inputs arrive only as environment variables: the sbom
# step's `platforms` JSON, the image, the SBOM format and the sign inputs (INPUT_*).
set -euo pipefail

image="${SECURE_IMAGE_IMAGE:-}"
# dist/ of the same checkout as this script (the composite's GITHUB_ACTION_PATH, or .slipway/ in
# build-sign-push.yml)
sign_bundle="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../dist/sign" && pwd)/index.js"

fail() {
  printf '::error title=secure-image::%s\n' "$1"
  exit 1
}

[[ "$image" =~ ^[^[:space:]@]+@sha256:[0-9a-f]{64}$ ]] || fail "Input 'image' is not pinned by digest."
repository="${image%@*}"

work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/secure-image-attest.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# One line per platform image, "platform<TAB>digest<TAB>SBOM file", from the sbom step's JSON
# (node, which the steps need anyway, reads it: no jq on every runner).
node -e '
  try {
    const format = process.env.SECURE_IMAGE_SBOM_FORMAT || "spdx-json";
    const platforms = JSON.parse(process.env.SECURE_IMAGE_SBOM_PLATFORMS || "[]");
    if (!Array.isArray(platforms) || platforms.length === 0) throw new Error("the sbom step listed no platform images");
    const lines = platforms.map(({ platform, digest, files } = {}) => {
      const fields = [platform, digest, files && files[format]];
      if (fields.some((f) => typeof f !== "string" || f === "" || /[\t\r\n]/.test(f)))
        throw new Error("the sbom step wrote no " + format + " SBOM for " + JSON.stringify({ platform, digest }));
      return fields.join("\t");
    });
    console.log(lines.join("\n"));
  } catch (error) {
    // one line for the annotation below
    process.stderr.write(String(error.message).replace(/\s+/g, " ") + "\n");
    process.exit(1);
  }
' >"$work/subjects.tsv" 2>"$work/subjects.err" ||
  fail "Reading the sbom step's platforms output failed: $(tail -n 1 "$work/subjects.err")"

count=0
while IFS=$'\t' read -r platform digest file; do
  [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "The sbom step reported '$digest' for $platform, which is not a sha256 digest."
  count=$((count + 1))
  : >"$work/output-$count"
  printf 'Attesting the SBOM of %s to %s@%s\n' "$platform" "$repository" "$digest"
  GITHUB_OUTPUT="$work/output-$count" INPUT_IMAGE="$repository@$digest" INPUT_PREDICATE="$file" \
    node "$sign_bundle"
done <"$work/subjects.tsv"

# The attestations output: each platform's subject with the attestation its sign run reported.
SECURE_IMAGE_WORK="$work" node -e '
  const { readFileSync } = require("node:fs");
  const work = process.env.SECURE_IMAGE_WORK;
  const outputs = (path) => {
    const lines = readFileSync(path, "utf8").split("\n");
    const values = {};
    for (let i = 0; i < lines.length; i++) {
      const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
      if (heredoc) {
        const end = lines.indexOf(heredoc[2], i + 1);
        values[heredoc[1]] = lines.slice(i + 1, end).join("\n");
        i = end;
      } else if (lines[i].includes("=")) {
        values[lines[i].slice(0, lines[i].indexOf("="))] = lines[i].slice(lines[i].indexOf("=") + 1);
      }
    }
    return values;
  };
  const subjects = readFileSync(work + "/subjects.tsv", "utf8").trim().split("\n");
  const attestations = subjects.map((line, i) => {
    const [platform, digest, file] = line.split("\t");
    const out = outputs(work + "/output-" + (i + 1));
    return {
      platform,
      digest,
      "sbom-file": file,
      attestation: out.attestation ?? "",
      "rekor-log-index": out["attestation-rekor-log-index"] ?? "",
    };
  });
  console.log("attestations=" + JSON.stringify(attestations));
' >>"$GITHUB_OUTPUT"
