# Sample for examples/c/scan.c — 日本語のコメント 😀 (UTF-16 columns differ from byte columns)
import hashlib
import subprocess


def fingerprint(data: bytes) -> str:
    label = "指紋 🔑"
    return label + hashlib.new("md5", data).hexdigest()


def run(cmd: str) -> None:
    subprocess.run(cmd, shell=True)
