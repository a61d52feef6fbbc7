"""A real S3 endpoint for the object-storage tests: moto's server mode on 127.0.0.1.

`s3_endpoint` (session) starts moto's ThreadedMotoServer on a free port and stops it at the
end; `s3_env` points the AWS environment variables at it (fake credentials, a region, and
AWS_ENDPOINT_URL, which s3fs/botocore read and `transforms.core.storage` passes to pyarrow);
`s3_bucket` creates a fresh bucket for one test. The server speaks S3's HTTP API: s3fs, pyarrow
and Polars talk to it over a socket as they would to AWS (s3fs's own test suite uses it).
"""

from __future__ import annotations

import logging
import uuid

import pytest

REGION = "us-east-1"


def _clear_s3fs_cache() -> None:
    # s3fs keeps one filesystem instance per arguments: an instance made under another test's
    # environment (endpoint, credentials) would be reused
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture(scope="session")
def s3_endpoint():
    """The url of a moto S3 server on 127.0.0.1 (a free port), for the whole session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line a request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_env(monkeypatch, s3_endpoint, tmp_path):
    """The AWS environment of a test: the moto endpoint, fake credentials, a region; the
    user's own AWS files and profile are out of reach. Returns the endpoint url."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-key")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    _clear_s3fs_cache()
    yield s3_endpoint
    _clear_s3fs_cache()


@pytest.fixture
def s3_bucket(s3_env):
    """A fresh, empty bucket on the endpoint; its name."""
    import s3fs

    name = f"test-{uuid.uuid4().hex[:16]}"
    s3fs.S3FileSystem(endpoint_url=s3_env).mkdir(name)
    _clear_s3fs_cache()
    return name


class ThrottlingProxy:
    """An HTTP proxy in front of an S3 endpoint that answers a share of the requests itself
    with 503 SlowDown, as a throttled S3 does, and forwards the others (`share`: 0-1, drawn
    from a seeded generator). `url` is its endpoint; `answered` counts (forwarded, throttled)."""

    def __init__(self, upstream: str, share: float, seed: int = 33) -> None:
        import http.client
        import random
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlsplit

        target = urlsplit(upstream)
        draw, lock = random.Random(seed), threading.Lock()
        self.answered = [0, 0]
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.1: answers "Expect: 100-continue" (botocore sends it with every PUT body;
            # an HTTP/1.0 handler waits for a body the client holds back until told to send it)
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _body(self) -> bytes:
                if "chunked" not in (self.headers.get("Transfer-Encoding") or ""):
                    length = int(self.headers.get("Content-Length") or 0)
                    return self.rfile.read(length) if length else b""
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if not size:
                        while self.rfile.readline().strip():  # trailers
                            pass
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()

            def _any(self) -> None:
                body = self._body()
                with lock:
                    throttle = draw.random() < share
                    proxy.answered[throttle] += 1
                if throttle:
                    error = b"<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
                    self.send_response(503)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(error)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(error)
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                skip = ("host", "transfer-encoding", "content-length")
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                headers["Host"] = target.netloc
                headers["Content-Length"] = str(len(body))
                conn.request(self.command, self.path, body=body, headers=headers)
                reply = conn.getresponse()
                data = reply.read()
                self.send_response(reply.status)
                for k, v in reply.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                # a HEAD reply's length is the object's, not that of its (absent) body
                length = reply.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ThrottlingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
