"""The web application: check, preview and submit as translators use it; untrusted input
at the door (hostile files, size, CSRF, rate, other people's uploads); the load test."""
from __future__ import annotations

import hashlib
import html
import io
import re
import subprocess
import sys
import threading
import time

import polib
import pypdfium2 as pdfium
import pytest

from leaflet.app import server
from leaflet.build import submissions
from leaflet.inputs import catalog, pocheck, source
from conftest import NAME, ROOT, library
from test_hostile import PO_CASES, canary, materialise, sent_as  # noqa: F401 (canary: a fixture)

sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402
import loadtest  # noqa: E402

POLISH = catalog.po_path(ROOT / "translations", "pl", NAME)
POLISH_SHARED = catalog.po_path(ROOT / "translations", "pl", catalog.SHARED)


@pytest.fixture
def settings(built, tmp_path):
    """Every test's client has the address 127.0.0.1: the rate limit is raised here and
    tested on its own."""
    return server.Settings(output=built[0], submissions=tmp_path / "submissions",
                           checks_per_minute=1000)


@pytest.fixture
def app(settings):
    return server.create(settings)


def session(app):
    """A client with its session, and the CSRF token of its check form."""
    client = app.test_client()
    page = client.get("/check").get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def upload(client, token, data: bytes, chosen: str = ""):
    answer = client.post("/check", data={"csrf_token": token, "leaflet": chosen, "catalog": (
        io.BytesIO(data), "../../etc/passwd.po")},
        content_type="multipart/form-data", follow_redirects=True)
    return answer, text_of(answer)


def text_of(answer) -> str:
    """The page's text as a person reads it."""
    page = answer.get_data(as_text=True)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def key_of(answer) -> str:
    return re.search(r'name="upload" value="([^"]+)"', answer.get_data(as_text=True))[1]


