#!/bin/sh
# One-shot setup of the compose stack: apply the migrations, then create or update the admin
# account from JUDGE_ADMIN_USERNAME / JUDGE_ADMIN_PASSWORD (idempotent: safe on every `up`).
set -eu
judgectl migrate
if [ -n "${JUDGE_ADMIN_PASSWORD:-}" ]; then
  judgectl create-user --username "${JUDGE_ADMIN_USERNAME:-admin}" \
    --password "$JUDGE_ADMIN_PASSWORD" --role admin
  echo "admin account '${JUDGE_ADMIN_USERNAME:-admin}' ready"
fi
