#!/usr/bin/env bash
# Cross-check EduBridge credentials with Digital Bazaar's verifier (outside CI; needs node + npm).
# Usage: bench/credentials/run.sh   (from the project root; uses EDUBRIDGE_DATA_DIR or var/bench-credentials)
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE_DIR="${EDUBRIDGE_NODE_VERIFY_DIR:-/tmp/edubridge-node-verify}"
CONTEXTS="${EDUBRIDGE_CREDENTIAL_CONTEXTS:-$(cd .. && pwd)/shared/standards/openbadges3/contexts}"
export EDUBRIDGE_DATA_DIR="${EDUBRIDGE_DATA_DIR:-$PWD/var/bench-credentials}"
WORK="$(mktemp -d)"
if [ ! -d "$NODE_DIR/node_modules/@digitalbazaar/vc" ]; then
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund \
    @digitalbazaar/vc @digitalbazaar/eddsa-rdfc-2022-cryptosuite \
    @digitalbazaar/data-integrity @digitalbazaar/ed25519-multikey >/dev/null)
fi
.venv/bin/edubridge migrate -v0
.venv/bin/edubridge demo --quiet-logins >/dev/null
.venv/bin/python bench/credentials/export_credentials.py "$WORK"
cp bench/credentials/verify.mjs "$NODE_DIR/verify.mjs"
echo "== Digital Bazaar (@digitalbazaar/vc $(node -p "require('$NODE_DIR/node_modules/@digitalbazaar/vc/package.json').version"))"
node "$NODE_DIR/verify.mjs" "$CONTEXTS" "$WORK/status-list.json,$WORK/status-list-web.json" \
  --did "$WORK/did.json" "$WORK"/[1-7]-*.json
echo "== EduBridge (edubridge credentials verify)"
for f in "$WORK"/[1-7]-*.json; do
  set +e
  out=$(.venv/bin/python -c "import sys; from edubridge.engines.credentials.cli import main; sys.exit(main())" \
    verify "$f" --status-list "$WORK/status-list.json" --status-list "$WORK/status-list-web.json" \
    --did-document "$WORK/did.json" --require-status)
  code=$?
  set -e
  echo "$(basename "$f"): exit $code ${out%%$'\n'*}"
done
rm -rf "$WORK"
