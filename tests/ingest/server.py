"""A small HTTP server on 127.0.0.1 for tests: routes to canned or scripted responses."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Route:
    """A canned response; `handle(handler)` may be overridden to script one."""

    def __init__(self, body: bytes = b"", *, status: int = 200, headers: dict | None = None):
        self.body = body
        self.status = status
        self.headers = headers or {}

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(self.status)
        for name, value in self.headers.items():
            handler.send_header(name, value)
        if "Content-Length" not in self.headers:
            handler.send_header("Content-Length", str(len(self.body)))
        handler.end_headers()
        handler.wfile.write(self.body)


class ConditionalRoute(Route):
    """Answers 304 to a request that carries the current ETag, else the full response."""

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == self.headers.get("ETag"):
            Route(status=304).handle(handler)
        else:
            super().handle(handler)


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    Route(b"not found", status=404).handle(self)
                else:
                    route.handle(self)

            def log_message(self, format, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
