#!/usr/bin/env bash
# Everything `make run` and `make test` need: system packages, virtualenv, npm
# packages, local services, migrations. Safe to run again; keeps the data.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PYTHON:-python3}
WITH_BROWSER=${WITH_BROWSER:-0}
# ldconfig and friends live in /sbin, which a normal user's PATH on Debian lacks.
PATH="$PATH:/usr/sbin:/sbin"

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed ($PY is $("$PY" -V 2>&1)). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi

as_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  if as_root; then
    echo "== installing $* (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
  else
    echo "Missing system packages. Install them with: sudo apt-get install -y $*" >&2
    exit 1
  fi
}

# System libraries: WeasyPrint (pango), fonts with Cyrillic, gettext for translations.
missing=()
ldconfig -p | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core fontconfig)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v npm >/dev/null || missing+=(npm)
"$PY" -c "import venv, ensurepip" 2>/dev/null || missing+=(python3-venv)
if [ "$WITH_BROWSER" = 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# Python virtualenv, reinstalled only when requirements.txt changes.
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
if ! cmp -s requirements.txt .venv/.requirements.installed 2>/dev/null; then
  echo "== installing Python packages"
  # (a machine-wide pip.conf may name local indexes that are not there: pip warns per package)
  quiet_pip() { .venv/bin/pip install -q --disable-pip-version-check "$@" 2> >(grep -v 'is ignored: it is neither' >&2); }
  quiet_pip --upgrade pip >/dev/null
  quiet_pip -r requirements.txt
  cp requirements.txt .venv/.requirements.installed
fi

# Front-end libraries from npm, exactly as locked.
if ! cmp -s package-lock.json node_modules/.package-lock.installed 2>/dev/null; then
  echo "== installing front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json node_modules/.package-lock.installed
fi

# `make run` is production-like (DEBUG off), and the settings refuse the development key
# there (ejournal/checks.py): the checkout gets a random key of its own, once, in var/env
# (not in git; a SECRET_KEY in the environment still wins).
mkdir -p var
if ! grep -qs '^SECRET_KEY=' var/env; then
  echo "SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" >>var/env
  echo "== wrote a random SECRET_KEY for this checkout into var/env"
fi

scripts/services.sh start

# The audit chain's HMAC key and the backup/archive media of `make run` (docs/ARCHIVE.md):
# the key lives outside the database and outside every backup, readable by this user only.
if [ -z "${AUDIT_HMAC_KEY:-}" ] && [ ! -s var/keys/audit.key ]; then
  echo "== creating the audit key var/keys/audit.key"
  (umask 077 && mkdir -p var/keys && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >var/keys/audit.key)
fi
mkdir -p var/backups/a var/backups/b var/archive-b var/anchors

echo "== migrating"
.venv/bin/python manage.py migrate --noinput -v 0
# Anchor the audit chain heads (the first anchor after an upgrade fixes the unkeyed rows).
.venv/bin/python manage.py anchor_audit -v 0 >/dev/null
if compgen -G 'locale/*/LC_MESSAGES/*.po' >/dev/null; then
  .venv/bin/python manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules >/dev/null
fi
.venv/bin/python manage.py collectstatic --noinput -v 0
