#!/usr/bin/env python3
"""Several instances of `gremien serve` on one PostgreSQL database: nothing lost, nothing stale.

Run by scripts/check-postgres with a throw-away cluster (scripts/postgres):
  check_instances.py GREMIEN ADMIN_URL [--figures]

1. Five instances started at once on an empty database: exactly one of them migrates.
2. After a write (cancel, reinstate) through instance A, instance B serves the new ETag of
   /feeds/all.ics within 1 s at p99; twice the notification connections are killed, and every
   instance listens again within a second.
3. Three instances x 32 writers (attendance through the API, each writer its own session) for
   60 s: `gremien audit verify` is clean and the log grew by exactly the successful writes.
4. Three instances behind nginx under wrk for 30 s while one is killed (SIGKILL): no failed GET
   of a feed; a browser (Chromium) signed in through nginx keeps working on the others.
With --figures: writes/s and feed requests/s with one and with three instances.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GREMIEN, ADMIN = sys.argv[1], sys.argv[2]
FIGURES = "--figures" in sys.argv
WORK = tempfile.mkdtemp(prefix="gremien-instances-")
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, file=sys.stderr)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def database_url(name):
    return re.sub(r"/postgres(\?|$)", f"/{name}\\1", ADMIN)


def psql(url, sql):
    out = subprocess.run(["psql", url.split("?")[0], "-Atc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def gremien(*args, store):
    out = subprocess.run([GREMIEN, *args, "--store", store], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"gremien {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout.strip()


class Instance:
    def __init__(self, store, name, proxy=True):
        self.port = free_port()
        self.name = name
        self.log = open(os.path.join(WORK, f"{name}.log"), "w")
        self.process = subprocess.Popen(
            [GREMIEN, "serve", "--store", store, "--port", str(self.port), "--public-url",
             f"http://127.0.0.1:{self.port}", *(["--trusted-proxy", "127.0.0.1"] if proxy else [])],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} ended with {self.process.returncode}; see {self.log.name}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status in (200, 503):
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s")

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def request(port, method, path, body=None, headers=None, connection=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    h = dict(headers or {})
    if data is not None:
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=h)
    response = conn.getresponse()
    payload = response.read()
    if connection is None:
        conn.close()
    return response.status, dict(response.getheaders()), payload


def event_count(store):
    return int(psql(store, "SELECT COUNT(*) FROM event"))


def verify(store, what):
    out = subprocess.run([GREMIEN, "audit", "verify", "--store", store], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0 or "chain intact" not in out.stdout:
        fail(f"{what}: audit verify: {out.stdout}{out.stderr}")
    return out.stdout.splitlines()[0] if out.stdout else ""


# 1. Five instances at once on an empty database.
DATABASE = f"instances_{os.getpid()}"
psql(ADMIN, f"CREATE DATABASE {DATABASE}")
store = database_url(DATABASE)
five = [Instance(store, f"start-{i}") for i in range(5)]
for instance in five:
    instance.wait()
rows = psql(store, "SELECT name || ' | ' || by FROM gremien_migrations ORDER BY name").splitlines()
pids = {str(i.process.pid) for i in five}
by = {r.split(" | ")[1] for r in rows}
migrated_by = [p for p in pids if any(b.endswith(f"pid {p}") for b in by)]
if len(by) != 1 or len(migrated_by) != 1:
    fail(f"five instances at once: the migrations were applied by {sorted(by)}, expected one of {sorted(pids)}")
print(f"instances: 5 started at once on an empty database, all answer; {len(rows)} migration(s) applied once, "
      f"by one of them ({rows[0].split(' | ')[1] if rows else '?'})")
for instance in five:
    instance.stop()

# The district, a first admin with an API token and a sign-in link.
gremien("sync", "--calendars", "calendars", "--apply", store=store)
admin = gremien("person", "add", "Erste Administration", "--office", "soza", "--level", "AL", "--email",
                "administration@kreis.example", store=store)
bodies = sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "calendars", "bodies")) if f.endswith(".yaml"))
token = gremien("token", "issue", "--person", admin, "--kind", "api", "--role", "coordinator",
                *[arg for body in bodies for arg in ("--body", body)], store=store)
AUTH = {"Authorization": f"Bearer {token}"}

a, b, c = (Instance(store, name).wait() for name in ("a", "b", "c"))
instances = [a, b, c]

# 2. A write through A reaches B's feed within a second.
today = time.strftime("%Y-%m-%d")
status, _, body = request(a.port, "GET", f"/api/v1/sessions?body=ag-78&from={today}&to=2028-01-01", headers=AUTH)
coming = [s for s in json.loads(body) if s.get("status") == "scheduled"] if status == 200 else []
if status != 200 or not coming:
    raise RuntimeError(f"no coming session of ag-78: {status} {body[:200]!r}")
target = coming[0]
path = f"/api/v1/sessions/{target['body']}/{target['date']}"


def etag(port):
    return request(port, "GET", "/feeds/all.ics")[1].get("ETag")


def listeners():
    return int(psql(store, f"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{DATABASE}' "
                           "AND query ILIKE 'LISTEN%'"))


latencies = []
killed = []
relisten = []
for i in range(60):
    if i in (20, 40):
        killed.append(int(psql(store, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                      f"WHERE datname = '{DATABASE}' AND query ILIKE 'LISTEN%'")))
        gone = time.monotonic()
        while listeners() < 3 and time.monotonic() - gone < 5:
            time.sleep(0.01)
        relisten.append(time.monotonic() - gone)
    before = etag(b.port)
    action = "cancel" if i % 2 == 0 else "reinstate"
    status, _, body = request(a.port, "POST", f"{path}/{action}", {"reason": f"Prüfung {i}"}, AUTH)
    if status != 201:
        raise RuntimeError(f"{action} through A: {status} {body[:300]!r}")
    written = time.monotonic()
    while etag(b.port) == before:
        if time.monotonic() - written > 10:
            break
        time.sleep(0.005)
    latencies.append(time.monotonic() - written)
latencies.sort()
p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
if p99 > 1.0:
    fail(f"propagation: p99 {p99 * 1000:.0f} ms > 1 s ({[round(x * 1000) for x in latencies]})")
if killed != [3, 3]:
    fail(f"propagation: {killed} notification connections were killed (expected one per instance, twice)")
if max(relisten) > 1.0:
    fail(f"propagation: the instances listened again only after {[round(x * 1000) for x in relisten]} ms")
print(f"propagation: 60 writes through A (cancel, reinstate); B served the new ETag after median "
      f"{latencies[len(latencies) // 2] * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; "
      f"before writes 20 and 40 the notification connections of all 3 instances were killed, "
      f"all listened again within {max(relisten) * 1000:.0f} ms")


# 3. Three instances x 32 writers for 60 s.
status, _, body = request(a.port, "GET", "/api/v1/sessions?from=2026-01-01&to=" + today, headers=AUTH)
past = [s for s in json.loads(body) if s.get("status") == "scheduled"]


def writers(targets, seconds, per_instance):
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    errors = []
    sessions = past[: len(targets) * per_instance]
    if len(sessions) < len(targets) * per_instance:
        raise RuntimeError(f"only {len(sessions)} past sessions for {len(targets) * per_instance} writers")
    stop = time.monotonic() + seconds

    def run(instance, session, n):
        conn = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
        url = f"/api/v1/sessions/{session['body']}/{session['date']}/attendance"
        office = session.get("offices", [{}])[0].get("id") if session.get("offices") else None
        ok = failed = 0
        while time.monotonic() < stop:
            try:
                status, headers, body = request(instance.port, "GET", url, headers=AUTH, connection=conn)
                expected = json.loads(body)
                office = office or expected["expected"][0]["office"]
                state = "present" if n % 2 == 0 else "excused"
                status, _, body = request(
                    instance.port, "PUT", url, {"entries": [{"office": office, "status": state}]},
                    {**AUTH, "If-Match": headers.get("ETag", "")}, connection=conn)
                if status == 200:
                    ok += 1
                else:
                    failed += 1
                    errors.append(f"{status} {body[:200]!r}")
                n += 1
            except Exception as e:  # a broken connection: counted, then a new one
                failed += 1
                errors.append(repr(e))
                conn = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed

    threads = []
    for i, instance in enumerate(targets):
        for j in range(per_instance):
            threads.append(threading.Thread(target=run, args=(instance, sessions[i * per_instance + j], j)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts, errors


before = event_count(store)
started = time.monotonic()
counts, errors = writers(instances, 60, 32)
elapsed = time.monotonic() - started
after = event_count(store)
verified = verify(store, "after 3 x 32 writers")
if counts["failed"]:
    fail(f"writers: {counts['failed']} writes failed, e.g. {errors[:3]}")
if after - before != counts["ok"]:
    fail(f"writers: {counts['ok']} successful writes but the log grew by {after - before}")
heads = psql(store, "SELECT COUNT(*) = COUNT(DISTINCT seq) AND MIN(seq) = 1 AND MAX(seq) = COUNT(*) FROM event")
if heads != "t":
    fail("writers: the event log's positions are not 1..n without gaps")
three_writes = counts["ok"] / elapsed
print(f"writers: 3 instances x 32 writers for {elapsed:.0f} s: {counts['ok']} attendance writes "
      f"({three_writes:.0f}/s), {counts['failed']} failed; the log grew by {after - before}; {verified}")

# Behind a load balancer every request comes from its address: wrong passwords are counted by
# the client address it forwards, so that one person's typing slows nobody else down.
def sign_in(instance, client, email):
    body = f"email={email}&passwort=falsch".encode()
    conn = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
    conn.request("POST", "/anmelden", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{instance.port}",
        "X-Forwarded-For": f"198.51.100.9, {client}"})
    status = conn.getresponse().status
    conn.close()
    return status


statuses = [sign_in(a, "192.0.2.1", f"niemand{i}@kreis.example") for i in range(8)]
same = sign_in(b, "192.0.2.1", "noch-einer@kreis.example")
other = sign_in(b, "192.0.2.2", "jemand@kreis.example")
if statuses[-1] != 429 or same != 429 or other == 429:
    fail(f"throttling behind a proxy: 8 wrong passwords from 192.0.2.1 through A gave {statuses}, one more "
         f"through B {same}, one from 192.0.2.2 through B {other}")
print(f"throttling: behind a trusted proxy, 8 wrong passwords from one client address through A end in "
      f"{statuses[-1]}, the next through B too ({same}: counted in the database); a wrong password from another "
      f"client address: {other}")

# 4. nginx in front of the three, wrk for 30 s, one killed after 10 s; a browser signed in.
nginx_port = free_port()
nginx_dir = os.path.join(WORK, "nginx")
os.makedirs(nginx_dir)
upstream = "\n".join(f"server 127.0.0.1:{i.port} max_fails=1 fail_timeout=30s;" for i in instances)
with open(os.path.join(nginx_dir, "nginx.conf"), "w") as f:
    f.write(f"""
