"""What the browser checks share: running gremien, a free port, HTTP requests without redirects."""

import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request


def run(*args: str) -> str:
    """A gremien command's standard output; its standard error ends the check when it fails."""
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)}: {done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) of a GET, or of a form POST when `data` is given; redirects are not followed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=body, headers=headers or {}), timeout=15) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
