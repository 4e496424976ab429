"""A backup restored into an empty database finds every case and document."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from mira.documents.models import Document
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]


def _admin_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def test_backup_restores_every_case_and_document_into_an_empty_database(tmp_path, counsellor):
    participants = [ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor) for _ in range(3)]
    stored = {}
    for index, participant in enumerate(participants):
        document = Document(
            participant=participant,
            title=f"Pass {index}",
            category="passport",
            original_filename="pass.pdf",
            content_type="application/pdf",
            size=20,
            sha256="0" * 64,
            uploaded_by=counsellor,
        )
        document.file.save("pass.pdf", ContentFile(f"%PDF-1.4 document {index}".encode()), save=False)
        document.save()
        stored[document.file.name] = default_storage.open(document.file.name).read()
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=archive)

    target_db = f"mira_restore_{uuid.uuid4().hex[:8]}"
    target_media = tmp_path / "restored-documents"
    settings = connection.settings_dict
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{target_db}"')
    try:
        user = settings["USER"]
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        url = f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{target_db}"
        env = {**os.environ, "DATABASE_URL": url, "MIRA_MEDIA_ROOT": str(target_media), "MIRA_DEBUG": "1",
               "DJANGO_SETTINGS_MODULE": "mira.settings"}  # fmt: skip
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        with psycopg.connect(url) as restored:
            case_numbers = sorted(
                row[0] for row in restored.execute("SELECT case_number FROM participants_participant")
            )
            files = sorted(row[0] for row in restored.execute("SELECT file FROM documents_document"))
        assert case_numbers == sorted(p.case_number for p in participants)
        assert files == sorted(stored)
        for name, content in stored.items():
            assert (target_media / name).read_bytes() == content

        again = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_db}" WITH (FORCE)')
