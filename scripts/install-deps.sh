#!/usr/bin/env bash
# Installs the Debian bookworm packages netfeed needs to build and test, and nothing else.
# Idempotent and quiet: when everything is present it prints nothing and exits at once.
# Run as root (or with sudo) on Debian bookworm.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # libraries (headers)
  librdkafka-dev libpcap-dev libsnmp-dev libcurl4-openssl-dev libssl-dev libmaxminddb-dev
  nlohmann-json3-dev libboost-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # sd_notify and the journal (libsystemd); the .deb: dpkg-shlibdeps, and systemd-analyze to
  # verify the unit (packaging/)
  libsystemd-dev dpkg-dev systemd
  # test peers and oracles
  kcat openssl python3 python3-kafka python3-confluent-kafka procps
  # every record the integration tests read back is validated against `netfeed schema`
  python3-jsonschema
  # flow tests: a real exporter and an independent decoder
  softflowd tshark
  # SNMP tests: a real agent, a simulator of recorded devices, and the net-snmp tools
  snmpd snmp snmpsim
  # syslog cross-check (tests/integration/test_syslog_rsyslog.py): an independent reader
  rsyslog
  # ops kit test: reads the Prometheus alert rules (promtool, from the 96 MB prometheus package,
  # is optional: its checks are skipped without it)
  python3-yaml
)
# `install-deps.sh --bench` adds the peers the benchmarks compare against (bench/).
if [ "${1:-}" = "--bench" ]; then
  packages+=(pmacct rsyslog rsyslog-kafka)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo "$0" "$@"
  fi
  echo "install-deps: these packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
