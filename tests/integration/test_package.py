"""The Debian package: built by the `package` target, inspected with dpkg-deb (files,
conffiles, maintainer scripts, Depends computed from the shared libraries), extracted into a
scratch root with `dpkg -x` (this machine is not changed), and run from there with its own
config (rewritten only for free ports and a temporary state_dir): a syslog line sent over
loopback comes back with kcat from the embedded broker, and /metrics has the process_* series.
The unit is checked with `systemd-analyze verify` where systemd-analyze exists."""
import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import unittest

from netfeed_harness import NETFEED, Process, free_port, http_get, kcat_consume

BUILD_DIR = os.path.dirname(os.path.abspath(NETFEED))


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("dpkg-deb") or not shutil.which("dpkg-shlibdeps"):
            raise unittest.SkipTest("dpkg-deb/dpkg-shlibdeps (dpkg-dev) are not installed")
        if os.environ.get("NETFEED_DEB"):
            # A package built beforehand (`cpack --config build/CPackConfig.cmake` makes the
            # same one without building every other target first).
            cls.deb = os.environ["NETFEED_DEB"]
        else:
            # The build is done by then in CI; this runs CPack (and builds what is out of date).
            build = subprocess.run(["cmake", "--build", BUILD_DIR, "--target", "package"],
                                   capture_output=True, text=True, timeout=1800)
            if build.returncode != 0:
                raise AssertionError("package target failed:\n" + build.stdout[-4000:] +
                                     build.stderr[-4000:])
            debs = sorted(glob.glob(os.path.join(BUILD_DIR, "netfeed_*_*.deb")),
                          key=os.path.getmtime)
            if not debs:
                raise AssertionError("no build/netfeed_<version>_<arch>.deb:\n" + build.stdout[-2000:])
            cls.deb = debs[-1]
        cls.root = tempfile.mkdtemp(prefix="netfeed_deb_")
        subprocess.run(["dpkg", "-x", cls.deb, cls.root], check=True, timeout=60)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def dpkg_deb(self, *args):
        return subprocess.run(["dpkg-deb", *args], capture_output=True, text=True, check=True,
                              timeout=60).stdout

    def test_file_name_and_control(self):
        version = subprocess.run([NETFEED, "version"], capture_output=True, text=True).stdout.split()[1]
        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
        self.assertEqual(os.path.basename(self.deb), f"netfeed_{version}_{arch}.deb")
        control = self.dpkg_deb("-f", self.deb)
        self.assertIn("Package: netfeed\n", control)
        depends = re.search(r"^Depends: (.*)$", control, re.M).group(1)
        # Computed by dpkg-shlibdeps from the binary: the libraries it links, with versions.
        for library in ("libc6", "librdkafka1", "libyaml-cpp", "libsnmp"):
            self.assertRegex(depends, rf"{library}[\w.+-]* \(>= ", depends)
        self.assertIn("libsystemd0", depends)  # its shlibs entry carries no version
        self.assertIn("adduser", depends)

    def test_files(self):
        listing = self.dpkg_deb("-c", self.deb)
        for path in ("./usr/bin/netfeed", "./lib/systemd/system/netfeed.service",
                     "./etc/netfeed/netfeed.yaml", "./usr/lib/sysctl.d/60-netfeed.conf",
                     "./usr/share/doc/netfeed/examples/inventory-datacentre.csv",
                     "./usr/share/doc/netfeed/examples/datacentre-hardware.yaml"):
            self.assertRegex(listing, rf"\s{re.escape(path)}\n", path)
        with open(os.path.join(self.root, "usr/lib/sysctl.d/60-netfeed.conf")) as f:
            rmem = int(re.search(r"^net\.core\.rmem_max\s*=\s*(\d+)", f.read(), re.M).group(1))
        self.assertGreaterEqual(rmem, 32 << 20, "below the netflow collector's default buffer")

    def test_conffiles_and_maintainer_scripts(self):
        control_dir = tempfile.mkdtemp(prefix="netfeed_ctrl_")
        try:
            subprocess.run(["dpkg-deb", "-e", self.deb, control_dir], check=True, timeout=60)
            with open(os.path.join(control_dir, "conffiles")) as f:
                self.assertEqual(f.read().split(), ["/etc/netfeed/netfeed.yaml"])
            for script in ("postinst", "prerm", "postrm"):
                path = os.path.join(control_dir, script)
                self.assertTrue(os.access(path, os.X_OK), script)
                subprocess.run(["sh", "-n", path], check=True)
            with open(os.path.join(control_dir, "postinst")) as f:
                postinst = f.read()
            self.assertIn("adduser", postinst)
            self.assertIn("/var/lib/netfeed", postinst)
        finally:
            shutil.rmtree(control_dir, ignore_errors=True)

    def test_packaged_config_runs_from_the_package(self):
        binary = os.path.join(self.root, "usr/bin/netfeed")
        with open(os.path.join(self.root, "etc/netfeed/netfeed.yaml")) as f:
            packaged = f.read()
        self.assertIn("state_dir: /var/lib/netfeed", packaged)
        self.assertRegex(packaged, r"\n  embedded: true")
        self.assertIn("# For a real cluster, replace the next line with:  brokers:", packaged)

        syslog, flow_a, flow_b = free_port(), free_udp_port(), free_udp_port()
        kafka, http = free_port(), free_port()
        state = os.path.join(self.root, "state")
        config = (packaged
                  .replace("state_dir: /var/lib/netfeed", f"state_dir: {state}")
                  .replace("listen: 127.0.0.1:9273", f"listen: 127.0.0.1:{http}")
                  .replace("0.0.0.0:5514", f"127.0.0.1:{syslog}")
                  .replace("0.0.0.0:2055", f"127.0.0.1:{flow_a}")
                  .replace("0.0.0.0:4739", f"127.0.0.1:{flow_b}")
                  .replace("\n  embedded: true\n",
                           f"\n  embedded: true\n  embedded_listen: 127.0.0.1:{kafka}\n"))
        self.assertEqual(config.count(str(syslog)), 2, "the packaged syslog listeners moved")
        config_path = os.path.join(self.root, "etc/netfeed/netfeed-test.yaml")
        with open(config_path, "w") as f:
            f.write(config)

        check = subprocess.run([binary, "validate", "-c", config_path], capture_output=True,
                               text=True, timeout=60)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

        agent = Process([binary, "run", "-c", config_path])
        try:
            self.assertTrue(agent.wait_for("running with", 60), agent.output())
            bootstrap = f"127.0.0.1:{kafka}"
            # First start is obvious: the log says how to tail the topics.
            self.assertIn(f"kcat -b {bootstrap} -C -t netfeed.", agent.output())
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(b"<14>Dec  6 10:00:00 r1 app: hello-from-the-package",
                         ("127.0.0.1", syslog))
            records = kcat_consume(bootstrap, "netfeed.syslog", expected=1, timeout=30)
            self.assertTrue(any("hello-from-the-package" in r.value for r in records),
                            agent.output())
            status, metrics = http_get(f"http://127.0.0.1:{http}/metrics")
            self.assertEqual(status, 200)
            for name in ("process_cpu_seconds_total", "process_resident_memory_bytes",
                         "process_open_fds", "process_max_fds", "process_start_time_seconds"):
                self.assertRegex(metrics, rf"\n{name} [0-9.e+]+\n", name)
            self.assertTrue(os.path.isdir(state))
        finally:
            self.assertEqual(agent.stop(), 0, agent.output())

    def test_unit_verifies(self):
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze is not installed (package systemd)")
        with open(os.path.join(self.root, "lib/systemd/system/netfeed.service")) as f:
            unit = f.read()
        for line in ("Type=notify", "WatchdogSec=", "User=netfeed", "StateDirectory=netfeed",
                     "ExecStartPre=/usr/bin/netfeed validate -c /etc/netfeed/netfeed.yaml",
                     "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW"):
            self.assertIn(line, unit)
        # /usr/bin/netfeed is not installed on this machine: point the unit at the extracted one.
        unit_dir = tempfile.mkdtemp(prefix="netfeed_unit_")
        try:
            with open(os.path.join(unit_dir, "netfeed.service"), "w") as f:
                f.write(unit.replace("/usr/bin/netfeed", os.path.join(self.root, "usr/bin/netfeed")))
            verify = subprocess.run([analyze, "verify", "--man=no",
                                     os.path.join(unit_dir, "netfeed.service")],
                                    capture_output=True, text=True, timeout=60)
            if verify.returncode != 0 and "Failed to" in verify.stderr and "netfeed" not in verify.stderr:
                self.skipTest("systemd-analyze verify cannot run here: " + verify.stderr.strip())
            self.assertEqual(verify.returncode, 0, verify.stderr)
            self.assertEqual(verify.stderr.strip(), "", "warnings about the unit")
        finally:
            shutil.rmtree(unit_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
