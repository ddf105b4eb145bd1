"""Files in an S3-compatible bucket: configured from the environment, private, and
downloaded only through the views that check the user's scope, streamed as S3 sends them.

moto's in-process S3 (`mock_aws`) stands in for the bucket here; test_scale_out.py runs
the real thing (moto's server) between processes.
"""

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws

from incidents.services import attachment_add
from peacekeeping.storage import ObjectStream, open_stored

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "evidence-test"
S3_OPTIONS = {
    "bucket_name": BUCKET,
    "region_name": "us-east-1",
    "access_key": "testing",
    "secret_key": "testing",
    "default_acl": None,
    "file_overwrite": False,
}


def settings_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import json; from django.conf import settings; import django; django.setup(); "
        "d = settings.STORAGES['default']; o = dict(d.get('OPTIONS', {})); "
        "c = o.pop('client_config', None); "
        "o['addressing_style'] = c and c.s3['addressing_style']; "
        "print(json.dumps({'backend': d['BACKEND'], 'options': o, "
        "'sessions': settings.SESSION_ENGINE}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "peacekeeping.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_a_bucket_in_the_environment_files_go_to_s3_privately():
    result = settings_in_subprocess(
        {
            "AWS_STORAGE_BUCKET_NAME": "pk-files",
            "AWS_S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": "key",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_LOCATION": "/hq/",
        }
    )

    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config["backend"] == "storages.backends.s3.S3Storage"
    options = config["options"]
    assert options["bucket_name"] == "pk-files"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["location"] == "hq"
    assert options["addressing_style"] == "path"
    assert options["default_acl"] is None  # the bucket's private default, never public-read
    assert options["file_overwrite"] is False
    assert options["querystring_expire"] <= 60
    assert config["sessions"] == "django.contrib.sessions.backends.db"


def test_without_a_bucket_files_stay_on_this_machine():
    result = settings_in_subprocess({})

    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config["backend"] == "django.core.files.storage.FileSystemStorage"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AWS_STORAGE_BUCKET_NAME", "pk"), ("AWS_S3_ENDPOINT_URL", "minio:9000")],
)
def test_a_malformed_storage_variable_stops_start_up(variable, value):
    result = settings_in_subprocess({"AWS_STORAGE_BUCKET_NAME": "pk-files", variable: value})

    assert result.returncode != 0
    assert variable in result.stderr


@pytest.fixture
def bucket(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS},
        }
        yield client


@pytest.mark.django_db
def test_evidence_in_the_bucket_is_streamed_through_the_checked_view(
    world, client, bucket, settings
):
    content = b"%PDF-1.4 " + bytes(range(256)) * 400  # ~100 kB, more than one block
    attachment = attachment_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        uploaded_file=SimpleUploadedFile("rapport.pdf", content),
    )
    url = reverse(
        "incidents:attachment_download",
        kwargs={"reference": world.incident_a.reference, "pk": attachment.pk},
    )
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [attachment.file.name]
    assert not settings.MEDIA_ROOT.exists()  # nothing written on this machine

    client.force_login(world.users["staff_a"])
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == content
    client.force_login(world.users["staff_b"])
    assert client.get(url).status_code == 404  # out of scope: no trace of the file

    bucket.delete_object(Bucket=BUCKET, Key=attachment.file.name)
    client.force_login(world.users["staff_a"])
    assert client.get(url).status_code == 404  # gone from the bucket


@pytest.mark.django_db
def test_an_object_is_read_in_blocks_never_whole(bucket):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("exports/2026/11/big.csv", ContentFile(b"x" * 300_000))

    class Field:
        storage = default_storage

    Field.name = name
    stream = open_stored(Field)

    assert isinstance(stream, ObjectStream)
    assert stream.size == 300_000
    assert len(stream.read(8192)) == 8192
    assert len(stream.read()) == 300_000 - 8192
    stream.close()
    assert stream.closed
