"""nxapi-sim (lab/nxapi_sim) checked with real clients over loopback: http.client and curl send
both NX-API request formats (JSON-RPC 2.0 versions 1 and 1.2, single and batch; ins_api
cli_show and cli_show_array), logins and cookie reuse are counted, cookies expire (by TTL and
by the control endpoint), every fault kind does what lab/nxapi_sim/README.md says, HTTPS works
with the test CA from make-test-ca.sh, and the deterministic content rules hold."""
import base64
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from netfeed_harness import SOURCE_DIR, free_port, lab_program

SIM = lab_program("nxapi-sim")
MAKE_CA = os.path.join(SOURCE_DIR, "lab", "nxapi_sim", "make-test-ca.sh")
BASIC = "Basic " + base64.b64encode(b"admin:admin").decode()


class Simulator:
    """One nxapi-sim process; stopped (SIGTERM, expecting exit 0) by stop()."""

    def __init__(self, *args, switches=1):
        self.dir = tempfile.mkdtemp(prefix="nxapi-sim-test-")
        ready = os.path.join(self.dir, "ready.json")
        self.control = free_port()
        self.proc = subprocess.Popen(
            [SIM, "--switches", str(switches), "--control", f"127.0.0.1:{self.control}",
             "--ready-file", ready, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != f"ready {switches} switches":
            self.proc.kill()
            raise AssertionError(f"nxapi-sim did not start: {line!r} {self.proc.stderr.read()}")
        with open(ready) as f:
            self.switches = json.load(f)["switches"]

    def port(self, index=0):
        return self.switches[index]["port"]

    def control_call(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.control, timeout=10)
        conn.request(method, path, body=None if body is None else json.dumps(body),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        data = json.loads(response.read())
        conn.close()
        return response.status, data

    def stats(self, index=0):
        status, data = self.control_call("GET", "/stats")
        assert status == 200
        return data["switches"][index]

    def fault(self, **request):
        status, data = self.control_call("POST", "/fault", request)
        assert status == 200, data

    def stop(self):
        self.proc.terminate()
        code = self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return code


def rpc(cmd, id=1, version=1):
    return {"jsonrpc": "2.0", "method": "cli", "params": {"cmd": cmd, "version": version}, "id": id}


def ins(commands, type="cli_show"):
    return {"ins_api": {"version": "1.0", "type": type, "chunk": "0", "sid": "1",
                        "input": commands, "output_format": "json"}}


def post(port, payload, content_type="application/json-rpc", auth=BASIC, cookie=None,
         conn=None, raw=None, timeout=10):
    """POST /ins; returns (status, headers, body bytes). Reuses conn when given."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": content_type}
    if auth:
        headers["Authorization"] = auth
    if cookie:
        headers["Cookie"] = cookie
    conn.request("POST", "/ins", body=raw if raw is not None else json.dumps(payload),
                 headers=headers)
    response = conn.getresponse()
    body = response.read()
    if own:
        conn.close()
    return response.status, response, body


def body_of(port, cmd):
    status, _, data = post(port, rpc(cmd))
    assert status == 200, (status, data)
    return json.loads(data)["result"]["body"]


def cookie_of(response):
    """The name=value part of the nxapi_auth Set-Cookie."""
    value = response.getheader("Set-Cookie")
    assert value and value.startswith("nxapi_auth="), value
    return value.split(";")[0]


class NxapiSimulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator(switches=6)

    @classmethod
    def tearDownClass(cls):
        assert cls.sim.stop() == 0

    def setUp(self):
        self.sim.fault(kind="clear")
        self.sim.control_call("POST", "/reset-stats", {})

    def test_ready_file_lists_every_switch(self):
        self.assertEqual([s["hostname"] for s in self.sim.switches],
                         [f"sim-sw00{n}" for n in range(1, 7)])
        self.assertEqual(len({s["port"] for s in self.sim.switches}), 6)
        self.assertTrue(all(s["address"] == "127.0.0.1" for s in self.sim.switches))

    def test_jsonrpc_single_object_version_1(self):
        status, response, data = post(self.sim.port(2), rpc("show version", id=7))
        self.assertEqual(status, 200)
        self.assertTrue(response.getheader("Content-Type").startswith("application/json-rpc"))
        answer = json.loads(data)
        self.assertEqual(answer["jsonrpc"], "2.0")
        self.assertEqual(answer["id"], 7)
        body = answer["result"]["body"]
        self.assertEqual(body["host_name"], "sim-sw003")
        self.assertEqual(body["proc_board_id"], "SIM00000003")
        self.assertEqual(body["nxos_ver_str"], "9.3(10)")
        self.assertIsInstance(body["kern_uptm_days"], int)
        self.assertEqual(body["kern_uptm_days"], 3)  # i % 30 + 1 days, just started

    def test_jsonrpc_batch_versions_and_ids(self):
        batch = [rpc("show version", id=1, version=1), rpc("show inventory", id="two", version=1.2),
                 rpc("show interface brief", id=3, version="1.2")]
        status, _, data = post(self.sim.port(1), batch)
        self.assertEqual(status, 200)
        answer = json.loads(data)
        self.assertIsInstance(answer, list)
        self.assertEqual([a["id"] for a in answer], [1, "two", 3])
        self.assertEqual(answer[0]["result"]["body"]["host_name"], "sim-sw002")
        self.assertEqual(len(answer[1]["result"]["body"]["TABLE_inv"]["ROW_inv"]), 3)
        self.assertEqual(len(answer[2]["result"]["body"]["TABLE_interface"]["ROW_interface"]), 49)
        # NX-OS answers a one-element batch with a bare object.
        status, _, data = post(self.sim.port(1), [rpc("show version", id=5, version=1.2)])
        answer = json.loads(data)
        self.assertIsInstance(answer, dict)
        self.assertEqual(answer["id"], 5)

    def test_jsonrpc_errors(self):
        batch = [rpc("show bogus", id=1), rpc("show running-config", id=2),
                 {"jsonrpc": "2.0", "method": "cli_bad", "params": {"cmd": "show version"}, "id": 3},
                 rpc("show version", id=4, version=3), rpc("show version", id=5)]
        status, _, data = post(self.sim.port(0), batch)
        self.assertEqual(status, 200)
        answer = json.loads(data)
        self.assertEqual(answer[0]["error"],
                         {"code": -32602, "message": "Invalid params",
                          "data": {"msg": "Input CLI command error"}})
        self.assertEqual(answer[1]["error"]["data"]["msg"], "Permission denied")
        self.assertEqual(answer[2]["error"]["code"], -32601)
        self.assertEqual(answer[3]["error"]["data"]["msg"], "Invalid version")
        self.assertIn("result", answer[4])
        self.assertEqual([a["id"] for a in answer], [1, 2, 3, 4, 5])
        status, _, data = post(self.sim.port(0), None, raw=b"{not json")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(data)["error"]["code"], -32700)

    def test_ins_api_single_batch_and_errors(self):
        status, response, data = post(self.sim.port(0), ins("show version"),
                                      content_type="application/json")
        self.assertEqual(status, 200)
        self.assertTrue(response.getheader("Content-Type").startswith("application/json"))
        root = json.loads(data)["ins_api"]
        self.assertEqual((root["type"], root["version"], root["sid"]), ("cli_show", "1.0", "eoc"))
        output = root["outputs"]["output"]
        self.assertIsInstance(output, dict)
        self.assertEqual((output["input"], output["code"], output["msg"]),
                         ("show version", "200", "Success"))
        self.assertEqual(output["body"]["host_name"], "sim-sw001")

        status, _, data = post(self.sim.port(0),
                               ins("show inventory ;show nonsense; show running-config"),
                               content_type="application/json")
        outputs = json.loads(data)["ins_api"]["outputs"]["output"]
        self.assertEqual([o["code"] for o in outputs], ["200", "400", "403"])
        self.assertEqual([o["input"] for o in outputs],
                         ["show inventory", "show nonsense", "show running-config"])
        self.assertEqual(outputs[1]["msg"], "Input CLI command error")
        # Switch 0 is even: one inventory row, an object ...
        self.assertIsInstance(outputs[0]["body"]["TABLE_inv"]["ROW_inv"], dict)
        # ... but cli_show_array makes every ROW_x an array.
        status, _, data = post(self.sim.port(0), ins("show inventory", type="cli_show_array"),
                               content_type="application/json")
        rows = json.loads(data)["ins_api"]["outputs"]["output"]["body"]["TABLE_inv"]["ROW_inv"]
        self.assertIsInstance(rows, list)
        self.assertEqual(rows[0]["serialnum"], "SIM00000001")
        status, _, data = post(self.sim.port(0), ins("show version", type="bash"),
                               content_type="application/json")
        self.assertEqual(status, 400)

    def test_deterministic_content_per_switch(self):
        n = len(self.sim.switches)
        for i in range(n):
            port = self.sim.port(i)
            rows = body_of(port, "show inventory")["TABLE_inv"]["ROW_inv"]
            if i % 2 == 0:
                self.assertIsInstance(rows, dict)
                self.assertEqual(rows["name"], "Chassis")
                self.assertEqual(rows["serialnum"], f"SIM{i + 1:08d}")
            else:
                self.assertEqual([r["name"] for r in rows],
                                 ["Chassis", "Slot 1", "Power Supply 1"])
            lldp = body_of(port, "show lldp neighbors")
            self.assertEqual(lldp["neigh_count"], str(i % 3))
            if i % 3 == 0:
                self.assertNotIn("TABLE_nbor", lldp)
            else:
                rows = lldp["TABLE_nbor"]["ROW_nbor"]
                rows = [rows] if i % 3 == 1 else rows
                self.assertIsInstance(lldp["TABLE_nbor"]["ROW_nbor"], dict if i % 3 == 1 else list)
                for k, row in enumerate(rows):
                    neighbor = (i + k + 1) % n
                    self.assertEqual(row["chassis_id"], f"sim-sw{neighbor + 1:03d}")
                    self.assertEqual(row["l_port_id"], f"Eth1/{45 + k}")
                    self.assertEqual(row["mgmt_addr"], f"10.0.0.{neighbor + 1}")
            env = body_of(port, "show environment")
            ps = env["powersup"]["TABLE_psinfo"]["ROW_psinfo"]
            self.assertEqual(ps[1]["ps_status"], "Shutdown" if i % 5 == 4 else "Ok")
            temps = env["TABLE_tempinfo"]["ROW_tempinfo"]
            self.assertEqual(temps[0]["curtemp"], str(28 + i % 10))
            self.assertEqual(len(env["fandetails"]["TABLE_faninfo"]["ROW_faninfo"]), 6)
        interfaces = body_of(self.sim.port(3), "show interface")["TABLE_interface"]["ROW_interface"]
        self.assertEqual([r["interface"] for r in interfaces],
                         ["mgmt0"] + [f"Ethernet1/{p}" for p in range(1, 49)])
        self.assertEqual(interfaces[0]["eth_ip_addr"], "10.0.0.4")
        self.assertEqual(interfaces[1]["eth_hw_addr"], "5254.0000.0401")
        self.assertEqual([r["state"] for r in interfaces[47:]], ["down", "down"])
        self.assertTrue(all(r["state"] == "up" for r in interfaces[:47]))
        self.assertEqual(interfaces[1]["desc"], "uplink 1")
        self.assertNotIn("desc", interfaces[5])
        brief = body_of(self.sim.port(3), "Show  Interface   BRIEF")["TABLE_interface"]
        self.assertEqual(brief["ROW_interface"][48]["state_rsn_desc"], "Link not connected")

    def test_counters_grow_with_time_on_up_ports_only(self):
        def counters():
            rows = body_of(self.sim.port(5), "show interface")["TABLE_interface"]["ROW_interface"]
            return {r["interface"]: r for r in rows}

        first = counters()
        time.sleep(0.3)
        second = counters()
        e1_first, e1_second = first["Ethernet1/1"], second["Ethernet1/1"]
        self.assertIsInstance(e1_first["eth_inbytes"], int)
        # 1000*(p+1) + 10*i bytes/s on Ethernet1/1 of switch 5: 2050/s, so >= 0.3 s adds >= 615.
        self.assertGreaterEqual(e1_second["eth_inbytes"] - e1_first["eth_inbytes"], 615)
        self.assertGreater(e1_second["eth_outpkts"], e1_first["eth_outpkts"] - 1)
        self.assertGreaterEqual(e1_first["eth_inbytes"], 1000000 * 6 + 100000000)
        self.assertEqual(e1_first["eth_inrate1_bits"], str(8 * 2050))
        for down in ("Ethernet1/47", "Ethernet1/48"):
            self.assertEqual(first[down]["eth_inbytes"], second[down]["eth_inbytes"])
        self.assertGreater(second["mgmt0"]["vdc_lvl_in_bytes"], first["mgmt0"]["vdc_lvl_in_bytes"])

    def test_logins_counted_and_cookie_reused_on_keep_alive(self):
        port = self.sim.port(4)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        status, response, _ = post(port, rpc("show version"), conn=conn)
        self.assertEqual(status, 200)
        cookie = cookie_of(response)
        self.assertIn("Max-Age=600", response.getheader("Set-Cookie"))
        sock = conn.sock
        for _ in range(5):
            status, response, data = post(port, [rpc("show version", 1), rpc("show interface", 2)],
                                          auth=None, cookie=cookie, conn=conn)
            self.assertEqual(status, 200)
            self.assertIsNone(response.getheader("Set-Cookie"))
            self.assertEqual(len(json.loads(data)), 2)
        self.assertIs(conn.sock, sock)  # one keep-alive connection throughout
        conn.close()
        stats = self.sim.stats(4)
        self.assertEqual((stats["logins"], stats["cookie_hits"], stats["requests"],
                          stats["commands"]), (1, 5, 6, 11))
        # Without a cookie every basic-auth request is a login.
        post(port, rpc("show version"))
        post(port, rpc("show version"))
        self.assertEqual(self.sim.stats(4)["logins"], 3)

    def test_wrong_or_missing_credentials_are_401(self):
        port = self.sim.port(0)
        wrong = "Basic " + base64.b64encode(b"admin:nope").decode()
        for auth, cookie in ((wrong, None), (None, None), (None, "nxapi_auth=admin:12345")):
            status, response, _ = post(port, rpc("show version"), auth=auth, cookie=cookie)
            self.assertEqual(status, 401)
            self.assertIn("Basic", response.getheader("WWW-Authenticate"))
        stats = self.sim.stats(0)
        self.assertEqual((stats["unauthorized"], stats["logins"], stats["commands"]), (3, 0, 0))

    def test_expire_cookies_from_control(self):
        port = self.sim.port(1)
        _, response, _ = post(port, rpc("show version"))
        cookie = cookie_of(response)
        self.assertEqual(post(port, rpc("show version"), auth=None, cookie=cookie)[0], 200)
        status, _ = self.sim.control_call("POST", "/expire-cookies", {"switch": 1})
        self.assertEqual(status, 200)
        self.assertEqual(post(port, rpc("show version"), auth=None, cookie=cookie)[0], 401)
        # An expired cookie beside valid credentials is a new login.
        status, response, _ = post(port, rpc("show version"), cookie=cookie)
        self.assertEqual(status, 200)
        self.assertNotEqual(cookie_of(response), cookie)
        self.assertEqual(self.sim.stats(1)["logins"], 2)

    def test_fault_slow(self):
        port = self.sim.port(2)
        self.sim.fault(switch=2, kind="slow", delay_ms=400, count=1)
        started = time.monotonic()
        status, _, data = post(port, rpc("show version"))
        self.assertGreaterEqual(time.monotonic() - started, 0.4)
        self.assertEqual(json.loads(data)["result"]["body"]["host_name"], "sim-sw003")
        started = time.monotonic()
        post(port, rpc("show version"))
        self.assertLess(time.monotonic() - started, 0.4)
        self.assertEqual(self.sim.stats(2)["faults"], 1)

    def test_fault_http_statuses_for_count_requests(self):
        port = self.sim.port(3)
        for kind, expected in (("401", 401), ("403", 403), ("500", 500)):
            self.sim.fault(switch=3, kind=kind, count=2)
            self.assertEqual([post(port, rpc("show version"))[0] for _ in range(3)],
                             [expected, expected, 200], kind)
        self.assertEqual(self.sim.stats(3)["faults"], 6)
        self.assertEqual(self.sim.stats(3)["logins"], 3)

    def test_fault_until_cleared_on_every_switch(self):
        self.sim.fault(switch=-1, kind="500")
        for _ in range(3):
            for i in range(len(self.sim.switches)):
                self.assertEqual(post(self.sim.port(i), rpc("show version"))[0], 500)
        self.sim.fault(switch=-1, kind="clear")
        for i in range(len(self.sim.switches)):
            self.assertEqual(post(self.sim.port(i), rpc("show version"))[0], 200)

    def test_fault_malformed(self):
        self.sim.fault(switch=0, kind="malformed", count=1)
        status, response, data = post(self.sim.port(0), rpc("show version"))
        self.assertEqual(status, 200)
        self.assertEqual(int(response.getheader("Content-Length")), len(data))
        with self.assertRaises(ValueError):
            json.loads(data)
        self.assertEqual(post(self.sim.port(0), rpc("show version"))[0], 200)

    def raw_exchange(self, port):
        """Sends one request on a raw socket; returns (bytes until the peer closed, seconds)."""
        request = json.dumps(rpc("show interface")).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"POST /ins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json-rpc\r\n"
                      b"Authorization: " + BASIC.encode() + b"\r\n"
                      b"Content-Length: " + str(len(request)).encode() + b"\r\n\r\n" + request)
            received = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return received
                received += chunk

    def test_fault_truncated(self):
        self.sim.fault(switch=1, kind="truncated", count=1)
        received = self.raw_exchange(self.sim.port(1))
        head, _, body = received.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"))
        length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")][0])
        self.assertGreater(length, len(body))
        self.assertGreater(len(body), 0)
        # http.client sees the short body as an error.
        self.sim.fault(switch=1, kind="truncated", count=1)
        with self.assertRaises(http.client.IncompleteRead):
            post(self.sim.port(1), rpc("show interface"))
        self.assertEqual(post(self.sim.port(1), rpc("show version"))[0], 200)

    def test_fault_close(self):
        self.sim.fault(switch=5, kind="close", count=1)
        self.assertEqual(self.raw_exchange(self.sim.port(5)), b"")
        self.sim.fault(switch=5, kind="close", count=1)
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError)):
            post(self.sim.port(5), rpc("show version"))
        self.assertEqual(post(self.sim.port(5), rpc("show version"))[0], 200)
        self.assertEqual(self.sim.stats(5)["faults"], 2)

    def test_expect_100_continue_is_answered(self):
        # libcurl asks for it with bodies over 1 KiB and would otherwise wait a second.
        batch = json.dumps([rpc("show version", id=k) for k in range(20)]).encode()
        self.assertGreater(len(batch), 1024)
        with socket.create_connection(("127.0.0.1", self.sim.port(0)), timeout=10) as s:
            s.sendall(b"POST /ins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json-rpc\r\n"
                      b"Authorization: " + BASIC.encode() + b"\r\nExpect: 100-continue\r\n"
                      b"Content-Length: " + str(len(batch)).encode() + b"\r\n\r\n")
            s.settimeout(0.5)  # less than the second a client waits
            self.assertEqual(s.recv(25), b"HTTP/1.1 100 Continue\r\n\r\n")
            s.settimeout(10)
            s.sendall(batch)
            reader = s.makefile("rb")
            self.assertTrue(reader.readline().startswith(b"HTTP/1.1 200"))
            length = None
            while (line := reader.readline()) != b"\r\n":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.assertEqual(len(json.loads(reader.read(length))), 20)

    def test_control_rejects_bad_requests(self):
        for body in ({"kind": "explode"}, {"switch": 99, "kind": "500"}, {"switch": "x", "kind": "500"}):
            status, data = self.sim.control_call("POST", "/fault", body)
            self.assertEqual(status, 400)
            self.assertIn("error", data)
        self.assertEqual(self.sim.control_call("GET", "/nothing")[0], 404)

    def test_wrong_path_and_method(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port(0), timeout=10)
        conn.request("GET", "/ins", headers={"Authorization": BASIC})
        self.assertEqual(conn.getresponse().status, 405)
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port(0), timeout=10)
        conn.request("POST", "/api/mo", body="{}", headers={"Authorization": BASIC})
        self.assertEqual(conn.getresponse().status, 404)
        conn.close()

    def test_curl_with_cookie_jar(self):
        port = self.sim.port(2)
        jar = os.path.join(self.sim.dir, "cookies")
        base = ["curl", "-sS", "--max-time", "10", "-H", "Content-Type: application/json",
                "-d", json.dumps(ins("show version ;show lldp neighbors")),
                f"http://127.0.0.1:{port}/ins"]
        first = subprocess.run(base + ["-u", "admin:admin", "-c", jar], capture_output=True,
                               text=True, timeout=20, check=True)
        outputs = json.loads(first.stdout)["ins_api"]["outputs"]["output"]
        self.assertEqual(len(outputs), 2)
        self.assertEqual(outputs[1]["body"]["TABLE_nbor"]["ROW_nbor"][1]["chassis_id"], "sim-sw005")
        second = subprocess.run(base + ["-b", jar], capture_output=True, text=True, timeout=20,
                                check=True)
        self.assertEqual(json.loads(second.stdout)["ins_api"]["outputs"]["output"][0]["code"], "200")
        stats = self.sim.stats(2)
        self.assertEqual((stats["logins"], stats["cookie_hits"], stats["commands"]), (1, 1, 4))


class NxapiSimulatorCookieTtl(unittest.TestCase):
    def test_cookie_expires_after_ttl(self):
        sim = Simulator("--cookie-ttl", "1", "--hostname-prefix", "ttl-")
        try:
            port = sim.port()
            _, response, data = post(port, rpc("show version"))
            self.assertEqual(json.loads(data)["result"]["body"]["host_name"], "ttl-001")
            self.assertIn("Max-Age=1", response.getheader("Set-Cookie"))
            cookie = cookie_of(response)
            self.assertEqual(post(port, rpc("show version"), auth=None, cookie=cookie)[0], 200)
            time.sleep(1.3)
            self.assertEqual(post(port, rpc("show version"), auth=None, cookie=cookie)[0], 401)
            self.assertEqual(sim.stats()["cookie_hits"], 1)
        finally:
            self.assertEqual(sim.stop(), 0)


class NxapiSimulatorSpreadAddresses(unittest.TestCase):
    def test_each_switch_on_its_own_address(self):
        port = free_port()
        sim = Simulator("--spread", "addresses", "--port", str(port), switches=3)
        try:
            self.assertEqual([(s["address"], s["port"]) for s in sim.switches],
                             [(f"127.0.0.{n}", port) for n in (1, 2, 3)])
            for i, s in enumerate(sim.switches):
                conn = http.client.HTTPConnection(s["address"], port, timeout=10)
                status, _, data = post(port, rpc("show version"), conn=conn)
                conn.close()
                self.assertEqual(json.loads(data)["result"]["body"]["host_name"], f"sim-sw{i + 1:03d}")
        finally:
            self.assertEqual(sim.stop(), 0)


class NxapiSimulatorStartup(unittest.TestCase):
    def test_port_in_use_is_one_sentence_and_exit_1(self):
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            done = subprocess.run([SIM, "--port", str(port)], capture_output=True, text=True,
                                  timeout=20)
        self.assertEqual(done.returncode, 1)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", done.stderr)
        self.assertEqual(done.stdout, "")

    def test_tls_without_certificate_is_exit_2(self):
        done = subprocess.run([SIM, "--tls"], capture_output=True, text=True, timeout=20)
        self.assertEqual(done.returncode, 2)
        self.assertIn("--cert", done.stderr)


class NxapiSimulatorTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ca_dir = tempfile.mkdtemp(prefix="nxapi-sim-ca-")
        subprocess.run([MAKE_CA, cls.ca_dir], check=True, timeout=60)
        cls.sim = Simulator("--tls", "--cert", os.path.join(cls.ca_dir, "server.pem"),
                            "--key", os.path.join(cls.ca_dir, "server.key"), switches=2)

    @classmethod
    def tearDownClass(cls):
        assert cls.sim.stop() == 0
        shutil.rmtree(cls.ca_dir, ignore_errors=True)

    def curl(self, *args):
        return subprocess.run(
            ["curl", "-sS", "--max-time", "10", "-u", "admin:admin", "-H",
             "Content-Type: application/json-rpc", "-d", json.dumps(rpc("show version")), *args],
            capture_output=True, text=True, timeout=20)

    def test_curl_trusts_the_test_ca(self):
        url = f"https://127.0.0.1:{self.sim.port(1)}/ins"
        headers = os.path.join(self.ca_dir, "headers")
        done = self.curl("--cacert", os.path.join(self.ca_dir, "ca.pem"), "-D", headers, url)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(headers) as f:
            self.assertIn("Secure", f.read())  # the cookie is marked Secure over HTTPS
        self.assertEqual(json.loads(done.stdout)["result"]["body"]["host_name"], "sim-sw002")
        # Without the CA, curl refuses the certificate (exit 60).
        self.assertEqual(self.curl(url).returncode, 60)
        done = self.curl("--cacert", os.path.join(self.ca_dir, "ca.pem"),
                         f"https://localhost:{self.sim.port(1)}/ins")
        self.assertEqual(done.returncode, 0, done.stderr)

    def test_python_keep_alive_over_tls(self):
        context = ssl.create_default_context(cafile=os.path.join(self.ca_dir, "ca.pem"))
        conn = http.client.HTTPSConnection("127.0.0.1", self.sim.port(0), context=context,
                                           timeout=10)
        _, response, _ = post(0, rpc("show version"), conn=conn)
        cookie = cookie_of(response)
        for _ in range(3):
            status, _, data = post(0, rpc("show inventory"), auth=None, cookie=cookie, conn=conn)
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(data)["result"]["body"]["TABLE_inv"]["ROW_inv"]["serialnum"],
                             "SIM00000001")
        conn.close()
        stats = self.sim.stats(0)
        self.assertEqual((stats["logins"], stats["cookie_hits"]), (1, 3))


if __name__ == "__main__":
    unittest.main()
