#!/usr/bin/env bash
# netfeed lab: one command that shows every kind of record without a single real device.
#
#   scripts/lab.sh [--duration S] [--kafka-port P] [--http-port P] [--build-dir DIR] ...
#
# It starts, on loopback only and at low rates:
#   - nxapi-sim: two Nexus switches (lab-nx-leaf1/2 on 127.0.80.1-2), polled by the nxapi collector;
#   - snmp-sim: four SNMP agents (127.0.80.1-4, 48 interfaces each), polled by the snmp collector;
#   - lab/syslog_sender.py: IOS and NX-OS syslog lines from the four devices' addresses;
#   - lab/flow_sender.py: NetFlow v9 (lab-ios-core1) and IPFIX (lab-ios-edge1) with ifIndexes
#     that snmp-sim's interface table has;
#   - lab/trap_sender.py: SNMPv2c traps sent with net-snmp's snmptrap;
#   - the agent (BUILD/netfeed) with config/lab.yaml: embedded Kafka broker, the inventory CSV
#     config/lab-inventory.csv joined to every record, interface names on flows, protocol names.
# Then it prints the kcat lines to tail each topic. Ctrl-C (SIGINT) or SIGTERM stops everything
# it started; so does the end of --duration. Every sender also stops by itself after --duration.
# Why a script and not `netfeed lab`: the simulators and senders are lab programs that the agent
# never ships (lab/README.md), and a script keeps the agent free of process supervision code.
set -uo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lab_dir=$source_dir/lab
duration=3600
kafka_port=9092
http_port=9273
syslog_port=5514
flow_port=2055
trap_port=1162
snmp_port=0   # 0: a free port, chosen at start
nxapi_port=0
build_dir=build
keep_dir=false

usage() {
  cat <<EOF
Usage: scripts/lab.sh [options]
  --duration S       stop everything after S seconds (default 3600; 0: until Ctrl-C)
  --kafka-port P     port of the agent's embedded Kafka broker on 127.0.0.1 (default 9092)
  --http-port P      port of the agent's /metrics and /healthz (default 9273)
  --syslog-port P    the agent's syslog port, UDP and TCP (default 5514)
  --flow-port P      the agent's NetFlow/IPFIX port (default 2055)
  --trap-port P      the agent's SNMP trap port (default 1162)
  --snmp-port P      port of the simulated SNMP agents (default: a free one)
  --nxapi-port P     port of the simulated NX-API switches (default: a free one)
  --build-dir DIR    where netfeed and the lab programs were built (default build)
  --keep-dir         keep the run directory (simulator logs) after the lab stops
EOF
}

