"""Run the test provider: ``python -m tests.accounts.oidc_provider.serve <sqlite file> <redirect uri>``.

Binds a free port on 127.0.0.1 first (so the issuer address is known before Django starts), migrates
its own database, makes an RSA signing key, the LMS client and the people of ``people.ACCOUNTS``,
prints ``READY <issuer>`` on stdout and serves until it is terminated."""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def main(db_path: str, redirect_uri: str) -> None:
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, lambda environ, start: [], ThreadingWSGIServer, QuietHandler)
    site_url = f"http://127.0.0.1:{server.server_port}"
    os.environ["OIDC_PROVIDER_SITE_URL"] = site_url
    os.environ["OIDC_PROVIDER_DB"] = db_path
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.accounts.oidc_provider.settings"
    application = get_wsgi_application()  # runs django.setup()

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    seed(redirect_uri)
    server.set_app(application)
    print(f"READY {site_url}", flush=True)
    server.serve_forever()


def seed(redirect_uri: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType, RSAKey

    from tests.accounts.oidc_provider import people

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    RSAKey.objects.create(key=pem.decode())
    client = Client.objects.create(
        name="LMS",
        client_type="confidential",
        client_id=people.CLIENT_ID,
        client_secret=people.CLIENT_SECRET,
        jwt_alg="RS256",
        require_consent=False,
        redirect_uris=[redirect_uri],
        scope=["openid", "profile", "email", "nip"],
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    for username in people.ACCOUNTS:
        User.objects.create_user(username, email=f"{username}@example.test", password=people.PASSWORD)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
