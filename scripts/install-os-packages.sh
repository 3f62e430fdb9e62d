#!/usr/bin/env bash
# Installs the Debian packages the platform runs when they are missing: PostgreSQL 15, RabbitMQ, ICU
# (and, with --with-browser, Chromium for the dashboard's browser tests and the annual report's PDF, poppler-utils and a
# Chinese font). Used by run.sh and test.sh.
# Quiet and quick when everything is installed.
set -euo pipefail

missing=()
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql)
[[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
command -v setpriv >/dev/null || missing+=(util-linux)
# ICU: the events service and the dashboard speak Chinese and English (culture data for dates and numbers).
ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so' || missing+=(libicu72)
if [[ ${1:-} == --with-browser ]]; then
  command -v chromium >/dev/null || missing+=(chromium)
  # pdftotext: the annual report's PDF test reads the printed text back.
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  # A Chinese font, so Chromium prints the annual report in Chinese (the report fetches no font).
  fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
fi

if ((${#missing[@]})); then
  if ((EUID == 0)); then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..." >&2
  # The packages' install scripts would start system-wide servers (rabbitmq-server's start can block);
  # the AppHost runs its own. Debian's invoke-rc.d and deb-systemd-invoke ask policy-rc.d first, and
  # exit code 101 means "do not start": such a policy is in place while we install, then the previous
  # one (if any, as in Docker images) comes back. An EXIT trap does not run on exec, hence the explicit call.
  policy=/usr/sbin/policy-rc.d
  restore_policy() {
    "${as_root[@]}" rm -f "$policy"
    if [[ -e $policy.run-sh ]]; then "${as_root[@]}" mv "$policy.run-sh" "$policy"; fi
  }
  if [[ -e $policy ]]; then "${as_root[@]}" mv "$policy" "$policy.run-sh"; fi
  trap restore_policy EXIT
  "${as_root[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
  install() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
  }
  # A fresh machine has no package lists yet: refresh them once and try again.
  install 2>/dev/null || { "${as_root[@]}" apt-get update -qq >/dev/null && install; }
  restore_policy
  trap - EXIT
  [[ -x /usr/lib/postgresql/15/bin/postgres ]] || {
    echo "PostgreSQL 15 is not in /usr/lib/postgresql/15 after installing 'postgresql' (is this Debian 12?). Install it: apt-get install -y postgresql-15" >&2
    exit 1
  }
fi