def test_home_leads_to_the_web_edition_and_gives_every_languages_status(app, built):
    client = app.test_client()
    answer = client.get("/")
    page = text_of(answer)
    assert answer.status_code == 200
    links = re.findall(r'href="(/output/[^"]+)"', answer.get_data(as_text=True))
    assert links == ["/output/index.html", "/output/en-GB/nerve-related-back-and-leg-pain.html"]
    assert "Every language and format" in page and "English (United Kingdom)" in page
    for language in ("Polish (pl)", "Arabic (ar)", "Chinese (Simplified) (zh-Hans)"):
        assert language in page
    assert "released" in page and "119 of 119" in page
    index = client.get(links[0])
    assert index.status_code == 200 and "style-src 'unsafe-inline'" in \
        index.headers["Content-Security-Policy"]
    pdf = client.get("/output/en-GB/nerve-related-back-and-leg-pain-screen.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    fonts = re.findall(r'url\(([^)]+\.woff2)\)', client.get(links[1]).get_data(as_text=True))
    assert fonts and all(client.get(f"/output/en-GB/{f}").data.startswith(b"wOF2")
                         for f in fonts)


def test_only_files_the_manifest_lists_are_served(app):
    client = app.test_client()
    for path in ("/output/manifest.json", "/output/../README.md", "/output/%2e%2e/README.md",
                 "/output/en-GB/../../pyproject.toml", f"/catalogs/{NAME}/..%2fleaflet.po",
                 "/catalogs/no-such-leaflet/pl.po", "/templates/..%2fpyproject.pot"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/catalogs/{NAME}/pl.po").data == POLISH.read_bytes()
    assert b'msgid "Nerve-related back and leg pain"' in \
        client.get(f"/templates/{NAME}.pot").data


def test_a_broken_catalog_is_reported_line_by_line_errors_first(app, tmp_path):
    client, token = session(app)
    text = POLISH.read_text(encoding="utf-8")
    broken = text.replace("pierwszych 6–12 tygodni", "pierwszych 6–10 tygodni")
    assert broken != text
    answer, page = upload(client, token, broken.encode())
    assert answer.status_code == 200
    (tmp_path / "leaflet.po").write_text(broken, encoding="utf-8")
    check = subprocess.run([sys.executable, str(ROOT / "render.py"), "check-po", "leaflet.po",
                            "--leaflet", NAME], cwd=tmp_path, capture_output=True, text=True)
    [error] = [row for row in check.stdout.splitlines() if ": error: " in row]
    assert error in page  # the report as check-po prints it
    line = int(error.split(":")[1])
    assert f"Line {line}: error" in page
    assert "English Most cases of nerve-related back and leg pain improve in the first 6-12 " \
        "weeks." in page
    assert "6–10 tygodni" in page
    assert "numbers differ: the English has 6, 12, the translation has 6, 10" in page
    assert "How to fix it Write the same numbers as the English" in page
    assert "Open the draft web page" in page  # a preview even with errors
    assert "Submit the translation" not in page  # a file with errors cannot be submitted


def test_a_good_catalog_is_previewed_as_a_draft_and_submitted(app, settings):
    client, token = session(app)
    answer, page = upload(client, token, POLISH.read_bytes())
    own = len(catalog.own_texts(source.load(ROOT / "source" / f"{NAME}.yaml")))
    assert "No errors" in page and f"{own} of {own} strings translated" in page
    key = key_of(answer)
    [draft] = re.findall(r'href="(/draft/[^"]+\.html)"', answer.get_data(as_text=True))
    web_page = client.get(draft)
    assert web_page.status_code == 200 and '<html lang="pl"' in web_page.get_data(as_text=True)
    assert "DRAFT" in text_of(web_page)
    fonts = re.findall(r'url\(([^)]+\.woff2)\)', web_page.get_data(as_text=True))
    base = draft.rsplit("/", 1)[0]
    assert fonts and all(client.get(f"{base}/{f}").status_code == 200 for f in fonts)
    assert client.get(f"{base}/../../../../README.md").status_code == 404
    started = client.post("/preview", data={"csrf_token": token, "upload": key})
    assert started.status_code == 303
    where = started.headers["Location"]
    deadline = time.monotonic() + 90
    while (job := client.get(where + "/progress").get_json())["state"] in ("waiting", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job["state"] == "done", job
    assert any("laying out the leaflet" in step for step in job["steps"])
    links = re.findall(r'href="(/preview/[^"]+\.pdf)"', client.get(where).get_data(as_text=True))
    assert len(links) == 2
    for link in links:
        data = client.get(link).data
        document = pdfium.PdfDocument(data)
        for page_ in document:
            assert "DRAFT" in page_.get_textpage().get_text_range()
    before = POLISH.read_bytes()
    done = client.post("/submit", data={"csrf_token": token, "upload": key,
                                        "name": "Anna Nowak", "email": "anna@example.org"})
    assert done.status_code == 200 and "Thank you, Anna Nowak" in text_of(done)
    [stored] = submissions.listing(settings.submissions)
    assert stored.language == "pl" and (stored.path / "leaflet.po").read_bytes() == before
    assert stored.about["name"] == "Anna Nowak" and "0 errors" in stored.about["report"]
    assert stored.path.name in text_of(done)  # the server's name, not the upload's
    assert POLISH.read_bytes() == before  # nothing in translations/ changed


def test_the_shared_catalog_is_checked_previewed_in_a_leaflet_and_submitted(app, settings):
    client, token = session(app)
    form = client.get("/check").get_data(as_text=True)
    assert '<option value="shared">The shared passages (shared.po)</option>' in form
    assert 'href="/templates/shared.pot"' in form and 'href="/catalogs/shared/pl.po"' in form
    answer, page = upload(client, token, POLISH_SHARED.read_bytes(), "shared")
    total = len(source.shared_texts(source.load_shared(ROOT / "source" / "shared")))
    assert "No errors" in page and f"{total} of {total} strings translated" in page
    # Its draft is the library's leaflet: the upload's red flags, the leaflet's own
    # strings from the library's Polish catalog.
    [draft] = re.findall(r'href="(/draft/[^"]+\.html)"', answer.get_data(as_text=True))
    shown = text_of(client.get(draft))
    flags = {e.msgctxt: e.msgstr for e in polib.pofile(str(POLISH_SHARED))}
    assert flags["red_flags.cauda-equina.saddle"] in shown
    assert "Ból pleców i nóg związany z nerwami" in shown
    assert 'class="untranslated"' not in client.get(draft).get_data(as_text=True)
    done = client.post("/submit", data={"csrf_token": token, "upload": key_of(answer),
                                        "name": "Anna Nowak", "email": "anna@example.org"})
    assert done.status_code == 200
    [stored] = submissions.listing(settings.submissions)
    assert stored.about["leaflet"] == "shared"
    # The leaflet's own catalog sent as the shared one is refused, entry by entry.
    _, wrong = upload(client, token, POLISH.read_bytes(), "shared")
    assert "is not in the template" in wrong and "No errors" not in wrong


def test_every_hostile_file_gets_the_checks_message_never_a_500(app, canary, tmp_path):  # noqa: F811
    client, token = session(app)
    for case in PO_CASES:
        path, message = materialise(case, canary, tmp_path)
        answer, page = upload(client, token, path.read_bytes(), sent_as(case))
        assert answer.status_code == 200, case.name
        assert message in page, case.name
        assert "Traceback" not in page and canary[1] not in page
        assert "</html>" in answer.get_data(as_text=True)  # a whole page


def test_markup_sent_is_shown_as_text(app):
    client, token = session(app)
    script = '<script>alert(1)</script>'
    evil = POLISH.read_text(encoding="utf-8").replace(
        'msgstr "Ból pleców i nóg związany z nerwami"', f'msgstr "{script}"')
    assert script in evil
    answer, _ = upload(client, token, evil.encode())
    assert script not in answer.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.get_data(as_text=True)
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]


def test_uploads_over_2_mb_are_refused_with_a_clear_message(app):
    client, token = session(app)
    answer, page = upload(client, token, b"#" * (server.MAX_REQUEST + 1))
    assert answer.status_code == 413 and "A catalog is at most 2 MB" in page
    over = POLISH.read_bytes() + b"\n#" * (pocheck.MAX_BYTES // 2)  # 2 MB and a bit
    assert pocheck.MAX_BYTES < len(over) < server.MAX_REQUEST
    answer, page = upload(client, token, over)
    assert answer.status_code == 200 and "a catalog is at most 2000000" in page


def test_a_form_without_its_csrf_token_is_refused(app):
    client, _ = session(app)
    answer, page = upload(client, "forged", POLISH.read_bytes())
    assert answer.status_code == 400 and "did not come from this site" in page
    other, _ = session(app)
    _, token = session(app)  # a token of another session
    assert upload(other, token, POLISH.read_bytes())[0].status_code == 400


def test_nobody_else_can_use_an_upload_or_its_preview(app):
    client, token = session(app)
    key = key_of(upload(client, token, POLISH.read_bytes())[0])
    other, other_token = session(app)
    for path in ("/preview", "/submit"):
        answer = other.post(path, data={"csrf_token": other_token, "upload": key,
                                        "name": "X", "email": "x@example.org"})
        assert answer.status_code == 410, path
    assert other.get(f"/draft/{key}/pl/nerve-related-back-and-leg-pain.html").status_code == 404
    started = client.post("/preview", data={"csrf_token": token, "upload": key})
    assert other.get(started.headers["Location"]).status_code == 404


def test_a_submission_needs_a_name_and_an_address(app, settings):
    client, token = session(app)
    key = key_of(upload(client, token, POLISH.read_bytes())[0])
    answer = client.post("/submit", data={"csrf_token": token, "upload": key, "name": "",
                                          "email": "not an address"})
    assert answer.status_code == 400
    assert "Write your name" in text_of(answer) and "Write your e-mail address" in text_of(answer)
    assert 'aria-invalid="true"' in answer.get_data(as_text=True)
    assert submissions.listing(settings.submissions) == []


def test_too_many_checks_from_one_client_get_a_429_with_a_message(built, tmp_path):
    app = server.create(server.Settings(output=built[0], submissions=tmp_path,
                                        checks_per_minute=2))
    client, token = session(app)
    codes = [upload(client, token, b'msgid ""\nmsgstr ""\n')[0].status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    answer, page = upload(client, token, b"")
    assert answer.status_code == 429 and "Wait a minute, then try again" in page


def test_the_load_test_passes(tmp_path):
    """tools/loadtest.py: 20 clients upload 100 catalogs at once to a server on 127.0.0.1;
    every answer is right, none is a 5xx, the server is still up (its latencies are
    printed, not judged: speed is the script's to measure)."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "loadtest.py"),
                             "--seconds", "240"], capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "100 of 100 catalogs checked by 20 clients" in result.stdout
    assert "wrong answers: 0; 5xx: 0; server still up: yes" in result.stdout


def test_a_hostile_client_at_its_full_rate_does_not_slow_the_others():
    """tools/loadtest.py --hostile: one client sends the slowest files it can make (each
    check runs to the 10 s limit unless the check is fast) at its full rate while 20
    ordinary clients, within their limits, load pages and check; their page p95 stays
    under 1 s and their check p95 under 2 s, and none is refused."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "loadtest.py"), "--hostile",
                             "--seconds", "30"], capture_output=True, text=True, timeout=200)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrong answers: 0; server still up: yes" in result.stdout
    assert re.search(r"sent \d+ slow files", result.stdout)


def test_a_killed_server_loses_no_acknowledged_submission_and_leaves_no_half_one(tmp_path):
    port = loadtest.free_port()
    process = loadtest.start(port, tmp_path, "--checks-per-minute", "10000")
    acknowledged: list[str] = []

    def submit_until_killed():
        import httpx

        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                          follow_redirects=True) as http:
            token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/check").text)[1]
            try:
                key = re.search(r'name="upload" value="([^"]+)"', http.post(
                    "/check", data={"csrf_token": token},
                    files={"catalog": ("x.po", POLISH.read_bytes())}).text)[1]
                for n in range(500):
                    # A new upload each time: one upload is submitted once.
                    answer = http.post("/submit", data={"csrf_token": token, "upload": key,
                                                        "name": f"T {n}",
                                                        "email": "t@example.org"})
                    acknowledged.append(re.search(r"reference is <strong>([^<]+)<",
                                                  answer.text)[1])
                    key = re.search(r'name="upload" value="([^"]+)"', http.post(
                        "/check", data={"csrf_token": token},
                        files={"catalog": ("x.po", POLISH.read_bytes())}).text)[1]
            except Exception:  # noqa: BLE001 - the server was killed under it
                return

    sender = threading.Thread(target=submit_until_killed)
    sender.start()
    time.sleep(4)
    process.kill()
    process.wait()
    sender.join(60)
    root = tmp_path / "submissions"
    whole = {f"{s.language}/{s.path.name}": s for s in submissions.listing(root)}
    assert acknowledged and set(acknowledged) <= set(whole)
    for s in whole.values():
        data = (s.path / "leaflet.po").read_bytes()
        assert s.about["sha256"] == hashlib.sha256(data).hexdigest()
    # A killed server may leave a hidden half-written folder; the next start removes it.
    submissions.clear_incoming(root)
    assert not list(root.glob("*/.*"))


# ------------------------------------------------------------- in a real browser

@pytest.fixture(scope="module")
def live(built, tmp_path_factory):
    """The application served on 127.0.0.1 over the English build, as `render.py serve`."""
    folder = tmp_path_factory.mktemp("live")
    port = loadtest.free_port()
    process = loadtest.start(port, folder, "--output", str(built[0]))
    yield f"http://127.0.0.1:{port}", folder
    loadtest.stop(process)


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as driver:
        yield driver


def violations(driver) -> list[str]:
    return [f"{driver.current_url}: {v['id']} ({v['help']}): {', '.join(v['nodes'])}"
            for v in browser.axe(driver)]


def test_a_translator_checks_a_broken_and_a_good_file_previews_and_submits_in_chromium(
        live, chromium, tmp_path):
    """As a translator uses it, at phone width; axe-core (WCAG 2.2 A and AA) on every page
    of the application; then the maintainer accepts the submission."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, folder = live
    found = []

    def audit(width=browser.PHONE):
        browser.resize(chromium, width)
        browser.loaded(chromium)
        found.extend(violations(chromium))

    def upload_file(path):
        chromium.find_element(By.ID, "catalog").send_keys(str(path))
        chromium.find_element(By.CSS_SELECTOR, "form.upload button").click()
        WebDriverWait(chromium, 30).until(lambda d: "/report/" in d.current_url)

    browser.open_url(chromium, base + "/", browser.PHONE)
    audit(), audit(browser.DESKTOP)
    chromium.find_element(By.LINK_TEXT, "Check a translation").click()
    audit()

    broken = tmp_path / "ar.po"
    broken.write_text(catalog.po_path(ROOT / "translations", "ar", NAME).read_text(
        encoding="utf-8").replace("يستغرق ذلك 3-6 أشهر.", "يستغرق ذلك 10-6 أشهر."),
        encoding="utf-8")
    upload_file(broken)
    text = chromium.find_element(By.TAG_NAME, "main").text
    assert "1 error" in text and "Line 76: error" in text
    assert "numbers differ: the English has 3, 6, the translation has 6, 10" in text
    assert not chromium.find_elements(By.ID, "name")  # no submitting with an error
    audit(), audit(browser.DESKTOP)

    chromium.find_element(By.LINK_TEXT, "Check another file").click()
    upload_file(POLISH)
    report = chromium.current_url
    assert "No errors" in chromium.find_element(By.TAG_NAME, "main").text
    audit()

    chromium.find_element(By.LINK_TEXT, "Open the draft web page").click()
    browser.loaded(chromium)
    assert chromium.execute_script("return document.documentElement.lang") == "pl"
    assert "DRAFT" in chromium.find_element(By.TAG_NAME, "body").text
    fonts = chromium.execute_script(
        "return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert fonts  # the pinned fonts load from the server
    audit()

    chromium.get(report)
    chromium.find_element(By.XPATH, "//button[contains(., 'Make the draft PDFs')]").click()
    WebDriverWait(chromium, 60).until(
        lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Open the draft leaflet"))
    steps = chromium.find_element(By.ID, "steps").text
    assert "laying out the leaflet" in steps and "Done" in steps
    audit()
    leaflet_pdf = chromium.find_element(By.PARTIAL_LINK_TEXT, "Open the draft leaflet")
    assert leaflet_pdf.get_attribute("href").endswith("/leaflet.pdf")

    chromium.find_element(By.LINK_TEXT, "the check of your file").click()
    chromium.find_element(By.ID, "name").send_keys("Anna Nowak")
    chromium.find_element(By.ID, "email").send_keys("anna@example.org")
    chromium.find_element(By.XPATH, "//button[contains(., 'Submit the translation')]").click()
    WebDriverWait(chromium, 30).until(lambda d: "Thank you" in d.title + d.page_source)
    reference = chromium.find_element(By.CSS_SELECTOR, ".summary strong").text
    audit()

    chromium.get(base + "/nowhere")
    audit()
    assert found == []

    translations = tmp_path / "translations"
    accepted = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), "accept",
         str(folder / "submissions" / reference), "--submissions",
         str(folder / "submissions"), "--translations", str(translations)],
        capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stderr
    # As sent, without the review headers accept drops (a review is the team's record).
    assert catalog.po_path(translations, "pl", NAME).read_bytes() == \
        submissions.without_review_headers(POLISH.read_bytes())


def test_in_a_library_a_catalog_is_checked_against_the_leaflet_the_form_names(built,
                                                                             tmp_path):
    folder = library(tmp_path)
    app = server.create(server.Settings(source=folder, output=built[0],
                                        submissions=tmp_path / "submissions"))
    client, token = session(app)
    form = client.get("/check").get_data(as_text=True)
    for name in (NAME, "test-fixture-sore-neck", "test-fixture-stiff-back"):
        assert f'<option value="{name}"' in form
    assert f'href="/catalogs/{NAME}/pl.po"' in form and f'href="/templates/{NAME}.pot"' in form
    unnamed = client.post("/check", data={"csrf_token": token, "catalog": (
        io.BytesIO(POLISH.read_bytes()), "pl.po")}, content_type="multipart/form-data")
    assert unnamed.status_code == 400
    assert "Choose the leaflet your file translates" in text_of(unnamed)
    for name, says in ((NAME, "No errors"), ("test-fixture-sore-neck", "not in the template")):
        answer = client.post("/check", data={"csrf_token": token, "leaflet": name, "catalog": (
            io.BytesIO(POLISH.read_bytes()), "pl.po")}, content_type="multipart/form-data",
            follow_redirects=True)
        assert says in text_of(answer), name
    other = client.post("/check", data={"csrf_token": token, "leaflet": "../source",
                                        "catalog": (io.BytesIO(POLISH.read_bytes()), "pl.po")},
                        content_type="multipart/form-data")
    assert other.status_code == 400  # only a leaflet of the library, never a path
    assert client.get("/catalogs/test-fixture-sore-neck/pl.po").status_code == 404
    # The home page's table says which leaflet each row is.
    home = text_of(client.get("/"))
    assert "Leaflet" in home and "test-fixture-sore-neck" in home


def test_five_submits_of_one_upload_at_once_make_one_submission(app, settings):
    client, token = session(app)
    key = key_of(upload(client, token, POLISH.read_bytes())[0])
    cookie = client.get_cookie("session").value
    start = threading.Barrier(5)
    codes = []

    def submit():
        mine = app.test_client()
        mine.set_cookie("session", cookie)
        start.wait()
        codes.append(mine.post("/submit", data={"csrf_token": token, "upload": key,
                                                "name": "Anna Nowak",
                                                "email": "anna@example.org"}).status_code)

    threads = [threading.Thread(target=submit) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 5
    assert len(submissions.listing(settings.submissions)) == 1


def every_route(app, key: str, job: str) -> list[str]:
    """A GET address for every route the application has."""
    samples = {"name": "en-GB/nerve-related-back-and-leg-pain.html", "language": "pl",
               "leaflet": NAME,
               "key": key, "document": "leaflet", "filename": "server.css"}
    paths = []
    for rule in app.url_map.iter_rules():
        values = {a: samples[a] for a in rule.arguments}
        if rule.endpoint.startswith("previews.preview") or rule.endpoint == "previews.progress":
            values["key"] = job
        if rule.endpoint == "checking.draft_page":
            values["name"] = "pl/nerve-related-back-and-leg-pain.html"
        with app.test_request_context():
            paths.append(flask_url(app, rule.endpoint, values))
    return paths


def flask_url(app, endpoint, values):
    import flask

    return flask.url_for(endpoint, **values)


def test_every_response_refuses_framing_and_sniffing_and_upload_pages_are_not_stored(app):
    client, token = session(app)
    key = key_of(upload(client, token, POLISH.read_bytes())[0])
    job = client.post("/preview", data={"csrf_token": token, "upload": key}
                      ).headers["Location"].rsplit("/", 1)[1]
    answers = {path: client.get(path) for path in every_route(app, key, job)}
    answers["POST /check"] = client.post("/check", data={"csrf_token": token})
    answers["404"] = client.get("/nowhere")
    answers["PDF"] = client.get("/output/en-GB/nerve-related-back-and-leg-pain-screen.pdf")
    answers["font"] = client.get("/static/server.css")
    for path, answer in answers.items():
        assert answer.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"], path
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
    private = [p for p in answers if p.startswith(("/report/", "/draft/", "/preview/"))]
    assert len(private) == 5
    for path in private:
        assert answers[path].headers["Cache-Control"] == "no-store", path


def test_a_redirect_never_names_the_host_the_request_sent(app):
    client, token = session(app)
    for path in ("/output//index.html", "//check"):
        answer = client.get(path, headers={"Host": "evil.example"})
        assert answer.status_code in (301, 308), path
        assert answer.headers["Location"].startswith("/") and \
            "evil" not in answer.headers["Location"], path
    sent = client.post("/check", data={
        "csrf_token": token, "catalog": (io.BytesIO(POLISH.read_bytes()), "x.po")},
        content_type="multipart/form-data")
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/report/")


def test_a_draft_page_the_build_refuses_says_why_never_500(app):
    client, token = session(app)
    text = POLISH.read_text(encoding="utf-8")
    brace = text.replace('msgstr "Ból pleców', 'msgstr "\uff5bBól pleców')
    assert brace != text
    answer, _ = upload(client, token, brace.encode())
    draft = f"/draft/{key_of(answer)}/pl/nerve-related-back-and-leg-pain.html"
    for _ in range(2):  # every visit, not only the first
        page = client.get(draft)
        assert page.status_code in (200, 422)
        if page.status_code == 422:
            assert "could not be made" in text_of(page) and "Traceback" not in text_of(page)


def test_a_file_of_400000_syntax_errors_keeps_and_shows_the_first_200(app):
    client, token = session(app)
    # The file (400,000 syntax errors, a 46 MB report) is one error now, before
    # it is parsed; the most problems a file can still have come from one at the limit.
    answer, page = upload(client, token, b"x\n" * 400_000)
    assert answer.status_code == 200 and "the file has 400001 lines" in page
    answer, page = upload(client, token, b"x\n" * (pocheck.MAX_LINES - 1))
    assert answer.status_code == 200
    assert len(answer.data) < 1_000_000
    assert re.search(r"\d{5} more problems are not shown", page)
    assert page.count("Line ") <= 200 + 5


def test_a_full_server_answers_503_with_retry_after_at_once(app, monkeypatch):
    """A check that takes its whole time limit (a slow stand-in: the real child is
    limited by the sandbox): the slots and queue fill, the next request is refused
    at once."""
    from leaflet.app import checking, state

    release = threading.Event()
    monkeypatch.setattr(checking.sandbox, "run", lambda *a, **k: release.wait(20) and None)
    full = state.CHECK_SLOTS + state.CHECK_QUEUE
    clients = []
    for n in range(full + 1):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n}"
        page = client.get("/check").get_data(as_text=True)
        clients.append((client, re.search(r'name="csrf_token" value="([^"]+)"', page)[1]))
    codes = []

    def send(client, token):
        codes.append(client.post("/check", data={"csrf_token": token, "catalog": (
            io.BytesIO(b'msgid ""\nmsgstr ""\n'), "x.po")},
            content_type="multipart/form-data").status_code)

    waiting = [threading.Thread(target=send, args=c) for c in clients[:full]]
    for t in waiting:
        t.start()
    time.sleep(0.5)
    began = time.monotonic()
    client, token = clients[full]
    refused = client.post("/check", data={"csrf_token": token, "catalog": (
        io.BytesIO(b'msgid ""\nmsgstr ""\n'), "x.po")}, content_type="multipart/form-data")
    assert time.monotonic() - began < 1
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "10"
    assert "The server is busy" in text_of(refused)
    assert client.get("/").status_code == 200  # pages are still answered
    release.set()
    for t in waiting:
        t.join()


def test_a_forged_forwarded_address_does_not_escape_the_rate_limit(built, tmp_path):
    """Only waitress reads X-Forwarded-For, and only from --trusted-proxy: the
    application counts the connection's address."""
    app = server.create(server.Settings(output=built[0], submissions=tmp_path,
                                        checks_per_minute=2))
    client, token = session(app)
    codes = [client.post("/check", headers={"X-Forwarded-For": f"198.51.100.{n}"}, data={
        "csrf_token": token, "catalog": (io.BytesIO(b'msgid ""\nmsgstr ""\n'), "x.po")},
        content_type="multipart/form-data").status_code for n in range(3)]
    assert codes == [303, 303, 429]


def test_a_compressed_body_is_never_expanded(app):
    import gzip

    client, token = session(app)
    bomb = gzip.compress(b"\0" * 50_000_000)  # 50 MB in 50 KB
    answer = client.post("/check", data=bomb, headers={
        "Content-Encoding": "gzip", "Content-Type": "multipart/form-data; boundary=B"})
    assert answer.status_code == 400  # no catalog in it: nothing was decompressed
    answer, page = upload(client, token, bomb)
    assert answer.status_code == 200 and "error" in page  # checked as the bytes it is


def test_a_second_preview_at_once_is_answered_503_and_the_first_still_finishes(app,
                                                                              monkeypatch):
    from leaflet.app import previews

    client, token = session(app)
    key = key_of(upload(client, token, POLISH.read_bytes())[0])
    release = threading.Event()  # a preview that takes as long as the test says
    monkeypatch.setattr(previews.sandbox, "run",
                        lambda *a, **k: release.wait(20) and {"leaflet": b"%PDF-"})
    first = client.post("/preview", data={"csrf_token": token, "upload": key})
    second = client.post("/preview", data={"csrf_token": token, "upload": key})
    assert first.status_code == 303
    assert second.status_code == 503 and second.headers["Retry-After"] == "60"
    release.set()
    deadline = time.monotonic() + 10
    while client.get(first.headers["Location"] + "/progress").get_json()["state"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    third = client.post("/preview", data={"csrf_token": token, "upload": key})
    assert third.status_code == 303  # its slot was given back


def test_a_character_braille_cannot_write_is_found_by_the_sandboxed_check(app):
    # The child may start no program; the fork server asked the braille tables before it
    # forked (app/preload.py), so the check still finds what the braille build refuses.
    client, token = session(app)
    answer, page = upload(client, token,
                          (ROOT / "tests" / "hostile" / "po-character-not-in-braille.po").read_bytes())
    assert answer.status_code == 200
    assert "cannot be written in braille" in page and "braille not checked here" not in page
