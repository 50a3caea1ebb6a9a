#!/usr/bin/env bash
# Makes a throw-away test CA and a server certificate signed by it for nxapi-sim --tls:
#   make-test-ca.sh DIR [--spread-addresses N]
# writes DIR/ca.pem, DIR/ca.key, DIR/server.pem, DIR/server.key. The server certificate names
# IP:127.0.0.1 and DNS:localhost (plus 127.0.0.2 .. 127.0.0.N with --spread-addresses N, for
# nxapi-sim --spread addresses) and is valid for 2 days. Nothing here is secret or committed:
# tests run it into a temporary directory.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 DIR [--spread-addresses N]" >&2
  exit 2
fi
dir=$1
shift
spread=1
if [ "${1:-}" = "--spread-addresses" ]; then
  spread=${2:?--spread-addresses needs a count}
fi
if [ "$spread" -lt 1 ] || [ "$spread" -gt 254 ]; then
  echo "$0: --spread-addresses must be 1..254" >&2
  exit 2
fi
mkdir -p "$dir"
cd "$dir"

san="DNS:localhost,IP:127.0.0.1"
for ((i = 2; i <= spread; i++)); do san="$san,IP:127.0.0.$i"; done

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=nxapi-sim test CA" \
  -keyout ca.key -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr \
  2>/dev/null
cat > server.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile server.ext -out server.pem 2>/dev/null
rm -f server.csr server.ext ca.srl
chmod 600 ca.key server.key