worker_processes 1;
error_log {nginx_dir}/error.log;
pid {nginx_dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {nginx_dir}/body; proxy_temp_path {nginx_dir}/proxy;
    fastcgi_temp_path {nginx_dir}/fastcgi; uwsgi_temp_path {nginx_dir}/uwsgi; scgi_temp_path {nginx_dir}/scgi;
    upstream gremien {{ {upstream} keepalive 64; }}
    server {{
        listen 127.0.0.1:{nginx_port};
        location / {{
            proxy_pass http://gremien;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 1s;
        }}
    }}
}}
""")
subprocess.run(["nginx", "-p", nginx_dir, "-c", os.path.join(nginx_dir, "nginx.conf")], check=True)
front = f"http://127.0.0.1:{nginx_port}"


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                            options=options)


def signed_in(driver, what):
    driver.get(front + "/")
    text = driver.find_element("tag name", "body").text
    if "Erste Administration" not in text or "/anmelden" in driver.current_url:
        fail(f"browser: {what}: not signed in any more ({driver.current_url})")
        return False
    return True


link = gremien("account", "invite", "--person", admin, "--role", "admin", "--email", "administration@kreis.example",
               "--url", front, store=store)
sys.path.insert(0, os.path.join(ROOT, "Tests", "browser"))
from browser_common import click_for_next_page, page_wait  # noqa: E402 (needs selenium, as browser() does)

driver = browser()
try:
    driver.get(link)
    for button in driver.find_elements("css selector", "form button[type=submit], form input[type=submit]"):
        # Until the sign-in's answer has replaced the page: a page asked for sooner cancels the
        # form's POST, and the browser is then not signed in at all.
        click_for_next_page(driver, page_wait(driver, 15), button)
        break
    pages_ok = 0
    for _ in range(6):
        pages_ok += signed_in(driver, "before the kill")

    wrk = subprocess.Popen(["wrk", "-t2", "-c32", "-d30s", "--latency", front + "/feeds/all.ics"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(10)
    c.kill()
    for _ in range(6):
        pages_ok += signed_in(driver, "after instance c was killed")
    out, _ = wrk.communicate()
finally:
    driver.quit()
requests_done = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
socket_errors = re.search(r"Socket errors: (.*)", out)
if non2xx or socket_errors:
    fail(f"nginx + wrk: {non2xx} failed responses, socket errors: {socket_errors.group(1) if socket_errors else 0}")
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
print(f"nginx: wrk 30 s on /feeds/all.ics through nginx to 3 instances, instance c killed (SIGKILL) after 10 s: "
      f"{requests_done} requests ({rate:.0f}/s), {non2xx} failed, no socket errors; "
      f"a browser signed in through nginx loaded {pages_ok} of 12 pages signed in, 6 of them after the kill")

if FIGURES:
    def wrk_rate(url, seconds=15):
        out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", url], capture_output=True, text=True).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    one_feed = wrk_rate(f"http://127.0.0.1:{a.port}/feeds/all.ics")
    c = Instance(store, "c2").wait()
    instances = [a, b, c]
    with open(os.path.join(nginx_dir, "nginx.conf")) as f:
        conf = f.read()
    conf = re.sub(r"upstream gremien \{[^}]*\}", "upstream gremien { " + "\n".join(
        f"server 127.0.0.1:{i.port};" for i in instances) + " keepalive 64; }", conf)
    with open(os.path.join(nginx_dir, "nginx.conf"), "w") as f:
        f.write(conf)
    subprocess.run(["nginx", "-p", nginx_dir, "-c", os.path.join(nginx_dir, "nginx.conf"), "-s", "reload"],
                   check=True, capture_output=True)
    time.sleep(1)
    three_feed = wrk_rate(front + "/feeds/all.ics")
    counts, _ = writers([a], 20, 32)
    one_writes = counts["ok"] / 20
    print(f"figures: feed requests/s: 1 instance {one_feed:.0f}, 3 instances behind nginx {three_feed:.0f}; "
          f"attendance writes/s (32 writers per instance): 1 instance {one_writes:.0f}, 3 instances {three_writes:.0f}")

subprocess.run(["nginx", "-p", nginx_dir, "-c", os.path.join(nginx_dir, "nginx.conf"), "-s", "stop"],
               capture_output=True)
for instance in instances:
    instance.stop()
if failures:
    print(f"instances: {len(failures)} problem(s); logs in {WORK}", file=sys.stderr)
    sys.exit(1)
shutil.rmtree(WORK, ignore_errors=True)
psql(ADMIN, f"DROP DATABASE {DATABASE} WITH (FORCE)")
