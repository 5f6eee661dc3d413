"""A Streamlit script served on a local port, for the browser test and the browser benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@contextmanager
def streamlit_server(script: Path, port: int, db_file: Path, log: Path) -> Iterator[str]:
    """`streamlit run script` on 127.0.0.1:port with the cache `db_file`; yields its URL.

    The server is stopped when the block ends. Raises RuntimeError (with the server's log)
    when it does not answer its health check within 90 s.
    """
    env = {**os.environ, "SYNCLENS_DB": str(db_file)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.time() + 90
            while time.time() < deadline:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.3)
            else:
                raise RuntimeError(f"{script.name} did not start: {log.read_text()}")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
