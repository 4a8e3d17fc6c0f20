#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database and an empty (or new)
# media folder, then checks that every table has the rows the backup counted.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NEW_NAME scripts/restore.sh BACKUP_DIR [MEDIA_DIR]
#
# BACKUP_DIR is one portal-<time> folder; MEDIA_DIR defaults to var/media. Create the database
# first (createdb, or docs/operations.md for docker compose); it is refused if it has a table.
# The restore is one transaction: a failure leaves the database empty. Exits 1 if a count differs.
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://... $0 BACKUP_DIR [MEDIA_DIR]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
: "${DATABASE_URL:?set DATABASE_URL to the (empty) database to restore into (postgres://...)}"
backup=$1
media=${2:-var/media}
here=$(cd "$(dirname "$0")" && pwd)
psql_q() { psql "$DATABASE_URL" --no-psqlrc --quiet --tuples-only --no-align "$@"; }

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)
existing=$(psql_q --command="SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$existing" != 0 ]; then
    echo "The database in DATABASE_URL has $existing tables: restore into a new, empty database." >&2
    exit 1
fi
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
    echo "The media folder $media is not empty: restore into a new or empty folder." >&2
    exit 1
fi

pg_restore --no-owner --no-acl --exit-on-error --single-transaction --dbname="$DATABASE_URL" \
    "$backup/database.dump"
mkdir -p "$media"
tar --extract --gzip --file="$backup/media.tar.gz" --directory="$media" --no-same-owner

restored=$(mktemp)
psql_q --file="$here/table_counts.sql" >"$restored"
if ! diff -u "$backup/counts.tsv" "$restored"; then
    echo "Restored, but the row counts above differ from the backup's." >&2
    rm -f "$restored"
    exit 1
fi
tables=$(wc -l <"$restored")
rows=$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$restored")
files=$(find "$media" -type f | wc -l)
rm -f "$restored"
echo "Restored $backup: $tables tables and $rows rows, every count as backed up; $files media files in $media"
