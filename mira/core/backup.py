"""Backup and restore: a PostgreSQL dump plus every document in the storage, in one tar.gz.

Works with any Django storage (local disk or S3-compatible) through the storage API.
"""

import datetime
import io
import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
DOCUMENTS_PREFIX = "documents/"


class BackupError(Exception):
    pass


def _pg_environment() -> dict:
    settings = connection.settings_dict
    if settings["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backup and restore need PostgreSQL (DATABASE_URL=postgres://...).")
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _storage_files(storage, folder: str = ""):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _storage_files(storage, f"{folder}/{directory}" if folder else directory)


def backup_create(*, output: Path, storage=default_storage) -> dict:
    """Writes the backup archive to output and returns its manifest."""
    env = _pg_environment()
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DUMP_NAME
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)],
            env=env,
            check=True,
        )
        names = sorted(_storage_files(storage)) if _has_files(storage) else []
        manifest = {
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": connection.settings_dict["NAME"],
            "documents": len(names),
        }
        with tarfile.open(output, "w:gz") as archive:
            archive.add(dump, arcname=DUMP_NAME)
            for name in names:
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(DOCUMENTS_PREFIX + name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            payload = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return manifest


def _has_files(storage) -> bool:
    try:
        storage.listdir("")
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def restore_backup(*, archive_path: Path, storage=default_storage) -> dict:
    """Restores an archive into an EMPTY database and storage; refuses to overwrite anything."""
    env = _pg_environment()
    if connection.introspection.table_names():
        raise BackupError("The target database is not empty; restore only into a new, empty database.")
    with tarfile.open(archive_path, "r:gz") as archive, tempfile.TemporaryDirectory() as workdir:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}
        if DUMP_NAME not in members or MANIFEST_NAME not in members:
            raise BackupError("This is not a MIRA backup (database dump or manifest missing).")
        manifest = json.load(archive.extractfile(members[MANIFEST_NAME]))
        dump = Path(workdir) / DUMP_NAME
        dump.write_bytes(archive.extractfile(members[DUMP_NAME]).read())
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                env["PGDATABASE"],
                str(dump),
            ],
            env=env,
            check=True,
        )
        restored = 0
        for name, member in members.items():
            if not name.startswith(DOCUMENTS_PREFIX):
                continue
            target = name[len(DOCUMENTS_PREFIX) :]
            if ".." in Path(target).parts or target.startswith("/"):
                raise BackupError(f"Unsafe path in the archive: {name}")
            if storage.exists(target):
                raise BackupError(f"The document storage already holds {target}; restore into an empty storage.")
            saved = storage.save(target, ContentFile(archive.extractfile(member).read()))
            if saved != target:
                raise BackupError(f"The storage renamed {target} to {saved}.")
            restored += 1
    return {**manifest, "documents_restored": restored}
