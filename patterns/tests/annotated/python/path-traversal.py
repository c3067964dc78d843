# Path traversal (CWE-22) and archive extraction (CWE-22 "zip slip"), after
# https://cwe.mitre.org/data/definitions/22.html, https://owasp.org/www-community/attacks/Path_Traversal
# and https://docs.python.org/3/library/tarfile.html#extraction-filters
import os
import tarfile
import zipfile
from flask import Flask, request, send_file, send_from_directory

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/download")
def download():
    name = request.args.get("name")
    return send_file(os.path.join(BASE, name))  # codetable: expect security.path-traversal.user-path


@app.route("/read")
def read():
    with open("/srv/files/" + request.args["file"]) as f:  # codetable: expect security.path-traversal.user-path
        return f.read()


@app.route("/raw")
def raw():
    return open(request.args.get("p")).read()  # codetable: expect security.path-traversal.user-path


@app.route("/delete", methods=["POST"])
def delete():
    os.remove(os.path.join(BASE, request.form["name"]))  # codetable: expect security.path-traversal.user-path


@app.route("/view")
def view():
    path = BASE + "/" + request.values.get("doc")
    return send_file(path)  # codetable: expect security.path-traversal.user-path


def extract_all(archive, dest):
    with tarfile.open(archive) as tar:
        tar.extractall(dest)  # codetable: expect security.path-traversal.archive-extract


def extract_zip(archive, dest):
    # zipfile strips absolute paths and ".." components itself (see the zipfile docs), unlike tarfile.
    with zipfile.ZipFile(archive) as z:
        z.extractall(dest)  # codetable: ok security.path-traversal.archive-extract


def extract_members(archive, dest):
    tar = tarfile.open(archive)
    for member in tar.getmembers():
        tar.extract(member, dest)  # codetable: expect security.path-traversal.archive-extract


# Fixed forms.
@app.route("/safe")
def safe_download():
    return send_from_directory(BASE, request.args["name"])  # codetable: ok security.path-traversal.user-path


@app.route("/checked")
def checked():
    full = os.path.realpath(os.path.join(BASE, request.args["name"]))
    if not full.startswith(BASE + os.sep):
        return "forbidden", 403
    return send_file(full)  # codetable: ok security.path-traversal.user-path


def constant_open():
    return open("/etc/app/config.ini").read()  # codetable: ok security.path-traversal.user-path


def filtered_extract(archive, dest):
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")  # codetable: ok security.path-traversal.archive-extract


@app.route("/secure-name")
def secure_name():
    from werkzeug.utils import secure_filename
    return send_file(os.path.join(BASE, secure_filename(request.args["name"])))  # codetable: ok security.path-traversal.user-path


@app.route("/by-id")
def by_id():
    names = {"1": "a.txt", "2": "b.txt"}
    return send_file(os.path.join(BASE, names.get(request.args["id"], "a.txt")))  # codetable: ok security.path-traversal.user-path


def constant_join():
    return open(os.path.join(BASE, "index.html")).read()  # codetable: ok security.path-traversal.user-path


@app.route("/pathlib")
def with_pathlib():
    from pathlib import Path
    return (Path(BASE) / request.args["name"]).read_text()  # codetable: expect security.path-traversal.user-path


def shutil_unpack(archive, dest):
    import shutil
    shutil.unpack_archive(archive, dest)  # codetable: expect security.path-traversal.archive-extract
