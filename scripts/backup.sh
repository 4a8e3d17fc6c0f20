#!/usr/bin/env bash
# Backs up the portal: the PostgreSQL database (pg_dump's custom format) and then the media
# folder (uploaded files), with the row count of every table and a checksum of each file, into
# a new folder BACKUP_ROOT/portal-<UTC time>. How to run it, keep it and restore it:
# docs/operations.md.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME scripts/backup.sh BACKUP_ROOT [MEDIA_DIR]
#
# MEDIA_DIR defaults to var/media. BACKUP_KEEP_DAYS=N, if set, then deletes this root's
# portal-* backups older than N days. Needs pg_dump and psql of the server's major version or later.
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgres://... $0 BACKUP_ROOT [MEDIA_DIR]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
: "${DATABASE_URL:?set DATABASE_URL to the database to back up (postgres://...)}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "DATABASE_URL must be a PostgreSQL URL (postgres://...)" >&2; exit 2 ;;
esac
root=$1
media=${2:-var/media}
here=$(cd "$(dirname "$0")" && pwd)
# A backup holds everything the portal knows about people: readable by its owner only.
umask 077
dest="$root/portal-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest"
partial=true
trap '[ "$partial" = true ] && { echo "Backup failed: removing $dest" >&2; rm -rf "$dest"; }' EXIT

# The database first: every file a row of the dump names was written before the dump began,
# so it is in the media archive taken after it (files newer than the dump are harmless extras).
pg_dump --format=custom --compress=6 --file="$dest/database.dump" "$DATABASE_URL"
pg_restore --list "$dest/database.dump" >/dev/null
psql "$DATABASE_URL" --no-psqlrc --quiet --tuples-only --no-align \
    --file="$here/table_counts.sql" >"$dest/counts.tsv"

if [ -d "$media" ]; then
    tar --create --gzip --file="$dest/media.tar.gz" --directory="$media" .
else
    echo "No media folder at $media: keeping an empty media archive" >&2
    tar --create --gzip --file="$dest/media.tar.gz" --files-from=/dev/null
fi
(cd "$dest" && sha256sum database.dump media.tar.gz counts.tsv >SHA256SUMS)
partial=false

tables=$(wc -l <"$dest/counts.tsv")
rows=$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$dest/counts.tsv")
files=$(tar --list --gzip --file="$dest/media.tar.gz" | grep -vc '/$' || true)
echo "Backed up to $dest: $tables tables, $rows rows, $files media files ($(du -sh "$dest" | cut -f1))"

if [ -n "${BACKUP_KEEP_DAYS:-}" ]; then
    find "$root" -mindepth 1 -maxdepth 1 -type d -name 'portal-*' -mtime +"$BACKUP_KEEP_DAYS" -print \
        -exec rm -rf {} +
fi
