from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo_events.errors import DownloadError, InputError
from geo_events.gazetteer.download import download_file, download_geonames
from geo_events.gazetteer.geonames import GeoNamesDump

ROW = "\t".join(["99000001", "Tall Qarnawi", "Tall Qarnawi", "", "35.91", "39.12", "P", "PPL",
                 "SY", "", "04", "", "", "", "1200", "", "300", "Asia/Damascus", "2024-05-01"])  # fmt: skip


def _zip_bytes(member: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


class _Server:
    """Serves ``files`` (path -> bytes); records every requested path."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[str] = []
        self.short: set[str] = set()  # paths whose body is cut short of Content-Length
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                announced = len(body) * 2 if self.path in server.short else len(body)
                self.send_header("Content-Length", str(announced))
                self.end_headers()
                self.wfile.write(body)
                if self.path in server.short:
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server() -> Iterator[_Server]:
    files = {
        "/SY.zip": _zip_bytes("SY.txt", ROW + "\n"),
        "/allCountries.zip": _zip_bytes("allCountries.txt", ROW + "\n"),
        "/alternatenames/SY.zip": _zip_bytes(
            "SY.txt", "1\t99000001\ten\tTel Qarnawi\t\t\t\t\t\t\n"
        ),
        "/admin1CodesASCII.txt": b"SY.04\tRaqqa\tRaqqa\t172957\n",
        "/admin2Codes.txt": b"",
    }
    running = _Server(files)
    yield running
    running.close()


def test_download_country_then_cache_hit(server, tmp_path):
    dump = download_geonames("sy", cache_dir=tmp_path, base_url=server.url,
                             include_alternate_names=True)  # fmt: skip
    folder = tmp_path / "geonames"
    assert dump == GeoNamesDump(
        places=folder / "SY.zip",
        alternate_names=folder / "alternatenames" / "SY.zip",
        admin1=folder / "admin1CodesASCII.txt",
        admin2=folder / "admin2Codes.txt",
    )
    assert sorted(server.requests) == sorted(server.files.keys() - {"/allCountries.zip"})
    assert (folder / "admin1CodesASCII.txt").read_bytes() == server.files["/admin1CodesASCII.txt"]
    records = list(dump.records())
    # the admin1 code file adds Raqqa, which the places file lacks, at the village
    assert [(r.name, r.feature_code) for r in records] == [
        ("Tall Qarnawi", "PPL"),
        ("Raqqa", "ADM1"),
    ]
    assert records[0].alternate_names == ("Tel Qarnawi",)
    assert not list(folder.rglob("*.part"))

    requests = len(server.requests)
    again = download_geonames("SY", cache_dir=tmp_path, base_url=server.url.rstrip("/"),
                              include_alternate_names=True)  # fmt: skip
    assert again == dump
    assert len(server.requests) == requests  # nothing fetched twice


def test_all_countries_without_admin_codes(server, tmp_path):
    dump = download_geonames(None, cache_dir=tmp_path, base_url=server.url,
                             include_admin_codes=False)  # fmt: skip
    assert dump.places.name == "allCountries.zip"
    assert (dump.admin1, dump.admin2, dump.alternate_names) == (None, None, None)
    assert server.requests == ["/allCountries.zip"]


def test_default_cache_dir_is_used(server, tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_EVENTS_CACHE_DIR", str(tmp_path))
    dump = download_geonames("SY", base_url=server.url, include_admin_codes=False)
    assert dump.places == tmp_path / "geonames" / "SY.zip"


def test_not_found_is_a_download_error(server, tmp_path):
    with pytest.raises(DownloadError, match=r"IQ\.zip.*404") as caught:
        download_geonames("IQ", cache_dir=tmp_path, base_url=server.url)
    assert server.url + "IQ.zip" in str(caught.value)
    assert isinstance(caught.value, OSError)
    assert not list((tmp_path / "geonames").iterdir())


def test_non_zip_body_leaves_nothing_behind(server, tmp_path):
    server.files["/SY.zip"] = b"<html>maintenance</html>"
    with pytest.raises(DownloadError, match="not a valid zip"):
        download_geonames("SY", cache_dir=tmp_path, base_url=server.url)
    assert not list((tmp_path / "geonames").iterdir())


def test_truncated_body_leaves_nothing_behind(server, tmp_path):
    server.short.add("/SY.zip")
    with pytest.raises(DownloadError, match=r"SY\.zip failed: .*(IncompleteRead|of \d+ bytes)"):
        download_geonames("SY", cache_dir=tmp_path, base_url=server.url)
    assert not list((tmp_path / "geonames").iterdir())


def test_damaged_cached_zip_is_downloaded_again(server, tmp_path):
    target = tmp_path / "SY.zip"
    target.write_bytes(b"PK\x03\x04 truncated")
    download_file(server.url + "SY.zip", target)
    assert target.read_bytes() == server.files["/SY.zip"]
    assert server.requests == ["/SY.zip"]


def test_unreachable_server_is_a_download_error(tmp_path):
    with pytest.raises(DownloadError, match=r"127\.0\.0\.1:9/SY\.zip failed"):
        download_geonames("SY", cache_dir=tmp_path, base_url="http://127.0.0.1:9/", timeout=5)


@pytest.mark.parametrize("country", ["SYR", "S", "", "1A", 12])
def test_country_must_be_two_letters(country, tmp_path):
    with pytest.raises(InputError, match="two-letter"):
        download_geonames(country, cache_dir=tmp_path, base_url="http://127.0.0.1:9/")


def test_progress_reports_bytes(server, tmp_path):
    seen: list[tuple[str, int, int | None]] = []
    download_file(server.url + "SY.zip", Path(tmp_path) / "SY.zip",
                  progress=lambda *a: seen.append(a))  # fmt: skip
    assert seen[-1] == ("downloading SY.zip", len(server.files["/SY.zip"]),
                        len(server.files["/SY.zip"]))  # fmt: skip


def test_cli_downloads_several_countries_then_imports_them(server, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from geo_events.cli import app
    from geo_events.gazetteer import Gazetteer, PlaceRecord
    from geo_events.gazetteer import sources as sources_module

    iq_row = ROW.replace("99000001", "99000002").replace("Tall Qarnawi", "Tall Afar")
    server.files["/IQ.zip"] = _zip_bytes("IQ.txt", iq_row.replace("\tSY\t", "\tIQ\t") + "\n")
    records = [PlaceRecord(1, "Syria", 35.0, 38.5, "A", "PCLI", "SY")]
    monkeypatch.setattr(sources_module, "load_default_sources",
                        lambda extra=(): sources_module.DefaultSources(list(records), {}))  # fmt: skip
    runner = CliRunner()
    got = runner.invoke(app, ["gazetteer", "download", "SY", "IQ", "--base-url", server.url,
                              "--cache-dir", str(tmp_path)], catch_exceptions=False)  # fmt: skip
    assert got.exit_code == 0, got.output
    zips = [Path(line) for line in got.stdout.split() if line.endswith(".zip")]
    assert [p.name for p in zips] == ["SY.zip", "IQ.zip"]
    done = runner.invoke(app, ["--gazetteer", "levant", "gazetteer", "import", *map(str, zips),
                               "--cache-dir", str(tmp_path)], catch_exceptions=False)  # fmt: skip
    assert done.exit_code == 0, done.output
    gaz = Gazetteer.open(tmp_path, name="levant", progress=False)
    assert gaz.geocode("Tall Qarnawi") is not None and gaz.geocode("Tall Afar") is not None
    assert Gazetteer.open(tmp_path, name="builtin", progress=False).geocode("Tall Afar") is None
