"""Drives a real Django's session framework for sess's interop tests.

Run with the system Python that has Django on its path (Debian: /usr/bin/python3 with python3-django and
python3-psycopg2). The protocol is JSON lines on stdin and stdout:

* The first line configures Django: {"settings": {...}}, Django setting names as keys. Defaults fill in
  USE_TZ, TIME_ZONE, INSTALLED_APPS (contenttypes, auth, sessions) and an empty DATABASES.
  The driver answers {"ok": true, "django": [3, 2, 25, "final", 0]}, or {"ok": false, "fatal": ...}
  and exits when Django (or psycopg2, for a PostgreSQL database) cannot be imported or configured.
* Every later line is {"ops": [...]}; the driver answers {"ok": true, "results": [...]}, one result per op.
  A result is {"ok": true, ...} or {"ok": false, "error": "<Python exception class>", "message": ...};
  a failing op does not stop the ones after it. Each result carries "logs": the warnings Django logged
  while the op ran (for example "Session data corrupted").

Every operation goes through Django's own classes (the engine's SessionStore, django.core.signing,
SessionMiddleware): nothing here re-implements Django. Anything Django prints goes to stderr, so stdout
carries the protocol only.
"""

import datetime
import importlib
import io
import json
import logging
import sys
from unittest import mock

PROTOCOL_OUT = sys.stdout
sys.stdout = sys.stderr

ENGINE_PREFIX = "django.contrib.sessions.backends."


def send(message):
    PROTOCOL_OUT.write(json.dumps(message, default=str) + "\n")
    PROTOCOL_OUT.flush()


class Captured(logging.Handler):
    """Collects the log records of one op."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append({"logger": record.name, "level": record.levelname, "message": record.getMessage()})


CAPTURED = Captured()


def configure(given):
    try:
        import django
    except ImportError as error:
        return {"ok": False, "fatal": "django-missing", "message": str(error), "python": sys.executable}
    databases = given.get("DATABASES", {})
    if any("postgresql" in db.get("ENGINE", "") for db in databases.values()):
        try:
            import psycopg2  # noqa: F401
        except ImportError as error:
            return {"ok": False, "fatal": "psycopg2-missing", "message": str(error), "python": sys.executable}
    from django.conf import settings

    values = {
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "INSTALLED_APPS": [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
        ],
        "DATABASES": {},
        "ALLOWED_HOSTS": ["testserver"],
    }
    values.update(given)
    try:
        settings.configure(**values)
        django.setup()
    except Exception as error:  # a bad setting: report it instead of a traceback
        return {"ok": False, "fatal": "configure-failed", "message": f"{type(error).__name__}: {error}"}
    logging.getLogger("django").addHandler(CAPTURED)
    logging.getLogger("django").setLevel(logging.WARNING)
    return {"ok": True, "django": list(django.VERSION)}


def store_class(op):
    """The engine's SessionStore (settings.SESSION_ENGINE unless the op names one), with the op's key salt."""
    from django.conf import settings

    engine = op.get("engine")
    module = importlib.import_module(ENGINE_PREFIX + engine if engine else settings.SESSION_ENGINE)
    base = module.SessionStore
    salt = op.get("keySalt")
    if salt is None:
        return base
    # A subclass overriding key_salt, as a project with its own SessionStore subclass would.
    return type("SessionStore", (base,), {"key_salt": property(lambda self: salt)})


def expiry_value(spec):
    """set_expiry()'s argument from the JSON form: int, null, {"datetime": iso} or {"timedelta": seconds}."""
    if isinstance(spec, dict):
        if "datetime" in spec:
            return datetime.datetime.fromisoformat(spec["datetime"])
        if "timedelta" in spec:
            return datetime.timedelta(seconds=spec["timedelta"])
        raise ValueError(f"unknown expiry {spec!r}")
    return spec


def apply_actions(session, actions):
    """Runs [name, *args] actions on a session; returns what the "get" actions read."""
    seen = {}
    for action in actions:
        name, args = action[0], action[1:]
        if name == "set":
            session[args[0]] = args[1]
        elif name == "delete":
            del session[args[0]]
        elif name == "pop":
            session.pop(args[0], None)
        elif name == "update":
            session.update(args[0])
        elif name == "clear":
            session.clear()
        elif name == "expiry":
            session.set_expiry(expiry_value(args[0]))
        elif name == "flush":
            session.flush()
        elif name == "cycle_key":
            session.cycle_key()
        elif name == "get":
            seen[args[0]] = session.get(args[0])
        elif name == "increment":
            # The view of Django's tutorial: num_visits = session.get("num_visits", 0) + 1, stored back.
            session[args[0]] = session.get(args[0], 0) + 1
            seen[args[0]] = session[args[0]]
        else:
            raise ValueError(f"unknown action {name!r}")
    return seen


def attempt(fn):
    try:
        return fn()
    except Exception as error:
        return {"error": type(error).__name__, "message": str(error)}


