"""TLS for tests: a self-signed certificate made on the spot and Debian's nginx in front of a
gateway, configured with the public server block of deploy/nginx/iop-lotsen.conf itself.

Taking the block from the production example (only the port, the certificate and the gateway's
address are filled in) keeps the example and the tests from drifting apart. Used by
tests/integration/test_behind_tls_proxy.py and tests/e2e/test_browser_behind_tls.py.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from devstack.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "deploy" / "nginx" / "iop-lotsen.conf"
NGINX = Path("/usr/sbin/nginx")


def make_certificate(directory: Path, host: str = "localhost") -> tuple[Path, Path]:
    """A self-signed certificate for `host`, valid for a day (no network, no openssl binary)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def public_server_block(port: int, cert: Path, key: Path, gateway: int) -> str:
    """The example's TLS server block and its upgrade map, pointed at this test's processes."""
    text = EXAMPLE.read_text(encoding="utf-8")
    upgrade_map = re.search(r"map \$http_upgrade \$iop_connection_upgrade \{.*?\n\}", text, re.S)
    server = re.search(r"server \{\n    listen 443 ssl http2;.*?\n\}", text, re.S)
    assert upgrade_map and server, "deploy/nginx/iop-lotsen.conf changed shape"
    block = server.group(0)
    block = block.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;")
    block = re.sub(r"\n    listen \[::\]:443 ssl http2;", "", block)
    block = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", block)
    block = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", block)
    block = re.sub(r"access_log [^;]+;", "access_log off;", block)
    block = re.sub(r"ssl_session_cache [^;]+;", "", block)
    block = block.replace("http://127.0.0.1:8080", f"http://127.0.0.1:{gateway}")
    return upgrade_map.group(0) + "\n" + block


def nginx_config(prefix: Path, port: int, cert: Path, key: Path, gateway: int) -> Path:
    """A whole nginx.conf around the public block, with every path inside `prefix`."""
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"{user}\nworker_processes 1;\ndaemon off;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n{temp}\n"
        # The worker (nobody) cannot write in the test's private temp directory: no temp files.
        "    proxy_max_temp_file_size 0;\n"
        f"{public_server_block(port, cert, key, gateway)}\n}}\n",
        encoding="utf-8",
    )
    return conf


@contextmanager
def running_nginx(workdir: Path, cert: Path, key: Path, gateway: int) -> Iterator[int]:
    """nginx with TLS on a free loopback port in front of the gateway's port; yields the port
    once nginx accepts connections."""
    if not NGINX.exists():
        raise RuntimeError("nginx is missing: run `bash scripts/ensure_scale_out.sh`")
    port = free_port()
    prefix = workdir / f"nginx-{port}"
    prefix.mkdir()
    conf = nginx_config(prefix, port, cert, key, gateway)
    process = subprocess.Popen([str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", "stderr"])
    try:
        _wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not listen on {port}")
