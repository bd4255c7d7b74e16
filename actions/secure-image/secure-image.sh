#!/usr/bin/env bash
# First step of the secure-image composite. Its inputs arrive only as environment variables
# (never as ${{ }} inside the script). Checks that the image is pinned by digest, so the scan,
# the SBOM, the signature and the attestation are all about the same bytes, and maps the SBOM
# format to the attestation predicate type.
set -euo pipefail

image="${SECURE_IMAGE_IMAGE:-}"
format="${SECURE_IMAGE_SBOM_FORMAT:-spdx-json}"

fail() {
  printf '::error title=secure-image::%s\n' "$1"
  exit 1
}

if [[ ! "$image" =~ ^[^[:space:]@]+@sha256:[0-9a-f]{64}$ ]]; then
  fail "Input 'image' is not pinned by digest. Expected registry/repository@sha256:<64 hex>, e.g. the image name plus the digest output of docker/build-push-action: a tag could move between the scan and the signature."
fi

case "$format" in
  spdx-json) predicate_type='spdxjson' ;;
  cyclonedx-json) predicate_type='cyclonedx' ;;
  *) fail "Input 'sbom-format' must be spdx-json or cyclonedx-json." ;;
esac

printf 'predicate-type=%s\n' "$predicate_type" >>"$GITHUB_OUTPUT"