def describe(session):
    """What Django itself says about a session: key, data and its view of the expiry."""
    data = dict(session.items())
    return {
        "key": session.session_key,
        "data": data,
        "modified": session.modified,
        "expiryAge": attempt(session.get_expiry_age),
        "expiryDate": attempt(lambda: session.get_expiry_date().isoformat()),
        "expireAtBrowserClose": attempt(session.get_expire_at_browser_close),
    }


def op_create(op):
    session = store_class(op)()
    for name, value in op.get("data", {}).items():
        session[name] = value
    if "expiry" in op:
        session.set_expiry(expiry_value(op["expiry"]))
    session.save()
    return describe(session)


def op_load(op):
    session = store_class(op)(op["key"])
    return describe(session)


def op_modify(op):
    session = store_class(op)(op["key"])
    seen = apply_actions(session, op.get("actions", []))
    # As the middleware does: save what changed, unless flushed; "save": true re-saves unchanged data too.
    if (session.modified or op.get("save", False)) and not session.is_empty():
        session.save()
    return {**describe(session), "seen": seen}


def op_request(op):
    """One request through Django's SessionMiddleware, with a view that runs the op's actions."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import JsonResponse
    from django.test import RequestFactory

    seen = {}

    def view(request):
        seen.update(apply_actions(request.session, op.get("actions", [])))
        return JsonResponse({}, status=op.get("status", 200))

    headers = {"HTTP_COOKIE": op["cookie"]} if op.get("cookie") else {}
    request = RequestFactory().get("/", **headers)
    response = SessionMiddleware(view)(request)
    cookies = {}
    for name, morsel in response.cookies.items():
        cookies[name] = {"value": morsel.value, **{k: v for k, v in morsel.items() if v != ""}}
    session = request.session
    return {
        "status": response.status_code,
        "cookies": cookies,
        "vary": response.get("Vary"),
        "key": session.session_key,
        "data": dict(session._session_cache) if hasattr(session, "_session_cache") else None,
        "seen": seen,
    }


def op_encode(op):
    session = store_class(op)()
    if "time" in op:
        with mock.patch("time.time", return_value=op["time"]):
            return {"text": session.encode(op["data"])}
    return {"text": session.encode(op["data"])}


def op_decode(op):
    return {"data": store_class(op)().decode(op["text"])}


def op_signing_dumps(op):
    from django.core import signing

    kwargs = {"salt": op["salt"], "compress": op.get("compress", True)}
    if "key" in op:
        kwargs["key"] = op["key"]
    if "time" in op:
        with mock.patch("time.time", return_value=op["time"]):
            return {"text": signing.dumps(op["value"], **kwargs)}
    return {"text": signing.dumps(op["value"], **kwargs)}


def op_signing_loads(op):
    from django.core import signing

    kwargs = {"salt": op["salt"]}
    for name, python_name in (("key", "key"), ("maxAge", "max_age"), ("fallbackKeys", "fallback_keys")):
        if name in op:
            kwargs[python_name] = op[name]
    return {"value": signing.loads(op["text"], **kwargs)}


def op_exists(op):
    return {"exists": store_class(op)().exists(op["key"])}


def op_clear_expired(op):
    store_class(op).clear_expired()
    return {}


def op_migrate(op):
    from django.core.management import call_command

    call_command("migrate", "sessions", verbosity=0, stdout=io.StringIO())
    return {}


def op_sqlmigrate(op):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("sqlmigrate", "sessions", "0001", stdout=out, no_color=True)
    return {"sql": out.getvalue()}


def op_index_name(op):
    """The name Django's schema editor gives an index on the configured database."""
    from django.db import connection

    editor = connection.schema_editor()
    return {"name": editor._create_index_name(op["table"], op["columns"], suffix=op.get("suffix", ""))}


def op_version(op):
    import django

    return {"version": list(django.VERSION)}


OPS = {
    "version": op_version,
    "migrate": op_migrate,
    "sqlmigrate": op_sqlmigrate,
    "indexName": op_index_name,
    "create": op_create,
    "load": op_load,
    "modify": op_modify,
    "request": op_request,
    "encode": op_encode,
    "decode": op_decode,
    "signingDumps": op_signing_dumps,
    "signingLoads": op_signing_loads,
    "exists": op_exists,
    "clearExpired": op_clear_expired,
}


def run(op):
    CAPTURED.records = []
    handler = OPS.get(op.get("op"))
    try:
        if handler is None:
            raise ValueError(f"unknown op {op.get('op')!r}")
        result = {"ok": True, **handler(op)}
    except Exception as error:
        result = {"ok": False, "error": type(error).__name__, "message": str(error)}
    finally:
        from django.db import close_old_connections

        close_old_connections()
    result["logs"] = CAPTURED.records
    return result


def main():
    first = sys.stdin.readline()
    if not first:
        return 0
    configured = configure(json.loads(first).get("settings", {}))
    send(configured)
    if not configured["ok"]:
        return 2
    for line in sys.stdin:
        if not line.strip():
            continue
        ops = json.loads(line)["ops"]
        send({"ok": True, "results": [run(op) for op in ops]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
