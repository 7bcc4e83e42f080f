"""What the tracker's commands share."""

from pathlib import Path

from django.core.management.base import CommandError


def input_file(path):
    """`path` as a Path, or one line saying why it names no file to read."""
    file = Path(path)
    if not file.exists():
        raise CommandError(f"{path}: no such file")
    if file.is_dir():
        raise CommandError(f"{path}: is a folder, not a file")
    return file