die() {
  echo "lab: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --duration | --kafka-port | --http-port | --syslog-port | --flow-port | --trap-port | \
      --snmp-port | --nxapi-port | --build-dir)
      [ $# -ge 2 ] || die "$1 needs a value"
      option=${1#--}
      value=$2
      shift 2
      if [ "$option" != build-dir ]; then
        [[ $value =~ ^[0-9]+$ ]] || die "--$option: '$value' is not a whole number"
        if [ "$option" != duration ] && [ "$option" != snmp-port ] && [ "$option" != nxapi-port ]; then
          if [ "$value" -lt 1 ] || [ "$value" -gt 65535 ]; then die "--$option: $value is not a port"; fi
        fi
      fi
      printf -v "${option//-/_}" '%s' "$value"
      ;;
    --keep-dir) keep_dir=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

# A relative build directory is looked up from here, then from the source tree.
if [[ $build_dir != /* ]] && [ ! -d "$build_dir" ] && [ -d "$source_dir/$build_dir" ]; then
  build_dir=$source_dir/$build_dir
fi
# NETFEED_BIN and NETFEED_LAB_BIN (as the integration tests set them) name the programs directly.
netfeed=${NETFEED_BIN:-$build_dir/netfeed}
[ -x "$netfeed" ] || netfeed=$build_dir/agent/netfeed
lab_bin=${NETFEED_LAB_BIN:-$build_dir/lab/bin}
for program in "$netfeed" "$lab_bin/nxapi-sim" "$lab_bin/snmp-sim"; do
  [ -x "$program" ] || die "$program is not built: cmake --build $build_dir --target netfeed nxapi-sim snmp-sim"
done
# Debian's interpreter sees Debian's python3 packages; the senders need only the standard library.
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3) || die "python3 is not installed"
send_traps=true
if ! command -v snmptrap >/dev/null; then
  echo "lab: snmptrap not found (Debian package snmp, scripts/install-deps.sh): no traps" >&2
  send_traps=false
fi

busy=$("$python" "$lab_dir/ports.py" busy "tcp:$kafka_port" "tcp:$http_port" "udp:$syslog_port" \
  "tcp:$syslog_port" "udp:$flow_port" "udp:$trap_port")
if [ -n "$busy" ]; then
  die "these 127.0.0.1 ports are in use (another netfeed?): ${busy//$'\n'/ }; choose others with" \
    "--kafka-port, --http-port, --syslog-port, --flow-port, --trap-port"
fi
[ "$snmp_port" -ne 0 ] || snmp_port=$("$python" "$lab_dir/ports.py" free udp 127.0.80.1) || exit 1
[ "$nxapi_port" -ne 0 ] || nxapi_port=$("$python" "$lab_dir/ports.py" free tcp 127.0.80.1) || exit 1

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/netfeed-lab.XXXXXX") || exit 1
pids=()
declare -A names=()

# Stops every process this script started: SIGTERM to each child (the agent then drains its
# queues), SIGKILL to any still alive after 10 s, then to whatever else is left in the script's
# process group when it leads one (a terminal's job, or a caller's new session).
stopping=false
# shellcheck disable=SC2317  # called from the traps below
stop_all() {
  $stopping && return
  stopping=true
  trap '' INT TERM
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  local deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "lab: ${names[$pid]} did not stop in time: killed" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  wait 2>/dev/null
  if [ "$(ps -o pgid= -p $$ | tr -d ' ')" = "$$" ]; then
    # pgrep's own subshell is in the group too; it has exited before the kill.
    for pid in $(pgrep -g $$); do
      [ "$pid" = "$$" ] || kill -KILL "$pid" 2>/dev/null
    done
  fi
  if $keep_dir; then
    echo "lab: logs kept in $run_dir" >&2
  else
    rm -rf "$run_dir"
  fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# start NAME LOG COMMAND...: runs COMMAND in the background (LOG "-": this terminal).
start() {
  local name=$1 log=$2
  shift 2
  if [ "$log" = - ]; then
    "$@" </dev/null &
  else
    "$@" </dev/null >"$log" 2>&1 &
  fi
  pids+=($!)
  names[$!]=$name
}

# wait_until NAME PID SECONDS COMMAND...: polls COMMAND until it succeeds; fails if PID exits.
wait_until() {
  local name=$1 pid=$2 deadline=$((SECONDS + $3))
  shift 3
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "lab: $name did not start" >&2
      return 1
    fi
    sleep 0.2
  done
}

# shellcheck disable=SC2317  # called through wait_until
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The devices (NAME,ADDRESS,STYLE); config/lab.yaml lists the same names and addresses.
device_args=()
for device in lab-nx-leaf1,127.0.80.1,nxos lab-nx-leaf2,127.0.80.2,nxos \
  lab-ios-core1,127.0.80.3,ios lab-ios-edge1,127.0.80.4,ios; do
  device_args+=(--device "$device")
done
export NETFEED_LAB_PASSWORD=${NETFEED_LAB_PASSWORD:-lab-only-secret}
export NETFEED_LAB_SNMP_COMMUNITY=${NETFEED_LAB_SNMP_COMMUNITY:-lab}

start snmp-sim "$run_dir/snmp-sim.log" "$lab_bin/snmp-sim" --devices 4 --address 127.0.80.1 \
  --spread addresses --port "$snmp_port" --community "$NETFEED_LAB_SNMP_COMMUNITY" \
  --ready-file "$run_dir/snmp-sim.ready"
snmp_sim=$!
start nxapi-sim "$run_dir/nxapi-sim.log" "$lab_bin/nxapi-sim" --switches 2 --address 127.0.80.1 \
  --spread addresses --port "$nxapi_port" --user netfeed --password "$NETFEED_LAB_PASSWORD" \
  --hostname-prefix lab-nx-leaf --ready-file "$run_dir/nxapi-sim.ready"
nxapi_sim=$!
wait_until snmp-sim $snmp_sim 20 test -s "$run_dir/snmp-sim.ready" || {
  cat "$run_dir/snmp-sim.log" >&2
  exit 1
}
wait_until nxapi-sim $nxapi_sim 20 test -s "$run_dir/nxapi-sim.ready" || {
  cat "$run_dir/nxapi-sim.log" >&2
  exit 1
}

export NETFEED_LAB_KAFKA_PORT=$kafka_port NETFEED_LAB_HTTP_PORT=$http_port
export NETFEED_LAB_SYSLOG_PORT=$syslog_port NETFEED_LAB_FLOW_PORT=$flow_port
export NETFEED_LAB_TRAP_PORT=$trap_port NETFEED_LAB_SNMP_PORT=$snmp_port
export NETFEED_LAB_NXAPI_PORT=$nxapi_port
# The agent logs to this terminal: its start-up lines, per-minute summaries and any problem.
# It runs in a process group of its own (same session), so that a Ctrl-C at the terminal does
# not reach it beside the SIGTERM that stop_all sends: a second stop signal makes it exit
# without draining its queues.
start netfeed - "$python" -c 'import os, sys; os.setpgid(0, 0); os.execv(sys.argv[1], sys.argv[1:])' \
  "$netfeed" run -c "$source_dir/config/lab.yaml"
agent=$!
# The metrics endpoint opens once every collector listens and the broker is up.
wait_until netfeed "$agent" 30 listening "$http_port" || exit 1

start syslog_sender - "$python" "$lab_dir/syslog_sender.py" --target "127.0.0.1:$syslog_port" \
  "${device_args[@]}" --rate 2 \
  --duration "$duration"
start flow_sender - "$python" "$lab_dir/flow_sender.py" --target "127.0.0.1:$flow_port" \
  --exporter 127.0.80.3,v9 --exporter 127.0.80.4,ipfix --interfaces 1-11 --rate 1 --flows 5 \
  --duration "$duration"
if $send_traps; then
  start trap_sender - "$python" "$lab_dir/trap_sender.py" --target "127.0.0.1:$trap_port" \
    --community "$NETFEED_LAB_SNMP_COMMUNITY" \
    "${device_args[@]}" --rate 0.2 \
    --duration "$duration" --state-dir "$run_dir/snmptrap"
fi
if [ "$duration" -gt 0 ]; then
  start timer /dev/null sleep "$duration"
fi

bootstrap=127.0.0.1:$kafka_port
cat <<EOF

netfeed lab is running: 4 simulated devices on 127.0.80.1-4 sending to the agent, which
publishes to its embedded broker at $bootstrap. Tail the enriched records:

  kcat -b $bootstrap -C -t netfeed.syslog    # IOS and NX-OS syslog
  kcat -b $bootstrap -C -t netfeed.flow      # NetFlow v9 and IPFIX, with interface names
  kcat -b $bootstrap -C -t netfeed.snmp      # polled interface tables and system groups
  kcat -b $bootstrap -C -t netfeed.trap      # SNMP traps
  kcat -b $bootstrap -C -t netfeed.nxapi     # NX-API show version / show environment

Metrics: curl -s 127.0.0.1:$http_port/metrics    Inventory: config/lab-inventory.csv
Ctrl-C stops the lab$([ "$duration" -gt 0 ] && echo "; it stops by itself after $duration s").

EOF

# Until the timer ends, Ctrl-C, or a simulator or the agent dies. A sender that ends is only
# reported: the rest of the lab still has something to show.
status=0
while :; do
  finished=
  wait -n -p finished "${pids[@]}"
  code=$?
  [ -n "$finished" ] || continue
  case ${names[$finished]} in
    timer)
      echo "lab: $duration s are over, stopping"
      break
      ;;
    *_sender)
      [ $code -eq 0 ] || echo "lab: ${names[$finished]} failed (exit $code)" >&2
      ;;
    *)
      echo "lab: ${names[$finished]} exited (status $code), stopping" >&2
      status=1
      break
      ;;
  esac
  # Drop the finished pid so that the next wait does not name it again.
  remaining=()
  for pid in "${pids[@]}"; do [ "$pid" = "$finished" ] || remaining+=("$pid"); done
  pids=("${remaining[@]}")
done
exit $status
